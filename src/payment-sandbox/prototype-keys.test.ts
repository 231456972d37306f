// Anyone on the room's Wi-Fi can reach the sandbox, and it runs in the app's process: one POST of
// `__proto__[layout]=x` to /v1/refunds once polluted Object.prototype and every app page then
// answered 500. Every sandbox URL is sent the hostile keys, in its body and in its query string;
// afterwards no object has gained a property and the app still serves its sign-in page.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import {
  API_KEY,
  csrfFrom,
  decodeEntities,
  getPage,
  payWithCard,
  sessionParams,
  startSandboxAndReceiver,
  stopSandboxAndReceiver,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';
import { apiEndpoints } from './api.routes.js';
import { hostedPages } from './hosted.routes.js';

const hostileParams = [
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  '__proto__[layout]=x',
  'metadata[__proto__][x]=1',
  'a[constructor][prototype][x]=1',
];

interface Sent {
  url: string;
  method: 'get' | 'post' | 'delete';
  hostile: string;
  status: number;
  text: string;
}

let receiver: WebhookReceiver;
let running: RunningSandbox;
let ids: { session: string; paymentIntent: string; csrf: string };
const api: Sent[] = [];
const hosted: Sent[] = [];

beforeAll(async () => {
  ({ receiver, running } = await startSandboxAndReceiver());
  // A session waiting for its 3-D Secure code, so that both forms read what they are sent.
  const session = await running.stripe.checkout.sessions.create(sessionParams());
  await payWithCard(session.url!, { number: '4000002760003184' });
  const paymentIntent = (await running.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
  ids = { session: session.id, paymentIntent, csrf: csrfFrom((await getPage(session.url!)).html) };

  for (const { method, path } of apiEndpoints) {
    for (const hostile of hostileParams) {
      api.push(await send(method, `/v1${urlOf(path)}`, hostile, `${hostile}&amount=100`, { authorization: `Bearer ${API_KEY}` }));
    }
  }
  const otherUrls = [{ method: 'get', path: '/' } as const, { method: 'get', path: '/favicon.ico' } as const];
  for (const { method, path } of [...hostedPages, ...otherUrls]) {
    for (const hostile of hostileParams) {
      hosted.push(await send(method, urlOf(path), hostile, `_csrf=${ids.csrf}&${hostile}&cardNumber=4242424242424242&name=Siti`));
    }
  }
});

afterAll(() => stopSandboxAndReceiver({ receiver, running }));

/** A path of the route table with real ids in it, so each request reaches its handler. */
function urlOf(path: string): string {
  return path
    .replace(':sessionId', ids.session)
    .replace(':paymentIntentId', ids.paymentIntent)
    .replace(/^\/checkout\/sessions\/:id/, `/checkout/sessions/${ids.session}`)
    .replace(/^\/payment_intents\/:id/, `/payment_intents/${ids.paymentIntent}`)
    .replace(':id', 'unknown');
}

/** The hostile keys go in the query string, and in the body of a POST. */
async function send(
  method: 'get' | 'post' | 'delete',
  url: string,
  hostile: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const res = await fetch(`${running.baseUrl}${url}?${hostile}`, {
    method: method.toUpperCase(),
    redirect: 'manual',
    headers: { ...headers, ...(method === 'post' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(method === 'post' ? { body } : {}),
  });
  return { url, method, hostile, status: res.status, text: await res.text() };
}

describe('prototype keys sent to every sandbox URL', () => {
  it('when they reach an API endpoint, then it refuses them with a 400 in Stripe format', () => {
    expect(api).toHaveLength(apiEndpoints.length * hostileParams.length);
    for (const sent of api) {
      expect({ ...sent, text: undefined }).toEqual({ ...sent, text: undefined, status: 400 });
      expect(JSON.parse(sent.text)).toMatchObject({
        error: { type: 'invalid_request_error', message: expect.stringContaining('Invalid parameter') },
      });
    }
  });

  it('when they reach a hosted page, then nothing fails and a form post is refused with a 400 page', () => {
    expect(hosted.filter((s) => s.method === 'post')).toHaveLength(
      hostedPages.filter((p) => p.method === 'post').length * hostileParams.length,
    );
    for (const sent of hosted) {
      expect({ ...sent, text: undefined }).toEqual({ ...sent, text: undefined, status: sent.method === 'post' ? 400 : expect.any(Number) });
      expect(sent.status).toBeLessThan(500);
      if (sent.method === 'post') expect(decodeEntities(sent.text)).toContain('Formulir tidak dapat dibaca');
    }
  });

  it('when all of that has been sent, then no object gained a property and the app still serves its sign-in page', async () => {
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).layout).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    const signIn = await request(createApp()).get('/login');
    expect(signIn.status).toBe(200);
    expect(signIn.text).toContain('name="username"');
  });
});
