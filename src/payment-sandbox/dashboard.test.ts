// The staff dashboard over HTTP: who may read it (a link signed by the app, used once, not
// expired), what it shows of a payment's webhook deliveries and the app's answers, and resend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, STAFF_TOKEN_TTL_SECONDS } from '../lib/staff-token.js';
import {
  API_KEY,
  decodeEntities,
  getPage,
  payWithCard,
  postForm,
  sessionParams,
  startSandboxAndReceiver,
  stopSandboxAndReceiver,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';

let receiver: WebhookReceiver;
let running: RunningSandbox;

beforeAll(async () => {
  ({ receiver, running } = await startSandboxAndReceiver());
});

afterAll(() => stopSandboxAndReceiver({ receiver, running }));

const tutor = { sub: 7, name: 'Bu Fasilitator', role: 'tutor', workshopId: 1 };

function enterUrl(token: string): string {
  return `${running.baseUrl}/dashboard/enter?token=${encodeURIComponent(token)}`;
}

/** Follows the app's link as the tutor's browser does: the cookie the sandbox sets opens the dashboard. */
async function signIn(): Promise<string> {
  const res = await getPage(enterUrl(issueStaffToken(API_KEY, tutor, Date.now())));
  expect(res.status).toBe(303);
  expect(res.location).toBe('/dashboard');
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^ps_dash=[^;]+;.*HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  return cookie.split(';')[0]!;
}

async function paidSession() {
  const session = await running.stripe.checkout.sessions.create(sessionParams());
  await payWithCard(session.url!, { number: '4242424242424242' });
  const completed = await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
  const paid = await running.stripe.checkout.sessions.retrieve(session.id);
  return { session: paid, completed };
}

describe('who may read the dashboard', () => {
  it('when nobody signed in opens it, then 401 and the way in through the app, and no payment shows', async () => {
    const { session } = await paidSession();
    for (const path of [
      '/dashboard',
      '/dashboard/deliveries',
      '/dashboard/events',
      `/dashboard/payments/${String(session.payment_intent)}`,
    ]) {
      const res = await getPage(`${running.baseUrl}${path}`);
      expect(res.status).toBe(401);
      expect(res.html).toContain('data-reason="signin"');
      expect(res.html).not.toMatch(/data-id=|data-event=|pi-status/);
    }
  });

  it('when the link is signed with another secret, expired, tampered with or used twice, then 403 and no cookie', async () => {
    const forged = issueStaffToken('sk_test_someone_else', tutor, Date.now());
    const expired = issueStaffToken(API_KEY, tutor, Date.now() - (STAFF_TOKEN_TTL_SECONDS + 1) * 1000);
    const genuine = issueStaffToken(API_KEY, tutor, Date.now());
    const [payload, signature] = genuine.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 })).toString('base64url')}.${signature}`;
    expect((await getPage(enterUrl(genuine))).status).toBe(303);
    for (const token of [forged, expired, tampered, genuine, '', 'abc.def']) {
      const res = await getPage(enterUrl(token));
      expect(res.status).toBe(403);
      expect(res.html).toContain('data-reason="link"');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('when a cookie is made up, then 401', async () => {
    const res = await getPage(`${running.baseUrl}/dashboard`, { cookie: 'ps_dash=eyJuYW1lIjoieCJ9.forged' });
    expect(res.status).toBe(401);
  });

  it('when staff sign in through the app link, then the dashboard lists the payments, with a strict CSP', async () => {
    const { session } = await paidSession();
    const res = await getPage(`${running.baseUrl}/dashboard`, { cookie: await signIn() });
    expect(res.status).toBe(200);
    expect(res.html).toContain(`data-id="${String(session.payment_intent)}"`);
    expect(res.html).toContain('Bu Fasilitator');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(res.html).not.toMatch(/<script(?![^>]*src=)|style="/);
  });
});

describe('what it shows', () => {
  it('when a payment is opened, then its events and their deliveries with the app answer are listed', async () => {
    const cookie = await signIn();
    const { session, completed } = await paidSession();
    const page = await getPage(`${running.baseUrl}/dashboard/payments/${String(session.payment_intent)}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="pi-status">succeeded');
    for (const type of ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']) {
      expect(page.html.split(`data-event="${type}"`)).toHaveLength(2);
    }
    const list = await getPage(`${running.baseUrl}/dashboard/deliveries?event=${completed.event.id}`, { cookie });
    expect(list.html).toContain('data-event="checkout.session.completed" data-status="delivered"');
    const id = /href="\/dashboard\/deliveries\/(\d+)"/.exec(list.html)![1]!;
    const delivery = await getPage(`${running.baseUrl}/dashboard/deliveries/${id}`, { cookie });
    expect(delivery.html).toContain('Terkirim');
    expect(delivery.html).toContain('data-testid="answer-status">HTTP 200');
    expect(decodeEntities(delivery.html)).toContain('{"received":true}');
    expect(delivery.html).toContain(receiver.url);
  });

  it('when the app was down, then the delivery shows each failed attempt with its status and body, then the one that got through', async () => {
    const cookie = await signIn();
    receiver.respondWith = 503;
    const pi = await running.stripe.paymentIntents.create({
      amount: 20_000_00,
      currency: 'idr',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    receiver.respondWith = 200;
    await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi.id);
    const page = await getPage(`${running.baseUrl}/dashboard/payments/${pi.id}`, { cookie });
    const id = /data-event="payment_intent.succeeded">[\s\S]*?href="\/dashboard\/deliveries\/(\d+)"/.exec(page.html)![1]!;
    const delivery = decodeEntities((await getPage(`${running.baseUrl}/dashboard/deliveries/${id}`, { cookie })).html);
    expect(delivery).toContain('HTTP 503');
    expect(delivery).toContain('{"error":"down"}');
    expect(delivery).toContain('HTTP 200');
    expect(delivery).toMatch(/[2-9] kali dicoba/);
  });
});

describe('resend', () => {
  it('when staff resend a delivery, then the same event reaches the app again as a new delivery', async () => {
    const cookie = await signIn();
    const { completed } = await paidSession();
    const list = await getPage(`${running.baseUrl}/dashboard/deliveries?event=${completed.event.id}`, { cookie });
    const id = /href="\/dashboard\/deliveries\/(\d+)"/.exec(list.html)![1]!;
    const page = await getPage(`${running.baseUrl}/dashboard/deliveries/${id}`, { cookie });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
    const before = receiver.received.filter((r) => r.event.id === completed.event.id).length;
    const res = await fetch(`${running.baseUrl}/dashboard/deliveries/${id}/resend`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/dashboard\/deliveries\/\d+\?resent=1$/);
    expect(location).not.toContain(`/deliveries/${id}?`);
    await expect.poll(() => receiver.received.filter((r) => r.event.id === completed.event.id).length, { timeout: 5000 }).toBe(before + 1);
    const resent = await getPage(`${running.baseUrl}${location}`, { cookie });
    expect(resent.html).toContain('role="status"');
  });

  it('when resend comes without the form token or without the session, then it is refused and nothing is sent', async () => {
    const cookie = await signIn();
    const { completed } = await paidSession();
    const list = await getPage(`${running.baseUrl}/dashboard/deliveries?event=${completed.event.id}`, { cookie });
    const id = /href="\/dashboard\/deliveries\/(\d+)"/.exec(list.html)![1]!;
    const before = receiver.received.length;
    const noToken = await fetch(`${running.baseUrl}/dashboard/deliveries/${id}/resend`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: 'wrong' }),
    });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('data-reason="csrf"');
    const noSession = await postForm(`${running.baseUrl}/dashboard/deliveries/${id}/resend`, { _csrf: 'x' });
    expect(noSession.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.length).toBe(before);
  });
});
