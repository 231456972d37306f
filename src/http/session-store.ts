// Sessions live in the database, never in process memory: they survive a restart and are
// shared by several app instances on one PostgreSQL. src/http/session.ts decides when to read,
// write and delete a row; this file says how.
//
// A row: who signed in (userId, read with the session in one statement, so a role or password
// change reaches every live session at its next request), the other fields as one JSON object,
// one-time messages (flash) as JSON lines, and the times of the idle and absolute expiry.
// Writes are field by field, never the whole row read at the start of the request: two requests
// of one person at once (a slow upload and quick cart refusals) each change only what they
// changed. A key of the JSON is set or removed on its own; messages are appended, and a page that
// showed some removes exactly those from the front, so a message added meanwhile stays.
import { readRows, toDate } from '../db-read.js';
import { config } from '../config.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { CurrentUser, Role } from '../users.js';

export type SessionUser = CurrentUser;

export type StoredSession = {
  /** The other fields: a JSON object. */
  json: string;
  /** One-time messages, one JSON per line. */
  flash: string;
  user: SessionUser | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

export type NewSession = {
  sid: string;
  userId: number | null;
  json: string;
  flash: string;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

export type SessionChanges = {
  /** Keys of the JSON object set to these JSON texts. */
  set?: ReadonlyMap<string, string>;
  /** Keys of the JSON object removed. */
  remove?: readonly string[];
  /** The messages this request showed (the front of the column when it was read). */
  flashTaken?: string;
  /** Messages this request added and did not show. */
  flashAdded?: string;
  userId?: number | null;
  lastSeenAt?: Date;
  expiresAt?: Date;
};

type LoadRow = {
  data: string;
  flash: string;
  createdAt: Date | string;
  lastSeenAt: Date | string;
  expiresAt: Date | string;
  userId: number | null;
  username: string | null;
  displayName: string | null;
  role: string | null;
  mustChangePassword: boolean | number | null;
};

// Keys come from the code (SessionData), never from a visitor; checked anyway, since they are
// written into a JSON path.
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Session key ${JSON.stringify(key)} is not a plain name`);
  return key;
}

/** Length in characters as SQL counts them (code points), not UTF-16 units. */
const sqlLength = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

export class PrismaSessionStore {
  private lastPrune = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /** The session and its user, or null when there is none or it has expired. One statement. */
  async load(sid: string): Promise<StoredSession | null> {
    // Read on every request, so it takes the hot read path (src/db-read.ts).
    const [row] = await readRows<LoadRow>(Prisma.sql`
      SELECT s."data", s."flash", s."createdAt", s."lastSeenAt", s."expiresAt",
             u."id" AS "userId", u."username", u."displayName", u."role", u."mustChangePassword"
      FROM "Session" s LEFT JOIN "User" u ON u."id" = s."userId"
      WHERE s."sid" = ${sid}`);
    if (!row) return null;
    const expiresAt = toDate(row.expiresAt);
    if (expiresAt.getTime() <= Date.now()) return null;
    const user: SessionUser | null =
      row.userId === null
        ? null
        : {
            id: Number(row.userId),
            username: row.username!,
            displayName: row.displayName!,
            role: row.role as Role,
            mustChangePassword: Boolean(row.mustChangePassword),
          };
    return { json: row.data, flash: row.flash, user, createdAt: toDate(row.createdAt), lastSeenAt: toDate(row.lastSeenAt), expiresAt };
  }

  /** Stores a session whose id was made in this request. */
  async create(session: NewSession): Promise<void> {
    const { json, ...rest } = session;
    await this.prisma.session.create({ data: { ...rest, data: json } });
    await this.pruneNowAndThen();
  }

  /**
   * Applies what one request changed; false when the row is gone (signed out by another request
   * meanwhile), which is never brought back.
   */
  async update(sid: string, changes: SessionChanges): Promise<boolean> {
    const assignments: Prisma.Sql[] = [];
    const data = this.dataChange(changes);
    if (data) assignments.push(Prisma.sql`"data" = ${data}`);
    if (changes.flashTaken || changes.flashAdded) {
      const taken = changes.flashTaken ?? '';
      const n = sqlLength(taken);
      // Only the messages this request showed leave; if another request showed them meanwhile,
      // the front is no longer theirs and stays. New messages always go at the end.
      const front = taken
        ? config.isSqlite
          ? Prisma.sql`CASE WHEN substr("flash", 1, ${n}) = ${taken} THEN substr("flash", ${n + 1}) ELSE "flash" END`
          : Prisma.sql`CASE WHEN substr("flash", 1, ${n}::int) = ${taken}::text THEN substr("flash", ${n + 1}::int) ELSE "flash" END`
        : Prisma.sql`"flash"`;
      assignments.push(
        config.isSqlite
          ? Prisma.sql`"flash" = ${front} || ${changes.flashAdded ?? ''}`
          : Prisma.sql`"flash" = ${front} || ${changes.flashAdded ?? ''}::text`,
      );
    }
    if (changes.userId !== undefined) assignments.push(Prisma.sql`"userId" = ${changes.userId}`);
    if (changes.lastSeenAt) assignments.push(Prisma.sql`"lastSeenAt" = ${changes.lastSeenAt}`);
    if (changes.expiresAt) assignments.push(Prisma.sql`"expiresAt" = ${changes.expiresAt}`);
    if (!assignments.length) return true;
    const count = await this.prisma.$executeRaw`UPDATE "Session" SET ${Prisma.join(assignments, ', ')} WHERE "sid" = ${sid}`;
    return count > 0;
  }

  /** The new value of the JSON column: the old one with only the changed keys set or removed. */
  private dataChange(changes: SessionChanges): Prisma.Sql | null {
    const set = changes.set ?? new Map<string, string>();
    const remove = changes.remove ?? [];
    if (!set.size && !remove.length) return null;
    if (config.isSqlite) {
      let value = Prisma.sql`"data"`;
      if (remove.length) value = Prisma.sql`json_remove(${value}, ${Prisma.join(remove.map((k) => `$."${checkedKey(k)}"`))})`;
      if (set.size) {
        const pairs = [...set].map(([k, json]) => Prisma.sql`${`$."${checkedKey(k)}"`}, json(${json})`);
        value = Prisma.sql`json_set(${value}, ${Prisma.join(pairs)})`;
      }
      return value;
    }
    // PostgreSQL: jsonb's || replaces whole top-level keys, - removes them.
    const patch = `{${[...set].map(([k, json]) => `${JSON.stringify(checkedKey(k))}:${json}`).join(',')}}`;
    let value = Prisma.sql`"data"::jsonb`;
    for (const k of remove) value = Prisma.sql`${value} - ${checkedKey(k)}::text`;
    return Prisma.sql`(${value} || ${patch}::jsonb)::text`;
  }

  async destroy(sid: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { sid } });
  }

  /** Deletes a visitor's row that holds nothing any more (no user, no field, no message). */
  async destroyIfEmpty(sid: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM "Session" WHERE "sid" = ${sid} AND "userId" IS NULL AND "flash" = '' AND "data" = '{}'`;
  }

  /** Expired rows are removed at most once an hour, piggybacking on writes. */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = Date.now();
    await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
