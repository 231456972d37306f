// The agenda: a workshop's sessions with their date and times, the modules they teach and the
// missions they open. Everyone in the workshop reads it (the trainee's home shows the missions of
// the current session); organizers and tutors edit it.
import { config } from '../../config.js';
import { readRows, toDate } from '../../db-read.js';
import { prisma, type Tx } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { addDays, fromLocalDateTime, toDateInputValue } from '../../lib/dates.js';
import { findMission, isModuleId, type ModuleId } from '../missions/missions.registry.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import type { AgendaSessionInput } from './agenda.schemas.js';
import { defaultAgenda } from './default-agenda.js';

export type AgendaSession = {
  id: number;
  name: string;
  position: number;
  startsAt: Date | null;
  endsAt: Date | null;
  modules: ModuleId[];
  /** Mission ids, in the order the session opens them; ids no longer in the registry are left out. */
  missions: string[];
};

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function toAgendaSession(row: {
  id: number;
  name: string;
  position: number;
  startsAt: Date | null;
  endsAt: Date | null;
  modules: string;
  missions: string;
}): AgendaSession {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    modules: list(row.modules).filter(isModuleId),
    missions: list(row.missions).filter((id) => findMission(id)),
  };
}

/**
 * The sessions of a workshop, in agenda order. Outside a transaction it takes the hot read path
 * (src/db-read.ts): the workshop's home reads it on every view.
 */
export async function loadAgenda(workshopId: number, db: Tx = prisma): Promise<AgendaSession[]> {
  if (db === prisma) {
    const rows = await readRows<AgendaRow>(Prisma.sql`
      SELECT "id", "name", "position", "startsAt", "endsAt", "modules", "missions"
      FROM "WorkshopSession" WHERE "workshopId" = ${workshopId} ORDER BY "position"`);
    return rows.map((row) =>
      toAgendaSession({
        ...row,
        id: Number(row.id),
        position: Number(row.position),
        startsAt: row.startsAt === null ? null : toDate(row.startsAt),
        endsAt: row.endsAt === null ? null : toDate(row.endsAt),
      }),
    );
  }
  const rows = await db.workshopSession.findMany({
    where: { workshopId },
    orderBy: { position: 'asc' },
    select: { id: true, name: true, position: true, startsAt: true, endsAt: true, modules: true, missions: true },
  });
  return rows.map(toAgendaSession);
}

type AgendaRow = {
  id: number | bigint;
  name: string;
  position: number | bigint;
  startsAt: Date | string | null;
  endsAt: Date | string | null;
  modules: string;
  missions: string;
};

export function getAgenda(ctx: WorkshopCtx): Promise<AgendaSession[]> {
  return loadAgenda(ctx.workshopId);
}

/**
 * The session the room is in: the first (in time) that has not ended yet, so between two sessions
 * the next one; after the last, the last. Without times, the first session of the list.
 */
export function currentSession(sessions: readonly AgendaSession[], now: Date): AgendaSession | null {
  const timed = sessions
    .filter((s): s is AgendaSession & { startsAt: Date; endsAt: Date } => s.startsAt !== null && s.endsAt !== null)
    .sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime());
  if (!timed.length) return sessions[0] ?? null;
  return timed.find((s) => s.endsAt > now) ?? timed.at(-1)!;
}

/** Whether every session has a time and at least one module: the setup checklist asks for it. */
export function agendaIsComplete(sessions: readonly AgendaSession[]): boolean {
  return sessions.length > 0 && sessions.every((s) => s.startsAt && s.endsAt && s.modules.length > 0);
}

export async function updateAgenda(ctx: WorkshopCtx, input: AgendaSessionInput[]): Promise<void> {
  assertRole(ctx, 'organizer', 'tutor');
  await prisma.$transaction(async (tx) => {
    const before = new Map((await loadAgenda(ctx.workshopId, tx)).map((s) => [s.id, s.missions]));
    for (const session of input) {
      // The form lists missions by module; the session keeps the order it had (open the shop before
      // its logo), and missions newly ticked come after, in the form's order.
      const kept = (before.get(session.id) ?? []).filter((id) => session.missions.includes(id));
      const missions = [...kept, ...session.missions.filter((id) => !kept.includes(id))];
      // updateMany with the workshop in the filter: a session id of another workshop changes nothing.
      await tx.workshopSession.updateMany({
        where: { id: session.id, workshopId: ctx.workshopId },
        data: {
          startsAt: session.time ? fromLocalDateTime(session.time.date, session.time.start, config.timezone) : null,
          endsAt: session.time ? fromLocalDateTime(session.time.date, session.time.end, config.timezone) : null,
          modules: session.modules.join(','),
          missions: missions.join(','),
        },
      });
    }
  });
}

/**
 * Puts the default agenda (default-agenda.ts) on the workshop's sessions, by position: each gets
 * its day (from the workshop's first day), times, modules and missions, and keeps its name;
 * missing sessions are added with the default names, extra ones are left as they are.
 */
export async function applyDefaultAgenda(workshopId: number, db: Tx = prisma): Promise<void> {
  const workshop = await db.workshop.findUniqueOrThrow({ where: { id: workshopId }, select: { startDate: true } });
  const firstDay = toDateInputValue(workshop.startDate, config.timezone);
  const existing = await db.workshopSession.findMany({ where: { workshopId }, orderBy: { position: 'asc' }, select: { id: true } });
  for (const [position, plan] of defaultAgenda.entries()) {
    const day = addDays(firstDay, plan.day);
    const data = {
      startsAt: fromLocalDateTime(day, plan.start, config.timezone),
      endsAt: fromLocalDateTime(day, plan.end, config.timezone),
      modules: plan.modules.join(','),
      missions: plan.missions.join(','),
    };
    const session = existing[position];
    if (session) await db.workshopSession.update({ where: { id: session.id }, data });
    else await db.workshopSession.create({ data: { workshopId, name: plan.name, position, ...data } });
  }
}

export async function useDefaultAgenda(ctx: WorkshopCtx): Promise<void> {
  assertRole(ctx, 'organizer', 'tutor');
  await prisma.$transaction((tx) => applyDefaultAgenda(ctx.workshopId, tx));
}
