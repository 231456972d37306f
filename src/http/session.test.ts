import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { prisma } from '../db.js';
import { sessions, type SessionData } from './session.js';
import { PrismaSessionStore } from './session-store.js';

const secret = 'test-secret-for-sessions-0123456789';
const store = new PrismaSessionStore(prisma);

/** A small app on the real store: /read reads, /write writes, and so on. */
type Store = Pick<PrismaSessionStore, 'load' | 'create' | 'update' | 'destroy'>;

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
    await store.create('expired-one', JSON.stringify({ lastWorkshopId: 5 } satisfies SessionData), new Date(Date.now() - 1000));
    expect(await store.load('expired-one')).toBeNull();
    await store.create('live-one', JSON.stringify({ lastWorkshopId: 5 }), new Date(Date.now() + 60_000));
    expect(await store.load('live-one')).toEqual({ json: '{"lastWorkshopId":5}' });
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
    await store.create('corrupt-row', '{not json', later);
    await store.create('proto-row', '{"__proto__":{"user":{"id":1,"role":"admin"}},"lastWorkshopId":4}', later);
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
});
