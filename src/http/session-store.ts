// Sessions live in the database, never in process memory: they survive a restart and are
// shared by several app instances on one PostgreSQL.
//
// No touch(): when a store has one, express-session calls it on every request that did not change
// the session and holds back the response's last byte until it returns (two writes per page).
// Sessions slide instead by renewSessionDaily (src/app.ts): a changed session is saved, which
// writes the new expiry here and sends the cookie with it.
import session, { type SessionData } from 'express-session';
import { readRows, toDate } from '../db-read.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A signed-in session lasts a week after the last day it was used. */
export const SESSION_MAX_AGE_MS = 7 * DAY_MS;

declare module 'express-session' {
  interface SessionData {
    /** The day (days since 1970, UTC) the session was last renewed. */
    renewedOn?: number;
  }
}

/**
 * Sliding sign-in without a write per page: the first request of each day changes the session,
 * so express-session saves it (the store writes the new expiry) and sends the cookie again with
 * a new Expires. The other requests that day change nothing and write nothing.
 */
export function renewSessionDaily(session: SessionData, now = Date.now()): void {
  const today = Math.floor(now / DAY_MS);
  if (session.renewedOn !== today) session.renewedOn = today;
}

export class PrismaSessionStore extends session.Store {
  private lastPrune = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = SESSION_MAX_AGE_MS,
  ) {
    super();
  }

  private expiry(data: SessionData): Date {
    const cookieExpiry = data.cookie?.expires ? new Date(data.cookie.expires) : null;
    return cookieExpiry ?? new Date(Date.now() + this.ttlMs);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    // Read on every request, so it takes the hot read path (src/db-read.ts).
    readRows<{ data: string; expiresAt: Date | string }>(Prisma.sql`SELECT "data", "expiresAt" FROM "Session" WHERE "sid" = ${sid}`)
      .then(([row]) => {
        if (!row || toDate(row.expiresAt).getTime() <= Date.now()) return callback(null, null);
        callback(null, JSON.parse(row.data) as SessionData);
      })
      .catch(callback);
  }

  override set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const expiresAt = this.expiry(data);
    const json = JSON.stringify(data);
    this.prisma.session
      .upsert({ where: { sid }, create: { sid, data: json, expiresAt }, update: { data: json, expiresAt } })
      .then(() => this.pruneNowAndThen())
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.prisma.session
      .deleteMany({ where: { sid } })
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  /** Expired rows are removed at most once an hour, piggybacking on writes. */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = Date.now();
    await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
