// The sandbox's store: its own SQLite file on a laptop, or its own PostgreSQL database when
// several sandbox processes share one (PAYMENT_SANDBOX_DATABASE_URL; README "Running a program with
// many workshops"). Stripe objects are stored as JSON documents, exactly as the API returns them;
// the few fields the sandbox must query or keep private live beside them. Both implementations
// (store-sqlite.ts, store-postgres.ts; open-store.ts picks one) create their tables on open if missing, and run every
// transaction one at a time across every process of the store, as SQLite's BEGIN IMMEDIATE does:
// the rules read, check and write inside one, so a payment is paid once however many tabs confirm.

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

/** The answer a receiver gave to one try of a delivery. */
export interface DeliveryAnswer {
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
}

export type DeliveryOutcome = { kind: 'delivered' } | { kind: 'retry'; nextAtMs: number } | { kind: 'failed' };

export interface Store {
  /**
   * Runs `fn` as one transaction, alone among the store's transactions in every process; the
   * store's methods called inside it (however deep, through the same store) belong to it.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  get<T>(type: ObjectType, id: string): Promise<T | null>;
  insert<T extends { id: string; created: number }>(type: ObjectType, object: T): Promise<T>;
  exists(type: ObjectType, id: string): Promise<boolean>;
  /**
   * Insertion order stands for `created` (several objects share a second): it orders them and a
   * cursor is the position of the object it names. One row more than the limit says has_more.
   */
  list<T>(type: ObjectType, q: ListQuery): Promise<{ data: T[]; hasMore: boolean }>;
  /** How many objects match a list's filter; with `newerThan`, only those listed before that one. */
  count(type: ObjectType, q: Pick<ListQuery, 'where' | 'created' | 'workshopId'>, newerThan?: string): Promise<number>;
  /**
   * True when the object exists and belongs to the workshop. The app names the workshop in the
   * metadata of each Checkout Session and of its PaymentIntent; a PaymentIntent belongs to the
   * workshop its own metadata or its session's names, a charge or refund to its PaymentIntent's, an
   * event to the object it is about. Anything else (a PaymentIntent made through the API without
   * that metadata, a webhook endpoint) belongs to no workshop. ListQuery.workshopId scopes the same way.
   */
  belongsTo(type: ObjectType, id: string, workshopId: string): Promise<boolean>;
  update<T extends { id: string }>(type: ObjectType, object: T): Promise<T>;
  openSessionIdsExpiredBy(nowSeconds: number): Promise<string[]>;
  getPrivate(sessionId: string): Promise<SessionPrivate | null>;
  insertPrivate(p: Omit<SessionPrivate, 'pendingAuth'>): Promise<void>;
  sessionIdForPaymentIntent(paymentIntentId: string): Promise<string | null>;
  setPendingAuth(sessionId: string, pending: PendingAuth | null): Promise<void>;
  insertDelivery(eventId: string, endpointId: string | null, dueAtMs: number): Promise<void>;
  /**
   * Due deliveries, each claimed for `leaseMs` by the caller: another process sees it again only
   * when the lease runs out without an attempt recorded (its sender died half way).
   */
  claimDueDeliveries(nowMs: number, limit: number, leaseMs: number): Promise<Delivery[]>;
  /** Gives a claimed delivery back unsent (its process is stopping). */
  releaseClaim(deliveryId: number): Promise<void>;
  /** When the next pending delivery falls due (or its claim runs out); null when none is pending. */
  nextDeliveryDueAt(): Promise<number | null>;
  /** Records one try and where the delivery stands after it, together, and releases its claim. */
  recordAttempt(deliveryId: number, attempts: number, nowMs: number, answer: DeliveryAnswer, outcome: DeliveryOutcome): Promise<void>;
  /** Pending deliveries to a deleted endpoint are not sent. */
  cancelDeliveriesTo(endpointId: string, reason: string): Promise<void>;
  /** The endpoints registered through the API that are enabled, oldest first. */
  enabledEndpoints<T>(): Promise<T[]>;
  endpointSecret(endpointId: string): Promise<string | null>;
  putEndpointSecret(endpointId: string, secret: string): Promise<void>;
  deleteEndpointSecret(endpointId: string): Promise<void>;
  remove(type: ObjectType, id: string): Promise<void>;
  /** Deliveries newest first: of one event (the payment page). */
  deliveries(filter: { eventId: string }, limit: number): Promise<DeliveryRow[]>;
  /** One page of a workshop's deliveries, newest first; cursors are delivery ids, as Stripe's lists. */
  deliveryList(
    filter: DeliveryFilter,
    page: { limit: number; startingAfter: number | null; endingBefore: number | null },
  ): Promise<{ data: DeliveryRow[]; hasMore: boolean }>;
  /** How many deliveries match; with `newerThan`, only those listed before that one. */
  countDeliveries(filter: DeliveryFilter, newerThan?: number): Promise<number>;
  delivery(id: number): Promise<DeliveryRow | null>;
  attemptsOf(deliveryId: number): Promise<AttemptRow[]>;
  /** The events about an object (a PaymentIntent: also those of its charges, refunds and session), newest first. */
  eventsAbout<T>(objectId: string, limit: number): Promise<T[]>;
  /** A new delivery of the same event to the same endpoint, due now; its id. */
  redeliver(delivery: DeliveryRow, nowMs: number): Promise<number>;
  /** True the first time a sign-in token's id is seen: a token opens the dashboard once. */
  useTokenOnce(jti: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /** A dashboard session signed out: its cookie no longer opens the dashboard, even if a copy of it was kept. */
  endDashboardSession(sid: string, expiresAtMs: number, nowMs: number): Promise<void>;
  dashboardSessionEnded(sid: string): Promise<boolean>;
  getIdempotent(apiKeyHash: string, key: string): Promise<IdempotentResult | null>;
  putIdempotent(apiKeyHash: string, key: string, result: IdempotentResult, nowMs: number): Promise<void>;
  pruneIdempotent(olderThanMs: number): Promise<void>;
  close(): Promise<void>;
}
