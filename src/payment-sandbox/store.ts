// The sandbox's own SQLite file. Stripe objects are stored as JSON documents, exactly as the
// API returns them; the few fields the sandbox must query or keep private live beside them.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type ObjectType = 'checkout.session' | 'payment_intent' | 'charge' | 'refund' | 'event' | 'product' | 'price';

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
}

export interface Delivery {
  eventId: string;
  attempts: number;
  payload: string;
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
CREATE TABLE IF NOT EXISTS deliveries (
  event_id TEXT PRIMARY KEY REFERENCES objects(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(status, next_attempt_at);
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

export function openStore(dbFile: string) {
  if (dbFile !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(schema);

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
    insertDelivery: db.prepare<[string, number]>(`INSERT INTO deliveries (event_id, status, next_attempt_at) VALUES (?, 'pending', ?)`),
    dueDeliveries: db.prepare<[number, number], { event_id: string; attempts: number; data: string }>(
      `SELECT d.event_id, d.attempts, o.data FROM deliveries d JOIN objects o ON o.id = d.event_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, o.created LIMIT ?`,
    ),
    nextDueAt: db.prepare<[], { at: number | null }>(`SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'`),
    markDelivered: db.prepare<[number, number, string]>(
      `UPDATE deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL WHERE event_id = ?`,
    ),
    markRetry: db.prepare<[number, number, string, string]>(
      `UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE event_id = ?`,
    ),
    markFailed: db.prepare<[number, string, string]>(
      `UPDATE deliveries SET status = 'failed', attempts = ?, last_error = ? WHERE event_id = ?`,
    ),
    deliveryStatus: db.prepare<[string], { status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM deliveries WHERE event_id = ?',
    ),
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
    insertDelivery(eventId: string, dueAtMs: number): void {
      stmts.insertDelivery.run(eventId, dueAtMs);
    },
    dueDeliveries(nowMs: number, limit: number): Delivery[] {
      return stmts.dueDeliveries.all(nowMs, limit).map((r) => ({ eventId: r.event_id, attempts: r.attempts, payload: r.data }));
    },
    nextDeliveryDueAt(): number | null {
      return stmts.nextDueAt.get()?.at ?? null;
    },
    markDelivered(eventId: string, attempts: number, nowMs: number): void {
      stmts.markDelivered.run(attempts, nowMs, eventId);
    },
    markRetry(eventId: string, attempts: number, nextAtMs: number, error: string): void {
      stmts.markRetry.run(attempts, nextAtMs, error, eventId);
    },
    markFailed(eventId: string, attempts: number, error: string): void {
      stmts.markFailed.run(attempts, error, eventId);
    },
    deliveryStatus(eventId: string) {
      return stmts.deliveryStatus.get(eventId) ?? null;
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
