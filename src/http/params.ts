// Ids in URLs (/orders/:orderId). Every router checks its ids with `router.param(name, idParam)`,
// so an id that is not a number, or too large to be one of ours, is a 404 before any handler
// runs, the same on every page; an id that is a number but names nothing is the service's 404.
import type { Request, RequestParamHandler } from 'express';
import { NotFoundError } from '../errors.js';

/** The largest id the database's integer columns hold. */
const MAX_ID = 2_147_483_647;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= MAX_ID;
}

export const idParam: RequestParamHandler = (_req, _res, next, value: unknown, name: string) => {
  next(isId(value) ? undefined : new NotFoundError(`Not an id: ${name}`));
};

/** The id in the URL parameter `name`, checked by idParam. */
export function idFrom(req: Request, name: string): number {
  return Number(req.params[name]);
}
