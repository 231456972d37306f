// The hot read path. A few statements run on nearly every page (the session, the workshop
// membership, the catalogue page); through Prisma each costs about ten times what the database
// itself spends on it (bench/catalogue.ts). readRows() runs such a statement straight on the
// driver: on SQLite a read-only better-sqlite3 connection that prepares each statement once,
// on PostgreSQL prisma.$queryRaw. Writes, transactions and everything else go through Prisma.
//
// Rows come back as the driver gives them, so callers normalize: Number() for ids and counts
// (PostgreSQL's COUNT is a bigint), toDate() for DateTime columns (SQLite keeps ISO text),
// Boolean() for flags (SQLite keeps 0/1).
import Database from 'better-sqlite3';
import { config } from './config.js';
import { prisma } from './db.js';
import type { Prisma } from './generated/prisma/client.js';

type Statement = Database.Statement<unknown[], unknown>;

const MAX_STATEMENTS = 200;
let sqlite: Database.Database | null = null;
const statements = new Map<string, Statement>();

function statementFor(sql: string): Statement {
  let statement = statements.get(sql);
  if (statement) return statement;
  if (!sqlite) {
    sqlite = new Database(config.databaseUrl.replace(/^file:/, ''), { readonly: true, fileMustExist: true, timeout: 10_000 });
  }
  if (statements.size >= MAX_STATEMENTS) statements.clear();
  statement = sqlite.prepare(sql);
  statements.set(sql, statement);
  return statement;
}

/** Binds values the way Prisma's SQLite adapter stores them (flags 0/1, dates ISO-8601 UTC). */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  return value;
}

export async function readRows<T>(query: Prisma.Sql): Promise<T[]> {
  if (!config.isSqlite) return prisma.$queryRaw<T[]>(query);
  return statementFor(query.sql).all(...query.values.map(sqliteValue)) as T[];
}

/** A DateTime column of a readRows() row: a Date on PostgreSQL, ISO text on SQLite. */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function closeReadConnection(): void {
  statements.clear();
  sqlite?.close();
  sqlite = null;
}
