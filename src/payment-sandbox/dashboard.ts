// The dashboard behind the pay button, for a workshop's staff: payments, refunds, events and every
// webhook delivery with the receiver's answers, read-only but for "resend". The sandbox has no
// accounts: the app signs a short-lived link for a tutor or organizer (src/lib/staff-token.ts),
// this file lets it in once and keeps her in with a signed session cookie; the resend form
// carries a token derived from that session (CSRF). The link names one workshop of the app, and
// every page, lookup by id and resend shows only that workshop's objects (store.ts: inWorkshop):
// staff of several workshops see the one they opened the dashboard from.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { derivedKey, readSignedValue, readStaffToken, signValue } from '../lib/staff-token.js';
import { seconds, type Ledger } from './ledger.js';
import type { DeliveryRow, DeliveryStatus } from './store.js';

export interface DashboardSettings extends Ledger {
  /** The secret the app and the sandbox share (the sandbox's API key); the dashboard's keys are derived from it. */
  sharedSecret: string;
}

export interface DashboardSession {
  name: string;
  role: string;
  workshopId: number;
  /** Random per sign-in: the CSRF token is derived from it. */
  sid: string;
  exp: number;
}

/** A workshop day: the tutor opens it again from the app the next morning. */
const SESSION_SECONDS = 10 * 3600;
const PAGE_SIZE = 50;

/** The roles the app hands a link to (src/features/payments/dashboard-link.ts); the sandbox checks again. */
const STAFF_ROLES = new Set(['tutor', 'organizer']);

/** The session cookie's value for a valid, unused link token of a workshop's staff; null otherwise. */
export async function enterDashboard(settings: DashboardSettings, token: string): Promise<{ cookie: string; maxAgeMs: number } | null> {
  const claims = readStaffToken(settings.sharedSecret, token, settings.now());
  if (!claims || !STAFF_ROLES.has(claims.role) || !Number.isSafeInteger(claims.workshopId) || claims.workshopId <= 0) return null;
  const firstUse = await settings.store.transaction(() => settings.store.useTokenOnce(claims.jti, claims.exp * 1000, settings.now()));
  if (!firstUse) return null;
  const session: DashboardSession = {
    name: claims.name,
    role: claims.role,
    workshopId: claims.workshopId,
    sid: randomBytes(16).toString('base64url'),
    exp: seconds(settings) + SESSION_SECONDS,
  };
  return { cookie: signValue(derivedKey(settings.sharedSecret, 'dashboard-session'), session), maxAgeMs: SESSION_SECONDS * 1000 };
}

/** The session a cookie carries: signed by the sandbox, not expired, not signed out. */
export async function dashboardSessionOf(settings: DashboardSettings, cookie: string | undefined): Promise<DashboardSession | null> {
  if (!cookie) return null;
  const value = readSignedValue(derivedKey(settings.sharedSecret, 'dashboard-session'), cookie) as Partial<DashboardSession> | null;
  if (!value || typeof value.exp !== 'number' || typeof value.sid !== 'string' || value.exp <= seconds(settings)) return null;
  if (typeof value.workshopId !== 'number' || (await settings.store.dashboardSessionEnded(value.sid))) return null;
  return value as DashboardSession;
}

/** "Keluar": the cookie is cleared by the route; the session's id is recorded so that no copy of the cookie opens the dashboard again. */
export async function signOut(settings: DashboardSettings, session: DashboardSession): Promise<void> {
  await settings.store.transaction(() => settings.store.endDashboardSession(session.sid, session.exp * 1000, settings.now()));
}

export function csrfTokenOf(settings: DashboardSettings, session: DashboardSession): string {
  return createHmac('sha256', derivedKey(settings.sharedSecret, 'dashboard-csrf')).update(session.sid).digest('base64url');
}

export function validCsrf(settings: DashboardSettings, session: DashboardSession, given: unknown): boolean {
  const expected = Buffer.from(csrfTokenOf(settings, session));
  const actual = Buffer.from(typeof given === 'string' ? given : '');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Stripe's list cursors: the page after (older than) one object, or before (newer than) it. */
export interface Cursor<Id> {
  startingAfter: Id | null;
  endingBefore: Id | null;
}

/** Where a page stands in its list: "51–100 of 123", and the cursors of the pages around it. */
export interface PageInfo<Id> {
  total: number;
  from: number;
  to: number;
  newer: Id | null;
  older: Id | null;
  /** A cursor that names nothing in this list (another workshop's object, a deleted one): offer the first page. */
  lost: boolean;
}

function pageInfo<Id>(data: { id: Id }[], total: number, newerCount: number, hadCursor: boolean): PageInfo<Id> {
  const first = data[0];
  const last = data[data.length - 1];
  if (!first || !last) return { total, from: 0, to: 0, newer: null, older: null, lost: hadCursor && total > 0 };
  const to = newerCount + data.length;
  return { total, from: newerCount + 1, to, newer: newerCount > 0 ? first.id : null, older: to < total ? last.id : null, lost: false };
}

function scopeOf(session: DashboardSession): string {
  return String(session.workshopId);
}

async function listPage<T extends { id: string }>(
  ledger: Ledger,
  session: DashboardSession,
  type: 'payment_intent' | 'checkout.session' | 'refund' | 'event',
  cursor: Cursor<string>,
) {
  const q = { where: [], created: {}, workshopId: scopeOf(session) };
  const { data } = await ledger.store.list<T>(type, { ...q, limit: PAGE_SIZE, ...cursor });
  const newerCount = data[0] ? await ledger.store.count(type, q, data[0].id) : 0;
  const hadCursor = cursor.startingAfter !== null || cursor.endingBefore !== null;
  return { data, page: pageInfo(data, await ledger.store.count(type, q), newerCount, hadCursor) };
}

export async function paymentsPage(
  ledger: Ledger,
  session: DashboardSession,
  cursors: { intents: Cursor<string>; sessions: Cursor<string> },
) {
  const intents = await listPage<Stripe.PaymentIntent>(ledger, session, 'payment_intent', cursors.intents);
  const sessions = await listPage<Stripe.Checkout.Session>(ledger, session, 'checkout.session', cursors.sessions);
  return { intents: intents.data, intentsPage: intents.page, sessions: sessions.data, sessionsPage: sessions.page };
}

/** A PaymentIntent of the session's workshop with its Checkout Session, and every event about it with that event's deliveries. */
export async function paymentPage(ledger: Ledger, staff: DashboardSession, id: string) {
  if (!(await ledger.store.belongsTo('payment_intent', id, scopeOf(staff)))) return null;
  const intent = await ledger.store.get<Stripe.PaymentIntent>('payment_intent', id);
  if (!intent) return null;
  const sessionId = await ledger.store.sessionIdForPaymentIntent(id);
  const session = sessionId ? await ledger.store.get<Stripe.Checkout.Session>('checkout.session', sessionId) : null;
  const about = [
    ...(await ledger.store.eventsAbout<Stripe.Event>(id, PAGE_SIZE)),
    ...(sessionId ? await ledger.store.eventsAbout<Stripe.Event>(sessionId, 10) : []),
  ];
  // A session's events name its PaymentIntent too: each event once.
  const events = await Promise.all(
    [...new Map(about.map((event) => [event.id, event])).values()]
      .sort((a, b) => b.created - a.created)
      .map(async (event) => ({ event, deliveries: await ledger.store.deliveries({ eventId: event.id }, 20) })),
  );
  return { intent, session, events };
}

export async function refundsPage(ledger: Ledger, session: DashboardSession, cursor: Cursor<string>) {
  const { data, page } = await listPage<Stripe.Refund>(ledger, session, 'refund', cursor);
  return { refunds: data, page };
}

export async function eventsPage(ledger: Ledger, session: DashboardSession, cursor: Cursor<string>) {
  const { data, page } = await listPage<Stripe.Event>(ledger, session, 'event', cursor);
  return { events: data, page };
}

/** The workshop's deliveries, of one of its events or in one status; null when the event is not the workshop's. */
export async function deliveriesPage(
  ledger: Ledger,
  session: DashboardSession,
  filter: { eventId?: string | undefined; status?: DeliveryStatus | undefined },
  cursor: Cursor<number>,
) {
  if (filter.eventId !== undefined && !(await ledger.store.belongsTo('event', filter.eventId, scopeOf(session)))) return null;
  const scoped = { ...filter, workshopId: scopeOf(session) };
  const { data } = await ledger.store.deliveryList(scoped, { limit: PAGE_SIZE, ...cursor });
  const newerCount = data[0] ? await ledger.store.countDeliveries(scoped, data[0].id) : 0;
  const hadCursor = cursor.startingAfter !== null || cursor.endingBefore !== null;
  return { deliveries: data, filter, page: pageInfo(data, await ledger.store.countDeliveries(scoped), newerCount, hadCursor) };
}

/** A delivery of one of the workshop's events; null for another workshop's (the route answers 404). */
async function deliveryOf(ledger: Ledger, session: DashboardSession, id: number): Promise<DeliveryRow | null> {
  const delivery = await ledger.store.delivery(id);
  if (!delivery || !(await ledger.store.belongsTo('event', delivery.eventId, scopeOf(session)))) return null;
  return delivery;
}

/** Where a delivery went: the app's configured endpoint, or one registered through the API (null once deleted). */
async function endpointUrl(ledger: Ledger, appWebhookUrl: string, delivery: DeliveryRow): Promise<string | null> {
  if (delivery.endpointId === null) return appWebhookUrl;
  return (await ledger.store.get<Stripe.WebhookEndpoint>('webhook_endpoint', delivery.endpointId))?.url ?? null;
}

export async function deliveryPage(ledger: Ledger, session: DashboardSession, appWebhookUrl: string, id: number) {
  const delivery = await deliveryOf(ledger, session, id);
  if (!delivery) return null;
  const event = await ledger.store.get<Stripe.Event>('event', delivery.eventId);
  const url = await endpointUrl(ledger, appWebhookUrl, delivery);
  const object = event?.data.object as { id?: string; payment_intent?: string | null } | undefined;
  const paymentIntentId = object?.id?.startsWith('pi_') ? object.id : (object?.payment_intent ?? null);
  return { delivery, attempts: await ledger.store.attemptsOf(id), event, url, canResend: url !== null, paymentIntentId };
}

/**
 * Sends the event again to the same endpoint, as Stripe's "Resend": a new delivery, due now. Null
 * when there is nothing to resend to, or the delivery is another workshop's.
 */
export async function resendDelivery(ledger: Ledger, session: DashboardSession, appWebhookUrl: string, id: number): Promise<number | null> {
  return ledger.store.transaction(async () => {
    const delivery = await deliveryOf(ledger, session, id);
    if (!delivery || (await endpointUrl(ledger, appWebhookUrl, delivery)) === null) return null;
    return ledger.store.redeliver(delivery, ledger.now());
  });
}
