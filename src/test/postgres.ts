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

// Tests that need their own PostgreSQL databases (several app instances, the job queue): CI always
// sets TEST_POSTGRES_URL (.ci/run), so there a missing one fails the run; on a laptop without it
// these tests do not run, and say so.

/** The server's URL; undefined (with a line saying what did not run) when there is none outside CI. */
export function testPostgresUrl(what: string): string | undefined {
  const url = process.env.TEST_POSTGRES_URL;
  if (url) return url;
  if (process.env.CI || process.env.TEST_POSTGRES_REQUIRED === '1')
    throw new Error(`${what} needs PostgreSQL: TEST_POSTGRES_URL is not set (CI must run these tests)`);
  console.warn(`NOT RUN: ${what} needs PostgreSQL; set TEST_POSTGRES_URL=postgresql://user:password@localhost:5432/postgres`);
  return undefined;
}

/** A new, empty database on the server; `drop` removes it (closing what is still connected). */
export async function scratchDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
