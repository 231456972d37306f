import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';

const app = createApp();

describe('joining with a code is for trainees', () => {
  it('when an organizer or a tutor of another workshop types its join code, then they are refused and get no role in it', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    for (const role of ['organizer', 'tutor'] as const) {
      const staff = await makeUser({ role });
      const agent = await signedInAgent(app, staff.username);
      const page = await agent.get('/join');
      const res = await agent
        .post('/join')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), code: w.workshop.joinCode });
      expect(res.status, role).toBe(422);
      expect(text(res.text)).toContain('ditambahkan oleh penyelenggara');
      expect(
        await prisma.membership.findUnique({ where: { workshopId_userId: { workshopId: w.workshopId, userId: staff.id } } }),
        role,
      ).toBeNull();
      expect((await agent.get(`/workshops/${w.workshopId}/members`)).status, role).toBe(404);
    }
  });

  it("when the workshop's own tutor types its join code, then nothing changes and they land in it", async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const agent = await signedInAgent(app, w.tutor.username);
    const page = await agent.get('/join');
    const res = await agent
      .post('/join')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: w.workshop.joinCode });
    expect(res.headers.location).toBe(`/workshops/${w.workshopId}`);
  });

  it(
    'when a signed-in trainee of another workshop taps "Gabung" twice at once, then both taps land in the workshop and she is a member once',
    { repeats: 5 },
    async () => {
      const w = await makeWorkshop({ trainees: 0 });
      const trainee = await makeUser({ role: 'trainee' });
      const agent = await signedInAgent(app, trainee.username);
      const page = await agent.get('/join');
      const tap = () =>
        agent
          .post('/join')
          .type('form')
          .send({ _csrf: csrfFrom(page.text), code: w.workshop.joinCode });
      const results = await Promise.all([tap(), tap()]);
      expect(results.map((r) => [r.status, r.headers.location])).toEqual([
        [303, `/workshops/${w.workshopId}`],
        [303, `/workshops/${w.workshopId}`],
      ]);
      expect(await prisma.membership.count({ where: { workshopId: w.workshopId, userId: trainee.id } })).toBe(1);
    },
  );
});
