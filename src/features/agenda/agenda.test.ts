import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { currentSession, type AgendaSession } from './agenda.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const at = (iso: string) => new Date(iso);
const session = (id: number, startsAt: string | null, endsAt: string | null): AgendaSession => ({
  id,
  name: `S${id}`,
  position: id,
  startsAt: startsAt ? at(startsAt) : null,
  endsAt: endsAt ? at(endsAt) : null,
  modules: [],
  missions: [],
});

describe('the current session', () => {
  const day = [
    session(1, '2026-12-01T01:00:00Z', '2026-12-01T04:00:00Z'),
    session(2, '2026-12-01T05:00:00Z', '2026-12-01T08:00:00Z'),
    session(3, '2026-12-02T01:00:00Z', '2026-12-02T04:00:00Z'),
  ];
  it.each([
    ['before the workshop', 1, '2026-11-30T12:00:00Z'],
    ['during the first session', 1, '2026-12-01T02:00:00Z'],
    ['at lunch, between two sessions', 2, '2026-12-01T04:30:00Z'],
    ['overnight', 3, '2026-12-01T20:00:00Z'],
    ['after the workshop', 3, '2026-12-03T00:00:00Z'],
  ])('when it is %s, then the current session is S%s', (_when, expected, now) => {
    expect(currentSession(day, at(now))?.id).toBe(expected);
  });

  it('when no session has times, then the first one; when there is none, then none', () => {
    expect(currentSession([session(7, null, null), session(8, null, null)], at('2026-12-01T00:00:00Z'))?.id).toBe(7);
    expect(currentSession([], new Date())).toBeNull();
  });
});

describe('editing the agenda', () => {
  it("when a tutor sets a session's day, times, modules and missions, then the agenda shows them to everyone", async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const [first] = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const tutor = await signedInAgent(app, w.tutor.username);
    const form = await tutor.get(`/workshops/${w.workshopId}/agenda/edit`);
    expect(form.status).toBe(200);
    const res = await tutor
      .post(`/workshops/${w.workshopId}/agenda/edit`)
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(csrfFrom(form.text))}&date-${first!.id}=2026-12-10&start-${first!.id}=09:00&end-${first!.id}=11:30` +
          `&modules-${first!.id}=a&modules-${first!.id}=d&missions-${first!.id}=open-shop&missions-${first!.id}=pre-questionnaire`,
      );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${w.workshopId}/agenda`);
    const saved = await prisma.workshopSession.findUniqueOrThrow({ where: { id: first!.id } });
    expect([saved.startsAt?.toISOString(), saved.endsAt?.toISOString(), saved.modules, saved.missions]).toEqual([
      '2026-12-10T01:00:00.000Z',
      '2026-12-10T03:30:00.000Z',
      'a,d',
      'open-shop,pre-questionnaire',
    ]);

    const trainee = await signedInAgent(app, w.trainees[0]!.username);
    const agenda = text((await trainee.get(`/workshops/${w.workshopId}/agenda`)).text);
    expect(agenda).toContain('10 Desember 2026, 09.00–11.30');
    expect(agenda).toContain('Internet, etika, dan keamanan');
    expect(agenda).toContain('Jual beli di toko online');
    expect(agenda).toContain('Buka toko');
    expect((await trainee.get(`/workshops/${w.workshopId}/agenda/edit`)).status).toBe(403);
    expect(
      (
        await trainee
          .post(`/workshops/${w.workshopId}/agenda/default`)
          .type('form')
          .send({ _csrf: await trainee.csrf() })
      ).status,
    ).toBe(403);
  });

  it('when the times are wrong or a mission is unknown, then 422 with messages beside the fields and nothing saved', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const [first, second] = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const organizer = await signedInAgent(app, w.organizer.username);
    const res = await organizer
      .post(`/workshops/${w.workshopId}/agenda/edit`)
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(await organizer.csrf())}&date-${first!.id}=2026-12-10&start-${first!.id}=13:00&end-${first!.id}=12:00` +
          `&date-${second!.id}=2026-12-10&start-${second!.id}=9&end-${second!.id}=10:00&missions-${second!.id}=hack`,
      );
    expect(res.status).toBe(422);
    const page = text(res.text);
    expect(page).toContain('Jam selesai harus sesudah jam mulai.');
    expect(page).toContain('Isi jam, contoh 09:00.');
    expect(res.text).toContain(`id="f-end-${first!.id}" name="end-${first!.id}" type="time" value="12:00"`);
    expect(await prisma.workshopSession.count({ where: { workshopId: w.workshopId, startsAt: { not: null } } })).toBe(0);
  });

  it("when the form names another workshop's session, then that session is not changed", async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const other = await makeWorkshop({ trainees: 0 });
    const theirs = await prisma.workshopSession.findFirstOrThrow({ where: { workshopId: other.workshopId } });
    const tutor = await signedInAgent(app, w.tutor.username);
    await tutor
      .post(`/workshops/${w.workshopId}/agenda/edit`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(await tutor.csrf())}&date-${theirs.id}=2026-12-10&start-${theirs.id}=09:00&end-${theirs.id}=10:00`);
    expect((await prisma.workshopSession.findUniqueOrThrow({ where: { id: theirs.id } })).startsAt).toBeNull();
  });

  it('when staff use the default agenda, then the sessions get the two days, four modules and their missions, keeping their names', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const tutor = await signedInAgent(app, w.tutor.username);
    const res = await tutor
      .post(`/workshops/${w.workshopId}/agenda/default`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect(res.status).toBe(303);
    const sessions = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    expect(sessions.map((s) => [s.name, s.modules, s.startsAt?.toISOString()])).toEqual([
      ['Hari 1 – Sesi 1', 'a', '2026-12-01T01:00:00.000Z'],
      ['Hari 1 – Sesi 2', 'b', '2026-12-01T05:00:00.000Z'],
      ['Hari 2', 'c', '2026-12-02T01:00:00.000Z'],
      ['Hari 2 – Sesi 2', 'd', '2026-12-02T05:00:00.000Z'],
    ]);
    expect(sessions[3]!.missions.split(',')).toContain('list-products');

    // Saved again from the form (which lists missions by module), the session keeps its order.
    const first = sessions[0]!;
    await tutor
      .post(`/workshops/${w.workshopId}/agenda/edit`)
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(await tutor.csrf())}&modules-${first.id}=a` +
          ['pre-questionnaire', 'shop-logo', 'complete-description', 'open-shop', 'first-order']
            .map((m) => `&missions-${first.id}=${m}`)
            .join(''),
      );
    expect((await prisma.workshopSession.findUniqueOrThrow({ where: { id: first.id } })).missions).toBe(
      'pre-questionnaire,open-shop,shop-logo,complete-description,first-order',
    );
  });
});
