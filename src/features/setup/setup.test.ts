import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeUser, signedInAgent } from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const workshopFields = {
  name: 'Pelatihan UMKM Klungkung',
  city: 'Klungkung',
  venue: 'Balai Budaya',
  startDate: '2026-12-14',
  endDate: '2026-12-15',
};

async function newWorkshop(extras: Record<string, string>, name: string) {
  const organizer = await makeUser({ role: 'organizer' });
  const agent = await signedInAgent(app, organizer.username);
  const form = await agent.get('/workshops/new');
  const res = await agent
    .post('/workshops')
    .type('form')
    .send({
      _csrf: csrfFrom(form.text),
      ...workshopFields,
      name,
      sessions: 'Hari 1 – Sesi 1\nHari 1 – Sesi 2\nHari 2 – Sesi 1\nHari 2 – Sesi 2',
      ...extras,
    });
  expect(res.status).toBe(303);
  const workshop = await prisma.workshop.findFirstOrThrow({ where: { name } });
  return { agent, form, workshop, organizer };
}

const checklistState = (html: string) =>
  Object.fromEntries([...html.matchAll(/data-item="(\w+)" data-state="(\w+)"/g)].map((m) => [m[1], m[2]]));

describe('creating a workshop ready to run', () => {
  it('when the organizer keeps the offered boxes ticked, then the workshop gets the default agenda, open pre/post questionnaires and the demo shops, and the checklist asks only for a tutor', async () => {
    const { agent, form, workshop } = await newWorkshop(
      { defaultAgenda: 'on', questionnaires: 'on', demoShops: 'on' },
      'Pelatihan UMKM Klungkung Lengkap',
    );
    for (const box of ['defaultAgenda', 'questionnaires', 'demoShops']) expect(form.text).toContain(`name="${box}" value="on" checked`);

    const sessions = await prisma.workshopSession.findMany({ where: { workshopId: workshop.id }, orderBy: { position: 'asc' } });
    expect(sessions.map((s) => [s.name, s.modules, s.startsAt?.toISOString()])).toEqual([
      ['Hari 1 – Sesi 1', 'a', '2026-12-14T01:00:00.000Z'],
      ['Hari 1 – Sesi 2', 'b', '2026-12-14T05:00:00.000Z'],
      ['Hari 2 – Sesi 1', 'c', '2026-12-15T01:00:00.000Z'],
      ['Hari 2 – Sesi 2', 'd', '2026-12-15T05:00:00.000Z'],
    ]);
    const forms = await prisma.form.findMany({ where: { workshopId: workshop.id }, orderBy: { id: 'asc' } });
    expect(forms.map((f) => [f.kind, f.status])).toEqual([
      ['pre', 'open'],
      ['post', 'open'],
    ]);
    expect(await prisma.shop.count({ where: { workshopId: workshop.id, isDemo: true } })).toBeGreaterThanOrEqual(4);

    const home = await agent.get(`/workshops/${workshop.id}`);
    expect(checklistState(home.text)).toEqual({
      tutor: 'todo',
      questionnaires: 'done',
      demoShops: 'done',
      agenda: 'done',
      joinOpen: 'done',
    });
    expect(text(home.text)).toContain('1 hal lagi sebelum pelatihan siap.');
    // The demo shops' sellers are no participants.
    expect(home.text).toContain('<dd data-testid="trainee-count">0</dd>');
  });

  it('when the boxes are unticked, then nothing is added and the checklist says what is missing; assigning a tutor ticks that line; tutors see no checklist', async () => {
    const { agent, workshop } = await newWorkshop({}, 'Pelatihan UMKM Klungkung Kosong');
    expect(await prisma.form.count({ where: { workshopId: workshop.id } })).toBe(0);
    expect(await prisma.shop.count({ where: { workshopId: workshop.id } })).toBe(0);
    expect(await prisma.workshopSession.count({ where: { workshopId: workshop.id, startsAt: { not: null } } })).toBe(0);
    let home = await agent.get(`/workshops/${workshop.id}`);
    expect(checklistState(home.text)).toEqual({
      tutor: 'todo',
      questionnaires: 'todo',
      demoShops: 'todo',
      agenda: 'todo',
      joinOpen: 'done',
    });
    expect(home.text).toContain(`href="/workshops/${workshop.id}/agenda/edit"`);

    const tutor = await makeUser({ role: 'tutor' });
    await agent
      .post(`/workshops/${workshop.id}/tutors`)
      .type('form')
      .send({ _csrf: await agent.csrf(), username: tutor.username });
    await agent
      .post(`/workshops/${workshop.id}/join-open`)
      .type('form')
      .send({ _csrf: await agent.csrf(), open: 'false' });
    home = await agent.get(`/workshops/${workshop.id}`);
    expect(checklistState(home.text)).toMatchObject({ tutor: 'done', joinOpen: 'todo' });

    const tutorAgent = await signedInAgent(app, tutor.username);
    expect((await tutorAgent.get(`/workshops/${workshop.id}`)).text).not.toContain('data-testid="setup-checklist"');
  });
});
