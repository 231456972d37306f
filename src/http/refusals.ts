// A RefusedError (src/errors.ts) is answered the same way everywhere: the person goes back to a
// page of this site with the reason as a flash message. The route may say which page; otherwise
// it is the page the request came from.
import type { Request, Response } from 'express';
import type { RefusedError } from '../errors.js';
import { setFlash } from './flash.js';
import { safeNext } from './guards.js';

type Back = string | ((error: RefusedError) => string);

declare module 'express-serve-static-core' {
  interface Locals {
    /** Where a refusal in this request sends the person (see backOnRefusal). */
    refusedBack?: Back;
  }
}

/** Where a RefusedError thrown later in this request sends the person back: a path of this site, or one chosen by the refusal. */
export function backOnRefusal(res: Response, back: Back): void {
  res.locals.refusedBack = back;
}

/** The page the request came from, as a path of this site (whatever host the Referer names), or undefined. */
export function refererPath(req: Request): string | undefined {
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return safeNext(url.pathname + url.search, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Flashes the refusal's message and redirects back (never off-site). */
export function answerRefusal(error: RefusedError, req: Request, res: Response): void {
  setFlash(req, 'error', error.messageKey, Object.keys(error.params).length ? error.params : undefined);
  const back = res.locals.refusedBack;
  const to = typeof back === 'function' ? back(error) : (back ?? refererPath(req));
  res.redirect(303, safeNext(to, '/'));
}
