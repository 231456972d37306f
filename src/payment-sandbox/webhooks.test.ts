// Events as the app receives them: signed like Stripe (verified with the SDK's own
// constructEvent), retried while the app is down, and kept across a sandbox restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import {
  payWithCard,
  sessionParams,
  startSandbox,
  startSandboxAndReceiver,
  startWebhookReceiver,
  stopSandboxAndReceiver,
  tempDatabase,
  WEBHOOK_SECRET,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';
import { signatureHeader } from './webhooks.js';

let receiver: WebhookReceiver;
let running: RunningSandbox;

beforeEach(async () => {
  ({ receiver, running } = await startSandboxAndReceiver());
});

afterEach(() => stopSandboxAndReceiver({ receiver, running }));

async function completedEvent() {
  const session = await running.stripe.checkout.sessions.create(sessionParams());
  await payWithCard(session.url!, { number: '4242424242424242' });
  return receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
}

describe('webhook signatures', () => {
  it('when an event arrives, then stripe.webhooks.constructEvent verifies it with the shared secret', async () => {
    const hook = await completedEvent();
    expect(hook.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = running.stripe.webhooks.constructEvent(hook.body, hook.signature, WEBHOOK_SECRET);
    expect(event.type).toBe('checkout.session.completed');
    expect(event).toMatchObject({ object: 'event', livemode: false, api_version: expect.any(String) });
    expect(await running.stripe.events.retrieve(event.id)).toEqual(event);
  });

  it('when the payload is tampered with, then verification fails', async () => {
    const hook = await completedEvent();
    const tampered = hook.body.replace('"payment_status":"paid"', '"payment_status":"unpaid"');
    expect(tampered).not.toBe(hook.body);
    expect(() => running.stripe.webhooks.constructEvent(tampered, hook.signature, WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => running.stripe.webhooks.constructEvent(hook.body, hook.signature, 'whsec_someone_else')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('when the signature is older than the tolerance, then verification fails', async () => {
    const hook = await completedEvent();
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const old = signatureHeader(hook.body, WEBHOOK_SECRET, tenMinutesAgo);
    expect(() => running.stripe.webhooks.constructEvent(hook.body, old, WEBHOOK_SECRET, 300)).toThrow(/timestamp outside the tolerance/i);
    expect(running.stripe.webhooks.constructEvent(hook.body, old, WEBHOOK_SECRET, 900).type).toBe('checkout.session.completed');
  });

  it('when the sandbox signs, then it matches what the SDK itself would sign', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event' });
    const t = 1_700_000_000;
    expect(signatureHeader(payload, WEBHOOK_SECRET, t)).toBe(
      running.stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: t }),
    );
  });
});

describe('delivery', () => {
  it('when the app answers 500 at first, then the event is retried until it is accepted', async () => {
    receiver.respondWith = 500;
    const session = await running.stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4242424242424242' });
    while (receiver.rejected === 0) await new Promise((r) => setTimeout(r, 10));
    expect(receiver.received).toHaveLength(0);
    receiver.respondWith = 200;
    const hook = await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    expect(running.stripe.webhooks.constructEvent(hook.body, hook.signature, WEBHOOK_SECRET).id).toBe(hook.event.id);
  });

  it('when the app is down while the sandbox restarts, then the pending events are delivered after the restart', async () => {
    const database = await tempDatabase();
    const late = await startWebhookReceiver();
    const lateUrl = late.url;
    await late.close(); // the app is down: connection refused
    const first = await startSandbox({ database, webhookUrl: lateUrl, webhookRetryDelaysMs: [60_000] });
    const session = await first.stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4242424242424242' });
    await new Promise((r) => setTimeout(r, 100));
    await first.stop();

    const second = await startSandbox({ database, webhookUrl: receiver.url, now: () => Date.now() + 120_000 });
    try {
      await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
      await receiver.waitFor((e) => e.type === 'payment_intent.succeeded');
    } finally {
      await second.stop();
    }
  });

  it('when every attempt fails, then delivery stops after the bounded retries', async () => {
    receiver.respondWith = 503;
    const session = await running.stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4000000000000002' });
    // Three events (payment_intent.created, charge.failed, payment_intent.payment_failed), each tried once and retried 3 times.
    while (receiver.rejected < 12) await new Promise((r) => setTimeout(r, 10));
    receiver.respondWith = 200;
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(0);
  });
});
