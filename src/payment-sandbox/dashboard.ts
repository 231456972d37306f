// The dashboard behind the pay button, for a workshop's staff: payments, refunds, events and every
// webhook delivery with the receiver's answers, read-only but for "resend". The sandbox has no
// accounts: the app signs a short-lived link for a tutor or organizer (src/lib/staff-token.ts),
// this file lets it in once and keeps her in with a signed session cookie; the resend form
// carries a token derived from that session (CSRF).
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

/** The session cookie's value for a valid, unused link token; null otherwise. */
export async function enterDashboard(settings: DashboardSettings, token: string): Promise<{ cookie: string; maxAgeMs: number } | null> {
  const claims = readStaffToken(settings.sharedSecret, token, settings.now());
  if (!claims) return null;
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

export function dashboardSessionOf(settings: DashboardSettings, cookie: string | undefined): DashboardSession | null {
  if (!cookie) return null;
  const value = readSignedValue(derivedKey(settings.sharedSecret, 'dashboard-session'), cookie) as Partial<DashboardSession> | null;
  if (!value || typeof value.exp !== 'number' || typeof value.sid !== 'string' || value.exp <= seconds(settings)) return null;
  return value as DashboardSession;
}

export function csrfTokenOf(settings: DashboardSettings, session: DashboardSession): string {
  return createHmac('sha256', derivedKey(settings.sharedSecret, 'dashboard-csrf')).update(session.sid).digest('base64url');
}

export function validCsrf(settings: DashboardSettings, session: DashboardSession, given: unknown): boolean {
  const expected = Buffer.from(csrfTokenOf(settings, session));
  const actual = Buffer.from(typeof given === 'string' ? given : '');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

async function recent<T>(ledger: Ledger, type: 'payment_intent' | 'checkout.session' | 'refund' | 'event'): Promise<T[]> {
  return (await ledger.store.list<T>(type, { where: [], created: {}, limit: PAGE_SIZE, startingAfter: null, endingBefore: null })).data;
}

export async function paymentsPage(ledger: Ledger) {
  return {
    intents: await recent<Stripe.PaymentIntent>(ledger, 'payment_intent'),
    sessions: await recent<Stripe.Checkout.Session>(ledger, 'checkout.session'),
  };
}

/** A PaymentIntent with its Checkout Session, and every event about it with that event's deliveries. */
export async function paymentPage(ledger: Ledger, id: string) {
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

export async function refundsPage(ledger: Ledger) {
  return { refunds: await recent<Stripe.Refund>(ledger, 'refund') };
}

export async function eventsPage(ledger: Ledger) {
  return { events: await recent<Stripe.Event>(ledger, 'event') };
}

export async function deliveriesPage(ledger: Ledger, filter: { eventId?: string | undefined; status?: DeliveryStatus | undefined }) {
  return { deliveries: await ledger.store.deliveries(filter, PAGE_SIZE), filter };
}

/** Where a delivery went: the app's configured endpoint, or one registered through the API (null once deleted). */
async function endpointUrl(ledger: Ledger, appWebhookUrl: string, delivery: DeliveryRow): Promise<string | null> {
  if (delivery.endpointId === null) return appWebhookUrl;
  return (await ledger.store.get<Stripe.WebhookEndpoint>('webhook_endpoint', delivery.endpointId))?.url ?? null;
}

export async function deliveryPage(ledger: Ledger, appWebhookUrl: string, id: number) {
  const delivery = await ledger.store.delivery(id);
  if (!delivery) return null;
  const event = await ledger.store.get<Stripe.Event>('event', delivery.eventId);
  const url = await endpointUrl(ledger, appWebhookUrl, delivery);
  const object = event?.data.object as { id?: string; payment_intent?: string | null } | undefined;
  const paymentIntentId = object?.id?.startsWith('pi_') ? object.id : (object?.payment_intent ?? null);
  return { delivery, attempts: await ledger.store.attemptsOf(id), event, url, canResend: url !== null, paymentIntentId };
}

/** Sends the event again to the same endpoint, as Stripe's "Resend": a new delivery, due now. Null when there is nothing to resend to. */
export async function resendDelivery(ledger: Ledger, appWebhookUrl: string, id: number): Promise<number | null> {
  return ledger.store.transaction(async () => {
    const delivery = await ledger.store.delivery(id);
    if (!delivery || (await endpointUrl(ledger, appWebhookUrl, delivery)) === null) return null;
    return ledger.store.redeliver(delivery, ledger.now());
  });
}
