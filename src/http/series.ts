// series(a, b, c): middlewares run one after another as one step of Express's router. The router pays
// for every step a request passes (a path match, a params object, a closure), and a catalogue page
// passed about twenty before its route; the app's and the workshop gate's fixed middlewares go in a
// few series instead (bench/catalogue.ts, A/B of CPU per request in the note of issue 10).
//
// Each middleware is called as Express calls one: next() goes on to the next, next(err) leaves the
// series with the error, a throw or a rejected promise becomes next(err). Error middlewares (four
// arguments) and next('route') / next('router') have no place in a series.
import type { RequestHandler } from 'express';

export function series(...handlers: RequestHandler[]): RequestHandler {
  return function series(req, res, next) {
    let index = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const handler = handlers[index++];
      if (handler === undefined) return next();
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch((error: unknown) => next(error ?? new Error('Rejected promise')));
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}
