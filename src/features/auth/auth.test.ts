import { hash } from '@node-rs/argon2';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeUser, signedInAgent, TEST_PASSWORD } from '../../test/builders/index.js';
import { argonOptionsFor, verifyLogin } from './auth.service.js';

const app = createApp();

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('pl.sid='));
}

describe('signing in', () => {
  let username: string;
  beforeAll(async () => {
    username = (await makeUser({ role: 'trainee' })).username;
  });

  it('when the password is stored, then it is an argon2id hash, never the password', async () => {
    const row = await prisma.user.findUniqueOrThrow({ where: { username } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(TEST_PASSWORD);
  });

  it('when the app runs for people (development or production), then passwords are hashed at the OWASP argon2id cost: 19 MiB, 2 passes, 1 lane', async () => {
    for (const env of ['development', 'production'] as const) {
      expect(await hash(TEST_PASSWORD, argonOptionsFor(env))).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    }
  });

  it('when the username and password are right, then the person is signed in, and only then is a session stored', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/login');
    expect(sessionCookie(page)).toBeUndefined(); // looking at the form stores nothing
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: username.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).toMatch(/HttpOnly/i);
    expect(after).toMatch(/SameSite=Lax/i);
    expect(after).not.toMatch(/Secure/i); // plain HTTP on the room's network still works
    const home = await agent.get('/workshops');
    expect(text(home.text)).toContain(`Keluar (${username})`);
  });

  it('when the password is wrong, then the form says so in Indonesian, keeps the username and not the password', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username, password: 'salah-sekali' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Nama pengguna atau kata sandi salah.');
    expect(res.text).toContain(`value="${username}"`);
    expect(res.text).not.toContain('salah-sekali');
  });

  it('when a sign-in form has no CSRF token, then it is refused and nobody is signed in', async () => {
    const agent = request.agent(app);
    await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ username, password: TEST_PASSWORD });
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain('Formulir kedaluwarsa');
    expect((await agent.get('/workshops')).status).toBe(303);
  });

  it('when one device keeps guessing, then it is stopped after 10 failures, while a right password elsewhere still works', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const token = csrfFrom(page.text);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      // Ten accounts, so the account's own waits (src/room-limits.test.ts) do not come first.
      statuses.push(
        (
          await agent
            .post('/login')
            .type('form')
            .send({ _csrf: token, username: `tebak${i}`, password: `tebak-${i}` })
        ).status,
      );
    }
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses[10]).toBe(429);
    const blocked = await agent.post('/login').type('form').send({ _csrf: token, username, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(text(blocked.text)).toContain('Terlalu banyak percobaan');
    await expect(signedInAgent(app, username)).resolves.toBeDefined();
  });

  it('when the username does not exist, then verifyLogin answers null like a wrong password', async () => {
    await expect(verifyLogin('tidak-ada', 'apa-saja-123')).resolves.toBeNull();
    await expect(verifyLogin(username, TEST_PASSWORD)).resolves.toMatchObject({ username });
  });

  it('when a signed-in person signs out, then the session is gone from the database', async () => {
    const agent = await signedInAgent(app, username);
    const sessionsBefore = await prisma.session.count();
    const res = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: await agent.csrf() });
    expect(res.status).toBe(303);
    expect(await prisma.session.count()).toBe(sessionsBefore - 1);
    expect((await agent.get('/workshops')).headers.location).toBe('/login?next=%2Fworkshops');
  });
});

describe('staying signed in', () => {
  const sidOf = (cookie: string) => decodeURIComponent(cookie.split(';')[0]!.slice('pl.sid='.length)).slice(2).split('.')[0]!;

  it('when a signed-in person comes back after a while, then the session lasts a week from then; pages in between write nothing', async () => {
    const { username } = await makeUser({ role: 'trainee' });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const signIn = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username, password: TEST_PASSWORD });
    const sid = sidOf(sessionCookie(signIn)!);
    await agent.get('/workshops'); // the first page keeps a new CSRF token in the session
    const saved = await prisma.session.findUniqueOrThrow({ where: { sid } });

    // Soon after: no new cookie, the row is not written.
    const sameHour = await agent.get('/workshops');
    expect(sameHour.status).toBe(200);
    expect(sessionCookie(sameHour)).toBeUndefined();
    expect(await prisma.session.findUniqueOrThrow({ where: { sid } })).toEqual(saved);

    // Make the session three days old, as if signed in on Monday and back on Thursday.
    const threeDays = 3 * 24 * 60 * 60 * 1000;
    const oldExpiry = new Date(saved.expiresAt.getTime() - threeDays);
    await prisma.session.update({
      where: { sid },
      data: {
        createdAt: new Date(saved.createdAt.getTime() - threeDays),
        lastSeenAt: new Date(saved.lastSeenAt.getTime() - threeDays),
        expiresAt: oldExpiry,
      },
    });

    const later = await agent.get('/workshops');
    expect(later.status).toBe(200);
    const renewed = sessionCookie(later);
    expect(renewed).toBeDefined();
    const weekAhead = Date.now() + 7 * 24 * 60 * 60 * 1000;
    expect(Math.abs(new Date(/Expires=([^;]+)/i.exec(renewed!)![1]!).getTime() - weekAhead)).toBeLessThan(60_000);
    const row = await prisma.session.findUniqueOrThrow({ where: { sid } });
    expect(Math.abs(row.expiresAt.getTime() - weekAhead)).toBeLessThan(60_000);
    expect(row.expiresAt.getTime()).toBeGreaterThan(oldExpiry.getTime() + threeDays - 60_000);
  });
});

describe('admin accounts', () => {
  it('when the admin creates a tutor account, then the tutor can sign in; a trainee cannot open the page', async () => {
    const admin = await makeUser({ role: 'admin' });
    const agent = await signedInAgent(app, admin.username);
    const page = await agent.get('/admin/users');
    expect(page.status).toBe(200);
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), displayName: 'Bu Made', username: 'bu.made', password: 'tutor-rahasia', role: 'tutor' });
    expect(res.status).toBe(303);
    expect(text((await agent.get('/admin/users')).text)).toContain('Akun bu.made sudah dibuat.');
    expect(await verifyLogin('bu.made', 'tutor-rahasia')).toMatchObject({ role: 'tutor' });

    const dup = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), displayName: 'Lain', username: 'bu.made', password: 'x'.repeat(10), role: 'tutor' });
    expect(dup.status).toBe(422);
    expect(text(dup.text)).toContain('Nama pengguna ini sudah dipakai');

    const trainee = await signedInAgent(app, (await makeUser({ role: 'trainee' })).username);
    expect((await trainee.get('/admin/users')).status).toBe(403);
  });
});
