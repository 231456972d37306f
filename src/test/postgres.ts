// Tests that need a PostgreSQL server (several app instances, the job queue). TEST_POSTGRES_URL
// names a server and a role allowed to create databases; CI always sets it (.ci/run), so there a
// missing one fails the run. On a laptop without it these tests do not run, and say so.
import pg from 'pg';

/** The server's URL; undefined (with a line saying what did not run) when there is none outside CI. */
export function testPostgresUrl(what: string): string | undefined {
  const url = process.env.TEST_POSTGRES_URL;
  if (url) return url;
  if (process.env.CI) throw new Error(`${what} needs PostgreSQL: TEST_POSTGRES_URL is not set (CI must run these tests)`);
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
