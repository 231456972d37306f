import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { projectRoot } from '../config.js';
import { makeUser, signedInAgent } from '../test/builders/index.js';
import { errorHandler } from './error-handler.js';
import { languageAndFormatters, readCookie } from './locals.js';
import { layoutEngine } from './render.js';

const app = createApp();

describe('security headers and error pages', () => {
  it('when any page is served, then its CSP forbids inline script and style and outside origins', async () => {
    const res = await request(app).get('/login');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Our own pages send the Referer a refused form goes back to; other sites never get our URLs.
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle="/);
  });

  it("when a page does not exist, then the 404 page speaks the visitor's language", async () => {
    const id = await request(app).get('/tidak-ada');
    expect(id.status).toBe(404);
    expect(id.text).toContain('Halaman tidak ditemukan');
    const en = await request(app).get('/tidak-ada').set('Cookie', 'lang=en');
    expect(en.status).toBe(404);
    expect(en.text).toContain('Page not found');
    expect(en.text).toContain('<html lang="en">');
  });

  it('when a phone asks again for a page it already has, then it gets 304 without the page; a changed page comes whole', async () => {
    const agent = await signedInAgent(app, await makeUser({ role: 'trainee' }));
    await agent.get('/workshops'); // shows the welcome message once
    const first = await agent.get('/workshops');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await agent.get('/workshops').set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    const english = await agent.get('/workshops').set('If-None-Match', etag).set('Cookie', 'lang=en');
    expect(english.status).toBe(200);
    expect(english.headers.etag).not.toBe(etag);
  });

  it('when cookies are read, then only the exact name counts and a badly encoded value is ignored', () => {
    const read = (cookie: string | undefined, name: string) => readCookie({ headers: { cookie } } as never, name);
    expect(read('a=1; lang=en; pl.sid=s%3Aabc.def', 'lang')).toBe('en');
    expect(read('xlang=fr; lang=id', 'lang')).toBe('id');
    expect(read('langx=en', 'lang')).toBeUndefined();
    expect(read('a=1;lang=en', 'lang')).toBe('en');
    expect(read('pl.sid=s%3Aabc.def; lang=en', 'pl.sid')).toBe('s:abc.def');
    expect(read('lang=%E0%A4%A', 'lang')).toBeUndefined();
    expect(read(undefined, 'lang')).toBeUndefined();
    expect(read('a=b=c', 'a')).toBe('b=c');
  });

  it('when the language switch is used, then it remembers the choice and only goes back to this site', async () => {
    const res = await request(app).get('/lang/en?next=/login');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(String(res.headers['set-cookie'])).toMatch(/lang=en/);
    const evil = await request(app).get('/lang/en?next=//evil.example');
    expect(evil.headers.location).toBe('/');
  });

  it('when a form body is over 200 kB, then a proper page in the layout says it is too large, with the person still signed in', async () => {
    const agent = await signedInAgent(app, await makeUser({ role: 'trainee' }));
    const res = await agent
      .post('/workshops')
      .type('form')
      .send({ _csrf: await agent.csrf(), name: 'x'.repeat(210 * 1024) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Isian terlalu besar');
    expect(res.text).toContain('<html lang="id">');
    expect(res.text).toMatch(/Keluar \(/);
  });

  it('when a form comes in a charset the app cannot read, then the sender is told with a 4xx page, not a server error', async () => {
    const agent = request.agent(app);
    await agent.get('/login');
    const res = await agent.post('/login').set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-7').send('username=a');
    expect(res.status).toBe(415);
    expect(res.text).toContain('Permintaan tidak bisa dibaca');
    const badPath = await agent.get('/workshops/%E0%A4%A/catalog');
    expect(badPath.status).toBeLessThan(500);
  });

  it('when a handler crashes outside development, then the 500 page shows no stack trace', async () => {
    const viewsDir = path.join(projectRoot, 'views');
    const crashing = express();
    crashing.engine('ejs', layoutEngine(viewsDir, false));
    crashing.set('views', viewsDir);
    crashing.set('view engine', 'ejs');
    crashing.use(languageAndFormatters);
    crashing.use((req, res, next) => {
      res.locals.takeFlash = () => [];
      res.locals.csrfToken = 'x';
      next();
    });
    crashing.get('/boom', () => {
      throw new Error('secret internals at db.ts:42');
    });
    const logged: unknown[] = [];
    crashing.use(errorHandler({ showStack: false, logger: { error: (o) => logged.push(o) } }));
    for (const [cookie, words] of [
      ['lang=id', 'Maaf, terjadi kesalahan'],
      ['lang=en', 'Sorry, something went wrong'],
    ] as const) {
      const res = await request(crashing).get('/boom').set('Cookie', cookie);
      expect(res.status).toBe(500);
      expect(res.text).toContain(words);
      expect(res.text).not.toContain('secret internals');
      expect(res.text).not.toContain('db.ts');
    }
    expect(logged).toHaveLength(2);
  });
});
