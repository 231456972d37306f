// One-time messages shown on the next page, stored in the session as locale keys.
import type { Request } from 'express';
import type { CurrentUser } from './guards.js';

export type FlashKind = 'success' | 'error' | 'info';
export type Flash = { kind: FlashKind; key: string; params?: Record<string, string | number> };

declare module 'express-session' {
  interface SessionData {
    /** Who signed in, kept in the session so a page view needs no user look-up. */
    user?: CurrentUser;
    flash?: Flash[];
    lastWorkshopId?: number;
  }
}

export function setFlash(req: Request, kind: FlashKind, key: string, params?: Flash['params']): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, key, ...(params ? { params } : {}) }];
}

export function takeFlash(req: Request): Flash[] {
  const flash = req.session.flash ?? [];
  if (flash.length) delete req.session.flash;
  return flash;
}
