// Opens the sandbox's store (store.ts) that its database setting names.
import type { Store } from './store.js';

/** True when the sandbox's database setting names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

/**
 * Opens the store a setting names: a `postgresql://` URL, or a SQLite file path (`:memory:` too).
 * Each driver is loaded only when used.
 */
export async function openStore(database: string): Promise<Store> {
  if (isPostgresUrl(database)) return (await import('./store-postgres.js')).openPostgresStore(database);
  return (await import('./store-sqlite.js')).openSqliteStore(database);
}
