// One-time messages shown on the next page, stored with the session as locale keys. Each is
// appended on its own (src/http/session.ts), so messages of requests running at once all arrive.
import type { Request } from 'express';

export type FlashKind = 'success' | 'error' | 'info';
export type Flash = { kind: FlashKind; key: string; params?: Record<string, string | number> };

export function setFlash(req: Request, kind: FlashKind, key: string, params?: Flash['params']): void {
  req.session.addFlash({ kind, key, ...(params ? { params } : {}) });
}

export function takeFlash(req: Request): Flash[] {
  return req.session.takeFlash();
}
