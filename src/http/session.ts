// Sessions: a random id in a signed cookie, the data as JSON in the database
// (src/http/session-store.ts), available as req.session.
//
// Written here rather than taken from express-session, which did the same with more work on every
// request: three SHA-1 hashes of the session to see whether it changed, three hashes to check the
// cookie, a Session and a Cookie object, wrapped response methods; a fifth of the cost of a signed-in
// page (bench/catalogue.ts). The rules are express-session's as this app used them:
// - the cookie is `s:<id>.<HMAC-SHA256 of the id, base64>` as express-session wrote it (sessions
//   survive the change), checked in constant time; a cookie that fails is ignored;
// - a session is stored only once something is in it (a visitor who only reads gets no row);
// - a changed session is saved before the response goes out, and its cookie sent with it;
//   an unchanged one costs one read and no write;
// - sign-in gets a new id (regenerate), sign-out deletes the row and the cookie (destroy).
// A session lasts SESSION_MAX_AGE_MS after it was last saved; renewSessionDaily makes a signed-in
// session change once a day, which slides it without a write on every page.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, RequestHandler, Request, Response } from 'express';
import { logger } from '../logger.js';
import type { CurrentUser } from '../users.js';
import type { Flash } from './flash.js';
import { readCookie } from './locals.js';
import type { PrismaSessionStore } from './session-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A signed-in session lasts a week after the last day it was used. */
export const SESSION_MAX_AGE_MS = 7 * DAY_MS;

/** What a session holds. */
export interface SessionData {
  /** Who signed in, kept in the session so a page view needs no user look-up. */
  user?: CurrentUser;
  flash?: Flash[];
  lastWorkshopId?: number;
  /** Staff acting as a workshop's demo trainee (src/features/workshops/acting.service.ts). */
  actingAs?: { workshopId: number; userId: number };
  /** The day (days since 1970, UTC) the session was last renewed. */
  renewedOn?: number;
  /** csrf-sync's token for this session's forms. */
  csrfToken?: string | null;
}

type Control = {
  regenerate(callback: (err?: unknown) => void): void;
  save(callback?: (err?: unknown) => void): void;
  destroy(callback?: (err?: unknown) => void): void;
};

// The data are the object's own properties (what JSON.stringify writes); the methods and the
// request's bookkeeping are not.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- the class carries the data fields declared by SessionData
export interface Session extends SessionData {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class Session {
  readonly #control: Control;

  constructor(control: Control, data: SessionData) {
    this.#control = control;
    // Own data properties only: a stored "__proto__" key must not become the prototype.
    for (const key of Object.keys(data))
      if (key !== '__proto__') (this as Record<string, unknown>)[key] = (data as Record<string, unknown>)[key];
  }

  /** Starts a new, empty session under a new id; the old one is deleted. */
  regenerate(callback: (err?: unknown) => void): void {
    this.#control.regenerate(callback);
  }

  /** Stores the session now (otherwise it is stored when the response goes out, if it changed). */
  save(callback?: (err?: unknown) => void): void {
    this.#control.save(callback);
  }

  /** Deletes the session and, with the response, its cookie. */
  destroy(callback?: (err?: unknown) => void): void {
    this.#control.destroy(callback);
  }
}

/** A stored session's data: a plain object, or nothing (a row that is not one is logged and ignored). */
function parseData(json: string): SessionData | null {
  try {
    const data: unknown = JSON.parse(json);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as SessionData;
  } catch {
    /* logged below */
  }
  logger.error('a stored session is not a JSON object; starting a new one');
  return null;
}

declare module 'express-serve-static-core' {
  interface Request {
    session: Session;
  }
}

/**
 * Sliding sign-in without a write per page: the first request of each day changes the session,
 * so it is saved (with a new expiry) and its cookie sent again with a new Expires. The other
 * requests that day change nothing and write nothing.
 */
export function renewSessionDaily(session: SessionData, now = Date.now()): void {
  const today = Math.floor(now / DAY_MS);
  if (session.renewedOn !== today) session.renewedOn = today;
}

/** Signs a person in under a new session id, so a session fixed before sign-in cannot be taken over. */
export function signIn(req: Request, user: CurrentUser): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.user = user;
      renewSessionDaily(req.session);
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    });
  });
}

type Options = {
  store: Pick<PrismaSessionStore, 'load' | 'create' | 'update' | 'destroy'>;
  secret: string;
  cookieName: string;
  maxAgeMs?: number;
};

export function sessions({ store, secret, cookieName, maxAgeMs = SESSION_MAX_AGE_MS }: Options): RequestHandler {
  const signed = (id: string) => `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;

  /** The id in a cookie value, when its signature is ours. */
  function verifiedId(value: string): string | null {
    const dot = value.lastIndexOf('.');
    if (!value.startsWith('s:') || dot < 3) return null;
    const id = value.slice(2, dot);
    const expected = Buffer.from(signed(id));
    const given = Buffer.from(value);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
  }

  function cookie(req: Request, value: string, expires: Date): string {
    // Secure when the request came over HTTPS (directly or through a trusted TLS proxy); plain
    // HTTP on a room's network still works.
    return `${cookieName}=${encodeURIComponent(value)}; Path=/; Expires=${expires.toUTCString()}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;
  }

  function attach(req: Request, res: Response, next: NextFunction, loadedId: string | null, loadedJson: string): void {
    /** Runs a callback outside the promise that answered it; what it throws goes to the error page. */
    const later = (callback: ((err?: unknown) => void) | undefined, err?: unknown) =>
      process.nextTick(() => {
        try {
          callback?.(err);
        } catch (thrown) {
          next(thrown);
        }
      });
    const loaded = loadedId ? parseData(loadedJson) : null;
    let id = loaded ? loadedId : null; // null until the session is first stored
    let isNew = !loaded; // its id, once made, is made in this request
    let stored = loaded ? loadedJson : '{}'; // what the store holds under id ('{}': nothing)
    let expires: Date | null = null; // set once the session is saved in this request: its cookie goes out
    let destroyed = false;
    let ending = false;
    let saving: Promise<void> | null = null;

    const changedJson = (): string | null => {
      if (destroyed) return null;
      const json = JSON.stringify(req.session);
      return json === stored ? null : json;
    };

    const newId = () => {
      isNew = true;
      return randomBytes(24).toString('base64url');
    };

    /** Settles the id and expiry the response's cookie will carry. */
    const claimCookie = () => {
      id ??= newId();
      expires ??= new Date(Date.now() + maxAgeMs);
    };

    const persist = async (json: string): Promise<void> => {
      id ??= newId();
      const until = expires ?? new Date(Date.now() + maxAgeMs);
      if (isNew) {
        await store.create(id, json, until);
        isNew = false;
      } else if (!(await store.update(id, json, until))) {
        return; // signed out by another request meanwhile: the session stays gone
      }
      stored = json;
      expires = until;
    };

    const control: Control = {
      regenerate(callback) {
        const old = id;
        id = null;
        stored = '{}';
        expires = null;
        req.session = new Session(control, {});
        (old ? store.destroy(old) : Promise.resolve()).then(
          () => later(callback),
          (err: unknown) => later(callback, err),
        );
      },
      save(callback) {
        const json = changedJson();
        (json === null ? Promise.resolve() : persist(json)).then(
          () => later(callback),
          (err: unknown) => later(callback, err),
        );
      },
      destroy(callback) {
        const old = id;
        destroyed = true;
        id = null;
        delete (req as { session?: Session }).session;
        (old ? store.destroy(old) : Promise.resolve()).then(
          () => later(callback),
          (err: unknown) => later(callback, err),
        );
      },
    };
    req.session = new Session(control, loaded ?? {});

    // The cookie goes with the headers: a new expiry when the session was saved, an expired
    // cookie when it was destroyed. A response that streams (headers before the end) decides here
    // what end() will save.
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!ending && !expires && changedJson() !== null) claimCookie();
      if (destroyed) res.appendHeader('Set-Cookie', cookie(req, '', new Date(0)));
      else if (expires && id) res.appendHeader('Set-Cookie', cookie(req, signed(id), expires));
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];

    // A changed session is stored before the response ends, so the next request finds it. The
    // headers (with the cookie) go out first: while the write is under way the response counts as
    // sent, and a second end() or an error handler cannot change it.
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      const finish = () => (end as (...a: unknown[]) => Response).apply(this, args);
      if (saving) return this;
      if (ending) return finish();
      ending = true;
      const json = changedJson();
      if (json === null) return finish();
      claimCookie();
      if (!res.headersSent) res.writeHead(res.statusCode);
      saving = persist(json)
        .catch((err: unknown) => {
          // The page itself is done; only what it put in the session (a message, a form token) is
          // lost. A new session's cookie then names no row, and the next request starts afresh.
          logger.error({ err }, 'session could not be saved');
        })
        .then(() => {
          try {
            finish();
          } catch (err) {
            res.destroy(err as Error);
          }
        });
      return this;
    } as Response['end'];
  }

  return (req, res, next) => {
    const value = readCookie(req, cookieName);
    const id = value ? verifiedId(value) : null;
    if (!id) {
      attach(req, res, next, null, '{}');
      return next();
    }
    store.load(id).then(
      (loaded) => {
        attach(req, res, next, loaded ? id : null, loaded?.json ?? '{}');
        process.nextTick(next);
      },
      (err: unknown) => process.nextTick(next, err),
    );
  };
}
