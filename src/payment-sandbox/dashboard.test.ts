// The staff dashboard over HTTP: who may read it (a link signed by the app, used once, not
// expired, naming one workshop), what it shows of a payment's webhook deliveries and the app's
// answers, only of that workshop, page by page, resend, and signing out.
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
/** The app names the workshop in the metadata of a session and of its PaymentIntent (src/features/payments/card.ts). */
const ofWorkshop = (workshopId: number) => ({ workshopId: String(workshopId), orderIds: '42' });

function enterUrl(token: string): string {
  return `${running.baseUrl}/dashboard/enter?token=${encodeURIComponent(token)}`;
}

/** Follows the app's link as the tutor's browser does: the cookie the sandbox sets opens the dashboard. */
async function signIn(staff: typeof tutor = tutor): Promise<string> {
  const res = await getPage(enterUrl(issueStaffToken(API_KEY, staff, Date.now())));
  expect(res.status).toBe(303);
  expect(res.location).toBe('/dashboard');
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^ps_dash=[^;]+;.*HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  return cookie.split(';')[0]!;
}

async function paidSession(workshopId = tutor.workshopId) {
  const metadata = ofWorkshop(workshopId);
  const session = await running.stripe.checkout.sessions.create(sessionParams({ metadata, payment_intent_data: { metadata } }));
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
      metadata: ofWorkshop(tutor.workshopId),
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

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

function postWith(cookie: string, path: string, csrf: string) {
  return fetch(`${running.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }),
  });
}

describe('one workshop only', () => {
  const tutorOfB = { sub: 8, name: 'Pak Fasilitator B', role: 'tutor', workshopId: 2 };
  const organizerOfB = { sub: 9, name: 'Bu Penyelenggara', role: 'organizer', workshopId: 2 };

  it("when staff of workshop B open the dashboard, then none of workshop A's payments, sessions, refunds, events or deliveries are listed", async () => {
    const { session, completed } = await paidSession(1);
    const pi = String(session.payment_intent);
    const refund = await running.stripe.refunds.create({ payment_intent: pi, amount: 10_000_00 });
    await receiver.waitFor((e) => e.type === 'refund.created' && e.data.object.id === refund.id);
    const ofA = await signIn();
    const listsOfA = (
      await Promise.all(
        ['/dashboard', '/dashboard/refunds', '/dashboard/events', '/dashboard/deliveries'].map((p) =>
          getPage(`${running.baseUrl}${p}`, { cookie: ofA }),
        ),
      )
    )
      .map((r) => r.html)
      .join('');
    for (const id of [pi, session.id, refund.id, completed.event.id]) expect(listsOfA).toContain(`data-id="${id}"`);

    for (const staff of [tutorOfB, organizerOfB]) {
      const cookie = await signIn(staff);
      for (const path of ['/dashboard', '/dashboard/refunds', '/dashboard/events', '/dashboard/deliveries']) {
        const res = await getPage(`${running.baseUrl}${path}`, { cookie });
        expect(res.status).toBe(200);
        for (const id of [pi, session.id, refund.id, completed.event.id]) expect(res.html).not.toContain(id);
        expect(res.html).not.toMatch(/data-event="(checkout\.session\.completed|refund\.created)"/);
      }
    }
  });

  it("when staff of workshop B open A's payment, event or delivery by its URL, or resend it, then 404 and nothing is sent", async () => {
    const { session, completed } = await paidSession(1);
    const ofA = await signIn();
    const list = await getPage(`${running.baseUrl}/dashboard/deliveries?event=${completed.event.id}`, { cookie: ofA });
    const id = /href="\/dashboard\/deliveries\/(\d+)"/.exec(list.html)![1]!;
    expect((await getPage(`${running.baseUrl}/dashboard/deliveries/${id}`, { cookie: ofA })).status).toBe(200);

    const ofB = await signIn(tutorOfB);
    for (const path of [
      `/dashboard/payments/${String(session.payment_intent)}`,
      `/dashboard/deliveries?event=${completed.event.id}`,
      `/dashboard/deliveries/${id}`,
    ]) {
      const res = await getPage(`${running.baseUrl}${path}`, { cookie: ofB });
      expect(res.status).toBe(404);
      expect(res.html).not.toContain(completed.event.id);
    }
    const csrfOfB = csrfOf((await getPage(`${running.baseUrl}/dashboard`, { cookie: ofB })).html);
    const before = receiver.received.filter((r) => r.event.id === completed.event.id).length;
    const resend = await postWith(ofB, `/dashboard/deliveries/${id}/resend`, csrfOfB);
    expect(resend.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.filter((r) => r.event.id === completed.event.id).length).toBe(before);
  });

  it('when the app named the workshop on the Checkout Session only, then its PaymentIntent and events are that workshop’s', async () => {
    const session = await running.stripe.checkout.sessions.create(sessionParams({ metadata: ofWorkshop(4) }));
    await payWithCard(session.url!, { number: '4242424242424242' });
    await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    const pi = String((await running.stripe.checkout.sessions.retrieve(session.id)).payment_intent);
    const cookie = await signIn({ ...tutor, workshopId: 4 });
    expect((await getPage(`${running.baseUrl}/dashboard`, { cookie })).html).toContain(`data-id="${pi}"`);
    const page = await getPage(`${running.baseUrl}/dashboard/payments/${pi}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-event="charge.succeeded"');
  });

  it('when a link names a trainee, or no workshop, then the sandbox refuses it as the app would', async () => {
    for (const staff of [
      { ...tutor, role: 'trainee' },
      { ...tutor, workshopId: 0 },
    ]) {
      const res = await getPage(enterUrl(issueStaffToken(API_KEY, staff, Date.now())));
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });
});

describe('paging', () => {
  it('when a workshop has more than 50 payments, then the lists show 50 with the total and page older and newer', async () => {
    const workshopId = 3;
    const ids: string[] = [];
    for (let i = 0; i < 52; i++) {
      const pi = await running.stripe.paymentIntents.create({
        amount: 10_000_00 + i * 100,
        currency: 'idr',
        metadata: ofWorkshop(workshopId),
      });
      ids.push(pi.id);
    }
    const cookie = await signIn({ ...tutor, workshopId });
    const first = await getPage(`${running.baseUrl}/dashboard`, { cookie });
    const listed = (html: string) => [...html.matchAll(/<li class="psd-item" data-id="(pi_[A-Za-z0-9]+)"/g)].map((m) => m[1]);
    expect(listed(first.html)).toEqual(ids.slice(2).reverse());
    expect(decodeEntities(first.html)).toContain('1–50 dari 52');
    expect(first.html).not.toContain('rel="prev"');
    const older = /href="([^"]+)" rel="next"/.exec(first.html)![1]!;
    expect(decodeEntities(older)).toBe(`/dashboard?starting_after=${ids[2]}`);

    const second = await getPage(`${running.baseUrl}${decodeEntities(older)}`, { cookie });
    expect(listed(second.html)).toEqual([ids[1], ids[0]]);
    expect(decodeEntities(second.html)).toContain('51–52 dari 52');
    expect(second.html).not.toContain('rel="next"');
    const newer = decodeEntities(/href="([^"]+)" rel="prev"/.exec(second.html)![1]!);
    const back = await getPage(`${running.baseUrl}${newer}`, { cookie });
    expect(listed(back.html)).toEqual(ids.slice(2).reverse());
    expect(decodeEntities(back.html)).toContain('1–50 dari 52');

    for (const path of ['/dashboard/events', '/dashboard/deliveries']) {
      const page = await getPage(`${running.baseUrl}${path}`, { cookie });
      expect(page.html.split('class="psd-item"')).toHaveLength(51);
      expect(decodeEntities(page.html)).toContain('1–50 dari 52');
      const next = decodeEntities(/href="([^"]+)" rel="next"/.exec(page.html)![1]!);
      const rest = await getPage(`${running.baseUrl}${next}`, { cookie });
      expect(rest.html.split('class="psd-item"')).toHaveLength(3);
      expect(decodeEntities(rest.html)).toContain('51–52 dari 52');
    }
  });
});

describe('signing out', () => {
  it('when staff press Keluar, then the cookie is cleared and the same cookie no longer opens the dashboard', async () => {
    const cookie = await signIn();
    const page = await getPage(`${running.baseUrl}/dashboard`, { cookie });
    expect(page.html).toContain('>Keluar</button>');
    const refused = await postWith(cookie, '/dashboard/sign-out', 'wrong');
    expect(refused.status).toBe(403);
    expect((await getPage(`${running.baseUrl}/dashboard`, { cookie })).status).toBe(200);

    const res = await postWith(cookie, '/dashboard/sign-out', csrfOf(page.html));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/signed-out');
    expect(res.headers.get('set-cookie')).toMatch(/^ps_dash=;.*Expires=Thu, 01 Jan 1970/);
    const after = await getPage(`${running.baseUrl}/dashboard/signed-out`);
    expect(after.status).toBe(200);
    expect(after.html).toContain('data-reason="signedOut"');
    expect(after.html).toContain('Anda sudah keluar');
    const replayed = await getPage(`${running.baseUrl}/dashboard`, { cookie });
    expect(replayed.status).toBe(401);
    expect(replayed.html).not.toContain('data-id=');
  });
});
