// "Dasbor pembayaran": only a workshop's tutor or organizer gets the signed link into the payment
// sandbox's dashboard; the link carries a token the sandbox accepts (same shared secret), and the
// dashboard it opens shows that workshop's payments only (the app names the workshop in metadata).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { readStaffToken } from '../../lib/staff-token.js';
import { makeCardPayment, startSandboxForApp } from '../../test/app-payments.js';
import { makeMarketplace, makeUser, makeWorkshop, signedInAgent, type Agent } from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

function tokenOf(location: string): string {
  return new URL(location).searchParams.get('token') ?? '';
}

describe('the link into the payments dashboard', () => {
  it('when the tutor asks for it, then she is sent to the sandbox with a token it accepts, naming her and the workshop', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, w.tutor);
    const res = await agent.get(`/workshops/${w.workshopId}/payments-dashboard`).set('host', '127.0.0.1:3000');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${config.paymentSandbox.port}/dashboard/enter\\?token=`));
    const claims = readStaffToken(config.stripe.secretKey, tokenOf(res.headers.location!), Date.now());
    expect(claims).toMatchObject({ sub: w.tutor.id, name: w.tutor.displayName, role: 'tutor', workshopId: w.workshopId });
    expect(readStaffToken(config.stripe.secretKey, tokenOf(res.headers.location!), Date.now() + 10 * 60_000)).toBeNull();
  });

  it('when the organizer asks for it, then she gets a link too', async () => {
    const w = await makeWorkshop();
    const res = await (await signedInAgent(app, w.organizer)).get(`/workshops/${w.workshopId}/payments-dashboard`);
    expect(res.status).toBe(303);
    expect(readStaffToken(config.stripe.secretKey, tokenOf(res.headers.location!), Date.now())?.role).toBe('organizer');
  });

  it('when a trainee asks for it, then 403 and no link', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const res = await (await signedInAgent(app, w.trainees[0]!)).get(`/workshops/${w.workshopId}/payments-dashboard`);
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).not.toContain('/dashboard/enter');
  });

  it('when a tutor of another workshop or a stranger asks for it, then no link', async () => {
    const w = await makeWorkshop();
    const other = await makeWorkshop();
    const outsider = await (await signedInAgent(app, other.tutor)).get(`/workshops/${w.workshopId}/payments-dashboard`);
    expect(outsider.status).toBe(404);
    const stranger = await (
      await signedInAgent(app, await makeUser({ role: 'tutor' }))
    ).get(`/workshops/${w.workshopId}/payments-dashboard`);
    expect([403, 404]).toContain(stranger.status);
    const anonymous = await request(app).get(`/workshops/${w.workshopId}/payments-dashboard`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });

  it('when the tutor opens her tools, then the dashboard link is on the page', async () => {
    const w = await makeWorkshop();
    const res = await (await signedInAgent(app, w.tutor)).get(`/workshops/${w.workshopId}/sandbox`);
    expect(res.text).toContain(`href="/workshops/${w.workshopId}/payments-dashboard"`);
    expect(res.text).toContain('Buka dasbor pembayaran');
  });
});

describe('the dashboard the link opens', () => {
  let sandbox: Awaited<ReturnType<typeof startSandboxForApp>>;
  beforeAll(async () => {
    sandbox = await startSandboxForApp();
  });
  afterAll(() => sandbox.stop());

  /** Follows the app's link to the sandbox in this test's process, as the staff member's browser would; the payments page. */
  async function dashboardOf(agent: Agent, workshopId: number): Promise<string> {
    const link = new URL((await agent.get(`/workshops/${workshopId}/payments-dashboard`)).headers.location!);
    const entered = await fetch(`${sandbox.running.baseUrl}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(entered.status).toBe(303);
    const cookie = (entered.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(`${sandbox.running.baseUrl}/dashboard`, { headers: { cookie } });
    expect(page.status).toBe(200);
    return page.text();
  }

  it("when a trainee starts a card payment, then her workshop's tutor and organizer see it and another workshop's tutor does not", async () => {
    const a = await makeMarketplace();
    const b = await makeWorkshop();
    const { sessionId } = await makeCardPayment({ buyer: a.buyer, listing: a.listing });
    expect(await dashboardOf(await signedInAgent(app, a.tutor), a.workshopId)).toContain(`data-id="${sessionId}"`);
    expect(await dashboardOf(await signedInAgent(app, a.organizer), a.workshopId)).toContain(`data-id="${sessionId}"`);
    const ofB = await dashboardOf(await signedInAgent(app, b.tutor), b.workshopId);
    expect(ofB).toContain('Pembayaran (PaymentIntent)');
    expect(ofB).not.toContain(sessionId);
  });
});
