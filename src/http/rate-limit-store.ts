// express-rate-limit's counters in the database, so several app instances share them. One
// statement per hit (INSERT … ON CONFLICT … RETURNING), the same SQL on SQLite and PostgreSQL.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { prisma as Prisma } from '../db.js';

export class PrismaRateLimitStore implements Store {
  readonly localKeys = false;
  private windowSeconds = 60;
  private calls = 0;

  constructor(
    private readonly db: typeof Prisma,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowSeconds = Math.ceil(options.windowMs / 1000);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = Math.floor(Date.now() / 1000);
    const ends = now + this.windowSeconds;
    const id = this.prefix + key;
    const rows = await this.db.$queryRaw<{ hits: number | bigint; windowEnds: number | bigint }[]>`
      INSERT INTO "RateLimitHit" ("key", "hits", "windowEnds") VALUES (${id}, 1, ${ends})
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "RateLimitHit"."windowEnds" <= ${now} THEN 1 ELSE "RateLimitHit"."hits" + 1 END,
        "windowEnds" = CASE WHEN "RateLimitHit"."windowEnds" <= ${now} THEN ${ends} ELSE "RateLimitHit"."windowEnds" END
      RETURNING "hits", "windowEnds"`;
    if (++this.calls % 200 === 0) await this.db.rateLimitHit.deleteMany({ where: { windowEnds: { lt: now } } });
    const row = rows[0]!;
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.windowEnds) * 1000) };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.db.rateLimitHit.findUnique({ where: { key: this.prefix + key } });
    if (!row || row.windowEnds <= Date.now() / 1000) return undefined;
    return { totalHits: row.hits, resetTime: new Date(row.windowEnds * 1000) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.rateLimitHit.updateMany({ where: { key: this.prefix + key, hits: { gt: 0 } }, data: { hits: { decrement: 1 } } });
  }

  async resetKey(key: string): Promise<void> {
    await this.db.rateLimitHit.deleteMany({ where: { key: this.prefix + key } });
  }
}
