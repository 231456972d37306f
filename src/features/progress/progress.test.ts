import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import type { CurrentUser } from '../../users.js';
import { text } from '../../test/helpers.js';
import { ctxOf, makeForm, makeResponse, makeShop, makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { getProgressBoard } from './progress.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const hour = 3600_000;

/** A workshop on the default agenda whose session at `position` is under way at `now`. */
async function workshopInSession(position: number, now: Date, trainees = 3) {
  const w = await makeWorkshop({ trainees, agenda: true });
  for (const s of await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId } })) {
    const start = now.getTime() + (s.position - position) * 24 * hour - hour;
    await prisma.workshopSession.update({ where: { id: s.id }, data: { startsAt: new Date(start), endsAt: new Date(start + 2 * hour) } });
  }
  return { ...w, tutorCtx: await ctxOf({ workshop: w.workshopId, user: w.tutor }) };
}

describe('progress board', () => {
  it('when the second session is under way, then its missions come first, then the other sessions in agenda order, each ticked from the data', async () => {
    const now = new Date();
    const w = await workshopInSession(1, now);
    const [seller, buyer] = w.trainees as [CurrentUser, CurrentUser];
    await makeShop({ workshop: w.workshopId, owner: seller });
    const pre = await makeForm({ workshop: w.workshopId, template: 'pre-training' });
    await makeResponse({ form: pre, user: buyer });

    const board = await getProgressBoard(w.tutorCtx, now);
    expect(board.groups.map((g) => [g.name, g.current])).toEqual([
      ['Hari 1 – Sesi 2', true],
      ['Hari 1 – Sesi 1', false],
      ['Hari 2', false], // the builder's name for it: the default agenda keeps names
      ['Hari 2 – Sesi 2', false],
    ]);
    expect(board.columns.slice(0, board.currentColumns).map((c) => c.missionId)).toEqual([
      'first-order',
      'pay-card',
      'pay-transfer',
      'confirm-receipt',
      'write-review',
    ]);
    const done = (userId: number, missionId: string) =>
      board.trainees.find((t) => t.id === userId)!.done[board.columns.findIndex((c) => c.missionId === missionId)];
    expect([done(seller.id, 'open-shop'), done(buyer.id, 'open-shop')]).toEqual([true, false]);
    expect([done(seller.id, 'pre-questionnaire'), done(buyer.id, 'pre-questionnaire')]).toEqual([false, true]);
    expect(board.columns.find((c) => c.missionId === 'open-shop')).toMatchObject({ doneCount: 1, code: 'D1' });
  });

  it('when demo accounts are trainee members (a demo shop seller, a demo buyer, the demo trainee), then the board leaves them out', async () => {
    const w = await workshopInSession(0, new Date(), 2);
    const demoSeller = await makeUser({ memberOf: w.workshopId, demoKind: 'shop' });
    await makeShop({ workshop: w.workshopId, owner: demoSeller, isDemo: true });
    await makeUser({ memberOf: w.workshopId, demoKind: 'buyer' });
    await makeUser({ memberOf: w.workshopId, demoKind: 'trainee' });
    const board = await getProgressBoard(w.tutorCtx);
    expect(board.trainees.map((t) => t.id).sort()).toEqual(w.trainees.map((t) => t.id).sort());
  });

  it('when the tutor opens the board, then one full-width table without a sideways scroll region, each trainee a row; a trainee is forbidden; another workshop gets 404', async () => {
    const w = await workshopInSession(0, new Date());
    const tutor = await signedInAgent(app, w.tutor.username);
    const res = await tutor.get(`/workshops/${w.workshopId}/progress`);
    expect(res.status).toBe(200);
    for (const t of w.trainees) expect(res.text).toContain(`data-trainee="${t.username}"`);
    expect(res.text).toContain('<body class="has-tabs wide">');
    expect(res.text).not.toContain('table-scroll');
    expect(res.text).toContain('data-refresh="30"');
    expect(text(res.text)).toContain('Isi kuesioner awal');
    const trainee = await signedInAgent(app, w.trainees[0]!.username);
    expect((await trainee.get(`/workshops/${w.workshopId}/progress`)).status).toBe(403);
    expect((await trainee.get(`/workshops/${w.workshopId}/progress/screen`)).status).toBe(403);
    const other = await makeWorkshop({ trainees: 0 });
    const otherTutor = await signedInAgent(app, other.tutor.username);
    expect((await otherTutor.get(`/workshops/${w.workshopId}/progress`)).status).toBe(404);
  });

  it("when the board is shown on the projector, then it shows the current session's missions with the room's counts and one tile per trainee", async () => {
    const w = await workshopInSession(0, new Date());
    await makeShop({ workshop: w.workshopId, owner: w.trainees[0]! });
    const tutor = await signedInAgent(app, w.tutor.username);
    const res = await tutor.get(`/workshops/${w.workshopId}/progress/screen`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<body class="projector">');
    expect(text(res.text)).toContain('Hari 1 – Sesi 1');
    expect(res.text).toContain('data-mission="open-shop"');
    expect(res.text).not.toContain('data-mission="first-order"');
    expect(text(res.text)).toContain('Buka toko 1/3');
    for (const t of w.trainees) expect(res.text).toContain(`class="room-tile" data-trainee="${t.username}"`);
  });
});
