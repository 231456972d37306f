// The real Prisma CLI, running our schema-engine stand-in (prisma/schema-engine.mjs via
// prisma.config.ts), against a throw-away SQLite file.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaBin = path.join(root, 'node_modules/.bin/prisma');
const standIn = path.join(root, 'prisma/schema-engine.mjs');
const migrations = fs
  .readdirSync(path.join(root, 'prisma/migrations'))
  .filter((name) => fs.existsSync(path.join(root, 'prisma/migrations', name, 'migration.sql')))
  .sort();
const models = [...fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);

let tmp: string;
let dbFile: string;

function prisma(...args: string[]): { status: number | null; output: string } {
  return prismaWith(`file:${dbFile}`, ...args);
}

function prismaWith(databaseUrl: string, ...args: string[]): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  delete env.PRISMA_SCHEMA_ENGINE_BINARY; // prisma.config.ts must set it
  const run = spawnSync(prismaBin, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pasarlatih-schema-engine-'));
  dbFile = path.join(tmp, 'missing-dir', 'test.db'); // neither the directory nor the file exist
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('prisma migrate with the schema-engine stand-in', () => {
  it('when migrate deploy runs on a missing SQLite file, then it creates it with every table and every migration finished', () => {
    const run = prisma('migrate', 'deploy');
    expect(run.output).toContain('All migrations have been successfully applied');
    expect(run.status).toBe(0);

    const db = new Database(dbFile, { readonly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      expect(models.length).toBeGreaterThan(10);
      expect(tables).toEqual(expect.arrayContaining([...models, '_prisma_migrations']));
      const rows = db
        .prepare('SELECT migration_name, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name')
        .all();
      expect(migrations[0]).toMatch(/^\d{14}_init$/);
      expect(rows).toEqual(
        migrations.map((name) => ({ migration_name: name, finished_at: expect.any(String), rolled_back_at: null, applied_steps_count: 1 })),
      );
    } finally {
      db.close();
    }
  }, 60_000);

  it('when migrate status runs after the deploy, then it exits 0 and reports the database up to date', () => {
    const run = prisma('migrate', 'status');
    expect(run.output).toContain('Database schema is up to date');
    expect(run.status).toBe(0);
  }, 60_000);

  it('when the migrations are replayed and diffed against the schema, then there is no difference', () => {
    // --exit-code: 0 = empty diff, 2 = the schema has changes no migration covers
    const run = prisma('migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code');
    expect(run.output).toContain('No difference detected');
    expect(run.status).toBe(0);
  }, 60_000);

  it('when migrate reset runs, then the rows are gone and the migrations are applied again', () => {
    const db = new Database(dbFile);
    db.prepare("INSERT INTO User (username, displayName, passwordHash, role) VALUES ('ani', 'Ani', 'x', 'trainee')").run();
    db.close();

    const run = prisma('migrate', 'reset', '--force');
    expect(run.output).toContain('Database reset successful');
    expect(run.status).toBe(0);

    const after = new Database(dbFile, { readonly: true });
    try {
      expect(after.prepare('SELECT COUNT(*) AS n FROM User').get()).toEqual({ n: 0 });
      expect(after.prepare('SELECT COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL').get()).toEqual({
        n: migrations.length,
      });
    } finally {
      after.close();
    }
  }, 60_000);
});

describe('schema-engine stand-in protocol', () => {
  it('when it receives an unknown method, then it answers with a JSON-RPC error instead of hanging', async () => {
    const child = spawn(
      process.execPath,
      [standIn, '--datamodels', path.join(root, 'prisma/schema.prisma'), '--datasource', JSON.stringify({ url: `file:${dbFile}` })],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const firstLine = new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref();
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'noSuchMethod', params: {} })}\n`);
    try {
      expect(JSON.parse(await firstLine)).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: expect.objectContaining({
          code: -32601,
          data: expect.objectContaining({ message: expect.stringContaining('noSuchMethod') }),
        }),
      });
    } finally {
      child.stdin.end(); // the CLI ends a session this way
    }
    expect(await exited).toBe(0);
  }, 20_000);
});

describe('the PostgreSQL variant', () => {
  it('when the generated PostgreSQL schema is checked, then it matches prisma/schema.prisma', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/postgres-schema.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  // Needs a server and a role allowed to create databases, e.g.
  // TEST_POSTGRES_URL=postgresql://pasarlatih:pasarlatih@localhost:5432/postgres
  const serverUrl = process.env.TEST_POSTGRES_URL;
  it.skipIf(!serverUrl)(
    'when migrate deploy runs against a missing PostgreSQL database, then it creates it, applies the migrations (catalogue triggers included) and finds no drift',
    async () => {
      const url = new URL(serverUrl ?? '');
      const database = `pasarlatih_test_${process.pid}_${Date.now()}`;
      url.pathname = `/${database}`;
      try {
        const deploy = prismaWith(url.href, 'migrate', 'deploy');
        expect(deploy.output).toContain('All migrations have been successfully applied');
        expect(deploy.status).toBe(0);
        const status = prismaWith(url.href, 'migrate', 'status');
        expect(status.output).toContain('Database schema is up to date');
        const diff = prismaWith(
          url.href,
          'migrate',
          'diff',
          '--from-migrations',
          'prisma/postgres/migrations',
          '--to-schema',
          'prisma/postgres/schema.prisma',
          '--exit-code',
        );
        expect(diff.output).toContain('No difference detected');
        expect(diff.status).toBe(0);

        // The catalogue cache's triggers: a card's change moves the workshop's version, stock does not.
        const db = new pg.Client({ connectionString: url.href });
        await db.connect();
        try {
          const version = async () => (await db.query('SELECT "catalogVersion" AS v FROM "Workshop"')).rows[0].v as number;
          await db.query(
            `INSERT INTO "User" ("id", "username", "displayName", "passwordHash", "role") VALUES (1, 'ayu', 'Ayu', 'x', 'trainee')`,
          );
          await db.query(
            `INSERT INTO "Workshop" ("id", "name", "city", "venue", "startDate", "endDate", "joinCode", "createdById") VALUES (1, 'W', 'Denpasar', 'Balai', now(), now(), 'ABCDEF', 1)`,
          );
          await db.query(
            `INSERT INTO "Shop" ("id", "workshopId", "ownerId", "name", "city", "description") VALUES (1, 1, 1, 'Toko', 'Denpasar', '')`,
          );
          expect(await version()).toBe(0);
          await db.query(
            `INSERT INTO "Listing" ("id", "workshopId", "shopId", "title", "searchText", "description", "price", "stock", "weightGrams", "condition", "category", "updatedAt") VALUES (1, 1, 1, 'Kopi', 'kopi', '', 1000, 5, 100, 'new', 'lainnya', now())`,
          );
          expect(await version()).toBe(1);
          await db.query(`UPDATE "Listing" SET "stock" = 4, "updatedAt" = now() WHERE "id" = 1`);
          expect(await version()).toBe(1);
          await db.query(`UPDATE "Listing" SET "price" = 2000 WHERE "id" = 1`);
          await db.query(
            `INSERT INTO "ListingPhoto" ("workshopId", "listingId", "path", "thumbPath", "width", "height", "position") VALUES (1, 1, 'a', 'b', 1, 1, 0)`,
          );
          await db.query(`UPDATE "Shop" SET "city" = 'Gianyar' WHERE "id" = 1`);
          expect(await version()).toBe(4);
          await db.query(`DELETE FROM "Shop" WHERE "id" = 1`); // the listing and its photo go with it
          expect(await version()).toBe(7);
        } finally {
          await db.end();
        }
      } finally {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${database}"`);
        await client.end();
      }
    },
    90_000,
  );
});
