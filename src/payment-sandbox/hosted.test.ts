// The hosted payment page over HTTP, as a phone's browser uses it: each test card's outcome,
// 3-D Secure, the real-card refusal, CSRF, language, CSP, and no double payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import {
  csrfFrom,
  decodeEntities,
  getPage,
  payWithCard,
  postForm,
  SHOP,
  sessionParams,
  startSandboxAndReceiver,
  stopSandboxAndReceiver,
  storedText,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';

let receiver: WebhookReceiver;
let running: RunningSandbox;
let stripe: Stripe;
let database: string;

beforeAll(async () => {
  ({ receiver, running, database } = await startSandboxAndReceiver());
  stripe = running.stripe;
});

afterAll(() => stopSandboxAndReceiver({ receiver, running }));

const newSession = (overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) =>
  stripe.checkout.sessions.create(sessionParams(overrides));

function eventsFor(objectId: string): string[] {
  return receiver.received.filter((r) => (r.event.data.object as { id: string }).id === objectId).map((r) => r.event.type);
}

describe('the hosted page', () => {
  it('when opened, then it shows the order in Rupiah, the card form, the test cards and the address lesson in Bahasa Indonesia', async () => {
    const session = await newSession();
    const page = await getPage(session.url!);
    expect(page.status).toBe(200);
    const text = decodeEntities(page.html);
    expect(text).toContain('<html lang="id">');
    expect(text).toContain('Kopi Kintamani 250 g');
    expect(text).toContain('Rp 150.000');
    expect(text).toContain('2 × Rp 25.000');
    expect(text).toContain('Bayar Rp 200.000');
    expect(text).toContain('4242 4242 4242 4242');
    expect(text).toContain('Periksa alamat dan gembok');
    expect(text).toContain('Halaman ini TIDAK aman (http://)');
    expect(text).toContain(`Halaman ini dibuka dari ${running.baseUrl}`);
    expect(text).toContain(`href="${SHOP}/cart"`);
  });

  it('when opened on a phone, then the test cards come first as chips that fill the form (a script of its own origin), and the lessons fold', async () => {
    const session = await newSession();
    const html = (await getPage(session.url!)).html;
    const chips = html.indexOf('data-fill-card="4242 4242 4242 4242"');
    expect(chips).toBeGreaterThan(0);
    expect(chips).toBeLessThan(html.indexOf('<form method="post"'));
    expect(chips).toBeLessThan(html.indexOf('Periksa alamat dan gembok'));
    expect(html).toContain('<details class="ps-lesson">');
    expect(html).toContain('<details class="ps-alert ps-alert--stop">');
    expect(html).toContain('<script src="/js/payment-sandbox.js" defer></script>');
    const script = await fetch(`${running.baseUrl}/js/payment-sandbox.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('data-fill-card');
  });

  it('when served, then the CSP is strict and its form-action allows only itself and the shop', async () => {
    const session = await newSession();
    const page = await getPage(session.url!);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain(`form-action 'self' ${SHOP}`);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page.html).not.toMatch(/<script(?![^>]*\ssrc="\/js\/)|style=/); // only scripts of its own origin, no inline script or style
    expect(page.headers.get('cache-control')).toBe('no-store');
    const css = await fetch(`${running.baseUrl}/css/payment-sandbox.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('when the trainee switches to English, then the page and its messages are in English and the choice sticks', async () => {
    const session = await newSession();
    const page = await getPage(`${session.url}?lang=en`);
    expect(page.html).toContain('<html lang="en">');
    expect(decodeEntities(page.html)).toContain('Check the address and the padlock');
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const declined = await postForm(session.url!, {
      _csrf: csrfFrom(page.html),
      cardNumber: '4000000000009995',
      expiry: '12/34',
      cvc: '123',
      name: 'Siti',
    });
    expect(decodeEntities(declined.html)).toContain('Pembayaran ditolak'); // no cookie sent: back to Indonesian
    const again = await getPage(session.url!, { cookie });
    expect(again.html).toContain('<html lang="en">');
  });

  it('when the session does not exist, then a 404 page', async () => {
    const page = await getPage(`${running.baseUrl}/c/pay/cs_test_nothing`);
    expect(page.status).toBe(404);
    expect(page.html).toContain('Halaman pembayaran tidak ditemukan');
  });
});

describe('test cards', () => {
  it('when 4242 4242 4242 4242 is paid, then redirect to success_url with the session id, session complete, and events sent', async () => {
    const session = await newSession();
    const res = await payWithCard(session.url!, { number: '4242 4242 4242 4242' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${SHOP}/orders/return?session_id=${session.id}`);
    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(after).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(after.customer_details?.name).toBe('Siti Aminah');
    const pi = after.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe('succeeded');
    const completed = await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    expect(completed.event.data.object).toMatchObject({
      payment_status: 'paid',
      client_reference_id: 'order-42',
      metadata: { orderId: '42' },
    });
    await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi.id);
    const charge = await receiver.waitFor((e) => e.type === 'charge.succeeded' && e.data.object.payment_intent === pi.id);
    expect((charge.event.data.object as Stripe.Charge).payment_method_details?.card?.three_d_secure).toBeNull();
  });

  it.each([
    ['4000 0000 0000 0002', 'card_declined', 'generic_decline', 'Kartu ditolak oleh bank penerbit'],
    ['4000 0000 0000 9995', 'card_declined', 'insufficient_funds', 'Saldo atau limit kartu tidak cukup'],
    ['4000 0000 0000 0069', 'expired_card', 'expired_card', 'Kartu sudah kedaluwarsa'],
  ])(
    'when %s is paid, then it is declined (%s / %s) with a message in the trainee language, and the session stays open',
    async (number, code, declineCode, message) => {
      const session = await newSession();
      const res = await payWithCard(session.url!, { number, expiry: '11/33', name: 'Budi' });
      expect(res.status).toBe(402);
      const text = decodeEntities(res.html);
      expect(text).toContain(message);
      expect(text).toContain('value="11/33"');
      expect(text).toContain('value="Budi"');
      expect(text).not.toContain(number.replaceAll(' ', ''));
      const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
      expect(after.status).toBe('open');
      const pi = after.payment_intent as Stripe.PaymentIntent;
      expect(pi.status).toBe('requires_payment_method');
      expect(pi.last_payment_error).toMatchObject({ type: 'card_error', code, decline_code: declineCode });
      const failed = await receiver.waitFor((e) => e.type === 'payment_intent.payment_failed' && e.data.object.id === pi.id);
      expect((failed.event.data.object as Stripe.PaymentIntent).last_payment_error?.decline_code).toBe(declineCode);
    },
  );

  it('when a declined card is followed by 4242, then the same session is paid once, with one failure and one success event', async () => {
    const session = await newSession();
    expect((await payWithCard(session.url!, { number: '4000000000000002' })).status).toBe(402);
    expect((await payWithCard(session.url!, { number: '4242424242424242' })).status).toBe(303);
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi);
    expect(eventsFor(pi).sort()).toEqual(['payment_intent.created', 'payment_intent.payment_failed', 'payment_intent.succeeded']);
    expect((await stripe.paymentIntents.retrieve(pi)).last_payment_error).toBeNull();
  });

  it('when the card number fails Luhn or fields are missing, then 422 with field messages and no attempt', async () => {
    const session = await newSession();
    const page = await getPage(session.url!);
    const res = await postForm(session.url!, {
      _csrf: csrfFrom(page.html),
      cardNumber: '4242 4242 4242 4241',
      expiry: '13/30',
      cvc: '1',
      name: '',
    });
    expect(res.status).toBe(422);
    const text = decodeEntities(res.html);
    expect(text).toContain('Nomor kartu tidak valid');
    expect(text).toContain('Tulis masa berlaku sebagai bulan/tahun');
    expect(text).toContain('CVC terdiri dari 3 atau 4 angka');
    expect(text).toContain('Isi nama seperti tertulis di kartu');
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();
  });

  it('when the expiry date has passed, then it is refused as past', async () => {
    const session = await newSession();
    const res = await payWithCard(session.url!, { number: '4242424242424242', expiry: '01/20' });
    expect(res.status).toBe(422);
    expect(res.html).toContain('Masa berlaku kartu sudah lewat');
  });
});

describe('a real-looking card', () => {
  const realLooking = '4111 1111 4555 1142'; // passes Luhn, is not one of Stripe's test cards

  it('when a Luhn-valid number that is not a test card is typed, then it is refused with the sandbox warning and nothing of it is kept', async () => {
    const session = await newSession();
    const res = await payWithCard(session.url!, { number: realLooking, cvc: '987' });
    expect(res.status).toBe(422);
    const text = decodeEntities(res.html);
    expect(text).toContain('BERHENTI: itu bukan kartu uji');
    expect(text).toContain('Jangan pernah mengetik kartu sungguhan di sini');
    const digits = realLooking.replaceAll(' ', '');
    expect(text).not.toContain(digits);
    expect(text).not.toContain('1142');
    expect(text).not.toContain('value="987"');
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();

    // The same session is then paid, so the file holds everything a payment writes.
    expect((await payWithCard(session.url!, { number: '4242424242424242' })).status).toBe(303);
    await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    const stored = await storedText(database);
    expect(stored).toContain(session.id);
    expect(stored).not.toContain(digits);
    expect(stored).not.toContain(realLooking);
    expect(stored).not.toContain('455511');
    expect(receiver.received.some((r) => r.body.includes(digits) || r.body.includes('5511'))).toBe(false);
  });
});

describe('a real-looking card number in another field', () => {
  const storedNow = () => storedText(database);

  it.each([
    ['name', 'Siti 4111 1111 4555 1142', '4111111145551142'],
    ['name', '5105-1051-0510-5100', '5105105105105100'],
    ['expiry', '4012888888881881', '4012888888881881'],
    ['cvc', '3782 822463 10005', '378282246310005'],
    ['note', '6011 1111 1111 1117', '6011111111111117'],
  ])(
    'when the %s field holds %s beside a test card, then the sandbox warning, and nothing of it is echoed or stored',
    async (fieldName, typed, digits) => {
      const session = await newSession();
      const page = await getPage(session.url!);
      const fields = { _csrf: csrfFrom(page.html), cardNumber: '4242424242424242', expiry: '12/34', cvc: '123', name: 'Siti Aminah' };
      const res = await postForm(session.url!, { ...fields, [fieldName]: typed });
      expect(res.status).toBe(422);
      const text = decodeEntities(res.html);
      expect(text).toContain('BERHENTI: itu bukan kartu uji');
      expect(text).not.toContain(digits.slice(-8));
      expect(text).not.toContain(typed);
      expect((await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();

      // The same session is then paid, so the file holds everything a payment writes.
      expect((await postForm(session.url!, fields)).status).toBe(303);
      await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
      const stored = await storedNow();
      expect(stored).toContain(session.id);
      for (const part of [digits, typed, digits.slice(-8), typed.slice(-9)]) expect(stored).not.toContain(part);
      expect(receiver.received.some((r) => r.body.includes(digits) || r.body.includes(typed))).toBe(false);
    },
  );

  it('when a name holds a short number or a public test card, then it is an ordinary name', async () => {
    const session = await newSession();
    const res = await payWithCard(session.url!, { number: '4242424242424242', name: 'Toko 1234 5678 (4242 4242 4242 4242)' });
    expect(res.status).toBe(303);
  });
});

describe('3-D Secure', () => {
  async function startChallenge() {
    const session = await newSession();
    const res = await payWithCard(session.url!, { number: '4000 0027 6000 3184' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/c/pay/${session.id}/3ds`);
    const otpPage = await getPage(`${running.baseUrl}${res.location}`);
    expect(otpPage.status).toBe(200);
    const text = decodeEntities(otpPage.html);
    const code = /Kode OTP: (\d{6})/.exec(text)?.[1];
    expect(code).toBeDefined();
    expect(text).toContain('Jangan pernah memberikan kode ini kepada siapa pun');
    expect(text).toContain('Tidak kepada penjual');
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    expect((await stripe.paymentIntents.retrieve(pi)).status).toBe('requires_action');
    return { session, pi, code: code!, csrf: csrfFrom(otpPage.html), url: `${running.baseUrl}${res.location}` };
  }

  it('when the right code is typed, then the payment succeeds and redirects to success_url', async () => {
    const { session, pi, code, csrf, url } = await startChallenge();
    const res = await postForm(url, { _csrf: csrf, code, action: 'verify' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${SHOP}/orders/return?session_id=${session.id}`);
    expect((await stripe.paymentIntents.retrieve(pi)).status).toBe('succeeded');
    await receiver.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    const charge = await receiver.waitFor((e) => e.type === 'charge.succeeded' && e.data.object.payment_intent === pi);
    expect((charge.event.data.object as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
  });

  it('when a wrong code is typed, then the attempt fails with a message, payment_failed is sent, and the trainee can retry', async () => {
    const { session, pi, code, csrf, url } = await startChallenge();
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await postForm(url, { _csrf: csrf, code: wrong, action: 'verify' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/c/pay/${session.id}?notice=authentication_failed`);
    const page = await getPage(`${running.baseUrl}${res.location}`);
    expect(decodeEntities(page.html)).toContain('Verifikasi OTP gagal atau dibatalkan');
    const intent = await stripe.paymentIntents.retrieve(pi);
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    await receiver.waitFor((e) => e.type === 'payment_intent.payment_failed' && e.data.object.id === pi);
    const retry = await postForm(url, { _csrf: csrf, code, action: 'verify' });
    expect(retry.status).toBe(409);
    expect(decodeEntities(retry.html)).toContain('Tidak ada verifikasi OTP yang menunggu');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('when the challenge is cancelled, then back to the hosted page with the session still open', async () => {
    const { session, pi, csrf, url } = await startChallenge();
    const res = await postForm(url, { _csrf: csrf, action: 'cancel' });
    expect(res.location).toBe(`/c/pay/${session.id}?notice=authentication_failed`);
    expect((await stripe.paymentIntents.retrieve(pi)).status).toBe('requires_payment_method');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });
});

describe('guards', () => {
  it('when the form is posted without the page token, then 403 and no attempt', async () => {
    const session = await newSession();
    const res = await postForm(session.url!, { _csrf: 'forged', cardNumber: '4242424242424242', expiry: '12/34', cvc: '123', name: 'X' });
    expect(res.status).toBe(403);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('when the same session is submitted many times at once, then it is paid exactly once', async () => {
    const session = await newSession();
    const page = await getPage(session.url!);
    const csrf = csrfFrom(page.html);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        postForm(session.url!, { _csrf: csrf, cardNumber: '4242424242424242', expiry: '12/34', cvc: '123', name: 'X' }),
      ),
    );
    expect(results.filter((r) => r.location?.startsWith(SHOP))).toHaveLength(1);
    expect(results.filter((r) => r.location === `/c/pay/${session.id}`)).toHaveLength(7);
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi);
    await new Promise((r) => setTimeout(r, 200));
    expect(eventsFor(pi).sort()).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
    expect(eventsFor(session.id)).toEqual(['checkout.session.completed']);
    const paidPage = await getPage(session.url!);
    expect(decodeEntities(paidPage.html)).toContain('Pesanan ini sudah dibayar');
  });

  it('when an expired session is opened, then it says so and links back to the shop', async () => {
    const session = await newSession();
    await stripe.checkout.sessions.expire(session.id);
    const page = await getPage(`${running.baseUrl}/c/pay/${session.id}`);
    expect(page.status).toBe(410);
    expect(decodeEntities(page.html)).toContain('Waktu pembayaran sudah habis');
    const res = await payWithCard(`${running.baseUrl}/c/pay/${session.id}`, { number: '4242424242424242' }).catch((e: unknown) => e);
    expect(res).toBeInstanceOf(Error); // no form, no token: nothing to submit
  });
});

describe('requests the page cannot act on', () => {
  it('when the OTP form is posted while no challenge is pending, then 409 with a page that says so and links back, whatever the token', async () => {
    const session = await newSession();
    const csrf = csrfFrom((await getPage(session.url!)).html);
    for (const token of [csrf, 'forged']) {
      const res = await postForm(`${session.url}/3ds`, { _csrf: token, code: '123456', action: 'verify' });
      expect(res.status).toBe(409);
      const text = decodeEntities(res.html);
      expect(text).toContain('Tidak ada verifikasi OTP yang menunggu');
      expect(text).toContain('tidak ada uang yang terpotong');
      expect(text).toContain(`href="/c/pay/${session.id}"`);
    }
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after).toMatchObject({ status: 'open', payment_intent: null });
  });

  it('when the OTP form of a paid session is posted again, then back to the page that says it is paid', async () => {
    const session = await newSession();
    expect((await payWithCard(session.url!, { number: '4242424242424242' })).status).toBe(303);
    const res = await postForm(`${session.url}/3ds`, { _csrf: 'any', code: '123456', action: 'verify' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/c/pay/${session.id}`);
  });

  it.each([
    ['card form', ''],
    ['OTP form', '/3ds'],
  ])('when the %s is posted with more than 10 kB, then 413 with a readable page and nothing is attempted', async (_form, suffix) => {
    const session = await newSession();
    const csrf = csrfFrom((await getPage(session.url!)).html);
    const res = await postForm(`${session.url}${suffix}`, {
      _csrf: csrf,
      cardNumber: '4242424242424242',
      expiry: '12/34',
      cvc: '123',
      name: 'Siti '.repeat(2100),
    });
    expect(res.status).toBe(413);
    const text = decodeEntities(res.html);
    expect(text).toContain('<html lang="id">');
    expect(text).toContain('Isian formulir terlalu panjang');
    expect(text).toContain(`href="/c/pay/${session.id}"`);
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();
  });
});
