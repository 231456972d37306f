// Her own account: the password (changed by her, or reset by a tutor of her workshop) and the
// devices she is signed in on. Sessions are ended by deleting their rows (src/http/session-store.ts
// reads the row on every request, so an ended session is signed out at its next request).
import { createHash } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import Bowser from 'bowser';
import { prisma } from '../../db.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { randomString } from '../../lib/random.js';
import type { CurrentUser } from '../../users.js';
import { hashPassword } from '../auth/auth.service.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { MIN_SCORE, passwordStrength } from './password-strength.js';

/** A session's id is its bearer secret: pages name a device by a digest of it, never the id. */
export function deviceHandle(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url').slice(0, 16);
}

/** How guessable a password would be for her (her name and username count as guessable). */
export async function estimateStrength(password: string, user: Pick<CurrentUser, 'username' | 'displayName'>) {
  const strength = await passwordStrength(password, [user.username, user.displayName]);
  return { ...strength, acceptable: strength.score >= MIN_SCORE };
}

/** Refuses a new password that is easy to guess. */
async function assertStrongPassword(password: string, user: Pick<CurrentUser, 'username' | 'displayName'>): Promise<void> {
  if (!(await estimateStrength(password, user)).acceptable) throw new ValidationError({ newPassword: 'account:password.tooWeak' });
}

export type PasswordChange = { currentPassword?: string | undefined; newPassword: string };

/**
 * Sets her own password. The current one is asked unless a tutor's reset made her change it (she
 * just signed in with the temporary one). Every session of hers ends; the route signs this one in
 * again under a new id.
 */
export async function changePassword(userId: number, change: PasswordChange): Promise<CurrentUser> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.mustChangePassword) {
    const ok = await verify(user.passwordHash, change.currentPassword ?? '').catch(() => false);
    if (!ok) throw new ValidationError({ currentPassword: 'account:password.currentWrong' });
  }
  if (change.newPassword === change.currentPassword) throw new ValidationError({ newPassword: 'account:password.sameAsCurrent' });
  await assertStrongPassword(change.newPassword, user);
  const passwordHash = await hashPassword(change.newPassword);
  const [updated] = await prisma.$transaction([
    prisma.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } }),
    prisma.session.deleteMany({ where: { userId } }),
  ]);
  return { id: updated.id, username: updated.username, displayName: updated.displayName, role: updated.role as CurrentUser['role'] };
}

export type Device = {
  handle: string;
  current: boolean;
  browser: string | null;
  os: string | null;
  mobile: boolean;
  signedInAt: Date;
  lastSeenAt: Date;
};

/** Browser and system as a person names them ("Chrome", "Android 14"), from the User-Agent. */
function describe(userAgent: string | null): Pick<Device, 'browser' | 'os' | 'mobile'> {
  if (!userAgent) return { browser: null, os: null, mobile: false };
  const parsed = Bowser.parse(userAgent);
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
  return {
    browser: parsed.browser.name || null,
    os: os || null,
    mobile: parsed.platform.type === 'mobile' || parsed.platform.type === 'tablet',
  };
}

/** Her live sessions, this one first, then by last use. */
export async function listDevices(userId: number, currentSid: string | null): Promise<Device[]> {
  const rows = await prisma.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: [{ lastSeenAt: 'desc' }, { createdAt: 'desc' }],
    select: { sid: true, userAgent: true, createdAt: true, lastSeenAt: true },
  });
  const devices = rows.map((row) => ({
    handle: deviceHandle(row.sid),
    current: row.sid === currentSid,
    ...describe(row.userAgent),
    signedInAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
  }));
  return devices.sort((a, b) => Number(b.current) - Number(a.current));
}

/** Signs one of her devices out; another person's device, or one already gone, is not found. */
export async function signOutDevice(userId: number, handle: string): Promise<void> {
  const rows = await prisma.session.findMany({ where: { userId }, select: { sid: true } });
  const row = rows.find((r) => deviceHandle(r.sid) === handle);
  if (!row) throw new NotFoundError(`No device ${handle} of user ${userId}`);
  await prisma.session.deleteMany({ where: { sid: row.sid, userId } });
}

/** Ends every session of hers, this one included. */
export async function signOutEverywhere(userId: number): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { userId } });
  return count;
}

// Read aloud by the tutor and typed on a phone: lower case, no 0/o, 1/l/i. Ten characters from 31
// give 49 bits, and it works only until she sets her own.
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export type TemporaryPassword = { userId: number; username: string; displayName: string; password: string };

/**
 * A tutor or organizer gives a trainee of her workshop a temporary password: shown once, to be
 * replaced at her next sign-in; every session of hers ends now. Staff accounts are never reset
 * here (an admin does that), and a person of another workshop is not found.
 */
export async function resetMemberPassword(ctx: WorkshopCtx, memberId: number): Promise<TemporaryPassword> {
  assertRole(ctx, 'organizer', 'tutor');
  const member = await prisma.membership.findUnique({
    where: { workshopId_userId: { workshopId: ctx.workshopId, userId: memberId } },
    select: { role: true, user: { select: { id: true, username: true, displayName: true, role: true } } },
  });
  if (!member || member.role !== 'trainee' || member.user.role !== 'trainee') {
    throw new NotFoundError(`User ${memberId} is not a trainee of workshop ${ctx.workshopId}`);
  }
  const raw = randomString(TEMPORARY_ALPHABET, 10);
  const password = `${raw.slice(0, 5)}-${raw.slice(5)}`;
  const passwordHash = await hashPassword(password);
  await prisma.$transaction([
    prisma.user.update({ where: { id: memberId }, data: { passwordHash, mustChangePassword: true } }),
    prisma.session.deleteMany({ where: { userId: memberId } }),
  ]);
  return { userId: member.user.id, username: member.user.username, displayName: member.user.displayName, password };
}
