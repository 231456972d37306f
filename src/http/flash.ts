// One-time messages shown on the next page, stored in the session as locale keys.
import type { Request } from 'express';

export type FlashKind = 'success' | 'error' | 'info';
export type Flash = { kind: FlashKind; key: string; params?: Record<string, string | number> };

export function setFlash(req: Request, kind: FlashKind, key: string, params?: Flash['params']): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, key, ...(params ? { params } : {}) }];
}

export function takeFlash(req: Request): Flash[] {
  const flash = req.session.flash ?? [];
  if (flash.length) delete req.session.flash;
  return flash;
}
