// "Demo as trainee": a tutor or organizer shows buying and paying on the projector as the
// workshop's demo trainee, without a second account and without signing out. The session
// remembers whom she acts as (in this workshop only); the workshop gate then enters the workshop
// as the demo trainee, after checking on every request that she is still staff here. Starting,
// stopping and every change made meanwhile are written to StaffAction with both names.
import { randomBytes } from 'node:crypto';
import { isUniqueViolation, prisma } from '../../db.js';
import { hashPassword } from '../auth/auth.service.js';
import { assertRole, enterWorkshop, isStaff, type WorkshopCtx } from './workshops.service.js';

export type ActingAs = { workshopId: number; userId: number };

export const DEMO_TRAINEE_NAME = 'Peserta Demo';

/** The workshop's demo trainee: a trainee member that nobody signs in as and nobody counts (created on first use). */
export async function ensureDemoTrainee(workshopId: number): Promise<number> {
  const existing = await prisma.membership.findFirst({
    where: { workshopId, user: { demoKind: 'trainee' } },
    select: { userId: true },
  });
  if (existing) return existing.userId;
  // A password nobody knows: the account is only ever entered through acting.
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  for (let attempt = 0; ; attempt++) {
    const username = attempt === 0 ? `demo.peserta.${workshopId}` : `demo.peserta.${workshopId}.${randomBytes(3).toString('hex')}`;
    try {
      const user = await prisma.user.create({
        data: {
          username,
          displayName: DEMO_TRAINEE_NAME,
          passwordHash,
          role: 'trainee',
          demoKind: 'trainee',
          memberships: { create: { workshopId, role: 'trainee' } },
        },
        select: { id: true },
      });
      return user.id;
    } catch (error) {
      // The name is taken (by a person, or by a second click a moment earlier: then use hers).
      if (!isUniqueViolation(error) || attempt > 3) throw error;
      const made = await prisma.membership.findFirst({ where: { workshopId, user: { demoKind: 'trainee' } }, select: { userId: true } });
      if (made) return made.userId;
    }
  }
}

/** Staff start acting as the demo trainee; returns what the session keeps. */
export async function startActing(ctx: WorkshopCtx): Promise<ActingAs> {
  assertRole(ctx, 'organizer', 'tutor');
  const userId = await ensureDemoTrainee(ctx.workshopId);
  await prisma.staffAction.create({ data: { workshopId: ctx.workshopId, staffId: ctx.userId, asUserId: userId, action: 'demo.start' } });
  return { workshopId: ctx.workshopId, userId };
}

/** The context of a request made while acting: the demo trainee's, with the staff member beside it. */
export type ActingCtx = WorkshopCtx & { actingStaffId: number };

/**
 * Enters the workshop as the demo trainee for a staff member acting as her. Null when the session's
 * acting no longer holds (she is not staff here any more, or it was another workshop's): the gate
 * then enters as herself.
 */
export async function enterActing(staffUserId: number, acting: ActingAs): Promise<ActingCtx | null> {
  const own = await enterWorkshop(staffUserId, acting.workshopId);
  if (!isStaff(own)) return null;
  const demo = await prisma.user.findFirst({ where: { id: acting.userId, demoKind: 'trainee' }, select: { id: true } });
  if (!demo) return null;
  return { ...(await enterWorkshop(demo.id, acting.workshopId)), actingStaffId: staffUserId };
}

/** A change made while acting (a form sent), in the log with both names. */
export async function recordActingRequest(ctx: ActingCtx, method: string, path: string): Promise<void> {
  await prisma.staffAction.create({
    data: {
      workshopId: ctx.workshopId,
      staffId: ctx.actingStaffId,
      asUserId: ctx.userId,
      action: 'demo.request',
      detail: `${method} ${path}`.slice(0, 300),
    },
  });
}

export async function stopActing(ctx: ActingCtx): Promise<void> {
  await prisma.staffAction.create({
    data: { workshopId: ctx.workshopId, staffId: ctx.actingStaffId, asUserId: ctx.userId, action: 'demo.stop' },
  });
}

/** The tutor tools' log, newest first. */
export async function listStaffActions(ctx: WorkshopCtx, take = 50) {
  assertRole(ctx, 'organizer', 'tutor');
  return prisma.staffAction.findMany({
    where: { workshopId: ctx.workshopId },
    orderBy: { id: 'desc' },
    take,
    select: {
      id: true,
      action: true,
      detail: true,
      createdAt: true,
      staff: { select: { displayName: true, username: true } },
      asUser: { select: { displayName: true } },
    },
  });
}
