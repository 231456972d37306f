import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { verifyLogin } from '../auth/auth.service.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeUser, makeWorkshop, signedInAgent, TEST_PASSWORD, type Agent } from '../../test/builders/index.js';

const app = createApp();

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const WINDOWS_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Signs in from a browser that names itself with this User-Agent. */
async function signedInWith(userAgent: string, user: { username: string }): Promise<Agent> {
  const agent = request.agent(app) as Agent;
  const page = await agent.get('/login').set('User-Agent', userAgent);
  const res = await agent
    .post('/login')
    .set('User-Agent', userAgent)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username: user.username, password: TEST_PASSWORD });
  expect(res.status).toBe(303);
  agent.csrf = async () => csrfFrom((await agent.get('/account/devices').set('User-Agent', userAgent)).text);
  return agent;
}

const isSignedOut = async (agent: Agent) => (await agent.get('/workshops')).headers.location === '/login?next=%2Fworkshops';

describe('changing her password', () => {
  const strong = 'kopi sawah biru pagi';

  it('when she gives the right current password and a strong new one, then it is changed, her other devices are signed out and this one stays', async () => {
    const user = await makeUser();
    const phone = await signedInAgent(app, user);
    const laptop = await signedInAgent(app, user);
    const res = await phone
      .post('/account/password')
      .type('form')
      .send({ _csrf: await phone.csrf(), currentPassword: TEST_PASSWORD, newPassword: strong, confirmPassword: strong });
    expect(res.status).toBe(303);
    expect(text((await phone.get('/workshops')).text)).toContain('Kata sandi sudah diganti. Perangkat lain sudah dikeluarkan.');
    expect(await isSignedOut(laptop)).toBe(true);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await verifyLogin(user.username, TEST_PASSWORD)).toBeNull();
    expect(await verifyLogin(user.username, strong)).toMatchObject({ id: user.id });
  });

  it.each([
    [
      'the current password is wrong',
      { currentPassword: 'bukan-ini-123', newPassword: strong, confirmPassword: strong },
      'Kata sandi sekarang salah.',
    ],
    [
      'the two new ones differ',
      { currentPassword: TEST_PASSWORD, newPassword: strong, confirmPassword: `${strong}!` },
      'Kedua kata sandi baru tidak sama.',
    ],
    [
      'it is too short',
      { currentPassword: TEST_PASSWORD, newPassword: 'kopi12', confirmPassword: 'kopi12' },
      'Kata sandi minimal 8 karakter.',
    ],
  ])('when %s, then the form is shown again with why, in Indonesian, and nothing changes', async (_case, form, message) => {
    const user = await makeUser();
    const agent = await signedInAgent(app, user);
    const res = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: await agent.csrf(), ...form });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain(message);
    expect(res.text).not.toContain(strong);
    expect(await verifyLogin(user.username, TEST_PASSWORD)).toMatchObject({ id: user.id });
  });

  it.each(['latihan123', 'password1', 'qwertyuiop', 'indonesia', 'sitiaminah1'])(
    'when the new password is %s, then the server refuses it as too easy to guess, whatever the browser did',
    async (weak) => {
      const user = await makeUser({ username: `siti${Math.floor(Math.random() * 1e6)}`, displayName: 'Siti Aminah' });
      const agent = await signedInAgent(app, user);
      const res = await agent
        .post('/account/password')
        .type('form')
        .send({ _csrf: await agent.csrf(), currentPassword: TEST_PASSWORD, newPassword: weak, confirmPassword: weak });
      expect(res.status).toBe(422);
      expect(text(res.text)).toContain('Kata sandi ini terlalu mudah ditebak.');
      expect(await verifyLogin(user.username, weak)).toBeNull();
    },
  );

  it('when she types a password, then the meter says how strong it is in her language, with hints; without a token or signed out it answers nothing', async () => {
    const user = await makeUser({ displayName: 'Siti Aminah' });
    const agent = await signedInAgent(app, user);
    const token = await agent.csrf();
    const weak = await agent.post('/account/password/strength').set('x-csrf-token', token).type('form').send({ password: 'password' });
    expect(weak.status).toBe(200);
    expect(weak.body).toMatchObject({ score: 0, acceptable: false, label: 'Sangat lemah' });
    expect(weak.body.hints).toContain('Ini adalah kata sandi yang sangat sering digunakan.');
    expect(weak.headers['cache-control']).toBe('no-store');
    const good = await agent.post('/account/password/strength').set('x-csrf-token', token).type('form').send({ password: strong });
    expect(good.body).toMatchObject({ acceptable: true });
    expect(good.body.score).toBeGreaterThanOrEqual(3);
    const english = await agent
      .post('/account/password/strength')
      .set('x-csrf-token', token)
      .set('Cookie', 'lang=en')
      .type('form')
      .send({ password: 'password' });
    expect(english.body.label).toBe('Very weak');

    expect((await agent.post('/account/password/strength').type('form').send({ password: 'x' })).status).toBe(403);
    const visitor = await request(app).get('/login');
    const outsider = await request(app)
      .post('/account/password/strength')
      .set(
        'Cookie',
        ([] as string[])
          .concat(visitor.headers['set-cookie'] ?? [])
          .map((c) => c.split(';')[0])
          .join('; '),
      )
      .set('x-csrf-token', csrfFrom(visitor.text))
      .type('form')
      .send({ password: 'x' });
    expect(outsider.status).toBe(303);
    expect(outsider.headers.location).toBe('/login');
  });

  it('when the password page is opened, then it has the meter (script from this site) and works as a plain form', async () => {
    const agent = await signedInAgent(app, await makeUser());
    const page = await agent.get('/account/password');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/static/js/password-strength.js" defer></script>');
    expect(page.text).toMatch(/<form method="post" action="\/account\/password"/);
    expect(text(page.text)).toContain('Kata sandi sekarang');
  });
});

describe('her signed-in devices', () => {
  it('when she opens the list, then each device shows its browser and system, and this one is marked', async () => {
    const user = await makeUser();
    const phone = await signedInWith(ANDROID_CHROME, user);
    await signedInWith(WINDOWS_FIREFOX, user);
    const page = await phone.get('/account/devices').set('User-Agent', ANDROID_CHROME);
    expect(page.status).toBe(200);
    const devices = [...page.text.matchAll(/<li class="card device" data-testid="device">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!));
    expect(devices).toHaveLength(2);
    expect(devices[0]).toContain('Chrome di Android 14');
    expect(devices[0]).toContain('Ponsel');
    expect(devices[0]).toContain('Perangkat ini');
    expect(devices[0]).toContain('Terakhir aktif');
    expect(devices[1]).toContain('Firefox di Windows');
    expect(devices[1]).toContain('Komputer');
    expect(devices[1]).not.toContain('Perangkat ini');
    // A session id is a bearer secret: the page never shows one.
    for (const { sid } of await prisma.session.findMany({ where: { userId: user.id } })) expect(page.text).not.toContain(sid);
  });

  it('when she signs one other device out, then that device is signed out and this one is not', async () => {
    const user = await makeUser();
    const phone = await signedInWith(ANDROID_CHROME, user);
    const laptop = await signedInWith(WINDOWS_FIREFOX, user);
    const page = await phone.get('/account/devices');
    const action = /action="(\/account\/devices\/[^"]+\/sign-out)"/.exec(page.text)![1]!;
    const res = await phone
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(text((await phone.get('/account/devices')).text)).toContain('Perangkat itu sudah dikeluarkan.');
    expect(await isSignedOut(laptop)).toBe(true);
    expect(await isSignedOut(phone)).toBe(false);
  });

  it("when someone posts another person's device, or a made-up one, then it is not found and nobody is signed out", async () => {
    const victim = await makeUser();
    const victimPhone = await signedInWith(ANDROID_CHROME, victim);
    await signedInWith(WINDOWS_FIREFOX, victim);
    const victimAction = /action="(\/account\/devices\/[^"]+\/sign-out)"/.exec((await victimPhone.get('/account/devices')).text)![1]!;
    const other = await signedInAgent(app, await makeUser());
    const token = await other.csrf();
    expect((await other.post(victimAction).type('form').send({ _csrf: token })).status).toBe(404);
    expect((await other.post('/account/devices/not-a-device/sign-out').type('form').send({ _csrf: token })).status).toBe(404);
    expect(await prisma.session.count({ where: { userId: victim.id } })).toBe(2);
  });

  it('when she signs out everywhere, then every device of hers is signed out, this one too, and the sign-in page says so', async () => {
    const user = await makeUser();
    const phone = await signedInWith(ANDROID_CHROME, user);
    const laptop = await signedInWith(WINDOWS_FIREFOX, user);
    const someoneElse = await signedInAgent(app, await makeUser());
    const res = await phone
      .post('/account/sign-out-everywhere')
      .type('form')
      .send({ _csrf: await phone.csrf() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    const login = await phone.get('/login');
    expect(text(login.text)).toContain('Anda sudah keluar dari semua perangkat.');
    expect(await isSignedOut(phone)).toBe(true);
    expect(await isSignedOut(laptop)).toBe(true);
    expect(await isSignedOut(someoneElse)).toBe(false);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("a tutor resets a trainee's password", () => {
  const resetUrl = (workshopId: number, memberId: number) => `/workshops/${workshopId}/members/${memberId}/password-reset`;

  it('when the tutor resets it, then a temporary password is shown once, her devices are signed out, and at sign-in she must set her own first', async () => {
    const { workshopId, tutor, trainees } = await makeWorkshop({ trainees: 1 });
    const trainee = trainees[0]!;
    const traineePhone = await signedInAgent(app, trainee);
    const staff = await signedInAgent(app, tutor);
    const members = await staff.get(`/workshops/${workshopId}/members`);
    expect(members.text).toContain(`action="${resetUrl(workshopId, trainee.id)}"`);
    expect(members.text).not.toContain(`action="${resetUrl(workshopId, tutor.id)}"`);

    const res = await staff
      .post(resetUrl(workshopId, trainee.id))
      .type('form')
      .send({ _csrf: csrfFrom(members.text) });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const temporary = /data-testid="temporary-password">([^<]+)</.exec(res.text)![1]!;
    expect(temporary).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(text(res.text)).toContain(`Kata sandi sementara untuk ${trainee.displayName} (@${trainee.username})`);
    expect(text((await staff.get(`/workshops/${workshopId}/members`)).text)).not.toContain(temporary);
    expect(await isSignedOut(traineePhone)).toBe(true);
    expect(await verifyLogin(trainee.username, TEST_PASSWORD)).toBeNull();

    // She signs in with it: every page sends her to make her own password first.
    const again = await signedInAgent(app, trainee, temporary);
    const home = await again.get(`/workshops/${workshopId}`);
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/account/password');
    const form = await again.get('/account/password');
    expect(text(form.text)).toContain('Fasilitator sudah mengatur ulang kata sandi Anda.');
    expect(form.text).not.toContain('name="currentPassword"');
    const mine = 'ayam goreng pedas manis';
    const saved = await again
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), newPassword: mine, confirmPassword: mine });
    expect(saved.status).toBe(303);
    expect((await again.get(`/workshops/${workshopId}`)).status).toBe(200);
    expect(await verifyLogin(trainee.username, temporary)).toBeNull();
    expect(await verifyLogin(trainee.username, mine)).toMatchObject({ id: trainee.id, mustChangePassword: false });
  });

  it('when a trainee, a tutor of another workshop, or anyone tries it on a tutor, then it is refused and nothing changes', async () => {
    const { workshopId, tutor, trainees } = await makeWorkshop({ trainees: 2 });
    const [trainee, classmate] = trainees as [(typeof trainees)[0], (typeof trainees)[0]];
    const other = await makeWorkshop({ trainees: 0 });

    const asClassmate = await signedInAgent(app, classmate);
    expect(
      (
        await asClassmate
          .post(resetUrl(workshopId, trainee.id))
          .type('form')
          .send({ _csrf: await asClassmate.csrf() })
      ).status,
    ).toBe(403);

    const outsider = await signedInAgent(app, other.tutor);
    expect(
      (
        await outsider
          .post(resetUrl(workshopId, trainee.id))
          .type('form')
          .send({ _csrf: await outsider.csrf() })
      ).status,
    ).toBe(404);
    expect(
      (
        await outsider
          .post(resetUrl(other.workshopId, trainee.id))
          .type('form')
          .send({ _csrf: await outsider.csrf() })
      ).status,
    ).toBe(404);

    const organizer = await signedInAgent(
      app,
      (await prisma.workshop.findUniqueOrThrow({ where: { id: workshopId }, include: { createdBy: true } })).createdBy,
    );
    expect(
      (
        await organizer
          .post(resetUrl(workshopId, tutor.id))
          .type('form')
          .send({ _csrf: await organizer.csrf() })
      ).status,
    ).toBe(404);

    expect(await verifyLogin(trainee.username, TEST_PASSWORD)).toMatchObject({ id: trainee.id });
    expect(await verifyLogin(tutor.username, TEST_PASSWORD)).toMatchObject({ id: tutor.id });
  });
});
