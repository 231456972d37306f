// Limits on guessing (sign-in, join codes, anonymous questionnaire links) for a room where forty
// phones share one address behind the Wi-Fi. An address says nothing about who is guessing, so:
//
// - Per device. Each browser gets a signed device cookie (pl.device) the first time it opens a
//   limited form. Its failed attempts are its own: LOGIN_RATE_LIMIT wrong passwords, JOIN_RATE_LIMIT
//   wrong join codes, 30 unknown questionnaire links per 15 minutes. Nobody else's failures count
//   against it, so one person guessing cannot lock the room out.
// - The room's ceiling. One address may make ROOM_DEVICE_LIMIT new devices an hour (a class of 40
//   uses 40; private windows and a second browser a few more). A device that drops its cookie to
//   start afresh gets a new one only while the room is under that ceiling; past it, every request
//   without a device cookie shares one budget for the whole address. So dropping cookies buys at
//   most (ceiling × a device's budget) attempts, and the devices already in the room keep theirs.
// - Per account, with growing delays. After 5 failed sign-ins to one username, each next attempt
//   must wait 1, 2, 4… up to 60 seconds after the one before: about 60 guesses an hour at most,
//   however many devices guess. A device that has signed in to that account before skips the
//   wait, so the real owner is never held up by someone else's guessing.
//
// The budget is taken before the attempt and given back when it succeeds, so a burst of parallel
// requests cannot all pass the check before any failure is written. The counters are rows of the
// RateLimitHit table (one statement each, the same SQL on SQLite and PostgreSQL): several app
// instances share them and they survive a restart. The address is req.ip, which believes a proxy
// only as TRUST_PROXY says (a hop count or an address list, never any proxy: src/config.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { config } from '../config.js';
import { prisma } from '../db.js';
import { TooManyAttemptsError } from '../errors.js';
import { readCookie } from './locals.js';

const DEVICE_COOKIE = 'pl.device';
const YEAR_SECONDS = 365 * 24 * 60 * 60;
const HOUR_SECONDS = 60 * 60;

export type AttemptRule = {
  /** Keeps each action's counters apart. */
  name: string;
  /** Failures one device may have in a window. */
  perDevice: number;
  windowSeconds: number;
};

export const signInRule: AttemptRule = { name: 'signin', perDevice: config.loginRateLimit, windowSeconds: 15 * 60 };
export const joinRule: AttemptRule = { name: 'join', perDevice: config.joinRateLimit, windowSeconds: 15 * 60 };
export const anonymousLinkRule: AttemptRule = { name: 'qlink', perDevice: 30, windowSeconds: 15 * 60 };

/** Failed sign-ins to one account before the delays start; the longest delay. */
const FREE_ACCOUNT_FAILURES = 5;
const MAX_ACCOUNT_DELAY_SECONDS = 60;
/** How long a device that signed in to an account skips that account's delays. */
const TRUSTED_DEVICE_SECONDS = 30 * 24 * 60 * 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------- counters (RateLimitHit rows)

/** Adds one to a counter whose window starts with its first hit; returns the count and the window's end. */
async function hit(key: string, windowSeconds: number): Promise<{ hits: number; windowEnds: number }> {
  const now = nowSeconds();
  const ends = now + windowSeconds;
  const rows = await prisma.$queryRaw<{ hits: number | bigint; windowEnds: number | bigint }[]>`
    INSERT INTO "RateLimitHit" ("key", "hits", "windowEnds") VALUES (${key}, 1, ${ends})
    ON CONFLICT ("key") DO UPDATE SET
      "hits" = CASE WHEN "RateLimitHit"."windowEnds" <= ${now} THEN 1 ELSE "RateLimitHit"."hits" + 1 END,
      "windowEnds" = CASE WHEN "RateLimitHit"."windowEnds" <= ${now} THEN ${ends} ELSE "RateLimitHit"."windowEnds" END
    RETURNING "hits", "windowEnds"`;
  return { hits: Number(rows[0]!.hits), windowEnds: Number(rows[0]!.windowEnds) };
}

async function giveBack(key: string): Promise<void> {
  await prisma.rateLimitHit.updateMany({ where: { key, hits: { gt: 0 } }, data: { hits: { decrement: 1 } } });
}

async function live(key: string): Promise<{ hits: number; windowEnds: number } | null> {
  const row = await prisma.rateLimitHit.findUnique({ where: { key } });
  return row && row.windowEnds > nowSeconds() ? row : null;
}

async function forget(...keys: string[]): Promise<void> {
  await prisma.rateLimitHit.deleteMany({ where: { key: { in: keys } } });
}

/**
 * Takes the account's turn: allowed when its previous attempt was at least `delaySeconds` ago,
 * and then the next one waits as long. One statement, so two devices cannot take the same turn.
 */
async function takeTurn(key: string, delaySeconds: number): Promise<number | null> {
  const now = nowSeconds();
  const rows = await prisma.$queryRaw<{ windowEnds: number | bigint }[]>`
    INSERT INTO "RateLimitHit" ("key", "hits", "windowEnds") VALUES (${key}, 1, ${now + delaySeconds})
    ON CONFLICT ("key") DO UPDATE SET "hits" = "RateLimitHit"."hits" + 1, "windowEnds" = ${now + delaySeconds}
    WHERE "RateLimitHit"."windowEnds" <= ${now}
    RETURNING "windowEnds"`;
  if (rows.length) return null;
  const waiting = await live(key);
  return Math.max(1, (waiting?.windowEnds ?? now + 1) - now);
}

/**
 * Forgets counters whose window has ended (a background job, src/jobs.ts): never from inside a
 * request, where a late prune could land after newer counters were written.
 */
export async function pruneExpiredLimits(): Promise<void> {
  await prisma.rateLimitHit.deleteMany({ where: { windowEnds: { lt: nowSeconds() } } });
}

// ---------------------------------------------------------------- devices

const signature = (id: string) => createHmac('sha256', config.sessionSecret).update(`device:${id}`).digest('base64url');

function verifiedDevice(value: string | undefined): string | null {
  const dot = value?.lastIndexOf('.') ?? -1;
  if (!value || dot < 1) return null;
  const id = value.slice(0, dot);
  const expected = Buffer.from(signature(id));
  const given = Buffer.from(value.slice(dot + 1));
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The device's id (its cookie), or the address's shared one: set by deviceOf. */
    deviceKey?: string;
  }
}

/**
 * The device this request comes from: its signed cookie, or a new one while the room (its
 * address) is under its hourly ceiling of new devices, or else the address's shared bucket.
 */
export async function deviceOf(req: Request, res: Response): Promise<string> {
  if (req.deviceKey) return req.deviceKey;
  const known = verifiedDevice(readCookie(req, DEVICE_COOKIE));
  if (known) return (req.deviceKey = `device:${known}`);
  const address = req.ip ?? 'unknown';
  const { hits } = await hit(`device-mint:${address}`, HOUR_SECONDS);
  if (hits > config.roomDeviceLimit) return (req.deviceKey = `address:${address}`);
  const id = randomBytes(18).toString('base64url');
  res.append(
    'Set-Cookie',
    `${DEVICE_COOKIE}=${id}.${signature(id)}; Path=/; Max-Age=${YEAR_SECONDS}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`,
  );
  return (req.deviceKey = `device:${id}`);
}

/** Gives a device its cookie on the page that shows a limited form, so its first attempt is already its own. */
export async function issueDevice(req: Request, res: Response, next: (err?: unknown) => void): Promise<void> {
  await deviceOf(req, res);
  next();
}

// ---------------------------------------------------------------- attempts

export type Attempt = {
  /** The attempt worked (or was not a guess at all): its budget comes back; a sign-in trusts the device. */
  succeeded(): Promise<void>;
  /** The attempt was a wrong guess: it stays counted (and the account waits longer). */
  failed(): Promise<void>;
};

function accountDelay(failures: number): number {
  if (failures < FREE_ACCOUNT_FAILURES) return 0;
  return Math.min(MAX_ACCOUNT_DELAY_SECONDS, 2 ** (failures - FREE_ACCOUNT_FAILURES));
}

/**
 * Takes one attempt of `rule` for this device (and, for a sign-in, this account: the username
 * exactly as the sign-in looks it up). Throws TooManyAttemptsError when the device's budget is
 * spent or the account asks to wait; otherwise the caller reports how it went.
 */
export async function beginAttempt(req: Request, res: Response, rule: AttemptRule, account?: string): Promise<Attempt> {
  const device = await deviceOf(req, res);
  const deviceKey = `${rule.name}:${device}`;
  const spent = await hit(deviceKey, rule.windowSeconds);
  if (spent.hits > rule.perDevice) {
    throw new TooManyAttemptsError(Math.max(1, spent.windowEnds - nowSeconds()), 'errors:tooMany.message');
  }
  const accountKeys =
    account === undefined
      ? null
      : {
          failures: `${rule.name}-account:${account}`,
          turn: `${rule.name}-turn:${account}`,
          trust: `${rule.name}-trust:${device}|${account}`,
        };
  if (accountKeys && !(await live(accountKeys.trust))) {
    const failures = (await live(accountKeys.failures))?.hits ?? 0;
    const wait = await takeTurn(accountKeys.turn, accountDelay(failures));
    if (wait !== null) {
      await giveBack(deviceKey); // waiting for the account is not this device's failure
      throw new TooManyAttemptsError(wait, 'errors:tooMany.account');
    }
  }
  return {
    async succeeded() {
      await giveBack(deviceKey);
      if (!accountKeys) return;
      await forget(accountKeys.failures, accountKeys.turn);
      await prisma.rateLimitHit.upsert({
        where: { key: accountKeys.trust },
        create: { key: accountKeys.trust, hits: 1, windowEnds: nowSeconds() + TRUSTED_DEVICE_SECONDS },
        update: { windowEnds: nowSeconds() + TRUSTED_DEVICE_SECONDS },
      });
    },
    async failed() {
      if (!accountKeys) return;
      const { hits } = await hit(accountKeys.failures, HOUR_SECONDS);
      const delay = accountDelay(hits);
      if (delay > 0) {
        const until = nowSeconds() + delay;
        await prisma.rateLimitHit.upsert({
          where: { key: accountKeys.turn },
          create: { key: accountKeys.turn, hits: 1, windowEnds: until },
          update: { windowEnds: until },
        });
      }
    },
  };
}

/**
 * Runs `work` as one attempt of `rule`: its budget comes back unless `work` fails with an error
 * that `wasWrongGuess` recognizes (an unknown join code, say; a username already taken is not a guess).
 */
export async function limitedAttempt<T>(
  req: Request,
  res: Response,
  rule: AttemptRule,
  work: () => Promise<T>,
  wasWrongGuess: (error: unknown) => boolean,
): Promise<T> {
  const attempt = await beginAttempt(req, res, rule);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await (wasWrongGuess(error) ? attempt.failed() : attempt.succeeded());
    throw error;
  }
  await attempt.succeeded();
  return result;
}

/** Counts a request that always costs (a questionnaire submission): refused past `limit` per window. */
export async function countRequest(req: Request, res: Response, name: string, limit: number, windowSeconds: number): Promise<void> {
  const { hits, windowEnds } = await hit(`${name}:${await deviceOf(req, res)}`, windowSeconds);
  if (hits > limit) throw new TooManyAttemptsError(Math.max(1, windowEnds - nowSeconds()), 'errors:tooMany.message');
}
