// The one refused path: a RefusedError thrown anywhere goes back with its message as a flash,
// to the page the route names, else the page the person came from, never to another site.
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../config.js';
import { RefusedError } from '../errors.js';
import { errorHandler } from './error-handler.js';
import type { Flash } from './flash.js';
import { languageAndFormatters } from './locals.js';
import { backOnRefusal } from './refusals.js';
import { layoutEngine } from './render.js';
import type { Session } from './session.js';

/** A small app with a stand-in session whose flash messages the test reads afterwards. */
function appWithRefusals() {
  const flashes: Flash[][] = [];
  const viewsDir = path.join(projectRoot, 'views');
  const app = express();
  app.engine('ejs', layoutEngine(viewsDir, false));
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.use(languageAndFormatters);
  app.use((req, res, next) => {
    const added: Flash[] = [];
    req.session = { addFlash: (flash: Flash) => added.push(flash) } as unknown as Session;
    res.on('finish', () => flashes.push(added));
    res.locals.takeFlash = () => [];
    res.locals.csrfToken = 'x';
    next();
  });
  app.post('/cart/items', () => {
    throw new RefusedError('cart:errors.belowMinOrder', { title: 'Kopi', min: 2 });
  });
  app.post('/orders/7/cancel', (_req, res) => {
    backOnRefusal(res, '/orders/7');
    throw new RefusedError('orders:errors.notNow');
  });
  app.post('/checkout/place', async (_req, res) => {
    backOnRefusal(res, (error) => (error.messageKey === 'checkout:errors.totalChanged' ? '/checkout/review' : '/cart'));
    await Promise.resolve();
    throw new RefusedError('checkout:errors.totalChanged');
  });
  app.post('/elsewhere', (_req, res) => {
    backOnRefusal(res, '//evil.example/steal');
    throw new RefusedError('orders:errors.notNow');
  });
  app.get('/orders.json', () => {
    throw new RefusedError('orders:errors.notNow');
  });
  app.use(errorHandler({ showStack: false, logger: { error: () => {} } }));
  return { app, flashes };
}

describe('a refusal', () => {
  it('when a route names no page, then the person goes back to the page the form was on, with the message and its values', async () => {
    const { app, flashes } = appWithRefusals();
    const res = await request(app).post('/cart/items').set('Referer', 'http://192.168.1.20:3000/catalog/5?q=kopi');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/catalog/5?q=kopi');
    expect(flashes).toEqual([[{ kind: 'error', key: 'cart:errors.belowMinOrder', params: { title: 'Kopi', min: 2 } }]]);
  });

  it('when there is no Referer either, then the person lands on the home page', async () => {
    const { app } = appWithRefusals();
    expect((await request(app).post('/cart/items')).headers.location).toBe('/');
  });

  it('when a Referer names another site, then only its path on this site is used', async () => {
    const { app } = appWithRefusals();
    expect((await request(app).post('/cart/items').set('Referer', 'https://evil.example/orders/1')).headers.location).toBe('/orders/1');
    expect((await request(app).post('/cart/items').set('Referer', 'not a url')).headers.location).toBe('/');
  });

  it('when the route names the page, then that page wins over the Referer, and it may depend on the reason', async () => {
    const { app, flashes } = appWithRefusals();
    const cancel = await request(app).post('/orders/7/cancel').set('Referer', 'http://localhost/cart');
    expect(cancel.headers.location).toBe('/orders/7');
    const place = await request(app).post('/checkout/place');
    expect(place.headers.location).toBe('/checkout/review');
    expect(flashes.map((f) => f[0]!.key)).toEqual(['orders:errors.notNow', 'checkout:errors.totalChanged']);
  });

  it('when the page a route names is not on this site, then the person goes home instead', async () => {
    const { app } = appWithRefusals();
    expect((await request(app).post('/elsewhere')).headers.location).toBe('/');
  });

  it('when a program asks for JSON, then it gets a 409 with the message, not a redirect', async () => {
    const { app } = appWithRefusals();
    const res = await request(app).get('/orders.json');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { status: 409, message: 'Tindakan ini tidak bisa dilakukan pada status pesanan sekarang.' } });
  });
});
