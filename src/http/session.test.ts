import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { prisma } from '../db.js';
import { makeUser } from '../test/builders/index.js';
import { sessions, type SessionData } from './session.js';
import { PrismaSessionStore } from './session-store.js';

const secret = 'test-secret-for-sessions-0123456789';
const store = new PrismaSessionStore(prisma);

/** A small app on the real store: /read reads, /write writes, and so on. */
type Store = Pick<PrismaSessionStore, 'load' | 'create' | 'update' | 'destroy' | 'destroyIfEmpty'>;

/** A row as the session middleware would create it, with the other fields' JSON given. */
const rowOf = (sid: string, json: string, expiresAt: Date) => ({
  sid,
  userId: null,
  json,
  flash: '',
  userAgent: null,
  createdAt: new Date(),
  lastSeenAt: new Date(),
  expiresAt,
});

function appWith(sessionStore: Store = store) {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(sessions({ store: sessionStore, secret, cookieName: 'pl.sid' }));
  app.get('/read', (req, res) => void res.json({ lastWorkshopId: req.session.lastWorkshopId ?? null }));
  app.get('/write', (req, res) => {
    req.session.lastWorkshopId = Number(req.query.id);
    res.send('ok');
  });
  app.get('/stream', (req, res) => {
    req.session.lastWorkshopId = 99;
    res.write('a');
    setTimeout(() => res.end('b'), 10);
  });
  // Messages: /flash adds one (after `slow` ms), /show shows and so takes every message.
  app.get('/flash', async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, Number(req.query.slow ?? 0)));
    req.session.addFlash({ kind: 'info', key: String(req.query.key) });
    res.send('added');
  });
  app.get('/show', (req, res) => void res.json(req.session.takeFlash().map((f) => f.key)));
  app.get('/slow-write', async (req, res) => {
    req.session.lastWorkshopId = Number(req.query.id);
    await new Promise((resolve) => setTimeout(resolve, 150));
    res.send('ok');
  });
  app.get('/sign-in', (req, res) => {
    req.session.user = { id: Number(req.query.id), username: 'x', displayName: 'X', role: 'trainee' };
    res.send('in');
  });
  app.get('/user', (req, res) => void res.json(req.session.user ?? null));
  app.get('/regenerate', (req, res, next) => req.session.regenerate((err) => (err ? next(err) : res.send('new'))));
  app.get('/destroy', (req, res, next) => req.session.destroy((err) => (err ? next(err) : res.send('gone'))));
  app.get('/write-then-fail', (req, res, next) => {
    req.session.lastWorkshopId = 21;
    res.send('page');
    next(new Error('too late to matter'));
  });
  app.get('/throwing-callback', (req) => {
    req.session.lastWorkshopId = 5;
    req.session.save(() => {
      throw new Error('a bug in a callback');
    });
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (res.headersSent) return void res.end();
    res.status(500).send(`error: ${err.message}`);
  });
  return app;
}

/** Sends the requests at once (each waits for its own answer only) and answers in the same order. */
const atOnce = <T>(requests: (() => PromiseLike<T>)[]) => Promise.all(requests.map((send) => send()));

const cookieOf = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('pl.sid='));
const idOf = (cookie: string) => decodeURIComponent(cookie.split(';')[0]!.slice('pl.sid='.length)).slice(2).split('.')[0]!;
const row = (sid: string) => prisma.session.findUnique({ where: { sid } });

describe('sessions', () => {
  it('when a visitor only reads, then no session is stored and no cookie is sent', async () => {
    const before = await prisma.session.count();
    const res = await request(appWith()).get('/read');
    expect(res.body).toEqual({ lastWorkshopId: null });
    expect(cookieOf(res)).toBeUndefined();
    expect(await prisma.session.count()).toBe(before);
  });

  it('when something is put in the session, then it is stored before the response and the cookie is HttpOnly, SameSite=Lax, a week long, Secure only over HTTPS', async () => {
    const res = await request(appWith()).get('/write?id=7');
    const cookie = cookieOf(res)!;
    expect(cookie).toMatch(/; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(Math.abs(new Date(/Expires=([^;]+)/.exec(cookie)![1]!).getTime() - (Date.now() + 7 * 24 * 3600 * 1000))).toBeLessThan(60_000);
    const stored = await row(idOf(cookie));
    expect(JSON.parse(stored!.data)).toEqual({ lastWorkshopId: 7 });

    const agent = request.agent(appWith());
    await agent.get('/write?id=8');
    expect((await agent.get('/read')).body).toEqual({ lastWorkshopId: 8 });

    const https = await request(appWith()).get('/write?id=9').set('X-Forwarded-Proto', 'https');
    expect(cookieOf(https)).toMatch(/; Secure$/);
  });

  it('when a session is only read, then its row is not written and no cookie is sent again', async () => {
    const agent = request.agent(appWith());
    const sid = idOf(cookieOf(await agent.get('/write?id=3'))!);
    const saved = await row(sid);
    const again = await agent.get('/read');
    expect(again.body).toEqual({ lastWorkshopId: 3 });
    expect(cookieOf(again)).toBeUndefined();
    expect(await row(sid)).toEqual(saved);
  });

  it('when the cookie is forged or altered, then it is ignored: the session behind the id is not read', async () => {
    const sid = idOf(cookieOf(await request(appWith()).get('/write?id=42'))!);
    const forged = `s:${sid}.${createHmac('sha256', 'another-secret').update(sid).digest('base64').replace(/=+$/, '')}`;
    for (const value of [forged, `s:${sid}.`, sid, `s:${sid}`, '%E0%A4%A']) {
      const res = await request(appWith())
        .get('/read')
        .set('Cookie', `pl.sid=${value.startsWith('%') ? value : encodeURIComponent(value)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ lastWorkshopId: null });
    }
    const genuine = `s:${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`;
    expect(
      (
        await request(appWith())
          .get('/read')
          .set('Cookie', `pl.sid=${encodeURIComponent(genuine)}`)
      ).body,
    ).toEqual({ lastWorkshopId: 42 });
  });

  it('when a session expires, then it reads as empty', async () => {
    await store.create(rowOf('expired-one', JSON.stringify({ lastWorkshopId: 5 } satisfies SessionData), new Date(Date.now() - 1000)));
    expect(await store.load('expired-one')).toBeNull();
    await store.create(rowOf('live-one', JSON.stringify({ lastWorkshopId: 5 }), new Date(Date.now() + 60_000)));
    expect(await store.load('live-one')).toMatchObject({ json: '{"lastWorkshopId":5}', user: null });
  });

  it('when a session is regenerated, then it has a new id, is empty, and the old row is gone; destroyed, its row and cookie go', async () => {
    const agent = request.agent(appWith());
    const old = idOf(cookieOf(await agent.get('/write?id=11'))!);
    await agent.get('/regenerate');
    expect(await row(old)).toBeNull();
    expect((await agent.get('/read')).body).toEqual({ lastWorkshopId: null });
    const fresh = idOf(cookieOf(await agent.get('/write?id=12'))!);
    expect(fresh).not.toBe(old);

    const gone = await agent.get('/destroy');
    expect(await row(fresh)).toBeNull();
    expect(cookieOf(gone)).toMatch(/^pl\.sid=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
  });

  it('when a response streams, then the session it changed is still stored and its cookie sent', async () => {
    const res = await request(appWith()).get('/stream');
    expect(res.text).toBe('ab');
    expect(JSON.parse((await row(idOf(cookieOf(res)!)))!.data)).toEqual({ lastWorkshopId: 99 });
  });

  it('when the database refuses to store the session, then the page still arrives, and its cookie leads to no session', async () => {
    const failing: Store = {
      destroyIfEmpty: store.destroyIfEmpty.bind(store),
      load: store.load.bind(store),
      destroy: store.destroy.bind(store),
      update: store.update.bind(store),
      create: () => Promise.reject(new Error('disk full')),
    };
    const res = await request(appWith(failing)).get('/write?id=1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(await row(idOf(cookieOf(res)!))).toBeNull();
    expect((await request(appWith()).get('/read').set('Cookie', cookieOf(res)!.split(';')[0]!)).body).toEqual({ lastWorkshopId: null });
  });

  it('when the database is slow, then the session is stored before the response arrives, and a late error does not replace the page', async () => {
    const slow: Store = {
      destroyIfEmpty: store.destroyIfEmpty.bind(store),
      load: store.load.bind(store),
      destroy: store.destroy.bind(store),
      update: store.update.bind(store),
      create: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await store.create(...args);
      },
    };
    const res = await request(appWith(slow)).get('/write-then-fail');
    expect(res.status).toBe(200);
    expect(res.text).toBe('page');
    const stored = await row(idOf(cookieOf(res)!));
    expect(JSON.parse(stored!.data)).toEqual({ lastWorkshopId: 21 });
  });

  it('when a callback given to the session throws, then the visitor gets the error page and the server keeps running', async () => {
    const res = await request(appWith()).get('/throwing-callback');
    expect(res.status).toBe(500);
    expect(res.text).toBe('error: a bug in a callback');
  });

  it('when a stored session is not a JSON object or carries "__proto__", then it is treated as no session, and nobody becomes admin', async () => {
    const signedCookie = (sid: string) =>
      `pl.sid=${encodeURIComponent(`s:${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`)}`;
    const later = new Date(Date.now() + 60_000);
    await store.create(rowOf('corrupt-row', '{not json', later));
    await store.create(rowOf('proto-row', '{"__proto__":{"user":{"id":1,"role":"admin"}},"lastWorkshopId":4}', later));
    expect((await request(appWith()).get('/read').set('Cookie', signedCookie('corrupt-row'))).body).toEqual({ lastWorkshopId: null });
    const app = appWith();
    app.get('/who', (req, res) => void res.json({ user: req.session.user ?? null, canSave: typeof req.session.save }));
    const who = await request(app).get('/who').set('Cookie', signedCookie('proto-row'));
    expect(who.body).toEqual({ user: null, canSave: 'function' });
  });

  it("when a signed cookie names a session that does not exist, then a new session gets a new id, never the cookie's", async () => {
    const chosen = 'attacker-chosen-id';
    const value = `s:${chosen}.${createHmac('sha256', secret).update(chosen).digest('base64').replace(/=+$/, '')}`;
    const res = await request(appWith())
      .get('/write?id=2')
      .set('Cookie', `pl.sid=${encodeURIComponent(value)}`);
    expect(idOf(cookieOf(res)!)).not.toBe(chosen);
    expect(await row(chosen)).toBeNull();
  });

  it('when a session is signed out while another request of it is still running, then that request does not bring it back', async () => {
    // The other request signs out between this one's read and its write.
    const racing: Store = {
      destroyIfEmpty: store.destroyIfEmpty.bind(store),
      load: store.load.bind(store),
      create: store.create.bind(store),
      destroy: store.destroy.bind(store),
      update: async (sid, ...rest) => {
        await store.destroy(sid);
        return store.update(sid, ...rest);
      },
    };
    const agent = request.agent(appWith(racing));
    const sid = idOf(cookieOf(await agent.get('/write?id=1'))!);
    const late = await agent.get('/write?id=2');
    expect(late.status).toBe(200);
    expect(await row(sid)).toBeNull();
    expect((await agent.get('/read')).body).toEqual({ lastWorkshopId: null });
  });

  it('when a slow request and five quick ones of one session each add a message at once, then all six messages are shown', async () => {
    const agent = request.agent(appWith());
    await agent.get('/write?id=1'); // the session exists before they start
    const slow = agent.get('/flash?key=upload&slow=200').then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the slow one has read the session
    await atOnce([1, 2, 3, 4, 5].map((n) => () => agent.get(`/flash?key=refused-${n}`)));
    await slow;
    expect(((await agent.get('/show')).body as string[]).sort()).toEqual([
      'refused-1',
      'refused-2',
      'refused-3',
      'refused-4',
      'refused-5',
      'upload',
    ]);
    expect((await agent.get('/show')).body).toEqual([]);
  });

  it('when a page shows the messages while another request adds one, then the added one waits for the next page', async () => {
    const agent = request.agent(appWith());
    await agent.get('/write?id=1');
    await agent.get('/flash?key=before');
    const late = agent.get('/flash?key=during&slow=100').then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await agent.get('/show')).body).toEqual(['before']);
    await late;
    expect((await agent.get('/show')).body).toEqual(['during']);
  });

  it('when two requests change different fields at once, then both changes are kept', async () => {
    const { id } = await makeUser();
    const agent = request.agent(appWith());
    await agent.get('/write?id=1');
    const slow = agent.get('/slow-write?id=77').then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await agent.get(`/sign-in?id=${id}`); // another field, written while the slow one runs
    await slow;
    expect((await agent.get('/read')).body).toEqual({ lastWorkshopId: 77 });
    expect((await agent.get('/user')).body).toMatchObject({ id });
  });

  it("when a visitor's only message is shown, then the row that kept it is deleted", async () => {
    const agent = request.agent(appWith());
    const sid = idOf(cookieOf(await agent.get('/flash?key=hello'))!);
    expect(await row(sid)).not.toBeNull();
    expect((await agent.get('/show')).body).toEqual(['hello']);
    expect(await row(sid)).toBeNull();
  });

  it('when a signed-in session is used again after ten minutes, then its last use and idle expiry move, never past the absolute lifetime; sooner, nothing is written', async () => {
    const { id } = await makeUser();
    const agent = request.agent(appWith());
    const sid = idOf(cookieOf(await agent.get(`/sign-in?id=${id}`))!);
    const fresh = (await row(sid))!;
    expect(fresh.userId).toBe(id);
    const soon = await agent.get('/read');
    expect(cookieOf(soon)).toBeUndefined();
    expect(await row(sid)).toEqual(fresh);

    // Signed in 13 days ago, last seen an hour ago: the idle week would pass the 14-day lifetime.
    const day = 24 * 3600 * 1000;
    const signedInAt = new Date(Date.now() - 13 * day);
    await prisma.session.update({ where: { sid }, data: { createdAt: signedInAt, lastSeenAt: new Date(Date.now() - 3600 * 1000) } });
    const later = await agent.get('/read');
    const renewed = (await row(sid))!;
    expect(Date.now() - renewed.lastSeenAt.getTime()).toBeLessThan(60_000);
    expect(renewed.expiresAt.getTime()).toBe(signedInAt.getTime() + 14 * day);
    expect(new Date(/Expires=([^;]+)/.exec(cookieOf(later)!)![1]!).getTime()).toBe(Math.floor(renewed.expiresAt.getTime() / 1000) * 1000);
  });

  it('when a session passed its absolute lifetime, then it is signed out however recently it was used', async () => {
    const { id } = await makeUser();
    const agent = request.agent(appWith());
    const sid = idOf(cookieOf(await agent.get(`/sign-in?id=${id}`))!);
    // As the renewal left it on day 14: the expiry is the lifetime's end, which has come.
    await prisma.session.update({
      where: { sid },
      data: { createdAt: new Date(Date.now() - 15 * 86_400_000), expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await agent.get('/user')).body).toBeNull();
  });

  it('when the account behind a session changes, then the next request sees the change; deleted, the session is gone', async () => {
    const user = await makeUser({ role: 'admin' });
    const agent = request.agent(appWith());
    await agent.get(`/sign-in?id=${user.id}`);
    expect((await agent.get('/user')).body).toMatchObject({ role: 'admin' });
    await prisma.user.update({ where: { id: user.id }, data: { role: 'tutor', displayName: 'Bu Made' } });
    expect((await agent.get('/user')).body).toMatchObject({ role: 'tutor', displayName: 'Bu Made' });
    await prisma.user.delete({ where: { id: user.id } });
    expect((await agent.get('/user')).body).toBeNull();
  });
});
