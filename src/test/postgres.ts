// The PostgreSQL pass of the test suite (vitest.config.ts): where its server is, whether it answers,
// and the names of the databases a run creates. A run migrates one template database; each test
// file gets `CREATE DATABASE … TEMPLATE` of it (a file copy, far faster than migrating), and the
// run drops them all when it ends.
import pg from 'pg';

/** Every database a run creates starts with this and the run's process id. */
export const DATABASE_PREFIX = 'pasarlatih_vt_';

/** TEST_POSTGRES_URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.href;
}

/** Runs `work` on a connection to the server's maintenance database (the one TEST_POSTGRES_URL names). */
export async function withServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why the PostgreSQL pass cannot run, or null when it can. */
export async function postgresUnavailable(serverUrl: string | undefined): Promise<string | null> {
  if (!serverUrl) return 'TEST_POSTGRES_URL is not set';
  try {
    await withServer(serverUrl, (client) => client.query('SELECT 1'));
    return null;
  } catch (error) {
    return `${new URL(serverUrl).host} does not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Drops the databases of this run and of earlier runs whose process is gone (killed half way). */
export async function dropTestDatabases(serverUrl: string, runPid: number): Promise<void> {
  await withServer(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${DATABASE_PREFIX}%`,
    ]);
    for (const { datname } of rows) {
      const pid = Number(datname.slice(DATABASE_PREFIX.length).split('_')[0]);
      if (!Number.isInteger(pid) || (pid !== runPid && processAlive(pid))) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
