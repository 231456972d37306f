import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeUser, makeWorkshop, signedInAgent, TEST_PASSWORD } from '../../test/builders/index.js';
import { formatJoinCode, newJoinCode } from './workshops.service.js';

const app = createApp();

async function joinAsNewTrainee(code: string, username: string, displayName = 'Ibu Wayan') {
  const agent = request.agent(app);
  const page = await agent.get(`/join?code=${code}`);
  const res = await agent
    .post('/join')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code, displayName, username, password: 'kata-sandi-1' });
  return { agent, res };
}

describe('creating a workshop', () => {
  it('when an organizer fills in the form, then the workshop exists with its sessions and a join code on the projector page', async () => {
    const organizer = await makeUser({ role: 'organizer' });
    const agent = await signedInAgent(app, organizer.username);
    const page = await agent.get('/workshops/new');
    expect(text(page.text)).toContain('Hari 1 – Sesi 1');
    const res = await agent
      .post('/workshops')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Pelatihan UMKM Gianyar',
        city: 'Gianyar',
        venue: 'Balai Banjar',
        startDate: '2026-12-03',
        endDate: '2026-12-04',
        sessions: 'Hari 1 – Sesi 1\r\nHari 1 – Sesi 2\r\n\r\nHari 2',
      });
    expect(res.status).toBe(303);
    const workshop = await prisma.workshop.findFirstOrThrow({
      where: { name: 'Pelatihan UMKM Gianyar' },
      include: { sessions: { orderBy: { position: 'asc' } } },
    });
    expect(workshop.sessions.map((s) => s.name)).toEqual(['Hari 1 – Sesi 1', 'Hari 1 – Sesi 2', 'Hari 2']);
    expect(res.headers.location).toBe(`/workshops/${workshop.id}/join-screen`);
    const screen = await agent.get(res.headers.location!);
    expect(text(screen.text)).toContain(formatJoinCode(workshop.joinCode));
    expect(screen.text).toContain(`/join?code=${workshop.joinCode}`);
    const qr = await agent.get(`/workshops/${workshop.id}/join-qr.svg`);
    expect(qr.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(String(qr.body ?? qr.text)).toContain('<svg');
  });

  it('when the dates are reversed or the name is empty, then the form comes back with messages and what was typed', async () => {
    const organizer = await makeUser({ role: 'organizer' });
    const agent = await signedInAgent(app, organizer.username);
    const page = await agent.get('/workshops/new');
    const before = await prisma.workshop.count();
    const res = await agent
      .post('/workshops')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: '',
        city: 'Tabanan',
        venue: 'Aula',
        startDate: '2026-12-05',
        endDate: '2026-12-01',
        sessions: 'Hari 1',
      });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Terlalu pendek.');
    expect(text(res.text)).toContain('Tanggal selesai tidak boleh sebelum tanggal mulai.');
    expect(res.text).toContain('value="Tabanan"');
    expect(await prisma.workshop.count()).toBe(before);
  });

  it('when a trainee tries to create a workshop, then it is forbidden', async () => {
    const agent = await signedInAgent(app, (await makeUser({ role: 'trainee' })).username);
    expect((await agent.get('/workshops/new')).status).toBe(403);
  });

  it('when join codes are made, then they avoid look-alike characters and read in two groups', () => {
    for (let i = 0; i < 200; i++) expect(newJoinCode()).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    expect(formatJoinCode('K7PQ3M')).toBe('K7P Q3M');
  });
});

describe('joining a workshop', () => {
  let workshopId: number;
  let code: string;
  beforeAll(async () => {
    const w = await makeWorkshop({ trainees: 0 });
    workshopId = w.workshopId;
    code = w.workshop.joinCode;
  });

  it('when a newcomer types the code (in any case, with a space), a name, a username and a password, then she is a trainee of the workshop and signed in', async () => {
    const spaced = `${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`;
    const { agent, res } = await joinAsNewTrainee(spaced, 'wayan.sari');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${workshopId}`);
    const home = await agent.get(res.headers.location!);
    expect(text(home.text)).toContain('Selamat datang, Ibu Wayan!');
    const membership = await prisma.membership.findFirstOrThrow({ where: { workshopId, user: { username: 'wayan.sari' } } });
    expect(membership.role).toBe('trainee');
  });

  it('when a display name carries NUL or direction-override characters, then the account gets the name without them', async () => {
    const { res } = await joinAsNewTrainee(code, 'spoof.name', '\u202eatiS\u202c Ibu\u0000 Made\u2067\t');
    expect(res.status).toBe(303);
    const user = await prisma.user.findUniqueOrThrow({ where: { username: 'spoof.name' } });
    expect(user.displayName).toBe('atiS Ibu Made');
    const onlyControls = await joinAsNewTrainee(code, 'spoof.empty', '\u202e\u202e\u0000\u0000');
    expect(onlyControls.res.status).toBe(422);
  });

  it('when the username is taken, then nothing is created and the form keeps the name typed', async () => {
    const usersBefore = await prisma.user.count();
    const { res } = await joinAsNewTrainee(code, 'wayan.sari');
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Nama pengguna ini sudah dipakai');
    expect(res.text).toContain('value="Ibu Wayan"');
    expect(await prisma.user.count()).toBe(usersBefore);
  });

  it('when the code is unknown, then it says so and creates nothing', async () => {
    const usersBefore = await prisma.user.count();
    const { res } = await joinAsNewTrainee('ZZZZZZ', 'orang.baru');
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Kode ini tidak ditemukan');
    expect(await prisma.user.count()).toBe(usersBefore);
  });

  it('when the organizer closes joining, then the code is refused until joining is opened again', async () => {
    const organizer = await prisma.membership.findFirstOrThrow({ where: { workshopId, role: 'organizer' }, include: { user: true } });
    const agent = await signedInAgent(app, organizer.user.username);
    const page = await agent.get(`/workshops/${workshopId}`);
    expect(
      (
        await agent
          .post(`/workshops/${workshopId}/join-open`)
          .type('form')
          .send({ _csrf: csrfFrom(page.text), open: 'false' })
      ).status,
    ).toBe(303);
    const { res } = await joinAsNewTrainee(code, 'terlambat');
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Pendaftaran pelatihan ini sudah ditutup');
    expect(await prisma.user.findUnique({ where: { username: 'terlambat' } })).toBeNull();
    await agent
      .post(`/workshops/${workshopId}/join-open`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), open: 'true' });
    expect((await joinAsNewTrainee(code, 'terlambat')).res.status).toBe(303);
  });

  it('when a trainee of one workshop joins a second with its code, then she switches between both', async () => {
    const other = await makeWorkshop({ trainees: 0 });
    const trainee = await makeUser({ role: 'trainee', memberOf: workshopId });
    const agent = await signedInAgent(app, trainee.username);
    const page = await agent.get('/join');
    expect(text(page.text)).toContain(`Anda masuk sebagai ${trainee.displayName}`);
    const res = await agent
      .post('/join')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: other.workshop.joinCode });
    expect(res.headers.location).toBe(`/workshops/${other.workshopId}`);
    const list = text((await agent.get('/workshops')).text);
    expect(list).toContain(other.workshop.name);
    expect(list).toContain((await prisma.workshop.findUniqueOrThrow({ where: { id: workshopId } })).name);
    expect((await agent.get(`/workshops/${workshopId}`)).status).toBe(200);
    expect((await agent.get(`/workshops/${other.workshopId}`)).status).toBe(200);
  });
});

describe('the workshop boundary', () => {
  it('when someone outside a workshop opens any of its URLs, then the answer is 404, never 403, for GET and POST', async () => {
    const a = await makeWorkshop({ trainees: 1 });
    const b = await makeWorkshop({ trainees: 1 });
    const outsiders = [b.trainees[0]!, b.organizer, b.tutor];
    const paths = ['', '/join-screen', '/join-qr.svg', '/members', '/edit', '/does-not-exist'];
    for (const outsider of outsiders) {
      const agent = await signedInAgent(app, outsider.username);
      const token = await agent.csrf();
      for (const p of paths) expect({ p, status: (await agent.get(`/workshops/${a.workshopId}${p}`)).status }).toEqual({ p, status: 404 });
      for (const p of ['/join-open', '/edit', '/tutors']) {
        expect({
          p,
          status: (await agent.post(`/workshops/${a.workshopId}${p}`).type('form').send({ _csrf: token, open: 'false' })).status,
        }).toEqual({ p, status: 404 });
      }
      expect((await agent.get('/workshops/999999')).status).toBe(404);
      expect((await agent.get('/workshops/abc')).status).toBe(404);
    }
    expect((await prisma.workshop.findUniqueOrThrow({ where: { id: a.workshopId } })).joinOpen).toBe(true);
  });

  it('when a visitor is not signed in, then a workshop URL sends her to sign in first', async () => {
    const a = await makeWorkshop({ trainees: 0 });
    const res = await request(app).get(`/workshops/${a.workshopId}/members`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/workshops/${a.workshopId}/members`)}`);
  });

  it('when a trainee opens staff pages of her own workshop, then they are forbidden (403) and nothing changes', async () => {
    const a = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, a.trainees[0]!.username);
    const home = await agent.get(`/workshops/${a.workshopId}`);
    expect(home.status).toBe(200);
    expect(text(home.text)).not.toContain(a.workshop.joinCode.slice(0, 3) + ' ');
    for (const p of ['/join-screen', '/members', '/edit']) expect((await agent.get(`/workshops/${a.workshopId}${p}`)).status).toBe(403);
    const res = await agent
      .post(`/workshops/${a.workshopId}/join-open`)
      .type('form')
      .send({ _csrf: csrfFrom(home.text), open: 'false' });
    expect(res.status).toBe(403);
    expect((await prisma.workshop.findUniqueOrThrow({ where: { id: a.workshopId } })).joinOpen).toBe(true);
  });
});

describe('running a workshop', () => {
  it('when the organizer assigns a tutor account, then the tutor sees the workshop and its members; a trainee username is refused', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const newTutor = await makeUser({ role: 'tutor' });
    const agent = await signedInAgent(app, w.organizer.username);
    const page = await agent.get(`/workshops/${w.workshopId}/members`);
    const res = await agent
      .post(`/workshops/${w.workshopId}/tutors`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: newTutor.username });
    expect(res.status).toBe(303);
    const refused = await agent
      .post(`/workshops/${w.workshopId}/tutors`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: w.trainees[0]!.username });
    expect(refused.status).toBe(422);
    expect(text(refused.text)).toContain('Tidak ada akun fasilitator');

    const tutorAgent = await signedInAgent(app, newTutor.username, TEST_PASSWORD);
    const members = await tutorAgent.get(`/workshops/${w.workshopId}/members`);
    expect(members.status).toBe(200);
    expect(text(members.text)).toContain(w.trainees[0]!.displayName);
  });

  it('when the organizer renames and adds sessions, then existing sessions keep their ids', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const before = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const agent = await signedInAgent(app, w.organizer.username);
    const page = await agent.get(`/workshops/${w.workshopId}/edit`);
    expect(page.text).toContain('value="2026-12-01"');
    const res = await agent
      .post(`/workshops/${w.workshopId}/edit`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Nama Baru',
        city: 'Denpasar',
        venue: 'Balai Kota',
        startDate: '2026-12-01',
        endDate: '2026-12-03',
        sessions: 'Hari 1 pagi\nHari 1 siang\nHari 2\nHari 3',
      });
    expect(res.status).toBe(303);
    const after = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    expect(after.map((s) => s.name)).toEqual(['Hari 1 pagi', 'Hari 1 siang', 'Hari 2', 'Hari 3']);
    expect(after.slice(0, 3).map((s) => s.id)).toEqual(before.map((s) => s.id));
  });
});
