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

// Rows are fetched as arrays and made into objects here: better-sqlite3 builds an object per row
// through V8's API, which costs more than the database's own work on a page of 24 cards.
type Prepared = { statement: Database.Statement<unknown[], unknown[]>; columns: string[] };

const MAX_STATEMENTS = 200;
let sqlite: Database.Database | null = null;
const statements = new Map<string, Prepared>();

function statementFor(sql: string): Prepared {
  let prepared = statements.get(sql);
  if (prepared) return prepared;
  if (!sqlite) {
    sqlite = new Database(config.databaseUrl.replace(/^file:/, ''), { readonly: true, fileMustExist: true, timeout: 10_000 });
  }
  if (statements.size >= MAX_STATEMENTS) statements.clear();
  const statement = (sqlite.prepare(sql) as Database.Statement<unknown[], unknown[]>).raw(true);
  prepared = { statement, columns: statement.columns().map((column) => column.name) };
  statements.set(sql, prepared);
  return prepared;
}

/** Binds values the way Prisma's SQLite adapter stores them (flags 0/1, dates ISO-8601 UTC). */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  return value;
}

export async function readRows<T>(query: Prisma.Sql): Promise<T[]> {
  if (!config.isSqlite) return prisma.$queryRaw<T[]>(query);
  const { statement, columns } = statementFor(query.sql);
  const rows = statement.all(...query.values.map(sqliteValue));
  const objects = new Array<T>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const object: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) object[columns[c]!] = row[c];
    objects[r] = object as T;
  }
  return objects;
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
