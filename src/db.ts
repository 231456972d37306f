// The one PrismaClient. SQLite through better-sqlite3 by default; PostgreSQL when DATABASE_URL
// says so (the schema is portable; see README "Running on PostgreSQL").
// Prisma generates a client per provider: `npm install` generates both (src/generated/prisma from
// prisma/schema.prisma, src/generated/prisma-pg from its PostgreSQL copy), and the one that matches
// DATABASE_URL is loaded here, so switching database is a setting, not a rebuild. Only one is
// imported; the rest of the code sees the SQLite client's type, whose model API the PostgreSQL
// client has too (the schema uses nothing provider-specific).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { config } from './config.js';
import { serializeTransactions } from './db-sqlite.js';
import type { PrismaClient } from './generated/prisma/client.js';

// Prisma's defaults give a transaction 2 s to get a connection and 5 s to run. In a busy room on a
// loaded machine (40 phones, several instances on one PostgreSQL pool) a join waited longer than
// 2 s for a connection and answered 500 ("Unable to start a transaction in the given time"). A
// phone waits much longer than that (nginx, 120 s). A transaction still ends within 30 s.
const transactionOptions = { maxWait: 15_000, timeout: 30_000 };

async function createClient(url: string): Promise<PrismaClient> {
  if (url.startsWith('file:')) {
    const { PrismaClient: SqliteClient } = await import('./generated/prisma/client.js');
    // SQLite: one connection, so statements outside a transaction wait while one is open (src/db-sqlite.ts).
    return new SqliteClient({ adapter: serializeTransactions(new PrismaBetterSqlite3({ url, timeout: 10_000 })), transactionOptions });
  }
  // The PostgreSQL driver is loaded only for PostgreSQL (about 6 MB a SQLite server does not hold).
  const { PrismaClient: PostgresClient } = await import('./generated/prisma-pg/client.js');
  return new PostgresClient({
    adapter: new (await import('@prisma/adapter-pg')).PrismaPg({ connectionString: url }),
    transactionOptions,
  }) as unknown as PrismaClient;
}

export const prisma = await createClient(config.databaseUrl);

/** A client or the client of an interactive transaction: services accept either. */
export type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

/** True for a foreign-key violation (the row written points at one deleted a moment earlier). */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2003';
}

/** True for a unique-constraint violation (two people took the same name at the same moment). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
