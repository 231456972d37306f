// Missions as people see them: a trainee's own list for the current session (her home), a module
// with its lesson cards, and the room's count per mission (the projector's current mission). The
// registry (missions.registry.ts) says what each mission is and how the data show it done.
import { readRows } from '../../db-read.js';
import { NotFoundError } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import { currentSession, loadAgenda, type AgendaSession } from '../agenda/agenda.service.js';
import { drillsSince } from '../drills/drills.service.js';
import { listParticipants } from '../workshops/participants.js';
import { assertRole, isStaff, type WorkshopCtx } from '../workshops/workshops.service.js';
import { lessonCards, type LessonCard } from './lessons.js';
import { findMission, isModuleId, missions, missionsOfModule, moduleIds, type Mission, type ModuleId } from './missions.registry.js';

/** For each mission, who of `userIds` has done it: one statement for all of them (missions.registry.ts). */
export async function whoDid(workshopId: number, userIds: number[], list: readonly Mission[]): Promise<Map<string, Set<number>>> {
  const done = new Map<string, Set<number>>();
  for (const m of list) done.set(m.id, new Set());
  if (!userIds.length || !list.length) return done;
  const users = Prisma.join(userIds);
  // Each row names its mission by its place in `list`, written into the SQL (never a value from outside).
  const parts = list.map(
    (m, i) =>
      Prisma.sql`SELECT ${Prisma.raw(String(i))} AS "mission", q."userId", ${m.keep ? Prisma.sql`q."detail"` : Prisma.sql`CAST(NULL AS TEXT)`} AS "detail" FROM (${m.check(workshopId, users)}) q`,
  );
  const rows = await readRows<{ mission: number | bigint; userId: number | bigint; detail: string | null }>(
    Prisma.join(parts, ' UNION ALL ', '', ''),
  );
  for (const row of rows) {
    const m = list[Number(row.mission)]!;
    if (!m.keep || m.keep(row.detail ?? '')) done.get(m.id)!.add(Number(row.userId));
  }
  return done;
}

/** The missions of a session, or every mission when the session opens none (an agenda not planned yet). */
export function missionsOf(session: AgendaSession | null): Mission[] {
  const ids = session?.missions ?? [];
  return ids.length ? ids.map((id) => findMission(id)!).filter(Boolean) : [...missions];
}

export type MissionItem = { id: string; module: ModuleId; titleKey: string; howKey: string; href: string; done: boolean };

export type MyMissions = {
  session: AgendaSession | null;
  items: MissionItem[];
  /** The first mission not done yet, highlighted on her home. */
  nextId: string | null;
  doneCount: number;
  percent: number;
};

const hrefOf = (ctx: WorkshopCtx, m: Mission) => `/workshops/${ctx.workshopId}${m.path}`;

function itemsFor(ctx: WorkshopCtx, list: readonly Mission[], done: Map<string, Set<number>>): MissionItem[] {
  return list.map((m) => ({
    id: m.id,
    module: m.module,
    titleKey: m.titleKey,
    howKey: m.howKey,
    href: hrefOf(ctx, m),
    done: done.get(m.id)?.has(ctx.userId) ?? false,
  }));
}

/**
 * The scam drills that reached her in this session (since it started; all of hers when the agenda
 * has no times), done once she has reacted. Until then the item does not name the scam, so it
 * gives nothing away: it sends her to her chat, where the drill waits among the real messages.
 */
async function drillItems(ctx: WorkshopCtx, session: AgendaSession | null): Promise<MissionItem[]> {
  const drills = await drillsSince(ctx, session?.startsAt ?? null);
  return drills.map((d) => ({
    id: `drill-${d.id}`,
    module: 'c',
    titleKey: d.outcome ? `drills:scenarios.${d.send.scenario}.title` : 'missions:drill.title',
    howKey: 'missions:drill.how',
    href: `/workshops/${ctx.workshopId}/chat`,
    done: d.outcome !== null,
  }));
}

/** Her missions for the session the room is in, each ticked from the data, and the drills of the session. */
export async function getMyMissions(ctx: WorkshopCtx, now = new Date(), agenda?: readonly AgendaSession[]): Promise<MyMissions> {
  agenda ??= await loadAgenda(ctx.workshopId);
  const session = currentSession(agenda, now);
  const list = missionsOf(session);
  const items = [...itemsFor(ctx, list, await whoDid(ctx.workshopId, [ctx.userId], list)), ...(await drillItems(ctx, session))];
  const doneCount = items.filter((i) => i.done).length;
  return {
    session,
    items,
    nextId: items.find((i) => !i.done)?.id ?? null,
    doneCount,
    percent: items.length ? Math.round((doneCount / items.length) * 100) : 0,
  };
}

export type ModuleSummary = { id: ModuleId; missionCount: number; doneCount: number };

/** The four modules with how many of their missions she has done (staff: none of their own). */
export async function getModules(ctx: WorkshopCtx): Promise<ModuleSummary[]> {
  const done = isStaff(ctx) ? new Map<string, Set<number>>() : await whoDid(ctx.workshopId, [ctx.userId], missions);
  return moduleIds.map((id) => {
    const list = missionsOfModule(id);
    return { id, missionCount: list.length, doneCount: list.filter((m) => done.get(m.id)?.has(ctx.userId)).length };
  });
}

export type ModulePage = {
  id: ModuleId;
  cards: readonly LessonCard[];
  items: MissionItem[];
  /** Staff see how many participants have done each mission instead of their own ticks. */
  room: { participants: number; done: Record<string, number> } | null;
};

export async function getModule(ctx: WorkshopCtx, moduleId: string): Promise<ModulePage> {
  if (!isModuleId(moduleId)) throw new NotFoundError(`No module ${moduleId}`);
  const list = missionsOfModule(moduleId);
  if (isStaff(ctx)) {
    const participants = await listParticipants(ctx.workshopId);
    const done = await whoDid(
      ctx.workshopId,
      participants.map((p) => p.id),
      list,
    );
    return {
      id: moduleId,
      cards: lessonCards[moduleId],
      items: itemsFor(ctx, list, new Map()),
      room: { participants: participants.length, done: Object.fromEntries(list.map((m) => [m.id, done.get(m.id)!.size])) },
    };
  }
  return {
    id: moduleId,
    cards: lessonCards[moduleId],
    items: itemsFor(ctx, list, await whoDid(ctx.workshopId, [ctx.userId], list)),
    room: null,
  };
}

export type MissionScreen = {
  session: AgendaSession | null;
  participants: number;
  /** The session's missions with the number of participants who have done each. */
  missions: (MissionItem & { doneCount: number })[];
  current: (MissionItem & { doneCount: number }) | null;
  previousId: string | null;
  nextId: string | null;
};

/**
 * The projector's current mission: the one staff picked (`missionId`), otherwise the first mission
 * of the current session that not every participant has done yet.
 */
export async function getMissionScreen(ctx: WorkshopCtx, missionId: string | undefined, now = new Date()): Promise<MissionScreen> {
  assertRole(ctx, 'organizer', 'tutor');
  const session = currentSession(await loadAgenda(ctx.workshopId), now);
  const list = missionsOf(session);
  const participants = await listParticipants(ctx.workshopId);
  const done = await whoDid(
    ctx.workshopId,
    participants.map((p) => p.id),
    list,
  );
  const rows = itemsFor(ctx, list, new Map()).map((item) => ({ ...item, doneCount: done.get(item.id)!.size }));
  const picked = missionId ? rows.findIndex((r) => r.id === missionId) : -1;
  const firstOpen = rows.findIndex((r) => r.doneCount < participants.length);
  const index = picked >= 0 ? picked : firstOpen >= 0 ? firstOpen : rows.length - 1;
  return {
    session,
    participants: participants.length,
    missions: rows,
    current: rows[index] ?? null,
    previousId: rows[index - 1]?.id ?? null,
    nextId: rows[index + 1]?.id ?? null,
  };
}
