// The one PrismaClient. SQLite through better-sqlite3 by default; PostgreSQL when DATABASE_URL
// says so (the schema is portable; see README "Running on PostgreSQL").
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { config } from './config.js';
import { serializeTransactions } from './db-sqlite.js';
import { PrismaClient } from './generated/prisma/client.js';

async function createClient(url: string): Promise<PrismaClient> {
  // SQLite: one connection, so statements outside a transaction wait while one is open (src/db-sqlite.ts).
  // The PostgreSQL driver is loaded only for PostgreSQL (about 6 MB a SQLite server does not hold).
  const adapter = url.startsWith('file:')
    ? serializeTransactions(new PrismaBetterSqlite3({ url, timeout: 10_000 }))
    : new (await import('@prisma/adapter-pg')).PrismaPg({ connectionString: url });
  return new PrismaClient({ adapter });
}

export const prisma = await createClient(config.databaseUrl);

/** A client or the client of an interactive transaction: services accept either. */
export type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

/** True for a unique-constraint violation (two people took the same name at the same moment). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
