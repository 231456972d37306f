// The room's limits (src/http/attempt-limits.ts) as forty phones behind one Wi-Fi address meet
// them: every supertest agent is one phone (its own cookie jar), all from 127.0.0.1.
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import { prisma } from './db.js';
import { pruneExpiredLimits } from './http/attempt-limits.js';
import { setAnonymousLink } from './features/questionnaires/questionnaires.service.js';
import { csrfFrom, text } from './test/helpers.js';
import { ctxOf, makeForm, makeUser, makeWorkshop, TEST_PASSWORD } from './test/builders/index.js';

// A smaller room for these tests, set before the app reads its settings (vi.hoisted runs before
// the imports): 60 new devices an hour from one address, 5 wrong join codes per device.
vi.hoisted(() => {
  process.env.ROOM_DEVICE_LIMIT = '60';
  process.env.JOIN_RATE_LIMIT = '5';
});

const app = createApp();
type Phone = ReturnType<typeof request.agent> & { token: string };

/** A phone that has opened a page with a form (and so has its device cookie and a CSRF token). */
async function phone(page = '/login'): Promise<Phone> {
  const agent = request.agent(app) as Phone;
  agent.token = csrfFrom((await agent.get(page)).text);
  return agent;
}

const signIn = (p: Phone, username: string, password: string, headers: Record<string, string> = {}) =>
  p.post('/login').set(headers).type('form').send({ _csrf: p.token, username, password });
/** Joins as a new trainee (a valid name and password: only the code can be wrong). */
const join = (p: Phone, code: string, username: string) =>
  p.post('/join').type('form').send({ _csrf: p.token, code, displayName: 'Ibu Peserta', username, password: 'kata-sandi-1' });

// Each test is a new room: no counters from the one before. The clock stands still unless a test
// moves it, so a wait of one second does not pass on a slow machine between two requests.
beforeEach(async () => {
  await prisma.rateLimitHit.deleteMany();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => vi.useRealTimers());

describe('limits for a room that shares one address', () => {
  it('when one attacker device hammers sign-in, join codes and questionnaire links with forged addresses, then it is stopped and 39 other phones still join and sign in', async () => {
    const { workshop, organizer } = await makeWorkshop({ trainees: 0 });
    const victim = await makeUser({ username: 'komang.room', memberOf: workshop.id });
    const form = await makeForm({ workshop: workshop.id });
    await setAnonymousLink(await ctxOf({ workshop: workshop.id, user: organizer }), form.id, true);
    const token = (await prisma.form.findUniqueOrThrow({ where: { id: form.id } })).anonymousToken!;

    // Komang signed in on her phone earlier, and signed out.
    const komangPhone = await phone();
    expect((await signIn(komangPhone, victim.username, TEST_PASSWORD)).status).toBe(303);
    await komangPhone
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom((await komangPhone.get('/workshops')).text) });
    const phones = await Promise.all(Array.from({ length: 39 }, () => phone(`/join?code=${workshop.joinCode}`)));

    const attacker = await phone('/join');
    const forged = (i: number) => ({ 'X-Forwarded-For': `10.9.${i % 250}.${i % 7}` });
    const statuses = { signIn: [] as number[], join: [] as number[], link: [] as number[] };
    for (let i = 0; i < 25; i++)
      statuses.signIn.push((await signIn(attacker, i % 2 ? 'komang.room' : `user${i}`, `tebak-${i}`, forged(i))).status);
    for (let i = 0; i < 12; i++)
      statuses.join.push((await join(attacker, `ZZZ${String(i).padStart(3, '0')}`, `tebak.x${i}`).set(forged(i))).status);
    for (let i = 0; i < 40; i++) statuses.link.push((await attacker.get(`/q/tebakan-${i}-abcdefghijklmnop`).set(forged(i))).status);
    // A forged address changes nothing: the device is the same. Sign-in stops after 10 failures
    // of the device (waiting for Komang's account is no failure), join codes after 5, links after 30.
    expect(statuses.signIn.filter((s) => s === 422).length).toBeLessThanOrEqual(10);
    expect(statuses.signIn.slice(-3)).toEqual([429, 429, 429]);
    expect(statuses.join.filter((s) => s === 422)).toHaveLength(5);
    expect(statuses.join.slice(5).every((s) => s === 429)).toBe(true);
    expect(statuses.link.filter((s) => s === 404)).toHaveLength(30);
    expect(statuses.link.slice(30).every((s) => s === 429)).toBe(true);
    const blocked = await signIn(attacker, 'komang.room', TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(text(blocked.text)).toContain('Terlalu banyak percobaan');

    // Everyone else in the room: a typo each, then they join, come back and sign in.
    const joined = await Promise.all(
      phones.map(async (p, i) => {
        await join(p, 'SALAH1', `peserta.salah${i}`);
        return (await join(p, workshop.joinCode, `peserta.room${i}`)).status;
      }),
    );
    expect(joined).toEqual(Array(39).fill(303));
    const signedIn = await Promise.all(
      phones.map(async (p, i) => {
        await p
          .post('/logout')
          .type('form')
          .send({ _csrf: csrfFrom((await p.get('/workshops')).text) });
        p.token = csrfFrom((await p.get('/login')).text);
        return (await signIn(p, `peserta.room${i}`, 'kata-sandi-1')).status;
      }),
    );
    expect(signedIn).toEqual(Array(39).fill(303));
    expect((await request(app).get(`/q/${token}`)).status).toBe(200);
    // Komang's own phone is not held up by the guesses at her account.
    komangPhone.token = csrfFrom((await komangPhone.get('/login')).text);
    expect((await signIn(komangPhone, victim.username, TEST_PASSWORD)).status).toBe(303);
    expect(await prisma.membership.count({ where: { workshopId: workshop.id, role: 'trainee' } })).toBe(40);
  }, 120_000); // forty phones' passwords hashed and checked on a shared machine

  it('when the attacker drops its cookie again and again, then new devices stop at the room ceiling and so do its guesses, while the phones already in the room keep joining', async () => {
    const { workshop } = await makeWorkshop({ trainees: 0 });
    const phones = await Promise.all(Array.from({ length: 39 }, () => phone(`/join?code=${workshop.joinCode}`)));
    const used = await prisma.rateLimitHit.findFirstOrThrow({ where: { key: { startsWith: 'device-mint:' } } });
    expect(used.hits).toBe(39);

    let wrongGuessesHeard = 0;
    let identities = 0;
    for (; identities < 40; identities++) {
      const fresh = await phone('/join'); // a new cookie jar: a new device while the room allows one
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await join(fresh, `QQ${identities}X${i}`.slice(0, 6).padEnd(6, 'Q'), `tebak.y${identities}x${i}`)).status);
      wrongGuessesHeard += statuses.filter((status) => status === 422).length;
      if (statuses[0] === 429) break; // even a fresh start is refused now
    }
    const ceiling = 60;
    const devicesLeft = ceiling - used.hits;
    // Each new device had 5 wrong codes, and past the ceiling all cookieless requests share 5.
    expect(wrongGuessesHeard).toBeLessThanOrEqual(devicesLeft * 5 + 5);
    expect(identities).toBeLessThanOrEqual(devicesLeft + 1);
    for (let i = 0; i < 5; i++) expect((await join(await phone('/join'), 'QQQQQQ', `tebak.z${i}`)).status).toBe(429);

    const joined = await Promise.all(phones.map((p, i) => join(p, workshop.joinCode, `peserta.ceiling${i}`).then((r) => r.status)));
    expect(joined).toEqual(Array(39).fill(303));
  }, 120_000);
});

describe('the sign-in limit per account', () => {
  it('when the username comes with spaces, a tab or a no-break space, then every failure counts for the one account the sign-in uses', async () => {
    const { username } = await makeUser({ username: 'komang.spaces' });
    const variants = [' komang.spaces', 'komang.spaces ', '\tkomang.spaces', '\u00a0komang.spaces', 'KOMANG.spaces'];
    for (const variant of variants) expect((await signIn(await phone(), variant, 'salah-sekali')).status).toBe(422);
    // Five failures on one account from five devices: the next device has to wait, whatever it types.
    const sixth = await signIn(await phone(), `  ${username}  `, TEST_PASSWORD);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(text(sixth.text)).toContain('Terlalu banyak percobaan masuk ke akun ini');
    expect(await prisma.rateLimitHit.count({ where: { key: { startsWith: 'signin-account:' } } })).toBe(1);
  });

  it('when a device keeps guessing one account, then the waits grow (1, 2, 4 s…) instead of locking it for 15 minutes, and a right password after the wait signs in', async () => {
    const { username } = await makeUser({ username: 'dewi.waits' });
    // On a whole second, held there: the limits count whole seconds, so a start at .8-.9 s made
    // the 2 s wait end one second early and the test fail once in ten runs.
    const start = (Math.floor(Date.now() / 1000) + 1) * 1000;
    vi.setSystemTime(start);
    const p = await phone();
    for (let i = 0; i < 5; i++) expect((await signIn(p, username, `tebak-${i}`)).status).toBe(422);
    expect((await signIn(p, username, TEST_PASSWORD)).status).toBe(429);
    vi.setSystemTime(start + 1_100);
    expect((await signIn(p, username, 'tebak-6')).status).toBe(422); // the wait is now 2 s
    vi.setSystemTime(start + 2_200);
    const early = await signIn(p, username, TEST_PASSWORD);
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    vi.setSystemTime(start + 4_500);
    expect((await signIn(p, username, TEST_PASSWORD)).status).toBe(303);
  });

  it('when strangers guess an account, then a phone that signed in to it before signs in without waiting', async () => {
    const user = await makeUser({ username: 'siti.trusted' });
    const own = await phone();
    expect((await signIn(own, user.username, TEST_PASSWORD)).status).toBe(303);
    await own
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom((await own.get('/workshops')).text) });
    for (let i = 0; i < 8; i++) await signIn(await phone(), user.username, `tebak-${i}`);
    expect((await signIn(await phone(), user.username, TEST_PASSWORD)).status).toBe(429);
    own.token = csrfFrom((await own.get('/login')).text);
    expect((await signIn(own, user.username, TEST_PASSWORD)).status).toBe(303);
  });

  it('when failed sign-ins of one account are spread over two app instances, then they add up (the counts are in the database)', async () => {
    const { username } = await makeUser({ username: 'made.instances' });
    const other = createApp();
    const phoneOf = async (instance: typeof app) => {
      const agent = request.agent(instance) as Phone;
      agent.token = csrfFrom((await agent.get('/login')).text);
      return agent;
    };
    for (let i = 0; i < 5; i++) expect((await signIn(await phoneOf(i % 2 ? other : app), username, `tebak-${i}`)).status).toBe(422);
    expect((await signIn(await phoneOf(other), username, TEST_PASSWORD)).status).toBe(429);
  });
});

describe('forgetting ended windows', () => {
  it('when the job runs, then the counters whose window ended go and the live ones stay', async () => {
    const now = Math.floor(Date.now() / 1000);
    await prisma.rateLimitHit.createMany({
      data: [
        { key: 'signin:ended', hits: 3, windowEnds: now - 1 },
        { key: 'signin:live', hits: 3, windowEnds: now + 60 },
      ],
    });
    await pruneExpiredLimits();
    expect((await prisma.rateLimitHit.findMany({ select: { key: true } })).map((r) => r.key)).toEqual(['signin:live']);
  });
});
