// Workshops are the sandbox boundary. enterWorkshop() is the one door into a workshop: it
// answers NotFoundError (404, never 403) to anyone who is not a member, so a URL of another
// workshop reveals nothing. Every workshop-scoped service takes the WorkshopCtx it returns.
import { config } from '../../config.js';
import { isUniqueViolation, prisma } from '../../db.js';
import { readRows, toDate } from '../../db-read.js';
import { Prisma } from '../../generated/prisma/client.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { CurrentUser } from '../../users.js';
import { fromDateInputValue } from '../../lib/dates.js';
import { randomString } from '../../lib/random.js';
import { hashPassword, insertUser } from '../auth/auth.service.js';
import { blocksSql, unreadSql } from '../chat/unread.js';
import { participantSql } from './participants.js';
import { joinCodeSchema, type WorkshopInput } from './workshops.schemas.js';

export type WorkshopRole = 'organizer' | 'tutor' | 'trainee';

export type WorkshopSummary = {
  id: number;
  name: string;
  city: string;
  venue: string;
  startDate: Date;
  endDate: Date;
  joinCode: string;
  joinOpen: boolean;
};

export type WorkshopCtx = {
  readonly workshopId: number;
  readonly userId: number;
  readonly role: WorkshopRole;
  readonly workshop: WorkshopSummary;
  /** Workshop.catalogVersion when the request began: the key of its cached catalogue pages. */
  readonly catalogVersion: number;
  /** How far the workshop's training clock runs ahead of real time (clock.ts), read with the membership. */
  readonly clockOffsetMs: number;
  /** In how many workshops the user is a member: "Ganti pelatihan" is offered only to people in several. */
  readonly workshopCount: number;
  /** A trainee's unread chats and drills for the tab bar, when the gate read them with the membership (chat/unread.ts). */
  readonly unread?: number;
  /** How many people she blocked, read with `unread` (chat/unread.ts). */
  readonly blocks?: number;
};

const summarySelect = {
  id: true,
  name: true,
  city: true,
  venue: true,
  startDate: true,
  endDate: true,
  joinCode: true,
  joinOpen: true,
} as const;

type MembershipRow = Omit<WorkshopSummary, 'startDate' | 'endDate' | 'joinOpen'> & {
  role: string;
  startDate: Date | string;
  endDate: Date | string;
  joinOpen: boolean | number;
  catalogVersion: number;
  clockOffsetSeconds: number;
  workshopCount: number | bigint;
  unread: number | bigint | string | null;
  blocks: number | bigint | string | null;
};

/**
 * `withUnread`: also a trainee's count for the tab bar's badge (pages she sees), in the same
 * statement: every page pays for each statement it sends, more than for the database's work.
 */
export async function enterWorkshop(userId: number, workshopId: number, { withUnread = false } = {}): Promise<WorkshopCtx> {
  if (!Number.isSafeInteger(workshopId) || workshopId <= 0) throw new NotFoundError();
  // Every workshop page runs this, so it takes the hot read path (src/db-read.ts).
  const unread = withUnread ? Prisma.sql`CASE WHEN m."role" = 'trainee' THEN ${unreadSql(userId, workshopId)} END` : Prisma.sql`NULL`;
  const blocks = withUnread ? Prisma.sql`CASE WHEN m."role" = 'trainee' THEN ${blocksSql(userId, workshopId)} END` : Prisma.sql`NULL`;
  const [row] = await readRows<MembershipRow>(Prisma.sql`
    SELECT m."role", w."id", w."name", w."city", w."venue", w."startDate", w."endDate", w."joinCode", w."joinOpen", w."catalogVersion", w."clockOffsetSeconds",
      (SELECT COUNT(*) FROM "Membership" mine WHERE mine."userId" = ${userId}) AS "workshopCount", ${unread} AS "unread", ${blocks} AS "blocks"
    FROM "Membership" m JOIN "Workshop" w ON w."id" = m."workshopId"
    WHERE m."workshopId" = ${workshopId} AND m."userId" = ${userId}`);
  if (!row) throw new NotFoundError(`User ${userId} is not in workshop ${workshopId}`);
  const workshop: WorkshopSummary = {
    id: Number(row.id),
    name: row.name,
    city: row.city,
    venue: row.venue,
    startDate: toDate(row.startDate),
    endDate: toDate(row.endDate),
    joinCode: row.joinCode,
    joinOpen: Boolean(row.joinOpen),
  };
  return {
    workshopId,
    userId,
    role: row.role as WorkshopRole,
    workshop,
    catalogVersion: Number(row.catalogVersion),
    clockOffsetMs: Number(row.clockOffsetSeconds) * 1000,
    workshopCount: Number(row.workshopCount),
    ...(row.unread === null ? {} : { unread: Number(row.unread) }),
    ...(row.blocks === null ? {} : { blocks: Number(row.blocks) }),
  };
}

export function isStaff(ctx: WorkshopCtx): boolean {
  return ctx.role === 'organizer' || ctx.role === 'tutor';
}

export function assertRole(ctx: WorkshopCtx, ...roles: WorkshopRole[]): void {
  if (!roles.includes(ctx.role)) throw new ForbiddenError(`Workshop role ${ctx.role} may not do this`);
}

// No 0/O, 1/I/L: codes are read off a projector and typed on a phone.
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newJoinCode(): string {
  return randomString(codeAlphabet, 6);
}

/** "K7PQ3M" → "K7P Q3M", easier to read aloud. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}

export async function listMyWorkshops(userId: number) {
  const rows = await prisma.membership.findMany({
    where: { userId },
    select: { role: true, workshop: { select: summarySelect } },
    orderBy: { workshop: { startDate: 'desc' } },
  });
  return rows.map((row) => ({ ...row.workshop, role: row.role as WorkshopRole }));
}

function toWorkshopData(input: WorkshopInput) {
  return {
    name: input.name,
    city: input.city,
    venue: input.venue,
    startDate: fromDateInputValue(input.startDate, config.timezone),
    endDate: fromDateInputValue(input.endDate, config.timezone),
  };
}

export async function createWorkshop(organizer: CurrentUser, input: WorkshopInput): Promise<number> {
  if (organizer.role !== 'organizer' && organizer.role !== 'admin') throw new ForbiddenError('Only organizers create workshops');
  for (let attempt = 0; ; attempt++) {
    const joinCode = newJoinCode();
    if (await prisma.workshop.findUnique({ where: { joinCode }, select: { id: true } })) {
      if (attempt > 20) throw new Error('Could not find a free join code');
      continue;
    }
    const workshop = await prisma.workshop.create({
      data: {
        ...toWorkshopData(input),
        joinCode,
        createdById: organizer.id,
        botsPaused: config.marketBotsPausedAtStart,
        sessions: { create: input.sessions.map((name, position) => ({ name, position })) },
        memberships: { create: { userId: organizer.id, role: 'organizer' } },
      },
      select: { id: true },
    });
    return workshop.id;
  }
}

export async function getWorkshopDetails(ctx: WorkshopCtx, agenda?: readonly { id: number; name: string; position: number }[]) {
  // The workshop's home, where everyone lands: the summary is the context's (read with the
  // membership), sessions (unless the caller has read the agenda) and head counts come from the
  // hot read path (src/db-read.ts). Participants are counted as participants.ts says.
  const [sessions, [counts]] = await Promise.all([
    agenda ??
      readRows<{ id: number | bigint; name: string; position: number | bigint }>(
        Prisma.sql`SELECT "id", "name", "position" FROM "WorkshopSession" WHERE "workshopId" = ${ctx.workshopId} ORDER BY "position"`,
      ),
    readRows<{ tutors: number | bigint; participants: number | bigint }>(Prisma.sql`
      SELECT COUNT(CASE WHEN m."role" = 'tutor' THEN 1 END) AS "tutors",
             COUNT(CASE WHEN ${participantSql} THEN 1 END) AS "participants"
      FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE m."workshopId" = ${ctx.workshopId}`),
  ]);
  return {
    ...ctx.workshop,
    sessions: sessions.map((s) => ({ id: Number(s.id), name: s.name, position: Number(s.position) })),
    traineeCount: Number(counts?.participants ?? 0),
    tutorCount: Number(counts?.tutors ?? 0),
  };
}

export async function listSessions(ctx: WorkshopCtx) {
  return prisma.workshopSession.findMany({
    where: { workshopId: ctx.workshopId },
    orderBy: { position: 'asc' },
    select: { id: true, name: true },
  });
}

export async function updateWorkshop(ctx: WorkshopCtx, input: WorkshopInput): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.$transaction(async (tx) => {
    await tx.workshop.update({ where: { id: ctx.workshopId }, data: toWorkshopData(input) });
    // Sessions are matched by position: renaming keeps their answers; extra ones are added;
    // sessions beyond the new list are removed only when nothing refers to them.
    const existing = await tx.workshopSession.findMany({ where: { workshopId: ctx.workshopId }, orderBy: { position: 'asc' } });
    for (const [position, name] of input.sessions.entries()) {
      const session = existing[position];
      if (session) await tx.workshopSession.update({ where: { id: session.id }, data: { name, position } });
      else await tx.workshopSession.create({ data: { workshopId: ctx.workshopId, name, position } });
    }
    for (const session of existing.slice(input.sessions.length)) {
      const used =
        (await tx.form.count({ where: { sessionId: session.id } })) + (await tx.response.count({ where: { sessionId: session.id } }));
      if (used > 0) throw new ValidationError({ sessions: 'workshops:validation.sessionInUse' });
      await tx.workshopSession.delete({ where: { id: session.id } });
    }
  });
}

export async function setJoinOpen(ctx: WorkshopCtx, open: boolean): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.workshop.update({ where: { id: ctx.workshopId }, data: { joinOpen: open } });
}

export async function listMembers(ctx: WorkshopCtx) {
  if (!isStaff(ctx)) throw new ForbiddenError('Only staff see the member list');
  const rows = await prisma.membership.findMany({
    where: { workshopId: ctx.workshopId },
    select: { role: true, joinedAt: true, user: { select: { id: true, username: true, displayName: true, demoKind: true } } },
    orderBy: [{ role: 'asc' }, { joinedAt: 'asc' }],
  });
  return rows.map((row) => ({ ...row.user, role: row.role as WorkshopRole, joinedAt: row.joinedAt }));
}

export async function assignTutor(ctx: WorkshopCtx, username: string): Promise<{ displayName: string }> {
  assertRole(ctx, 'organizer');
  const user = await prisma.user.findUnique({ where: { username }, select: { id: true, role: true, displayName: true } });
  if (!user || user.role !== 'tutor') throw new ValidationError({ username: 'workshops:tutors.notATutor' });
  await prisma.membership.upsert({
    where: { workshopId_userId: { workshopId: ctx.workshopId, userId: user.id } },
    create: { workshopId: ctx.workshopId, userId: user.id, role: 'tutor' },
    update: { role: 'tutor' },
  });
  return { displayName: user.displayName };
}

type JoinLookUp = { workshop: { id: number; name: string }; problem: null } | { workshop: null; problem: string };

async function lookUpJoinCode(code: string): Promise<JoinLookUp> {
  const workshop = await prisma.workshop.findUnique({ where: { joinCode: code }, select: { id: true, name: true, joinOpen: true } });
  if (!workshop) return { workshop: null, problem: 'workshops:join.codeUnknown' };
  if (!workshop.joinOpen) return { workshop: null, problem: 'workshops:join.closed' };
  return { workshop, problem: null };
}

async function findJoinableWorkshop(code: string) {
  const found = await lookUpJoinCode(code);
  if (found.workshop === null) throw new ValidationError({ code: found.problem });
  return found.workshop;
}

/** Why a typed code cannot be joined (a locale key), or null when it can. */
export async function joinCodeProblem(typed: string): Promise<string | null> {
  const code = joinCodeSchema.safeParse(typed);
  if (!code.success) return 'workshops:join.codeInvalid';
  return (await lookUpJoinCode(code.data)).problem;
}

/** A signed-in person (a trainee of an earlier workshop, say) joins one more workshop. */
export async function joinAsUser(user: CurrentUser, code: string): Promise<{ workshopId: number; name: string }> {
  const workshop = await findJoinableWorkshop(code);
  const existing = await prisma.membership.findUnique({ where: { workshopId_userId: { workshopId: workshop.id, userId: user.id } } });
  if (!existing) {
    // The code is shown to the whole room: it makes trainees only. A tutor or an organizer of
    // another workshop typing it must not get staff rights here (assignTutor adds tutors).
    if (user.role === 'tutor' || user.role === 'organizer') throw new ValidationError({ code: 'workshops:join.staffByInvite' });
    try {
      await prisma.membership.create({ data: { workshopId: workshop.id, userId: user.id, role: 'trainee' } });
    } catch (error) {
      // Joined by a second tap on the same button meanwhile: she is in, which is what she asked.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { workshopId: workshop.id, name: workshop.name };
}

/** A new trainee: account and membership in one transaction, or neither. */
export async function joinWithNewAccount(input: { code: string; displayName: string; username: string; password: string }) {
  const workshop = await findJoinableWorkshop(input.code);
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const user = await insertUser(tx, { username: input.username, displayName: input.displayName, passwordHash, role: 'trainee' });
    await tx.membership.create({ data: { workshopId: workshop.id, userId: user.id, role: 'trainee' } });
    return { user, workshopId: workshop.id, name: workshop.name };
  });
}
