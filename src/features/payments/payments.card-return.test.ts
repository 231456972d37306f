// Coming back from the hosted card page: the decline read from the session itself, and a market
// the tutor reset meanwhile (its sessions closed, a card charged anyway refunded, a page that says
// so instead of a 404). The sandbox's webhooks reach the app only when a test forwards them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { makeCardPayment, postWebhook, sentEvent, startSandboxForApp, type AppSandbox } from '../../test/app-payments.js';
import { ctxOf, makeMarketplace, signedInAgent } from '../../test/builders/index.js';
import { text } from '../../test/helpers.js';
import { getPage, payWithCard } from '../../test/payment-sandbox.js';
import { RESET_WORD, resetSandbox } from '../sandbox/reset.service.js';
import { toSen } from './stripe-client.js';

const app = createApp();
let sandbox: AppSandbox;

beforeAll(async () => {
  sandbox = await startSandboxForApp();
});
afterAll(() => sandbox.stop());

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

async function buyerOnTheCardPage() {
  const m = await makeMarketplace();
  const p = await makeCardPayment({ buyer: m.buyer, listing: m.listing });
  const agent = await signedInAgent(app, m.buyerUser.username);
  const session = await sandbox.stripe.checkout.sessions.retrieve(p.sessionId);
  return { m, p, agent, backLink: pathOf(session.cancel_url!) };
}

async function resetByTutor(m: Awaited<ReturnType<typeof makeMarketplace>>) {
  await resetSandbox(await ctxOf({ workshop: m.workshopId, user: m.tutor }), RESET_WORD);
}

describe('back from the card page after a decline', () => {
  it('when the card was declined and no webhook has arrived yet, then the pay page reached by the card page link shows the decline', async () => {
    const { p, agent, backLink } = await buyerOnTheCardPage();
    const declined = await payWithCard(p.hostedUrl, { number: '4000 0000 0000 9995' });
    expect(declined.status).toBe(402);
    expect(await prisma.paymentAttempt.count({ where: { paymentId: p.payment.id } })).toBe(0);

    const page = await agent.get(backLink);

    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Pembayaran kartu terakhir ditolak: saldo kartu tidak cukup.');
  });

  it('when the card page link is followed without a decline, then the pay page shows no decline notice', async () => {
    const { agent, backLink } = await buyerOnTheCardPage();
    const page = await agent.get(backLink);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-testid="last-decline"');
  });
});

describe('a reset while a trainee is on the card page', () => {
  it('when the tutor resets, then the open session is closed at the provider and the card page takes no card', async () => {
    const { m, p } = await buyerOnTheCardPage();

    await resetByTutor(m);

    expect((await sandbox.stripe.checkout.sessions.retrieve(p.sessionId)).status).toBe('expired');
    const cardPage = await getPage(p.hostedUrl);
    expect(cardPage.status).toBe(410);
    expect(cardPage.html).not.toContain('name="cardNumber"');
  });

  it('when her card was charged in the moment of the reset, then the webhook refunds it through the provider and the return page says the market was reset', async () => {
    const { m, p, agent } = await buyerOnTheCardPage();
    const paid = await payWithCard(p.hostedUrl, { number: '4242 4242 4242 4242' });
    await resetByTutor(m);
    expect(await prisma.payment.findUnique({ where: { id: p.payment.id } })).toBeNull();
    const intent = (await sandbox.stripe.checkout.sessions.retrieve(p.sessionId)).payment_intent as string;

    for (const [type, id] of [
      ['checkout.session.completed', p.sessionId],
      ['payment_intent.succeeded', intent],
    ] as const)
      expect((await postWebhook(app, await sentEvent(sandbox.receiver, type, id))).status).toBe(200);

    const charged = await sandbox.stripe.paymentIntents.retrieve(intent, { expand: ['latest_charge'] });
    expect((charged.latest_charge as { amount_refunded: number }).amount_refunded).toBe(toSen(p.order.total));
    const back = await agent.get(pathOf(paid.location!));
    expect(back.status).toBe(410);
    expect(text(back.text)).toContain('Pasar latihan sudah direset');
    expect(text(back.text)).toContain('Dananya sudah dikembalikan');
  });

  it('when she follows the card page back link after the reset, then she reads that the market was reset; a link not made for that checkout is a 404', async () => {
    const { m, agent, backLink } = await buyerOnTheCardPage();
    await resetByTutor(m);

    const back = await agent.get(backLink);
    const forged = await agent.get(backLink.replace(/sig=[0-9a-f]{4}/, 'sig=0000'));

    expect(back.status).toBe(410);
    expect(text(back.text)).toContain('Fasilitator baru saja mereset pasar latihan');
    expect(text(back.text)).not.toContain('Dananya sudah dikembalikan');
    expect(forged.status).toBe(404);
  });
});
