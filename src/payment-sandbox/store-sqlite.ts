// The sandbox's store in its own SQLite file (store.ts says what is stored); the default, for one
// sandbox process on a laptop. Its schema is below, created on open if missing.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createdBounds, pageOf, privateFromRow, toDeliveryRow, type DeliveryDbRow, type PrivateDbRow } from './store-rows.js';
import type { DeliveryFilter, ListQuery, ObjectType, Store } from './store.js';

const schema = `
CREATE TABLE IF NOT EXISTS objects (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_type ON objects(type);
CREATE TABLE IF NOT EXISTS session_private (
  session_id TEXT PRIMARY KEY REFERENCES objects(id),
  csrf_token TEXT NOT NULL,
  line_items TEXT NOT NULL,
  payment_intent_data TEXT NOT NULL,
  pending_auth TEXT
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES objects(id),
  endpoint_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'canceled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_error TEXT,
  delivered_at INTEGER,
  response_status INTEGER,
  claimed_until INTEGER
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries(event_id);
CREATE TABLE IF NOT EXISTS delivery_attempts (
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
  at INTEGER NOT NULL,
  response_status INTEGER,
  response_body TEXT,
  error TEXT
);
CREATE INDEX IF NOT EXISTS delivery_attempts_delivery ON delivery_attempts(delivery_id);
CREATE TABLE IF NOT EXISTS endpoint_secrets (
  endpoint_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboard_tokens_used (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboard_sessions_ended (
  sid TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_workshop ON objects(type, json_extract(data, '$.metadata.workshopId'));
CREATE TABLE IF NOT EXISTS idempotency_keys (
  api_key_hash TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (api_key_hash, key)
);
`;

/** Databases made before deliveries were claimed get the column (claims: store.ts, claimDueDeliveries). */
function addClaims(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('webhook_deliveries')`).all();
  if (!columns.some((c) => c.name === 'claimed_until')) db.exec('ALTER TABLE webhook_deliveries ADD COLUMN claimed_until INTEGER');
}

/** Databases made before endpoints existed kept one delivery per event, to the app: their rows move over. */
function moveOldDeliveries(db: Database.Database): void {
  const old = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'`).get();
  if (!old) return;
  db.transaction(() => {
    db.exec(`INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at, created_at, last_error, delivered_at)
      SELECT event_id, NULL, status, attempts, next_attempt_at, next_attempt_at, last_error, delivered_at FROM deliveries;
      DROP TABLE deliveries;`);
  })();
}

/** Which workshop of the app an object belongs to (store.ts, belongsTo), as SQL over its JSON in `column`. */
function inWorkshop(type: ObjectType, column: string, workshopId: string): { sql: string; args: string[] } {
  const sessions = `SELECT id FROM objects WHERE type = 'checkout.session' AND json_extract(data, '$.metadata.workshopId') = ?`;
  const intents = `SELECT id FROM objects WHERE type = 'payment_intent' AND json_extract(data, '$.metadata.workshopId') = ?
    UNION SELECT json_extract(data, '$.payment_intent') FROM objects
      WHERE type = 'checkout.session' AND json_extract(data, '$.metadata.workshopId') = ?`;
  const w = workshopId;
  switch (type) {
    case 'checkout.session':
      return { sql: `json_extract(${column}, '$.metadata.workshopId') = ?`, args: [w] };
    case 'payment_intent':
      return { sql: `json_extract(${column}, '$.id') IN (${intents})`, args: [w, w] };
    case 'charge':
    case 'refund':
      return { sql: `json_extract(${column}, '$.payment_intent') IN (${intents})`, args: [w, w] };
    case 'event':
      return {
        sql: `(json_extract(${column}, '$.data.object.id') IN (${sessions} UNION ${intents})
          OR json_extract(${column}, '$.data.object.payment_intent') IN (${intents}))`,
        args: [w, w, w, w, w],
      };
    default:
      return { sql: '0', args: [] };
  }
}

function filterOf(type: ObjectType, q: Pick<ListQuery, 'where' | 'created' | 'workshopId'>) {
  const clauses = ['type = ?'];
  const args: (string | number)[] = [type];
  for (const { path, values, like } of q.where) {
    const tests = values.map(() => (like ? `json_extract(data, ?) LIKE ? ESCAPE '\\'` : 'json_extract(data, ?) = ?'));
    clauses.push(`(${tests.join(' OR ')})`);
    for (const value of values) args.push(path, value);
  }
  for (const key of Object.keys(createdBounds) as (keyof typeof createdBounds)[]) {
    const value = q.created[key];
    if (value === undefined) continue;
    clauses.push(`created ${createdBounds[key]} ?`);
    args.push(value);
  }
  if (q.workshopId !== undefined) {
    const scope = inWorkshop(type, 'data', q.workshopId);
    clauses.push(scope.sql);
    args.push(...scope.args);
  }
  return { clauses, args };
}

function deliveryFilterOf(filter: DeliveryFilter) {
  const scope = inWorkshop('event', 'o.data', filter.workshopId);
  const clauses = [scope.sql];
  const args: (string | number)[] = [...scope.args];
  if (filter.eventId !== undefined) {
    clauses.push('d.event_id = ?');
    args.push(filter.eventId);
  }
  if (filter.status !== undefined) {
    clauses.push('d.status = ?');
    args.push(filter.status);
  }
  return { clauses, args };
}

export function openSqliteStore(dbFile: string): Store {
  if (dbFile !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(schema);
  moveOldDeliveries(db);
  addClaims(db);

  const stmts = {
    get: db.prepare<[string, string], { data: string }>('SELECT data FROM objects WHERE id = ? AND type = ?'),
    insert: db.prepare<[string, string, string, number]>('INSERT INTO objects (id, type, data, created) VALUES (?, ?, ?, ?)'),
    update: db.prepare<[string, string, string]>('UPDATE objects SET data = ? WHERE id = ? AND type = ?'),
    openSessionsExpiredBy: db.prepare<[number], { id: string }>(
      `SELECT id FROM objects WHERE type = 'checkout.session'
         AND json_extract(data, '$.status') = 'open' AND json_extract(data, '$.expires_at') <= ?`,
    ),
    getPrivate: db.prepare<[string], PrivateDbRow>(
      'SELECT csrf_token, line_items, payment_intent_data, pending_auth FROM session_private WHERE session_id = ?',
    ),
    insertPrivate: db.prepare<[string, string, string, string]>(
      'INSERT INTO session_private (session_id, csrf_token, line_items, payment_intent_data) VALUES (?, ?, ?, ?)',
    ),
    sessionIdForPaymentIntent: db.prepare<[string], { id: string }>(
      `SELECT id FROM objects WHERE type = 'checkout.session' AND json_extract(data, '$.payment_intent') = ?`,
    ),
    setPendingAuth: db.prepare<[string | null, string]>('UPDATE session_private SET pending_auth = ? WHERE session_id = ?'),
    insertDelivery: db.prepare<[string, string | null, number, number]>(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_at, created_at) VALUES (?, ?, 'pending', ?, ?)`,
    ),
    dueDeliveries: db.prepare<
      [number, number, number],
      { id: number; event_id: string; endpoint_id: string | null; attempts: number; data: string }
    >(
      `SELECT d.id, d.event_id, d.endpoint_id, d.attempts, o.data FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?)
        ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    ),
    claim: db.prepare<[number, number]>('UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ?'),
    releaseClaim: db.prepare<[number]>('UPDATE webhook_deliveries SET claimed_until = NULL WHERE id = ?'),
    nextDueAt: db.prepare<[], { at: number | null }>(
      `SELECT MIN(MAX(next_attempt_at, COALESCE(claimed_until, 0))) AS at FROM webhook_deliveries WHERE status = 'pending'`,
    ),
    markDelivered: db.prepare<[number, number, number | null, number]>(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, response_status = ?, last_error = NULL, claimed_until = NULL
        WHERE id = ?`,
    ),
    markRetry: db.prepare<[number, number, string, number | null, number]>(
      `UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, response_status = ?, claimed_until = NULL
        WHERE id = ? AND status = 'pending'`,
    ),
    markFailed: db.prepare<[number, string, number | null, number]>(
      `UPDATE webhook_deliveries SET status = 'failed', attempts = ?, last_error = ?, response_status = ?, claimed_until = NULL
        WHERE id = ? AND status = 'pending'`,
    ),
    insertAttempt: db.prepare<[number, number, number | null, string | null, string | null]>(
      'INSERT INTO delivery_attempts (delivery_id, at, response_status, response_body, error) VALUES (?, ?, ?, ?, ?)',
    ),
    cancelDeliveriesTo: db.prepare<[string, string]>(
      `UPDATE webhook_deliveries SET status = 'canceled', last_error = ? WHERE endpoint_id = ? AND status = 'pending'`,
    ),
    getSecret: db.prepare<[string], { secret: string }>('SELECT secret FROM endpoint_secrets WHERE endpoint_id = ?'),
    putSecret: db.prepare<[string, string]>('INSERT INTO endpoint_secrets (endpoint_id, secret) VALUES (?, ?)'),
    deleteSecret: db.prepare<[string]>('DELETE FROM endpoint_secrets WHERE endpoint_id = ?'),
    deleteObject: db.prepare<[string, string]>('DELETE FROM objects WHERE id = ? AND type = ?'),
    useToken: db.prepare<[string, number]>('INSERT OR IGNORE INTO dashboard_tokens_used (jti, expires_at) VALUES (?, ?)'),
    enabledEndpoints: db.prepare<[], { data: string }>(
      `SELECT data FROM objects WHERE type = 'webhook_endpoint' AND json_extract(data, '$.status') = 'enabled' ORDER BY rowid`,
    ),
    deliveryRows: db.prepare<[string, number], DeliveryDbRow>(
      `SELECT d.*, json_extract(o.data, '$.type') AS event_type FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id
        WHERE d.event_id = ? ORDER BY d.id DESC LIMIT ?`,
    ),
    deliveryRow: db.prepare<[number], DeliveryDbRow>(
      `SELECT d.*, json_extract(o.data, '$.type') AS event_type FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id WHERE d.id = ?`,
    ),
    attemptsOf: db.prepare<[number], { at: number; response_status: number | null; response_body: string | null; error: string | null }>(
      'SELECT at, response_status, response_body, error FROM delivery_attempts WHERE delivery_id = ? ORDER BY rowid',
    ),
    eventsAbout: db.prepare<[string, string, number], { data: string }>(
      `SELECT data FROM objects WHERE type = 'event'
         AND (json_extract(data, '$.data.object.id') = ? OR json_extract(data, '$.data.object.payment_intent') = ?) ORDER BY rowid DESC LIMIT ?`,
    ),
    pruneTokens: db.prepare<[number]>('DELETE FROM dashboard_tokens_used WHERE expires_at < ?'),
    endSession: db.prepare<[string, number]>('INSERT OR IGNORE INTO dashboard_sessions_ended (sid, expires_at) VALUES (?, ?)'),
    sessionEnded: db.prepare<[string], unknown>('SELECT 1 FROM dashboard_sessions_ended WHERE sid = ?'),
    pruneEndedSessions: db.prepare<[number]>('DELETE FROM dashboard_sessions_ended WHERE expires_at < ?'),
    getIdempotent: db.prepare<[string, string], { request_hash: string; status: number; body: string }>(
      'SELECT request_hash, status, body FROM idempotency_keys WHERE api_key_hash = ? AND key = ?',
    ),
    putIdempotent: db.prepare<[string, string, string, number, string, number]>(
      `INSERT INTO idempotency_keys (api_key_hash, key, request_hash, status, body, created) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    pruneIdempotent: db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created < ?'),
  };

  // One connection: while a transaction is open (it may await between its statements), the
  // statements of other requests wait for it instead of slipping into it.
  const insideTransaction = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  let open = false;
  function serially<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  }
  /** A statement outside any transaction: now, or after the transaction that is open. */
  function run<T>(fn: () => T): Promise<T> {
    if (insideTransaction.getStore() || !open) return Promise.resolve().then(fn);
    return serially(fn);
  }

  const store: Store = {
    transaction<T>(fn: () => Promise<T>): Promise<T> {
      if (insideTransaction.getStore()) return fn();
      return serially(async () => {
        open = true;
        // IMMEDIATE: the write lock first, so another process's transaction waits (busy_timeout) instead of failing.
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await insideTransaction.run(true, fn);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          open = false;
        }
      });
    },
    get: <T>(type: ObjectType, id: string) =>
      run(() => {
        const row = stmts.get.get(id, type);
        return row ? (JSON.parse(row.data) as T) : null;
      }),
    insert: <T extends { id: string; created: number }>(type: ObjectType, object: T) =>
      run(() => {
        stmts.insert.run(object.id, type, JSON.stringify(object), object.created);
        return object;
      }),
    exists: (type, id) => run(() => stmts.get.get(id, type) !== undefined),
    list: <T>(type: ObjectType, q: ListQuery) =>
      run(() => {
        const { clauses, args } = filterOf(type, q);
        const backwards = q.endingBefore !== null;
        const cursor = q.endingBefore ?? q.startingAfter;
        if (cursor !== null) {
          clauses.push(`rowid ${backwards ? '>' : '<'} (SELECT rowid FROM objects WHERE id = ? AND type = ?)`);
          args.push(cursor, type);
        }
        const sql = `SELECT data FROM objects WHERE ${clauses.join(' AND ')} ORDER BY rowid ${backwards ? 'ASC' : 'DESC'} LIMIT ?`;
        const rows = db.prepare<(string | number)[], { data: string }>(sql).all(...args, q.limit + 1);
        return pageOf<T>(rows, q.limit, backwards);
      }),
    count: (type, q, newerThan) =>
      run(() => {
        const { clauses, args } = filterOf(type, q);
        if (newerThan !== undefined) {
          clauses.push('rowid > (SELECT rowid FROM objects WHERE id = ? AND type = ?)');
          args.push(newerThan, type);
        }
        const sql = `SELECT COUNT(*) AS n FROM objects WHERE ${clauses.join(' AND ')}`;
        return db.prepare<(string | number)[], { n: number }>(sql).get(...args)!.n;
      }),
    belongsTo: (type, id, workshopId) =>
      run(() => {
        const scope = inWorkshop(type, 'data', workshopId);
        const sql = `SELECT 1 FROM objects WHERE id = ? AND type = ? AND ${scope.sql}`;
        return db.prepare<string[], unknown>(sql).get(id, type, ...scope.args) !== undefined;
      }),
    update: <T extends { id: string }>(type: ObjectType, object: T) =>
      run(() => {
        stmts.update.run(JSON.stringify(object), object.id, type);
        return object;
      }),
    openSessionIdsExpiredBy: (nowSeconds) => run(() => stmts.openSessionsExpiredBy.all(nowSeconds).map((r) => r.id)),
    getPrivate: (sessionId) =>
      run(() => {
        const row = stmts.getPrivate.get(sessionId);
        return row ? privateFromRow(sessionId, row) : null;
      }),
    insertPrivate: (p) =>
      run(() => {
        stmts.insertPrivate.run(p.sessionId, p.csrfToken, JSON.stringify(p.lineItems), JSON.stringify(p.paymentIntentData));
      }),
    sessionIdForPaymentIntent: (paymentIntentId) => run(() => stmts.sessionIdForPaymentIntent.get(paymentIntentId)?.id ?? null),
    setPendingAuth: (sessionId, pending) =>
      run(() => {
        stmts.setPendingAuth.run(pending ? JSON.stringify(pending) : null, sessionId);
      }),
    insertDelivery: (eventId, endpointId, dueAtMs) =>
      run(() => {
        stmts.insertDelivery.run(eventId, endpointId, dueAtMs, dueAtMs);
      }),
    claimDueDeliveries: (nowMs, limit, leaseMs) =>
      store.transaction(() =>
        run(() =>
          stmts.dueDeliveries.all(nowMs, nowMs, limit).map((r) => {
            stmts.claim.run(nowMs + leaseMs, r.id);
            return { id: r.id, eventId: r.event_id, endpointId: r.endpoint_id, attempts: r.attempts, payload: r.data };
          }),
        ),
      ),
    releaseClaim: (deliveryId) =>
      run(() => {
        stmts.releaseClaim.run(deliveryId);
      }),
    nextDeliveryDueAt: () => run(() => stmts.nextDueAt.get()?.at ?? null),
    recordAttempt: (deliveryId, attempts, nowMs, answer, outcome) =>
      store.transaction(() =>
        run(() => {
          stmts.insertAttempt.run(deliveryId, nowMs, answer.responseStatus, answer.responseBody, answer.error);
          const error = answer.error ?? `HTTP ${answer.responseStatus}`;
          if (outcome.kind === 'delivered') stmts.markDelivered.run(attempts, nowMs, answer.responseStatus, deliveryId);
          else if (outcome.kind === 'retry') stmts.markRetry.run(attempts, outcome.nextAtMs, error, answer.responseStatus, deliveryId);
          else stmts.markFailed.run(attempts, error, answer.responseStatus, deliveryId);
        }),
      ),
    cancelDeliveriesTo: (endpointId, reason) =>
      run(() => {
        stmts.cancelDeliveriesTo.run(reason, endpointId);
      }),
    enabledEndpoints: <T>() => run(() => stmts.enabledEndpoints.all().map((r) => JSON.parse(r.data) as T)),
    endpointSecret: (endpointId) => run(() => stmts.getSecret.get(endpointId)?.secret ?? null),
    putEndpointSecret: (endpointId, secret) =>
      run(() => {
        stmts.putSecret.run(endpointId, secret);
      }),
    deleteEndpointSecret: (endpointId) =>
      run(() => {
        stmts.deleteSecret.run(endpointId);
      }),
    remove: (type, id) =>
      run(() => {
        stmts.deleteObject.run(id, type);
      }),
    deliveries: (filter, limit) => run(() => stmts.deliveryRows.all(filter.eventId, limit).map(toDeliveryRow)),
    deliveryList: (filter, page) =>
      run(() => {
        const { clauses, args } = deliveryFilterOf(filter);
        const backwards = page.endingBefore !== null;
        const cursor = page.endingBefore ?? page.startingAfter;
        if (cursor !== null) {
          clauses.push(`d.id ${backwards ? '>' : '<'} ?`);
          args.push(cursor);
        }
        const sql = `SELECT d.*, json_extract(o.data, '$.type') AS event_type FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id
          WHERE ${clauses.join(' AND ')} ORDER BY d.id ${backwards ? 'ASC' : 'DESC'} LIMIT ?`;
        const rows = db.prepare<(string | number)[], DeliveryDbRow>(sql).all(...args, page.limit + 1);
        const data = rows.slice(0, page.limit).map(toDeliveryRow);
        return { data: backwards ? data.reverse() : data, hasMore: rows.length > page.limit };
      }),
    countDeliveries: (filter, newerThan) =>
      run(() => {
        const { clauses, args } = deliveryFilterOf(filter);
        if (newerThan !== undefined) {
          clauses.push('d.id > ?');
          args.push(newerThan);
        }
        const sql = `SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id WHERE ${clauses.join(' AND ')}`;
        return db.prepare<(string | number)[], { n: number }>(sql).get(...args)!.n;
      }),
    delivery: (id) =>
      run(() => {
        const row = stmts.deliveryRow.get(id);
        return row ? toDeliveryRow(row) : null;
      }),
    attemptsOf: (deliveryId) =>
      run(() =>
        stmts.attemptsOf
          .all(deliveryId)
          .map((r) => ({ at: r.at, responseStatus: r.response_status, responseBody: r.response_body, error: r.error })),
      ),
    eventsAbout: <T>(objectId: string, limit: number) =>
      run(() => stmts.eventsAbout.all(objectId, objectId, limit).map((r) => JSON.parse(r.data) as T)),
    redeliver: (delivery, nowMs) =>
      run(() => Number(stmts.insertDelivery.run(delivery.eventId, delivery.endpointId, nowMs, nowMs).lastInsertRowid)),
    useTokenOnce: (jti, expiresAtMs, nowMs) =>
      run(() => {
        stmts.pruneTokens.run(nowMs);
        return stmts.useToken.run(jti, expiresAtMs).changes === 1;
      }),
    endDashboardSession: (sid, expiresAtMs, nowMs) =>
      run(() => {
        stmts.pruneEndedSessions.run(nowMs);
        stmts.endSession.run(sid, expiresAtMs);
      }),
    dashboardSessionEnded: (sid) => run(() => stmts.sessionEnded.get(sid) !== undefined),
    getIdempotent: (apiKeyHash, key) =>
      run(() => {
        const row = stmts.getIdempotent.get(apiKeyHash, key);
        return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : null;
      }),
    putIdempotent: (apiKeyHash, key, result, nowMs) =>
      run(() => {
        stmts.putIdempotent.run(apiKeyHash, key, result.requestHash, result.status, result.body, nowMs);
      }),
    pruneIdempotent: (olderThanMs) =>
      run(() => {
        stmts.pruneIdempotent.run(olderThanMs);
      }),
    close: () =>
      serially(() => {
        db.close();
      }),
  };
  return store;
}
