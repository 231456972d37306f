// Sessions live in the database, never in process memory: they survive a restart and are
// shared by several app instances on one PostgreSQL.
import session, { type SessionData } from 'express-session';
import { readRows, toDate } from '../db-read.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export class PrismaSessionStore extends session.Store {
  private lastPrune = 0;
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 7 * DAY_MS,
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

  /**
   * express-session touches the session on every request that did not change it; writing the
   * new expiry each time would make every page view a database write. Once every few minutes
   * per session is enough for a cookie that lives for days.
   */
  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const now = Date.now();
    const last = this.lastTouch.get(sid) ?? 0;
    if (now - last < TOUCH_INTERVAL_MS) return callback?.();
    this.lastTouch.set(sid, now);
    if (this.lastTouch.size > 10_000) this.lastTouch.clear();
    this.prisma.session
      .updateMany({ where: { sid }, data: { expiresAt: this.expiry(data) } })
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
