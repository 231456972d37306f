import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { series } from './series.js';

/** An app whose one step is `series(...handlers)`, then a route that lists what ran, and an error page. */
function appWith(...handlers: RequestHandler[]) {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.ran = [];
    next();
  });
  app.use(series(...handlers));
  app.get('/', (_req, res) => {
    res.json({ ran: res.locals.ran, after: 'route' });
  });
  const errorPage: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(500).json({ ran: res.locals.ran, error: err.message });
  };
  app.use(errorPage);
  return app;
}

const mark =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.ran.push(name);
    next();
  };

describe('series()', () => {
  it('when every middleware calls next, then they run in order and the request goes on to the route', async () => {
    const res = await request(appWith(mark('a'), mark('b'), mark('c'))).get('/');
    expect(res.body).toEqual({ ran: ['a', 'b', 'c'], after: 'route' });
  });

  it('when an async middleware awaits before next, then the next one waits for it', async () => {
    const slow: RequestHandler = async (_req, res, next) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.locals.ran.push('slow');
      next();
    };
    const res = await request(appWith(mark('a'), slow, mark('c'))).get('/');
    expect(res.body.ran).toEqual(['a', 'slow', 'c']);
  });

  it('when a middleware calls next(err), throws, or its promise rejects, then the rest are skipped and the error page answers', async () => {
    const passes: RequestHandler = (_req, _res, next) => next(new Error('passed on'));
    const throws: RequestHandler = () => {
      throw new Error('thrown');
    };
    const rejects: RequestHandler = async () => {
      await Promise.resolve();
      throw new Error('rejected');
    };
    for (const [failing, message] of [
      [passes, 'passed on'],
      [throws, 'thrown'],
      [rejects, 'rejected'],
    ] as const) {
      const res = await request(appWith(mark('a'), failing, mark('c'))).get('/');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ ran: ['a'], error: message });
    }
  });

  it('when a middleware answers without calling next, then nothing after it runs', async () => {
    const answers: RequestHandler = (_req, res) => {
      res.status(403).json({ ran: res.locals.ran, answered: true });
    };
    const res = await request(appWith(mark('a'), answers, mark('c'))).get('/');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ ran: ['a'], answered: true });
  });

  it('when the series is empty, then the request goes straight on', async () => {
    const res = await request(appWith()).get('/');
    expect(res.body).toEqual({ ran: [], after: 'route' });
  });
});
