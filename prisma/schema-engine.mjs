#!/usr/bin/env node
// @ts-check
/**
 * Stand-in for Prisma's native `schema-engine` binary.
 *
 * WHY: every `prisma migrate …` / `prisma db …` command spawns a native schema-engine binary
 * that the CLI downloads on first use from binaries.prisma.sh. That host cannot be reached
 * from our machines (nor from CI), so the CLI fails with ENOTFOUND. The same engine is published
 * to npm compiled to WebAssembly (@prisma/schema-engine-wasm, pinned to the build matching
 * prisma@7.10.1). This script speaks the binary's protocol and forwards to the Wasm engine,
 * which reaches the database through Prisma's driver adapters (better-sqlite3 / pg).
 * prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here.
 *
 * Protocol (read from node_modules/prisma/build/cli.js, class SchemaEngineCLI):
 * - argv: `--datamodels <file>` (repeated), `--datasource <json {url, shadowDatabaseUrl?}>`;
 *   one-shot form: `--datasource <json> cli can-connect-to-database|create-database`
 *   (failure = exit 1 and, on stderr, a first line then JSON log lines
 *   `{level:"ERROR", target:"schema_engine::logger", fields:{error_code, message}}`).
 * - otherwise line-delimited JSON-RPC 2.0: requests on stdin, responses on stdout; stderr carries
 *   JSON log lines. `diff` output goes to the CLI as a `print` request that the CLI acknowledges.
 *   The session ends when the CLI closes stdin.
 *
 * Known rough edges of the Wasm engine with these adapters, handled below:
 * 1. the shadow-database replay sends whole multi-statement migration scripts through
 *    `executeRaw`, which better-sqlite3 rejects: such argument-less SQL goes to `executeScript`;
 * 2. `devDiagnostic` fails with P1014 until `_prisma_migrations` exists: create it (by applying
 *    an empty migration list) and retry;
 * 3. `reset` only deletes rows: we drop the tables ourselves;
 * 4. PrismaPg splits scripts at every ';', even inside a function body: PostgreSQL gets them whole.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const args = process.argv.slice(2);
/** @param {string} name */
const argValues = (name) => args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1]] : []));

/** @type {{ url?: string, shadowDatabaseUrl?: string }} */
const datasource = JSON.parse(argValues('--datasource')[0] ?? '{}');
const datamodelPaths = argValues('--datamodels');

// ------------------------------------------------------------------------------------------ Wasm

/** Instantiates the Wasm engine the way its own `schema_engine.js` entry does (that entry needs
 * `--experimental-wasm-modules`): the JS glue module is the Wasm module's import object. */
async function loadWasm() {
  const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = await import(glueUrl);
  const module = await WebAssembly.compile(fs.readFileSync(new URL('schema_engine_bg.wasm', glueUrl)));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  /** @type {any} */ (instance.exports).__wbindgen_start();
  return glue;
}

let panicMessage = '';
// The Wasm panic hook reports the panic message here (the glue calls this global).
/** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY = { set_message: (/** @type {string} */ m) => (panicMessage = m) };

// ------------------------------------------------------------------------------- driver adapters

const isSqlite = (/** @type {string} */ url) => url.startsWith('file:');
const isPostgres = (/** @type {string} */ url) => /^postgres(ql)?:\/\//.test(url);
/** Same rule as the runtime adapter: strip `file:`; a relative path resolves against the cwd
 * (the CLI starts the engine in the directory of the config file; prisma.config.ts passes an
 * absolute URL anyway). */
const sqlitePath = (/** @type {string} */ url) => url.replace(/^file:/, '');

/** pg lets `connectionString` override `database`, which would make PrismaPg's temporary shadow
 * database the main one: hand pg a parsed config instead. */
async function pgConfig(/** @type {string} */ url) {
  // pg's own URL parser, resolved from pg (which depends on it) rather than from the project
  const { parse } = createRequire(import.meta.resolve('pg'))('pg-connection-string');
  const { schema, ...config } = /** @type {Record<string, any>} */ (parse(url));
  return { config, schema: typeof schema === 'string' ? schema : undefined };
}

/** Holds the JS errors thrown inside the adapters; the engine reports them as `External error id#N`. @type {any} */
let boundFactory;
/** Connections opened by the engine, closed when the CLI ends the session. @type {any[]} */
const openAdapters = [];

/** The adapter factory for a URL, with the multi-statement fix (rough edge 1). */
async function createAdapterFactory(/** @type {string} */ url) {
  /** @type {any} */
  let factory;
  if (isSqlite(url)) {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    const shadow = datasource.shadowDatabaseUrl;
    factory = new PrismaBetterSqlite3({ url }, shadow ? { shadowDatabaseUrl: shadow } : undefined);
  } else if (isPostgres(url)) {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { config, schema } = await pgConfig(url);
    factory = new PrismaPg(config, schema ? { schema } : undefined);
    const shadowUrl = datasource.shadowDatabaseUrl;
    const shadowConfig = shadowUrl && (await pgConfig(shadowUrl)).config;
    // PrismaPg's own temporary shadow database is dropped while its pool is still connected,
    // which PostgreSQL refuses: close the pool first.
    factory.connectToShadowDb = async () => {
      if (shadowConfig) return new PrismaPg(shadowConfig).connect();
      const main = await factory.connect();
      const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
      await main.executeScript(`CREATE DATABASE "${name}"`);
      const shadow = await new PrismaPg({ ...config, database: name }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await main.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
        await main.dispose();
      };
      return shadow;
    };
  } else {
    throw Object.assign(
      new Error(`The stand-in schema engine supports file: (SQLite) and postgres(ql):// URLs, not ${url.split(':')[0]}:`),
      { code: 'P1013' },
    );
  }
  const patch = (/** @type {any} */ adapter) => {
    openAdapters.push(adapter);
    if (factory.provider === 'postgres') {
      // The engine reads catalog columns of PostgreSQL's internal one-byte "char" type (OID 18),
      // which PrismaPg (7.10) rejects as an unsupported column type: read them as text (OID 25).
      const performIO = adapter.performIO.bind(adapter);
      adapter.performIO = async (/** @type {unknown} */ query) => {
        const result = await performIO(query);
        for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
        return result;
      };
      // PrismaPg (7.10) runs a script by splitting it at every ';', which cuts a function body
      // ($$ ... ; ... $$, the catalogue triggers) in pieces; PostgreSQL takes the whole script as
      // one simple query.
      const anyAdapter = /** @type {any} */ (adapter);
      adapter.executeScript = async (/** @type {string} */ script) => {
        try {
          await anyAdapter.client.query(script);
        } catch (error) {
          anyAdapter.onError(error);
        }
      };
    }
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (/** @type {{ sql: string, args: unknown[] }} */ query) => {
      try {
        return await executeRaw(query);
      } catch (e) {
        const message = String(/** @type {any} */ (e)?.cause?.message ?? /** @type {any} */ (e)?.message);
        if (query.args.length > 0 || !/more than one statement|multiple commands/i.test(message)) throw e;
        await adapter.executeScript(query.sql);
        return 0;
      }
    };
    return adapter;
  };
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  return (boundFactory = bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  }));
}

/** Drops every table, view and type left after the engine's `reset` (rough edge 3). */
async function dropEverything(/** @type {string} */ url) {
  if (isSqlite(url)) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(sqlitePath(url));
    try {
      const objects = /** @type {{ type: string, name: string }[]} */ (
        db.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'").all()
      );
      db.pragma('foreign_keys = OFF');
      for (const { type, name } of objects) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
      db.exec('VACUUM');
    } finally {
      db.close();
    }
  } else {
    const { default: pg } = await import('pg');
    const { config, schema = 'public' } = await pgConfig(url);
    const client = new pg.Client(config);
    await client.connect();
    try {
      const id = client.escapeIdentifier(schema);
      await client.query(`DROP SCHEMA IF EXISTS ${id} CASCADE; CREATE SCHEMA ${id};`);
    } finally {
      await client.end();
    }
  }
}

// --------------------------------------------------------------------- `cli <command>` one-shots

/** @returns {Promise<number>} the exit code */
async function runCliCommand(/** @type {string} */ command) {
  const url = datasource.url ?? '';
  try {
    if (command === 'can-connect-to-database') await canConnect(url);
    else if (command === 'create-database') await createDatabase(url);
    else throw new Error(`Unknown cli command: ${command}`);
    return 0;
  } catch (e) {
    const error = /** @type {any} */ (e);
    const fields = { message: String(error?.message ?? error), ...(error?.code ? { error_code: error.code } : {}) };
    // The CLI skips the first stderr line, then parses each following line as JSON.
    process.stderr.write(
      `schema-engine stand-in: cli ${command} failed\n${JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger', fields })}`,
    );
    return 1;
  }
}

async function canConnect(/** @type {string} */ url) {
  if (isSqlite(url)) {
    const file = path.resolve(sqlitePath(url));
    if (!fs.existsSync(file)) {
      throw Object.assign(new Error(`Database \`${path.basename(file)}\` does not exist at \`${file}\``), { code: 'P1003' });
    }
    return;
  }
  if (!isPostgres(url)) await createAdapterFactory(url); // throws P1013
  const { default: pg } = await import('pg');
  const { config } = await pgConfig(url);
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (e) {
    throw pgError(/** @type {any} */ (e), config);
  } finally {
    await client.end().catch(() => {});
  }
}

async function createDatabase(/** @type {string} */ url) {
  if (isSqlite(url)) {
    const file = path.resolve(sqlitePath(url));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { default: Database } = await import('better-sqlite3');
    new Database(file).close();
    return;
  }
  const { default: pg } = await import('pg');
  const { config } = await pgConfig(url);
  const client = new pg.Client({ ...config, database: 'postgres' });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(config.database)}`);
  } catch (e) {
    throw pgError(/** @type {any} */ (e), config);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Maps pg connection errors to the Prisma error codes the CLI understands. */
function pgError(/** @type {any} */ e, /** @type {any} */ config) {
  const at = `${config.host ?? 'localhost'}:${config.port ?? 5432}`;
  if (e?.code === '3D000')
    return Object.assign(new Error(`Database \`${config.database}\` does not exist on the database server at \`${at}\`.`), {
      code: 'P1003',
    });
  if (e?.code === '28P01' || e?.code === '28000')
    return Object.assign(new Error(`Authentication failed against database server at \`${at}\`: ${e.message}`), { code: 'P1000' });
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'ENOENT')
    return Object.assign(new Error(`Can't reach database server at \`${at}\``), { code: 'P1001' });
  return e;
}

// -------------------------------------------------------------------------------- JSON-RPC mode

function serveJsonRpc() {
  /** @param {unknown} message */
  const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
  /** @type {Map<number, () => void>} */
  const awaitingAck = new Map();
  let nextPrintId = 1;
  /** Asks the CLI to print `content` on its stdout (how the native engine outputs `migrate diff`). */
  const print = (/** @type {string} */ content) =>
    new Promise((resolve) => {
      const id = nextPrintId++;
      awaitingAck.set(id, () => resolve(undefined));
      send({ jsonrpc: '2.0', id, method: 'print', params: { content: content.replace(/\n$/, '') } });
    });

  const url = datasource.url ?? '';
  /** @type {Promise<{ engine: any, glue: any }> | undefined} */
  let started;
  const start = () =>
    (started ??= (async () => {
      const glue = await loadWasm();
      /** @type {[string, string][]} */
      const datamodels = datamodelPaths.map((p) => [p, fs.readFileSync(p, 'utf8')]);
      const adapterUrl = url || (datamodels.some(([, s]) => /provider\s*=\s*"postgres/.test(s)) ? '' : 'file::memory:');
      if (!adapterUrl) throw Object.assign(new Error('No datasource url: set datasource.url in prisma.config.ts'), { code: 'P1012' });
      const log = (/** @type {string} */ line) => process.stderr.write(line.endsWith('\n') ? line : line + '\n');
      const engine = await glue.SchemaEngine.new(
        { datamodels: datamodels.length ? datamodels : undefined },
        log,
        await createAdapterFactory(adapterUrl),
      );
      return { engine, glue };
    })());

  /** @type {Record<string, (engine: any, params: any) => Promise<unknown>>} */
  const methods = {
    applyMigrations: (e, p) => e.applyMigrations(p),
    createMigration: (e, p) => e.createMigration(p),
    dbExecute: async (e, p) => (await e.dbExecute(p), null),
    debugPanic: async (e) => e.debugPanic(),
    devDiagnostic: async (e, p) => {
      try {
        return await e.devDiagnostic(p);
      } catch (error) {
        if (/** @type {any} */ (error)?.code !== 'P1014') throw error;
        // rough edge 2: create `_prisma_migrations`, then ask again
        await e.applyMigrations({ migrationsList: { ...p.migrationsList, migrationDirectories: [] }, filters: p.filters });
        return e.devDiagnostic(p);
      }
    },
    diagnoseMigrationHistory: (e, p) => e.diagnoseMigrationHistory(p),
    diff: async (e, p) => {
      const { stdout, ...rest } = await e.diff(p);
      if (stdout) await print(stdout);
      return rest;
    },
    ensureConnectionValidity: (e, p) => e.ensureConnectionValidity(p),
    evaluateDataLoss: (e, p) => e.evaluateDataLoss(p),
    getDatabaseVersion: (e, p) => e.version(p),
    version: (e, p) => e.version(p),
    introspect: (e, p) => e.introspect(p),
    introspectSql: (e, p) => e.introspectSql(p),
    markMigrationApplied: (e, p) => e.markMigrationApplied(p),
    markMigrationRolledBack: (e, p) => e.markMigrationRolledBack(p),
    reset: async (e, p) => {
      await dropEverything(url); // rough edge 3; then the engine's reset finds nothing left
      await e.reset(p);
      return null;
    },
    schemaPush: (e, p) => e.schemaPush(p),
  };

  // Invalid params make the Wasm glue throw from a callback, outside any promise we hold, and
  // leave the Wasm instance unusable: fail the request in flight with that error, and the
  // following ones with `brokenBy`, instead of crashing or hanging.
  /** @type {((error: unknown) => void) | undefined} */
  let failCurrent;
  /** @type {unknown} */
  let brokenBy;
  process.on('uncaughtException', (error) => {
    process.stderr.write(
      JSON.stringify({ level: 'ERROR', target: 'schema_engine_stand_in', fields: { message: String(error?.stack ?? error) } }) + '\n',
    );
    brokenBy ??= error;
    failCurrent?.(error);
  });

  /** @param {{ id: number, method: string, params?: unknown }} request */
  const handle = async (request) => {
    const method = methods[request.method];
    if (!method) {
      const message = `Unknown method \`${request.method}\` (schema-engine stand-in)`;
      send({ jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'Method not found', data: { is_panic: false, message } } });
      return;
    }
    try {
      const { engine } = await start();
      if (brokenBy) throw new Error(`The schema engine failed earlier in this session: ${/** @type {any} */ (brokenBy)?.message}`);
      const failed = new Promise((_, reject) => (failCurrent = reject));
      const result = await Promise.race([method(engine, request.params), failed]);
      send({ jsonrpc: '2.0', id: request.id, result: result ?? null });
    } catch (e) {
      send({ jsonrpc: '2.0', id: request.id, error: toRpcError(e) });
    } finally {
      failCurrent = undefined;
    }
  };

  // Requests run one at a time, in order; replies to our `print` requests are handled at once.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    /** @type {any} */
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'Parse error', data: { is_panic: false, message: `Invalid JSON: ${line.slice(0, 200)}` } },
      });
      return;
    }
    if (message.method === undefined) {
      awaitingAck.get(message.id)?.();
      awaitingAck.delete(message.id);
      return;
    }
    queue = queue.then(() => handle(message));
  });
  // The CLI ends a session by closing stdin and, on Linux, sending SIGTERM right after.
  const shutdown = async () => {
    await Promise.allSettled(openAdapters.map((adapter) => adapter.dispose()));
    process.exit(0);
  };
  // Its CLI gone (closed stdin, a SIGTERM), the engine never outlives it by more than a few seconds,
  // even when a request is stuck (a database another process holds locked): an orphan engine kept a
  // core busy for an hour after a test run was stopped.
  const leave = () => {
    setTimeout(() => process.exit(0), 5_000).unref();
    void queue.then(shutdown);
  };
  lines.on('close', leave);
  process.on('SIGTERM', leave);
}

/** An engine error as the CLI expects it in a JSON-RPC error's `data`. */
function toRpcError(/** @type {any} */ e) {
  if (panicMessage || e instanceof WebAssembly.RuntimeError) {
    const message = panicMessage || String(e?.message ?? e);
    panicMessage = '';
    return {
      code: 4466,
      message: 'An error happened. Check the data field for details.',
      data: { is_panic: true, message, error: { message } },
    };
  }
  const message = String(e?.message ?? e).replace(/External error id#(\d+)/g, (text, id) => {
    const error = boundFactory?.errorRegistry.consumeError(Number(id))?.error;
    return error ? String(error.message ?? error) : text;
  });
  const data = e?.code ? { is_panic: false, message, meta: e.meta ?? {}, error_code: e.code } : { is_panic: false, message };
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

// ------------------------------------------------------------------------------------------ main

if (args.includes('--version')) {
  process.stdout.write(`schema-engine-cli ${(await loadWasm()).version()} (wasm stand-in)\n`);
} else if (args.includes('cli')) {
  process.exitCode = await runCliCommand(args[args.indexOf('cli') + 1] ?? '');
} else {
  serveJsonRpc();
}
