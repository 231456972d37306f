// Sessions live in the database, never in process memory: they survive a restart and are
// shared by several app instances on one PostgreSQL. A row is the session's JSON and its expiry;
// src/http/session.ts decides when to read, write and delete one.
import { readRows, toDate } from '../db-read.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

export type StoredSession = { json: string };

export class PrismaSessionStore {
  private lastPrune = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /** The session's JSON, or null when there is none or it has expired. */
  async load(sid: string): Promise<StoredSession | null> {
    // Read on every request, so it takes the hot read path (src/db-read.ts).
    const [row] = await readRows<{ data: string; expiresAt: Date | string }>(
      Prisma.sql`SELECT "data", "expiresAt" FROM "Session" WHERE "sid" = ${sid}`,
    );
    if (!row || toDate(row.expiresAt).getTime() <= Date.now()) return null;
    return { json: row.data };
  }

  /** Stores a session whose id was made in this request. */
  async create(sid: string, json: string, expiresAt: Date): Promise<void> {
    await this.prisma.session.create({ data: { sid, data: json, expiresAt } });
    await this.pruneNowAndThen();
  }

  /**
   * Stores an existing session; false when its row is gone (signed out by another request
   * meanwhile), which is never brought back.
   */
  async update(sid: string, json: string, expiresAt: Date): Promise<boolean> {
    const { count } = await this.prisma.session.updateMany({ where: { sid }, data: { data: json, expiresAt } });
    return count > 0;
  }

  async destroy(sid: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { sid } });
  }

  /** Expired rows are removed at most once an hour, piggybacking on writes. */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = Date.now();
    await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
