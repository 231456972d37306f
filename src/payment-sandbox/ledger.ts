// What every rule of the sandbox works on: its store and the clock it stamps objects with,
// passed in as one plain object. The rules (sessions.ts, payment-intents.ts, refunds.ts,
// card-payments.ts) are module functions over it; each runs inside one store transaction that
// its caller opens, so an object and the events it emits are written together or not at all.
import type Stripe from 'stripe';
import { resourceMissing } from './errors.js';
import { buildEvent, type SandboxEventInput } from './objects.js';
import type { SessionPrivate, Store } from './store.js';

export interface Ledger {
  store: Store;
  /** Milliseconds; tests pass their own clock. */
  now: () => number;
}

/** The API request behind a change, recorded on its events as Stripe does. */
export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

/** Changes the sandbox makes on its own (a card paid on the hosted page, a session expiring). */
export const automatic: RequestInfo = { id: null, idempotencyKey: null };

export function seconds(ledger: Ledger): number {
  return Math.floor(ledger.now() / 1000);
}

/**
 * Stores an event and queues its webhook deliveries: one to the app's configured endpoint, one to
 * each enabled endpoint registered through the API whose enabled_events name it (or "*"). The
 * object is copied: later changes to it must not rewrite history.
 */
export async function emit(ledger: Ledger, input: SandboxEventInput, request: RequestInfo): Promise<void> {
  const event = buildEvent({ ...input, object: structuredClone(input.object) } as SandboxEventInput, seconds(ledger), request);
  const endpoints = (await ledger.store.enabledEndpoints<Stripe.WebhookEndpoint>()).filter(
    (e) => e.enabled_events.includes('*') || e.enabled_events.includes(event.type),
  );
  event.pending_webhooks = 1 + endpoints.length;
  await ledger.store.insert('event', event);
  await ledger.store.insertDelivery(event.id, null, ledger.now());
  for (const endpoint of endpoints) await ledger.store.insertDelivery(event.id, endpoint.id, ledger.now());
}

export async function retrieveEvent(ledger: Ledger, id: string): Promise<Stripe.Event> {
  const event = await ledger.store.get<Stripe.Event>('event', id);
  if (!event) throw resourceMissing('event', id, 'id');
  return event;
}

export async function mustGetSession(ledger: Ledger, id: string): Promise<Stripe.Checkout.Session> {
  const session = await ledger.store.get<Stripe.Checkout.Session>('checkout.session', id);
  if (!session) throw resourceMissing('checkout.session', id, 'session');
  return session;
}

export async function mustGetPaymentIntent(ledger: Ledger, id: string): Promise<Stripe.PaymentIntent> {
  const pi = await ledger.store.get<Stripe.PaymentIntent>('payment_intent', id);
  if (!pi) throw resourceMissing('payment_intent', id, 'intent');
  return pi;
}

export async function privateOf(ledger: Ledger, sessionId: string): Promise<SessionPrivate> {
  const p = await ledger.store.getPrivate(sessionId);
  if (!p) throw new Error(`session_private missing for ${sessionId}`);
  return p;
}
