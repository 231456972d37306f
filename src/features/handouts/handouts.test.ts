import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { text } from '../../test/helpers.js';
import { makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

describe('handouts', () => {
  it('when a tutor prints the login slips, then one slip per participant with her username and a QR code of the sign-in page, plus the blank join slips asked for; demo accounts get none', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    await makeUser({ memberOf: w.workshopId, demoKind: 'buyer' });
    const tutor = await signedInAgent(app, w.tutor.username);
    const res = await tutor.get(`/workshops/${w.workshopId}/handouts/login-slips?blank=3`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<body class="handout">');
    expect(res.text).toContain('href="/static/css/print.css"');
    const slips = [...res.text.matchAll(/class="slip" data-username="([^"]+)"/g)].map((m) => m[1]);
    expect(slips.sort()).toEqual(w.trainees.map((t) => t.username).sort());
    expect(res.text.match(/class="slip slip-join"/g)).toHaveLength(3);
    expect(res.text.match(/src="data:image\/svg\+xml;base64,/g)).toHaveLength(5);
    expect(text(res.text)).toContain(w.workshop.joinCode.slice(0, 3));
    expect(text(res.text)).toContain('Kata sandi');
  });

  it('when the test-card sheet and the agenda are printed, then they list the test cards and the sessions', async () => {
    const w = await makeWorkshop({ trainees: 0, agenda: true });
    const organizer = await signedInAgent(app, w.organizer.username);
    const cards = text((await organizer.get(`/workshops/${w.workshopId}/handouts/test-cards`)).text);
    for (const number of ['4242 4242 4242 4242', '4000 0027 6000 3184', '4000 0000 0000 0002', '4000 0000 0000 9995'])
      expect(cards).toContain(number);
    expect(cards).toContain('Jangan pernah mengetik nomor kartu sungguhan');
    const agenda = text((await organizer.get(`/workshops/${w.workshopId}/handouts/agenda`)).text);
    expect(agenda).toContain('Hari 1 – Sesi 1');
    expect(agenda).toContain('1 Desember 2026, 09.00–12.00');
    expect(agenda).toContain('Pasang 3 produk dengan foto');
  });

  it('when a trainee asks for the handouts, then 403', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const trainee = await signedInAgent(app, w.trainees[0]!.username);
    for (const page of ['', '/login-slips', '/test-cards', '/agenda'])
      expect((await trainee.get(`/workshops/${w.workshopId}/handouts${page}`)).status).toBe(403);
  });

  it("when a login slip's QR code is followed, then the sign-in page has her username filled in", async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const page = await (
      await import('supertest')
    )
      .default(app)
      .get(`/login?username=${w.trainees[0]!.username}&next=/workshops/${w.workshopId}`);
    expect(page.text).toContain(`value="${w.trainees[0]!.username}"`);
  });
});
