// Two sandbox processes on one store, as `npm run cluster` and deploy/ run them behind several app
// instances: each sandbox here has its own store connection (its own PostgreSQL pool, or its own
// SQLite connection to the same file), so the locks and claims work across connections exactly
// as across processes. A session confirmed through both at once is paid once; every event is
// delivered once, retries included, though both send.
import Stripe from 'stripe';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  csrfFrom,
  getPage,
  postForm,
  sessionParams,
  SHOP,
  startSandbox,
  startWebhookReceiver,
  tempDatabase,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';
import { scratchDatabase, testPostgresUrl } from '../test/postgres.js';

const serverUrl = testPostgresUrl('two payment sandboxes sharing one PostgreSQL (src/payment-sandbox/shared-store.test.ts)');

/** The tests, each on a new store that both sandboxes open. */
function sharedStoreTests(newDatabase: () => Promise<string>) {
  let receiver: WebhookReceiver;
  let first: RunningSandbox;
  let second: RunningSandbox;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    const database = await newDatabase();
    first = await startSandbox({ database, webhookUrl: receiver.url });
    second = await startSandbox({ database, webhookUrl: receiver.url });
  });

  afterEach(async () => {
    await first.stop();
    await second.stop();
    await receiver.close();
  });

  /** The session's hosted page as served by one sandbox or the other (same path, other port). */
  const pageOn = (running: RunningSandbox, session: Stripe.Checkout.Session) => `${running.baseUrl}/c/pay/${session.id}`;

  it('when one session is confirmed through both sandboxes at the same moment, then it is paid once', async () => {
    const session = await first.stripe.checkout.sessions.create(sessionParams());
    const csrf = csrfFrom((await getPage(pageOn(first, session))).html);
    const card = { _csrf: csrf, cardNumber: '4242424242424242', expiry: '12/34', cvc: '123', name: 'Siti Aminah' };
    const answers = await Promise.all(
      [first, second, first, second, first, second].map((running) => postForm(pageOn(running, session), card)),
    );

    const success = `${SHOP}/orders/return?session_id=${session.id}`;
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303, 303, 303]);
    expect(answers.filter((a) => a.location === success)).toHaveLength(1);
    const paid = await second.stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const charges = await first.stripe.charges.list({ payment_intent: String(paid.payment_intent) });
    expect(charges.data).toHaveLength(1);
    await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    const completed = await second.stripe.events.list({ type: 'checkout.session.completed' });
    expect(completed.data).toHaveLength(1);
  });

  it('when both sandboxes send while the app is slow, then down, then up again, then each event arrives once', async () => {
    // Slow answers keep deliveries in flight while the other sandbox looks for due ones; the
    // refusals put them on their retry timers, which fire in both sandboxes.
    receiver.delayMs = 150;
    receiver.respondWith = 500;
    const sessions = await Promise.all([1, 2, 3, 4].map(() => first.stripe.checkout.sessions.create(sessionParams())));
    await Promise.all(
      sessions.map(async (session, i) => {
        const running = i % 2 === 0 ? first : second;
        const csrf = csrfFrom((await getPage(pageOn(running, session))).html);
        const res = await postForm(pageOn(running, session), {
          _csrf: csrf,
          cardNumber: '4242424242424242',
          expiry: '12/34',
          cvc: '123',
          name: 'Budi',
        });
        expect(res.status).toBe(303);
      }),
    );
    while (receiver.rejected < 4) await new Promise((r) => setTimeout(r, 20));
    receiver.respondWith = 200;

    const events: Stripe.Event[] = [];
    for await (const event of second.stripe.events.list({ limit: 100 })) events.push(event);
    // 4 sessions: session created is not an event; each payment emits payment_intent.created, charge.succeeded,
    // payment_intent.succeeded and checkout.session.completed.
    expect(events).toHaveLength(16);
    const deadline = Date.now() + 15_000;
    while (new Set(receiver.received.map((r) => r.event.id)).size < events.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Time for a second copy, were one on its way.
    await new Promise((r) => setTimeout(r, 500));
    const ids = receiver.received.map((r) => r.event.id);
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id)));
    expect(ids).toHaveLength(events.length);
  });
}

describe('two sandboxes on one SQLite file', () => {
  sharedStoreTests(tempDatabase);
});

describe.skipIf(!serverUrl)('two sandboxes on one PostgreSQL database', () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });
  sharedStoreTests(async () => {
    const scratch = await scratchDatabase(serverUrl!, 'pasarlatih_payshare');
    drops.push(scratch.drop);
    return scratch.url;
  });
});
