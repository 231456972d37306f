// The sandbox's own SQLite file. Stripe objects are stored as JSON documents, exactly as the
// API returns them; the few fields the sandbox must query or keep private live beside them.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type ObjectType = 'checkout.session' | 'payment_intent' | 'charge' | 'refund' | 'event' | 'product' | 'price' | 'webhook_endpoint';

/** What the hosted page needs and Stripe never returns. Never holds a card number. */
export interface SessionPrivate {
  sessionId: string;
  csrfToken: string;
  lineItems: LineItemRecord[];
  paymentIntentData: PaymentIntentData;
  pendingAuth: PendingAuth | null;
}

/** Settings for the PaymentIntent, created on the first payment attempt as Stripe does. */
export interface PaymentIntentData {
  captureMethod: 'automatic' | 'manual';
  description: string | null;
  metadata: Record<string, string>;
}

export interface LineItemRecord {
  /** `li_…`, `price_…`, `prod_…`: given at creation (absent on sessions stored before they were kept). */
  ids?: { lineItem: string; price: string; product: string };
  name: string;
  description: string | null;
  unitAmount: number;
  quantity: number;
  currency: string;
}

/** A 3-D Secure challenge waiting for its code. Holds a test card's last 4 digits, nothing more. */
export interface PendingAuth {
  otp: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  name: string;
  createdAt: number;
}

/** One page of a list, newest first, as Stripe's list endpoints answer. */
export interface ListQuery {
  /** Equality on a field of the stored JSON (`$.payment_intent`); several values: any of them. */
  where: { path: string; values: readonly string[]; like?: boolean }[];
  created: { gt?: number; gte?: number; lt?: number; lte?: number };
  limit: number;
  startingAfter: string | null;
  endingBefore: string | null;
  /** The dashboard's scope: only objects of this workshop of the app (src/payment-sandbox/dashboard.ts). */
  workshopId?: string;
}

/** Deliveries the dashboard lists: of one event, in one status, of one workshop's events. */
export interface DeliveryFilter {
  eventId?: string | undefined;
  status?: DeliveryStatus | undefined;
  workshopId: string;
}

/** A due delivery of one event to one endpoint; endpointId null is the app's configured endpoint. */
export interface Delivery {
  id: number;
  eventId: string;
  endpointId: string | null;
  attempts: number;
  payload: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'canceled';

/** A delivery as the dashboard shows it. */
export interface DeliveryRow {
  id: number;
  eventId: string;
  eventType: string;
  endpointId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError: string | null;
  deliveredAt: number | null;
  responseStatus: number | null;
}

/** One try of a delivery: the receiver's answer (status, start of its body) or why there was none. */
export interface AttemptRow {
  at: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
}

export interface IdempotentResult {
  requestHash: string;
  status: number;
  body: string;
}

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
  response_status INTEGER
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

export type Store = ReturnType<typeof openStore>;

interface DeliveryDbRow {
  id: number;
  event_id: string;
  event_type: string;
  endpoint_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
  delivered_at: number | null;
  response_status: number | null;
}

/**
 * Which workshop of the app an object belongs to, as SQL over its JSON in `column`. The app names
 * the workshop in the metadata of each Checkout Session and of its PaymentIntent; a PaymentIntent
 * belongs to the workshop its own metadata or its session's names, a charge or refund to its
 * PaymentIntent's, an event to the object it is about. Anything else (a PaymentIntent made through
 * the API without that metadata, a webhook endpoint) belongs to no workshop.
 */
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

function toDeliveryRow(r: DeliveryDbRow): DeliveryRow {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    endpointId: r.endpoint_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    responseStatus: r.response_status,
  };
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

function filterOf(type: ObjectType, q: Pick<ListQuery, 'where' | 'created' | 'workshopId'>) {
  const clauses = ['type = ?'];
  const args: (string | number)[] = [type];
  for (const { path, values, like } of q.where) {
    const tests = values.map(() => (like ? `json_extract(data, ?) LIKE ? ESCAPE '\\'` : 'json_extract(data, ?) = ?'));
    clauses.push(`(${tests.join(' OR ')})`);
    for (const value of values) args.push(path, value);
  }
  const bounds = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  for (const key of Object.keys(bounds) as (keyof typeof bounds)[]) {
    const value = q.created[key];
    if (value === undefined) continue;
    clauses.push(`created ${bounds[key]} ?`);
    args.push(value);
  }
  if (q.workshopId !== undefined) {
    const scope = inWorkshop(type, 'data', q.workshopId);
    clauses.push(scope.sql);
    args.push(...scope.args);
  }
  return { clauses, args };
}

export function openStore(dbFile: string) {
  if (dbFile !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(schema);
  moveOldDeliveries(db);

  const stmts = {
    get: db.prepare<[string, string], { data: string }>('SELECT data FROM objects WHERE id = ? AND type = ?'),
    insert: db.prepare<[string, string, string, number]>('INSERT INTO objects (id, type, data, created) VALUES (?, ?, ?, ?)'),
    update: db.prepare<[string, string, string]>('UPDATE objects SET data = ? WHERE id = ? AND type = ?'),
    openSessionsExpiredBy: db.prepare<[number], { id: string }>(
      `SELECT id FROM objects WHERE type = 'checkout.session'
         AND json_extract(data, '$.status') = 'open' AND json_extract(data, '$.expires_at') <= ?`,
    ),
    getPrivate: db.prepare<[string], { csrf_token: string; line_items: string; payment_intent_data: string; pending_auth: string | null }>(
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
      [number, number],
      { id: number; event_id: string; endpoint_id: string | null; attempts: number; data: string }
    >(
      `SELECT d.id, d.event_id, d.endpoint_id, d.attempts, o.data FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    ),
    nextDueAt: db.prepare<[], { at: number | null }>(`SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'pending'`),
    markDelivered: db.prepare<[number, number, number | null, number]>(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, response_status = ?, last_error = NULL WHERE id = ?`,
    ),
    markRetry: db.prepare<[number, number, string, number | null, number]>(
      `UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, response_status = ? WHERE id = ? AND status = 'pending'`,
    ),
    markFailed: db.prepare<[number, string, number | null, number]>(
      `UPDATE webhook_deliveries SET status = 'failed', attempts = ?, last_error = ?, response_status = ? WHERE id = ? AND status = 'pending'`,
    ),
    insertAttempt: db.prepare<[number, number, number | null, string | null, string | null]>(
      'INSERT INTO delivery_attempts (delivery_id, at, response_status, response_body, error) VALUES (?, ?, ?, ?, ?)',
    ),
    cancelDeliveriesTo: db.prepare<[string, string]>(
      `UPDATE webhook_deliveries SET status = 'canceled', last_error = ? WHERE endpoint_id = ? AND status = 'pending'`,
    ),
    deliveryStatus: db.prepare<[string], { status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM webhook_deliveries WHERE event_id = ? AND endpoint_id IS NULL ORDER BY id DESC LIMIT 1',
    ),
    getSecret: db.prepare<[string], { secret: string }>('SELECT secret FROM endpoint_secrets WHERE endpoint_id = ?'),
    putSecret: db.prepare<[string, string]>('INSERT INTO endpoint_secrets (endpoint_id, secret) VALUES (?, ?)'),
    deleteSecret: db.prepare<[string]>('DELETE FROM endpoint_secrets WHERE endpoint_id = ?'),
    deleteObject: db.prepare<[string, string]>('DELETE FROM objects WHERE id = ? AND type = ?'),
    useToken: db.prepare<[string, number]>('INSERT OR IGNORE INTO dashboard_tokens_used (jti, expires_at) VALUES (?, ?)'),
    enabledEndpoints: db.prepare<[], { data: string }>(
      `SELECT data FROM objects WHERE type = 'webhook_endpoint' AND json_extract(data, '$.status') = 'enabled' ORDER BY rowid`,
    ),
    deliveryRows: db.prepare<[string | null, string | null, string | null, string | null, number], DeliveryDbRow>(
      `SELECT d.*, json_extract(o.data, '$.type') AS event_type FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id
        WHERE (? IS NULL OR d.event_id = ?) AND (? IS NULL OR d.status = ?) ORDER BY d.id DESC LIMIT ?`,
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

  return {
    db,
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    get<T>(type: ObjectType, id: string): T | null {
      const row = stmts.get.get(id, type);
      return row ? (JSON.parse(row.data) as T) : null;
    },
    insert<T extends { id: string; created: number }>(type: ObjectType, object: T): T {
      stmts.insert.run(object.id, type, JSON.stringify(object), object.created);
      return object;
    },
    exists(type: ObjectType, id: string): boolean {
      return stmts.get.get(id, type) !== undefined;
    },
    /**
     * Insertion order stands for `created` (several objects share a second): rowid orders them and
     * a cursor is the rowid of the object it names. One row more than the limit says has_more.
     */
    list<T>(type: ObjectType, q: ListQuery): { data: T[]; hasMore: boolean } {
      const { clauses, args } = filterOf(type, q);
      const backwards = q.endingBefore !== null;
      const cursor = q.endingBefore ?? q.startingAfter;
      if (cursor !== null) {
        clauses.push(`rowid ${backwards ? '>' : '<'} (SELECT rowid FROM objects WHERE id = ? AND type = ?)`);
        args.push(cursor, type);
      }
      const sql = `SELECT data FROM objects WHERE ${clauses.join(' AND ')} ORDER BY rowid ${backwards ? 'ASC' : 'DESC'} LIMIT ?`;
      const rows = db.prepare<(string | number)[], { data: string }>(sql).all(...args, q.limit + 1);
      const hasMore = rows.length > q.limit;
      const page = rows.slice(0, q.limit).map((r) => JSON.parse(r.data) as T);
      return { data: backwards ? page.reverse() : page, hasMore };
    },
    /** How many objects match a list's filter; with \`newerThan\`, only those listed before that one. */
    count(type: ObjectType, q: Pick<ListQuery, 'where' | 'created' | 'workshopId'>, newerThan?: string): number {
      const { clauses, args } = filterOf(type, q);
      if (newerThan !== undefined) {
        clauses.push('rowid > (SELECT rowid FROM objects WHERE id = ? AND type = ?)');
        args.push(newerThan, type);
      }
      const sql = `SELECT COUNT(*) AS n FROM objects WHERE ${clauses.join(' AND ')}`;
      return db.prepare<(string | number)[], { n: number }>(sql).get(...args)!.n;
    },
    /** True when the object exists and belongs to the workshop (see inWorkshop). */
    belongsTo(type: ObjectType, id: string, workshopId: string): boolean {
      const scope = inWorkshop(type, 'data', workshopId);
      const sql = `SELECT 1 FROM objects WHERE id = ? AND type = ? AND ${scope.sql}`;
      return db.prepare<string[], unknown>(sql).get(id, type, ...scope.args) !== undefined;
    },
    update<T extends { id: string }>(type: ObjectType, object: T): T {
      stmts.update.run(JSON.stringify(object), object.id, type);
      return object;
    },
    openSessionIdsExpiredBy(nowSeconds: number): string[] {
      return stmts.openSessionsExpiredBy.all(nowSeconds).map((r) => r.id);
    },
    getPrivate(sessionId: string): SessionPrivate | null {
      const row = stmts.getPrivate.get(sessionId);
      if (!row) return null;
      return {
        sessionId,
        csrfToken: row.csrf_token,
        lineItems: JSON.parse(row.line_items) as LineItemRecord[],
        paymentIntentData: JSON.parse(row.payment_intent_data) as PaymentIntentData,
        pendingAuth: row.pending_auth ? (JSON.parse(row.pending_auth) as PendingAuth) : null,
      };
    },
    insertPrivate(p: Omit<SessionPrivate, 'pendingAuth'>): void {
      stmts.insertPrivate.run(p.sessionId, p.csrfToken, JSON.stringify(p.lineItems), JSON.stringify(p.paymentIntentData));
    },
    sessionIdForPaymentIntent(paymentIntentId: string): string | null {
      return stmts.sessionIdForPaymentIntent.get(paymentIntentId)?.id ?? null;
    },
    setPendingAuth(sessionId: string, pending: PendingAuth | null): void {
      stmts.setPendingAuth.run(pending ? JSON.stringify(pending) : null, sessionId);
    },
    insertDelivery(eventId: string, endpointId: string | null, dueAtMs: number): void {
      stmts.insertDelivery.run(eventId, endpointId, dueAtMs, dueAtMs);
    },
    dueDeliveries(nowMs: number, limit: number): Delivery[] {
      return stmts.dueDeliveries
        .all(nowMs, limit)
        .map((r) => ({ id: r.id, eventId: r.event_id, endpointId: r.endpoint_id, attempts: r.attempts, payload: r.data }));
    },
    nextDeliveryDueAt(): number | null {
      return stmts.nextDueAt.get()?.at ?? null;
    },
    /** Records one try and where the delivery stands after it, together. */
    recordAttempt(
      deliveryId: number,
      attempts: number,
      nowMs: number,
      answer: { responseStatus: number | null; responseBody: string | null; error: string | null },
      outcome: { kind: 'delivered' } | { kind: 'retry'; nextAtMs: number } | { kind: 'failed' },
    ): void {
      db.transaction(() => {
        stmts.insertAttempt.run(deliveryId, nowMs, answer.responseStatus, answer.responseBody, answer.error);
        const error = answer.error ?? `HTTP ${answer.responseStatus}`;
        if (outcome.kind === 'delivered') stmts.markDelivered.run(attempts, nowMs, answer.responseStatus, deliveryId);
        else if (outcome.kind === 'retry') stmts.markRetry.run(attempts, outcome.nextAtMs, error, answer.responseStatus, deliveryId);
        else stmts.markFailed.run(attempts, error, answer.responseStatus, deliveryId);
      })();
    },
    /** Pending deliveries to a deleted endpoint are not sent. */
    cancelDeliveriesTo(endpointId: string, reason: string): void {
      stmts.cancelDeliveriesTo.run(reason, endpointId);
    },
    /** The latest delivery of an event to the app's configured endpoint. */
    deliveryStatus(eventId: string) {
      return stmts.deliveryStatus.get(eventId) ?? null;
    },
    /** The endpoints registered through the API that are enabled, oldest first. */
    enabledEndpoints<T>(): T[] {
      return stmts.enabledEndpoints.all().map((r) => JSON.parse(r.data) as T);
    },
    endpointSecret(endpointId: string): string | null {
      return stmts.getSecret.get(endpointId)?.secret ?? null;
    },
    putEndpointSecret(endpointId: string, secret: string): void {
      stmts.putSecret.run(endpointId, secret);
    },
    deleteEndpointSecret(endpointId: string): void {
      stmts.deleteSecret.run(endpointId);
    },
    remove(type: ObjectType, id: string): void {
      stmts.deleteObject.run(id, type);
    },
    /** Deliveries newest first: of one event (the payment page). */
    deliveries(filter: { eventId: string }, limit: number): DeliveryRow[] {
      return stmts.deliveryRows.all(filter.eventId, filter.eventId, null, null, limit).map(toDeliveryRow);
    },
    /** One page of a workshop's deliveries, newest first; cursors are delivery ids, as Stripe's lists. */
    deliveryList(filter: DeliveryFilter, page: { limit: number; startingAfter: number | null; endingBefore: number | null }) {
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
    },
    /** How many deliveries match; with `newerThan`, only those listed before that one. */
    countDeliveries(filter: DeliveryFilter, newerThan?: number): number {
      const { clauses, args } = deliveryFilterOf(filter);
      if (newerThan !== undefined) {
        clauses.push('d.id > ?');
        args.push(newerThan);
      }
      const sql = `SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN objects o ON o.id = d.event_id WHERE ${clauses.join(' AND ')}`;
      return db.prepare<(string | number)[], { n: number }>(sql).get(...args)!.n;
    },
    delivery(id: number): DeliveryRow | null {
      const row = stmts.deliveryRow.get(id);
      return row ? toDeliveryRow(row) : null;
    },
    attemptsOf(deliveryId: number): AttemptRow[] {
      return stmts.attemptsOf
        .all(deliveryId)
        .map((r) => ({ at: r.at, responseStatus: r.response_status, responseBody: r.response_body, error: r.error }));
    },
    /** The events about an object (a PaymentIntent: also those of its charges, refunds and session), newest first. */
    eventsAbout<T>(objectId: string, limit: number): T[] {
      return stmts.eventsAbout.all(objectId, objectId, limit).map((r) => JSON.parse(r.data) as T);
    },
    /** A new delivery of the same event to the same endpoint, due now; its id. */
    redeliver(delivery: DeliveryRow, nowMs: number): number {
      return Number(stmts.insertDelivery.run(delivery.eventId, delivery.endpointId, nowMs, nowMs).lastInsertRowid);
    },
    /** True the first time a sign-in token's id is seen: a token opens the dashboard once. */
    useTokenOnce(jti: string, expiresAtMs: number, nowMs: number): boolean {
      stmts.pruneTokens.run(nowMs);
      return stmts.useToken.run(jti, expiresAtMs).changes === 1;
    },
    /** A dashboard session signed out: its cookie no longer opens the dashboard, even if a copy of it was kept. */
    endDashboardSession(sid: string, expiresAtMs: number, nowMs: number): void {
      stmts.pruneEndedSessions.run(nowMs);
      stmts.endSession.run(sid, expiresAtMs);
    },
    dashboardSessionEnded(sid: string): boolean {
      return stmts.sessionEnded.get(sid) !== undefined;
    },
    getIdempotent(apiKeyHash: string, key: string): IdempotentResult | null {
      const row = stmts.getIdempotent.get(apiKeyHash, key);
      return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : null;
    },
    putIdempotent(apiKeyHash: string, key: string, result: IdempotentResult, nowMs: number): void {
      stmts.putIdempotent.run(apiKeyHash, key, result.requestHash, result.status, result.body, nowMs);
    },
    pruneIdempotent(olderThanMs: number): void {
      stmts.pruneIdempotent.run(olderThanMs);
    },
    close(): void {
      db.close();
    },
  };
}
