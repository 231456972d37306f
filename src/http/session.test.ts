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
function appWith(sessionStore: Pick<PrismaSessionStore, 'load' | 'save' | 'destroy'> = store) {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(sessions({ store: sessionStore as PrismaSessionStore, secret, cookieName: 'pl.sid' }));
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
      const res = await request(appWith()).get('/read').set('Cookie', `pl.sid=${value.startsWith('%') ? value : encodeURIComponent(value)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ lastWorkshopId: null });
    }
    const genuine = `s:${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`;
    expect((await request(appWith()).get('/read').set('Cookie', `pl.sid=${encodeURIComponent(genuine)}`)).body).toEqual({ lastWorkshopId: 42 });
  });

  it('when a session expires, then it reads as empty', async () => {
    await store.save('expired-one', JSON.stringify({ lastWorkshopId: 5 } satisfies SessionData), new Date(Date.now() - 1000));
    expect(await store.load('expired-one')).toBeNull();
    await store.save('live-one', JSON.stringify({ lastWorkshopId: 5 }), new Date(Date.now() + 60_000));
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

  it('when the database refuses to store the session, then the page still arrives, without a cookie for a session that does not exist', async () => {
    const failing = { load: store.load.bind(store), destroy: store.destroy.bind(store), save: () => Promise.reject(new Error('disk full')) };
    const res = await request(appWith(failing)).get('/write?id=1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(cookieOf(res)).toBeUndefined();
  });
});
