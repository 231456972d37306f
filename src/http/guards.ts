import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../errors.js';
import type { CurrentUser, Role } from '../users.js';

declare module 'express-serve-static-core' {
  interface Locals {
    currentUser?: CurrentUser | null;
  }
}

/** Sends a visitor who is not signed in to the sign-in page, coming back here afterwards. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.currentUser) return next();
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/login${back}`);
}

/** Global roles (admin, organizer…). Per-workshop roles are checked by the workshop context. */
export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = res.locals.currentUser;
    if (!user) return requireUser(req, res, next);
    if (!roles.includes(user.role)) return next(new ForbiddenError(`Role ${user.role} may not do this`));
    next();
  };
}

/** Only same-site paths are followed after sign-in or a language switch. */
export function safeNext(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
