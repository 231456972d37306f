// The sandbox's store in a PostgreSQL database (store.ts says what is stored), for a sandbox that
// several processes share: PAYMENT_SANDBOX_DATABASE_URL, ideally a database of its own (its table
// names are its own, not the app's). The schema below is created on open if missing, under a lock,
// so processes starting together do not trip over each other.
//
// Every transaction first takes one advisory lock (the same key in every process), so the
// sandbox's transactions run one at a time as they do on SQLite: a rule reads a session, checks it
// is open and writes its payment inside one, and a second confirmation waits, then finds it paid.
// The sandbox's load (a room of trainees paying) is far below what one lock serializes. Webhook
// deliveries are claimed with FOR UPDATE SKIP LOCKED instead, outside that lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { createdBounds, pageOf, privateFromRow, toDeliveryRow, type DeliveryDbRow, type PrivateDbRow } from './store-rows.js';
import type { DeliveryFilter, ListQuery, ObjectType, Store } from './store.js';

const schema = `
CREATE TABLE IF NOT EXISTS objects (
  id TEXT PRIMARY KEY,
  -- insertion order, which lists and their cursors follow (SQLite's rowid)
  seq BIGSERIAL NOT NULL UNIQUE,
  type TEXT NOT NULL,
  -- json, not jsonb: the document is returned byte for byte as it was stored
  data JSON NOT NULL,
  created BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_type ON objects (type, seq);
CREATE INDEX IF NOT EXISTS objects_session_payment_intent ON objects ((data ->> 'payment_intent')) WHERE type = 'checkout.session';
CREATE TABLE IF NOT EXISTS session_private (
  session_id TEXT PRIMARY KEY REFERENCES objects (id),
  csrf_token TEXT NOT NULL,
  line_items TEXT NOT NULL,
  payment_intent_data TEXT NOT NULL,
  pending_auth TEXT
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id BIGSERIAL PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES objects (id),
  endpoint_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'canceled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_error TEXT,
  delivered_at BIGINT,
  response_status INTEGER,
  -- a sandbox process is sending it until then (store.ts, claimDueDeliveries)
  claimed_until BIGINT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE TABLE IF NOT EXISTS delivery_attempts (
  id BIGSERIAL PRIMARY KEY,
  delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
  at BIGINT NOT NULL,
  response_status INTEGER,
  response_body TEXT,
  error TEXT
);
CREATE INDEX IF NOT EXISTS delivery_attempts_delivery ON delivery_attempts (delivery_id);
CREATE TABLE IF NOT EXISTS endpoint_secrets (
  endpoint_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboard_tokens_used (
  jti TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboard_sessions_ended (
  sid TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_workshop ON objects (type, (data -> 'metadata' ->> 'workshopId'));
CREATE TABLE IF NOT EXISTS idempotency_keys (
  api_key_hash TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created BIGINT NOT NULL,
  PRIMARY KEY (api_key_hash, key)
);
`;

/** The advisory lock every sandbox transaction takes (any constant the app's database does not use). */
const TRANSACTION_LOCK = 4_907_301_644;
/** Another key, for creating the schema. */
const SCHEMA_LOCK = 4_907_301_645;

const INT8 = 20;
const JSON_OID = 114;

/** `$.a.b` (the paths ListQuery uses, as SQLite's json_extract reads them) as PostgreSQL's `#>>` path. */
function jsonPath(path: string): string[] {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`unsupported JSON path ${path}`);
  return path.slice(2).split('.');
}

/** A query's parameters as they are added: `arg(value)` is the placeholder (`$3`) that names it. */
function params(...initial: unknown[]) {
  const args = [...initial];
  return { args, arg: (value: unknown) => `$${args.push(value)}` };
}
type Params = ReturnType<typeof params>;

/** Which workshop of the app an object belongs to (store.ts, belongsTo), as SQL over its JSON in `column`. */
function inWorkshop(type: ObjectType, column: string, workshopId: string, p: Params): string {
  const w = p.arg(workshopId);
  const sessions = `SELECT id FROM objects WHERE type = 'checkout.session' AND data -> 'metadata' ->> 'workshopId' = ${w}`;
  const intents = `SELECT id FROM objects WHERE type = 'payment_intent' AND data -> 'metadata' ->> 'workshopId' = ${w}
    UNION SELECT data ->> 'payment_intent' FROM objects
      WHERE type = 'checkout.session' AND data -> 'metadata' ->> 'workshopId' = ${w}`;
  switch (type) {
    case 'checkout.session':
      return `${column} -> 'metadata' ->> 'workshopId' = ${w}`;
    case 'payment_intent':
      return `${column} ->> 'id' IN (${intents})`;
    case 'charge':
    case 'refund':
      return `${column} ->> 'payment_intent' IN (${intents})`;
    case 'event':
      return `(${column} #>> '{data,object,id}' IN (${sessions} UNION ${intents})
        OR ${column} #>> '{data,object,payment_intent}' IN (${intents}))`;
    default:
      return 'FALSE';
  }
}

/** A list's filter; the object type is always $1. */
function filterOf(type: ObjectType, q: Pick<ListQuery, 'where' | 'created' | 'workshopId'>) {
  const p = params(type);
  const clauses = ['type = $1'];
  for (const { path, values, like } of q.where) {
    const field = `(data #>> ${p.arg(jsonPath(path))}::text[])`;
    const tests = values.map((value) => (like ? `${field} LIKE ${p.arg(value)} ESCAPE '\\'` : `${field} = ${p.arg(value)}`));
    clauses.push(`(${tests.join(' OR ')})`);
  }
  for (const key of Object.keys(createdBounds) as (keyof typeof createdBounds)[]) {
    const value = q.created[key];
    if (value !== undefined) clauses.push(`created ${createdBounds[key]} ${p.arg(value)}`);
  }
  if (q.workshopId !== undefined) clauses.push(inWorkshop(type, 'data', q.workshopId, p));
  return { clauses, ...p };
}

function deliveryFilterOf(filter: DeliveryFilter) {
  const p = params();
  const clauses = [inWorkshop('event', 'o.data', filter.workshopId, p)];
  if (filter.eventId !== undefined) clauses.push(`d.event_id = ${p.arg(filter.eventId)}`);
  if (filter.status !== undefined) clauses.push(`d.status = ${p.arg(filter.status)}`);
  return { clauses, ...p };
}

export async function openPostgresStore(url: string): Promise<Store> {
  // Loaded only here: a SQLite sandbox never holds the driver.
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: url,
    max: 10,
    // Millisecond timestamps are BIGINT: numbers, not strings; documents stay text, byte for byte.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return Number;
        if (oid === JSON_OID) return (value: string) => value;
        return pgModule.types.getTypeParser(oid, format);
      }) as typeof pgModule.types.getTypeParser,
    },
  });
  // A connection the server dropped while idle is replaced on the next query; without a listener it would end the process.
  pool.on('error', (error) => console.error('payment sandbox: PostgreSQL connection lost:', error.message));

  const transactionClient = new AsyncLocalStorage<pg.PoolClient>();

  async function inTransaction<T>(lockKey: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  try {
    await inTransaction(SCHEMA_LOCK, (client) => client.query(schema));
  } catch (error) {
    await pool.end();
    throw error;
  }

  /** A statement on the open transaction's connection, or on any connection outside one. */
  async function rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await (transactionClient.getStore() ?? pool).query<R>(sql, params)).rows;
  }
  async function count(sql: string, params: unknown[]): Promise<number> {
    return (await (transactionClient.getStore() ?? pool).query(sql, params)).rowCount ?? 0;
  }
  async function exec(sql: string, params: unknown[]): Promise<void> {
    await (transactionClient.getStore() ?? pool).query(sql, params);
  }

  const deliveryRowSql = `SELECT d.*, o.data ->> 'type' AS event_type FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id`;

  const store: Store = {
    transaction<T>(fn: () => Promise<T>): Promise<T> {
      if (transactionClient.getStore()) return fn();
      return inTransaction(TRANSACTION_LOCK, (client) => transactionClient.run(client, fn));
    },
    async get<T>(type: ObjectType, id: string) {
      const [row] = await rows<{ data: string }>('SELECT data FROM objects WHERE id = $1 AND type = $2', [id, type]);
      return row ? (JSON.parse(row.data) as T) : null;
    },
    async insert<T extends { id: string; created: number }>(type: ObjectType, object: T) {
      await exec('INSERT INTO objects (id, type, data, created) VALUES ($1, $2, $3, $4)', [
        object.id,
        type,
        JSON.stringify(object),
        object.created,
      ]);
      return object;
    },
    async exists(type, id) {
      return (await rows('SELECT 1 FROM objects WHERE id = $1 AND type = $2', [id, type])).length > 0;
    },
    async list<T>(type: ObjectType, q: ListQuery) {
      const { clauses, args, arg } = filterOf(type, q);
      const backwards = q.endingBefore !== null;
      const cursor = q.endingBefore ?? q.startingAfter;
      if (cursor !== null) {
        clauses.push(`seq ${backwards ? '>' : '<'} (SELECT seq FROM objects WHERE id = ${arg(cursor)} AND type = $1)`);
      }
      const sql = `SELECT data FROM objects WHERE ${clauses.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT ${arg(q.limit + 1)}`;
      return pageOf<T>(await rows<{ data: string }>(sql, args), q.limit, backwards);
    },
    async count(type, q, newerThan) {
      const { clauses, args, arg } = filterOf(type, q);
      if (newerThan !== undefined) clauses.push(`seq > (SELECT seq FROM objects WHERE id = ${arg(newerThan)} AND type = $1)`);
      const [row] = await rows<{ n: number }>(`SELECT COUNT(*) AS n FROM objects WHERE ${clauses.join(' AND ')}`, args);
      return row!.n;
    },
    async belongsTo(type, id, workshopId) {
      const p = params(id, type);
      const found = await rows(`SELECT 1 FROM objects WHERE id = $1 AND type = $2 AND ${inWorkshop(type, 'data', workshopId, p)}`, p.args);
      return found.length > 0;
    },
    async update<T extends { id: string }>(type: ObjectType, object: T) {
      await exec('UPDATE objects SET data = $1 WHERE id = $2 AND type = $3', [JSON.stringify(object), object.id, type]);
      return object;
    },
    async openSessionIdsExpiredBy(nowSeconds) {
      const found = await rows<{ id: string }>(
        `SELECT id FROM objects WHERE type = 'checkout.session'
           AND data ->> 'status' = 'open' AND (data ->> 'expires_at')::bigint <= $1`,
        [nowSeconds],
      );
      return found.map((r) => r.id);
    },
    async getPrivate(sessionId) {
      const [row] = await rows<PrivateDbRow>(
        'SELECT csrf_token, line_items, payment_intent_data, pending_auth FROM session_private WHERE session_id = $1',
        [sessionId],
      );
      return row ? privateFromRow(sessionId, row) : null;
    },
    async insertPrivate(p) {
      await exec('INSERT INTO session_private (session_id, csrf_token, line_items, payment_intent_data) VALUES ($1, $2, $3, $4)', [
        p.sessionId,
        p.csrfToken,
        JSON.stringify(p.lineItems),
        JSON.stringify(p.paymentIntentData),
      ]);
    },
    async sessionIdForPaymentIntent(paymentIntentId) {
      const [row] = await rows<{ id: string }>(
        `SELECT id FROM objects WHERE type = 'checkout.session' AND data ->> 'payment_intent' = $1 LIMIT 1`,
        [paymentIntentId],
      );
      return row?.id ?? null;
    },
    async setPendingAuth(sessionId, pending) {
      await exec('UPDATE session_private SET pending_auth = $1 WHERE session_id = $2', [
        pending ? JSON.stringify(pending) : null,
        sessionId,
      ]);
    },
    async insertDelivery(eventId, endpointId, dueAtMs) {
      await exec(
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_at, created_at) VALUES ($1, $2, 'pending', $3, $3)`,
        [eventId, endpointId, dueAtMs],
      );
    },
    async claimDueDeliveries(nowMs, limit, leaseMs) {
      // SKIP LOCKED: two processes claiming at once get different deliveries, neither waits.
      const claimed = await rows<{ id: number; event_id: string; endpoint_id: string | null; attempts: number; data: string }>(
        `WITH due AS (
           SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
            ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
         )
         UPDATE webhook_deliveries d SET claimed_until = $3 FROM due, objects o
          WHERE d.id = due.id AND o.id = d.event_id
          RETURNING d.id, d.event_id, d.endpoint_id, d.attempts, d.next_attempt_at, o.data`,
        [nowMs, limit, nowMs + leaseMs],
      );
      return claimed
        .sort((a, b) => a.id - b.id)
        .map((r) => ({ id: r.id, eventId: r.event_id, endpointId: r.endpoint_id, attempts: r.attempts, payload: r.data }));
    },
    async releaseClaim(deliveryId) {
      await exec('UPDATE webhook_deliveries SET claimed_until = NULL WHERE id = $1', [deliveryId]);
    },
    async nextDeliveryDueAt() {
      const [row] = await rows<{ at: number | null }>(
        `SELECT MIN(GREATEST(next_attempt_at, COALESCE(claimed_until, 0))) AS at FROM webhook_deliveries WHERE status = 'pending'`,
      );
      return row?.at ?? null;
    },
    recordAttempt(deliveryId, attempts, nowMs, answer, outcome) {
      return store.transaction(async () => {
        await exec('INSERT INTO delivery_attempts (delivery_id, at, response_status, response_body, error) VALUES ($1, $2, $3, $4, $5)', [
          deliveryId,
          nowMs,
          answer.responseStatus,
          answer.responseBody,
          answer.error,
        ]);
        const error = answer.error ?? `HTTP ${answer.responseStatus}`;
        if (outcome.kind === 'delivered') {
          await exec(
            `UPDATE webhook_deliveries SET status = 'delivered', attempts = $1, delivered_at = $2, response_status = $3, last_error = NULL,
               claimed_until = NULL WHERE id = $4`,
            [attempts, nowMs, answer.responseStatus, deliveryId],
          );
        } else if (outcome.kind === 'retry') {
          await exec(
            `UPDATE webhook_deliveries SET attempts = $1, next_attempt_at = $2, last_error = $3, response_status = $4, claimed_until = NULL
              WHERE id = $5 AND status = 'pending'`,
            [attempts, outcome.nextAtMs, error, answer.responseStatus, deliveryId],
          );
        } else {
          await exec(
            `UPDATE webhook_deliveries SET status = 'failed', attempts = $1, last_error = $2, response_status = $3, claimed_until = NULL
              WHERE id = $4 AND status = 'pending'`,
            [attempts, error, answer.responseStatus, deliveryId],
          );
        }
      });
    },
    async cancelDeliveriesTo(endpointId, reason) {
      await exec(`UPDATE webhook_deliveries SET status = 'canceled', last_error = $1 WHERE endpoint_id = $2 AND status = 'pending'`, [
        reason,
        endpointId,
      ]);
    },
    async enabledEndpoints<T>() {
      const found = await rows<{ data: string }>(
        `SELECT data FROM objects WHERE type = 'webhook_endpoint' AND data ->> 'status' = 'enabled' ORDER BY seq`,
      );
      return found.map((r) => JSON.parse(r.data) as T);
    },
    async endpointSecret(endpointId) {
      const [row] = await rows<{ secret: string }>('SELECT secret FROM endpoint_secrets WHERE endpoint_id = $1', [endpointId]);
      return row?.secret ?? null;
    },
    async putEndpointSecret(endpointId, secret) {
      await exec('INSERT INTO endpoint_secrets (endpoint_id, secret) VALUES ($1, $2)', [endpointId, secret]);
    },
    async deleteEndpointSecret(endpointId) {
      await exec('DELETE FROM endpoint_secrets WHERE endpoint_id = $1', [endpointId]);
    },
    async remove(type, id) {
      await exec('DELETE FROM objects WHERE id = $1 AND type = $2', [id, type]);
    },
    async deliveries(filter, limit) {
      const found = await rows<DeliveryDbRow>(`${deliveryRowSql} WHERE d.event_id = $1 ORDER BY d.id DESC LIMIT $2`, [
        filter.eventId,
        limit,
      ]);
      return found.map(toDeliveryRow);
    },
    async deliveryList(filter, page) {
      const { clauses, args, arg } = deliveryFilterOf(filter);
      const backwards = page.endingBefore !== null;
      const cursor = page.endingBefore ?? page.startingAfter;
      if (cursor !== null) clauses.push(`d.id ${backwards ? '>' : '<'} ${arg(cursor)}`);
      const sql = `${deliveryRowSql} WHERE ${clauses.join(' AND ')} ORDER BY d.id ${backwards ? 'ASC' : 'DESC'} LIMIT ${arg(page.limit + 1)}`;
      const found = await rows<DeliveryDbRow>(sql, args);
      const data = found.slice(0, page.limit).map(toDeliveryRow);
      return { data: backwards ? data.reverse() : data, hasMore: found.length > page.limit };
    },
    async countDeliveries(filter, newerThan) {
      const { clauses, args, arg } = deliveryFilterOf(filter);
      if (newerThan !== undefined) clauses.push(`d.id > ${arg(newerThan)}`);
      const [row] = await rows<{ n: number }>(
        `SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id WHERE ${clauses.join(' AND ')}`,
        args,
      );
      return row!.n;
    },
    async delivery(id) {
      const [row] = await rows<DeliveryDbRow>(`${deliveryRowSql} WHERE d.id = $1`, [id]);
      return row ? toDeliveryRow(row) : null;
    },
    async attemptsOf(deliveryId) {
      const found = await rows<{ at: number; response_status: number | null; response_body: string | null; error: string | null }>(
        'SELECT at, response_status, response_body, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id',
        [deliveryId],
      );
      return found.map((r) => ({ at: r.at, responseStatus: r.response_status, responseBody: r.response_body, error: r.error }));
    },
    async eventsAbout<T>(objectId: string, limit: number) {
      const found = await rows<{ data: string }>(
        `SELECT data FROM objects WHERE type = 'event'
           AND (data #>> '{data,object,id}' = $1 OR data #>> '{data,object,payment_intent}' = $1) ORDER BY seq DESC LIMIT $2`,
        [objectId, limit],
      );
      return found.map((r) => JSON.parse(r.data) as T);
    },
    async redeliver(delivery, nowMs) {
      const [row] = await rows<{ id: number }>(
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_at, created_at) VALUES ($1, $2, 'pending', $3, $3)
         RETURNING id`,
        [delivery.eventId, delivery.endpointId, nowMs],
      );
      return row!.id;
    },
    async useTokenOnce(jti, expiresAtMs, nowMs) {
      await exec('DELETE FROM dashboard_tokens_used WHERE expires_at < $1', [nowMs]);
      return (
        (await count('INSERT INTO dashboard_tokens_used (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [jti, expiresAtMs])) ===
        1
      );
    },
    async endDashboardSession(sid, expiresAtMs, nowMs) {
      await exec('DELETE FROM dashboard_sessions_ended WHERE expires_at < $1', [nowMs]);
      await exec('INSERT INTO dashboard_sessions_ended (sid, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sid, expiresAtMs]);
    },
    async dashboardSessionEnded(sid) {
      return (await rows('SELECT 1 FROM dashboard_sessions_ended WHERE sid = $1', [sid])).length > 0;
    },
    async getIdempotent(apiKeyHash, key) {
      const [row] = await rows<{ request_hash: string; status: number; body: string }>(
        'SELECT request_hash, status, body FROM idempotency_keys WHERE api_key_hash = $1 AND key = $2',
        [apiKeyHash, key],
      );
      return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : null;
    },
    async putIdempotent(apiKeyHash, key, result, nowMs) {
      await exec('INSERT INTO idempotency_keys (api_key_hash, key, request_hash, status, body, created) VALUES ($1, $2, $3, $4, $5, $6)', [
        apiKeyHash,
        key,
        result.requestHash,
        result.status,
        result.body,
        nowMs,
      ]);
    },
    async pruneIdempotent(olderThanMs) {
      await exec('DELETE FROM idempotency_keys WHERE created < $1', [olderThanMs]);
    },
    close: () => pool.end(),
  };
  return store;
}
