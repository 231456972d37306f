import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { makeListing, makeShop, makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

describe('demo as trainee', () => {
  it('when the tutor starts the demo, then she shops as the demo trainee without signing out, every change is logged with her name, and she switches back', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const seller = w.trainees[0]!;
    const listing = await makeListing({ shop: await makeShop({ workshop: w.workshopId, owner: seller }) });
    const tutor = await signedInAgent(app, w.tutor.username);
    const base = `/workshops/${w.workshopId}`;

    const started = await tutor
      .post(`${base}/demo/start`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(base);
    const home = await tutor.get(base);
    expect(home.text).toContain('data-testid="acting-banner"');
    expect(text(home.text)).toContain(`Mode demo: ${w.tutor.displayName} bertindak sebagai Peserta Demo.`);
    expect(home.text).toContain('data-testid="my-missions"'); // a trainee's home
    expect(home.text).toContain('data-tab="cart"');
    expect((await tutor.get(`${base}/progress`)).status).toBe(403); // staff pages wait until she is back

    const added = await tutor
      .post(`${base}/cart/items`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), listingId: String(listing.id), quantity: '1' });
    expect(added.status).toBe(303);
    const demo = await prisma.user.findFirstOrThrow({
      where: { demoKind: 'trainee', memberships: { some: { workshopId: w.workshopId } } },
    });
    expect(await prisma.cartItem.count({ where: { userId: demo.id, listingId: listing.id } })).toBe(1);
    expect(await prisma.cartItem.count({ where: { userId: w.tutor.id } })).toBe(0);

    const stopped = await tutor
      .post(`${base}/demo/stop`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect(stopped.headers.location).toBe(`${base}/sandbox`);
    expect((await tutor.get(base)).text).not.toContain('data-testid="acting-banner"');
    expect((await tutor.get(`${base}/progress`)).status).toBe(200);

    const log = await prisma.staffAction.findMany({ where: { workshopId: w.workshopId }, orderBy: { id: 'asc' } });
    expect(log.map((l) => [l.action, l.staffId, l.asUserId])).toEqual([
      ['demo.start', w.tutor.id, demo.id],
      ['demo.request', w.tutor.id, demo.id],
      ['demo.request', w.tutor.id, demo.id],
      ['demo.stop', w.tutor.id, demo.id],
    ]);
    expect(log[1]!.detail).toBe(`POST ${base}/cart/items`);
    const tools = text((await tutor.get(`${base}/sandbox`)).text);
    expect(tools).toContain(`${w.tutor.displayName} sebagai Peserta Demo: POST ${base}/cart/items`);
  });

  it('when the demo is started twice or by the organizer, then the workshop still has one demo trainee, and she is no participant', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const tutor = await signedInAgent(app, w.tutor.username);
    const organizer = await signedInAgent(app, w.organizer.username);
    const base = `/workshops/${w.workshopId}`;
    await tutor
      .post(`${base}/demo/start`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    await organizer
      .post(`${base}/demo/start`)
      .type('form')
      .send({ _csrf: await organizer.csrf() });
    expect(await prisma.membership.count({ where: { workshopId: w.workshopId, user: { demoKind: 'trainee' } } })).toBe(1);
    await organizer
      .post(`${base}/demo/stop`)
      .type('form')
      .send({ _csrf: await organizer.csrf() });
    expect((await organizer.get(base)).text).toContain('<dd data-testid="trainee-count">2</dd>');
  });

  it('when acting in one workshop, then in another workshop she is herself; a trainee cannot start; a tutor of another workshop gets 404', async () => {
    const a = await makeWorkshop({ trainees: 1 });
    const b = await makeWorkshop({ trainees: 0 });
    await prisma.membership.create({ data: { workshopId: b.workshopId, userId: a.tutor.id, role: 'tutor' } });
    const tutor = await signedInAgent(app, a.tutor.username);
    await tutor
      .post(`/workshops/${a.workshopId}/demo/start`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect((await tutor.get(`/workshops/${b.workshopId}/progress`)).status).toBe(200);
    expect((await tutor.get(`/workshops/${a.workshopId}/progress`)).status).toBe(403);

    const trainee = await signedInAgent(app, a.trainees[0]!.username);
    expect(
      (
        await trainee
          .post(`/workshops/${a.workshopId}/demo/start`)
          .type('form')
          .send({ _csrf: await trainee.csrf() })
      ).status,
    ).toBe(403);
    const stranger = await signedInAgent(app, b.organizer.username);
    expect(
      (
        await stranger
          .post(`/workshops/${a.workshopId}/demo/start`)
          .type('form')
          .send({ _csrf: await stranger.csrf() })
      ).status,
    ).toBe(404);
  });

  it('when the staff member is no longer staff of the workshop while acting, then the acting ends and she is what she is there', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const tutor = await signedInAgent(app, w.tutor.username);
    await tutor
      .post(`/workshops/${w.workshopId}/demo/start`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    await prisma.membership.update({
      where: { workshopId_userId: { workshopId: w.workshopId, userId: w.tutor.id } },
      data: { role: 'trainee' },
    });
    const home = await tutor.get(`/workshops/${w.workshopId}`);
    expect(home.text).not.toContain('data-testid="acting-banner"');
    expect(text(home.text)).toContain('Peran Anda: Peserta');
  });
});

describe('who counts as a participant', () => {
  it('when demo sellers, a demo buyer and the demo trainee are members, then the home, the board and the evaluation count the same participants', async () => {
    const w = await makeWorkshop({ trainees: 3 });
    const demoSeller = await makeUser({ memberOf: w.workshopId, demoKind: 'shop' });
    await makeShop({ workshop: w.workshopId, owner: demoSeller, isDemo: true });
    await makeUser({ memberOf: w.workshopId, demoKind: 'buyer' });
    await makeUser({ memberOf: w.workshopId, demoKind: 'trainee' });
    const organizer = await signedInAgent(app, w.organizer.username);
    const base = `/workshops/${w.workshopId}`;
    expect((await organizer.get(base)).text).toContain('<dd data-testid="trainee-count">3</dd>');
    expect(text((await organizer.get(`${base}/progress`)).text)).toContain('3 peserta');
    expect(text((await organizer.get(`${base}/evaluation`)).text)).toContain('dari 3 peserta terdaftar');
    const members = text((await organizer.get(`${base}/members`)).text);
    expect(members.match(/akun demo/g)).toHaveLength(3);
  });
});
