// Sessions: a random id in a signed cookie, the row in the database (src/http/session-store.ts),
// available as req.session.
//
// Written here rather than taken from express-session, which did the same with more work on every
// request: three SHA-1 hashes of the session to see whether it changed, three hashes to check the
// cookie, a Session and a Cookie object, wrapped response methods; a fifth of the cost of a signed-in
// page (bench/catalogue.ts). It also writes the whole session back, so of two requests of one person
// at once the later write wins (issue 11: five cart refusals during a slow upload kept one message
// of six); here each request writes only the fields it changed. The rules:
// - the cookie is `s:<id>.<HMAC-SHA256 of the id, base64>` as express-session wrote it, checked in
//   constant time; a cookie that fails is ignored;
// - a row is stored only once something worth keeping is in it: a signed-in person, a field, or a
//   message to show. A visitor who only reads, or fills a form, gets no row (the forms' CSRF token
//   of a visitor lives in a signed cookie, src/http/csrf.ts); a visitor's row whose last message
//   was shown is deleted;
// - the signed-in user is read with the row in one statement, so a changed role, a reset password
//   or "sign out everywhere" reaches every session at its next request;
// - changed fields are written before the response goes out, and the cookie sent with it;
//   an unchanged session costs one read and no write;
// - a signed-in session lasts `idleMs` after it was last seen (renewed at most every RENEW_EVERY_MS,
//   so a page costs no write) and never more than `lifetimeMs` after sign-in;
// - sign-in gets a new id (regenerate), sign-out deletes the row and the cookie (destroy).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, RequestHandler, Request, Response } from 'express';
import { logger } from '../logger.js';
import type { Flash } from './flash.js';
import { readCookie } from './locals.js';
import type { PrismaSessionStore, SessionChanges, SessionUser } from './session-store.js';

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Unused this long, a signed-in session ends (SESSION_IDLE_DAYS). */
export const SESSION_IDLE_MS = 7 * DAY_MS;
/** Used or not, a session ends this long after sign-in (SESSION_LIFETIME_DAYS). */
export const SESSION_LIFETIME_MS = 14 * DAY_MS;
/** How often a signed-in session's "last seen" (and so its idle expiry) is written. */
export const RENEW_EVERY_MS = 10 * MINUTE_MS;

/** The fields a session keeps besides the user and the messages; each is written on its own. */
export interface SessionData {
  lastWorkshopId?: number;
  /** Staff acting as a workshop's demo trainee (src/features/workshops/acting.service.ts). */
  actingAs?: { workshopId: number; userId: number };
  /** csrf-sync's token for this session's forms (signed-in sessions). */
  csrfToken?: string | null;
}

type Control = {
  regenerate(callback: (err?: unknown) => void): void;
  save(callback?: (err?: unknown) => void): void;
  destroy(callback?: (err?: unknown) => void): void;
  getId(): string | null;
  getUser(): SessionUser | undefined;
  setUser(user: SessionUser | undefined): void;
  addFlash(flash: Flash): void;
  takeFlash(): Flash[];
};

// The data are the object's own properties; the user, the messages, the methods and the request's
// bookkeeping are not.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- the class carries the data fields declared by SessionData
export interface Session extends SessionData {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class Session {
  readonly #control: Control;

  constructor(control: Control, data: Record<string, unknown>) {
    this.#control = control;
    // Own data properties only: a stored "__proto__" key must not become the prototype.
    for (const key of Object.keys(data)) if (key !== '__proto__') (this as Record<string, unknown>)[key] = data[key];
  }

  /** The session's id, once it has a row; services take it to tell this device from her others. */
  get id(): string | null {
    return this.#control.getId();
  }

  /** Who is signed in, as the database says now (role and name included). */
  get user(): SessionUser | undefined {
    return this.#control.getUser();
  }

  set user(user: SessionUser | undefined) {
    this.#control.setUser(user);
  }

  /** Keeps a message for the next page shown, however many other requests run meanwhile. */
  addFlash(flash: Flash): void {
    this.#control.addFlash(flash);
  }

  /** The messages to show now; shown, they are gone. */
  takeFlash(): Flash[] {
    return this.#control.takeFlash();
  }

  /** Starts a new, empty session under a new id; the old one is deleted. */
  regenerate(callback: (err?: unknown) => void): void {
    this.#control.regenerate(callback);
  }

  /** Stores the changes now (otherwise they are stored when the response goes out). */
  save(callback?: (err?: unknown) => void): void {
    this.#control.save(callback);
  }

  /** Deletes the session and, with the response, its cookie. */
  destroy(callback?: (err?: unknown) => void): void {
    this.#control.destroy(callback);
  }
}

/** A stored session's fields: a plain object, or nothing (a row that is not one is logged and ignored). */
function parseData(json: string): Record<string, unknown> | null {
  try {
    const data: unknown = JSON.parse(json);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    /* logged below */
  }
  logger.error('a stored session is not a JSON object; starting a new one');
  return null;
}

/** Messages as stored: one JSON per line. JSON escapes line breaks, so a line is a message. */
function parseFlash(lines: string): Flash[] {
  const flashes: Flash[] = [];
  for (const line of lines.split('\n')) {
    if (!line) continue;
    try {
      flashes.push(JSON.parse(line) as Flash);
    } catch {
      logger.error('a stored message is not JSON; skipped');
    }
  }
  return flashes;
}

declare module 'express-serve-static-core' {
  interface Request {
    session: Session;
  }
}

/** Signs a person in under a new session id, so a session fixed before sign-in cannot be taken over. */
export function signIn(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.user = user;
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    });
  });
}

type Options = {
  store: Pick<PrismaSessionStore, 'load' | 'create' | 'update' | 'destroy' | 'destroyIfEmpty'>;
  secret: string;
  cookieName: string;
  idleMs?: number;
  lifetimeMs?: number;
};

export function sessions({
  store,
  secret,
  cookieName,
  idleMs = SESSION_IDLE_MS,
  lifetimeMs = SESSION_LIFETIME_MS,
}: Options): RequestHandler {
  const signed = (id: string) => `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;

  // Cookies whose signature was checked: each page of a signed-in person would otherwise compute an
  // HMAC again for the same cookie (about 1% of a catalogue page's CPU). Only valid cookies get in,
  // so nobody without the secret can fill it; bounded by starting over.
  const verified = new Map<string, string>();
  const MAX_VERIFIED = 2_000;

  /** The id in a cookie value, when its signature is ours. */
  function verifiedId(value: string): string | null {
    const known = verified.get(value);
    if (known !== undefined) return known;
    const dot = value.lastIndexOf('.');
    if (!value.startsWith('s:') || dot < 3) return null;
    const id = value.slice(2, dot);
    const expected = Buffer.from(signed(id));
    const given = Buffer.from(value);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    if (verified.size >= MAX_VERIFIED) verified.clear();
    verified.set(value, id);
    return id;
  }

  function cookie(req: Request, value: string, expires: Date): string {
    // Secure when the request came over HTTPS (directly or through a trusted TLS proxy); plain
    // HTTP on a room's network still works.
    return `${cookieName}=${encodeURIComponent(value)}; Path=/; Expires=${expires.toUTCString()}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;
  }

  const expiryFrom = (createdAt: number, now: number) => new Date(Math.min(now + idleMs, createdAt + lifetimeMs));

  function attach(
    req: Request,
    res: Response,
    next: NextFunction,
    loadedId: string | null,
    loaded: Awaited<ReturnType<typeof store.load>>,
  ): void {
    /** Runs a callback outside the promise that answered it; what it throws goes to the error page. */
    const later = (callback: ((err?: unknown) => void) | undefined, err?: unknown) =>
      process.nextTick(() => {
        try {
          callback?.(err);
        } catch (thrown) {
          next(thrown);
        }
      });
    const data = loaded ? parseData(loaded.json) : null;
    const now = Date.now();

    let id = data ? loadedId : null; // null until the session is first stored
    let isNew = !data; // its row is yet to be created
    /** Each stored field as its JSON text, to tell what this request changed. */
    let stored = new Map<string, string>();
    if (data) for (const key of Object.keys(data)) if (key !== '__proto__') stored.set(key, JSON.stringify(data[key]));
    let user: SessionUser | undefined = (data && loaded?.user) || undefined;
    let storedUserId: number | null = user?.id ?? null;
    /** Messages in the row when it was read, until this request shows them. */
    let flashLoaded = data ? loaded!.flash : '';
    let flashShown = '';
    let flashAdded: string[] = [];
    let createdAt = data ? loaded!.createdAt.getTime() : now;
    let lastSeenAt = data ? loaded!.lastSeenAt.getTime() : now;
    let renew = Boolean(user) && now - lastSeenAt >= RENEW_EVERY_MS;
    let cookieExpires: Date | null = null; // set once the response's cookie is decided
    let destroyed = false;
    let ending = false;
    let saving: Promise<void> | null = null;

    /** What this request changed, or null. */
    const changes = (): SessionChanges | null => {
      if (destroyed) return null;
      let set: Map<string, string> | undefined;
      let remove: string[] | undefined;
      const session = req.session as unknown as Record<string, unknown>;
      for (const key of Object.keys(session)) {
        const json = JSON.stringify(session[key]);
        if (json === undefined) continue;
        if (stored.get(key) !== json) (set ??= new Map()).set(key, json);
      }
      for (const key of stored.keys()) if (!Object.hasOwn(session, key)) (remove ??= []).push(key);
      const userId = user?.id ?? null;
      const result: SessionChanges = {
        ...(set && { set }),
        ...(remove && { remove }),
        ...(flashShown !== '' && { flashTaken: flashShown }),
        ...(flashAdded.length > 0 && { flashAdded: flashAdded.join('') }),
        ...(userId !== storedUserId && { userId }),
        ...(renew && { lastSeenAt: new Date(now), expiresAt: expiryFrom(createdAt, now) }),
      };
      return Object.keys(result).length ? result : null;
    };

    /** Is a new session worth a row: a user, a field, a message still to show? */
    const worthKeeping = (change: SessionChanges) => Boolean(user) || Object.keys(req.session).length > 0 || Boolean(change.flashAdded);

    const newId = () => randomBytes(24).toString('base64url');

    /** Settles the id and expiry the response's cookie carries (a new row, a renewed one). */
    const claimCookie = (change: SessionChanges) => {
      if (isNew) {
        if (!worthKeeping(change)) return;
        id ??= newId();
        createdAt = lastSeenAt = Date.now();
        cookieExpires ??= expiryFrom(createdAt, createdAt);
      } else if (change.expiresAt) {
        cookieExpires ??= change.expiresAt;
      }
    };

    const persist = async (change: SessionChanges): Promise<void> => {
      if (isNew) {
        if (!worthKeeping(change)) return;
        id ??= newId();
        const expires = cookieExpires ?? expiryFrom(createdAt, createdAt);
        const fields = Object.fromEntries(Object.entries(req.session));
        await store.create({
          sid: id,
          userId: user?.id ?? null,
          json: JSON.stringify(fields),
          flash: flashAdded.join(''),
          userAgent: req.get('user-agent')?.slice(0, 400) ?? null,
          createdAt: new Date(createdAt),
          lastSeenAt: new Date(lastSeenAt),
          expiresAt: expires,
        });
        isNew = false;
        cookieExpires = expires;
      } else if (!(await store.update(id!, change))) {
        return; // signed out by another request meanwhile: the session stays gone
      } else if (!user && change.flashTaken) {
        // A visitor's row is kept only for messages: shown, and none added meanwhile, it goes.
        await store.destroyIfEmpty(id!);
      }
      // What the store now holds, so a later save in this request writes only what changes next.
      stored = new Map(Object.entries(req.session).map(([key, value]) => [key, JSON.stringify(value)]));
      storedUserId = user?.id ?? null;
      flashShown = '';
      flashAdded = [];
      if (change.lastSeenAt) {
        lastSeenAt = change.lastSeenAt.getTime();
        renew = false;
      }
    };

    const control: Control = {
      regenerate(callback) {
        const old = id;
        id = null;
        isNew = true;
        stored = new Map();
        user = undefined;
        storedUserId = null;
        flashLoaded = flashShown = '';
        flashAdded = [];
        renew = false;
        cookieExpires = null;
        req.session = new Session(control, {});
        (old ? store.destroy(old) : Promise.resolve()).then(
          () => later(callback),
          (err: unknown) => later(callback, err),
        );
      },
      save(callback) {
        const change = changes();
        if (change) claimCookie(change);
        (change ? persist(change) : Promise.resolve()).then(
          () => later(callback),
          (err: unknown) => later(callback, err),
        );
      },
      destroy(callback) {
        const old = isNew ? null : id;
        destroyed = true;
        id = null;
        delete (req as { session?: Session }).session;
        (old ? store.destroy(old) : Promise.resolve()).then(
          () => later(callback),
          (err: unknown) => later(callback, err),
        );
      },
      getId: () => (isNew ? null : id),
      getUser: () => user,
      setUser(value) {
        user = value;
      },
      addFlash(flash) {
        flashAdded.push(`${JSON.stringify(flash)}\n`);
      },
      takeFlash() {
        if (!flashLoaded && !flashAdded.length) return [];
        const shown = parseFlash(flashLoaded + flashAdded.join(''));
        flashShown += flashLoaded;
        flashLoaded = '';
        flashAdded = [];
        return shown;
      },
    };
    req.session = new Session(control, data ?? {});

    // The cookie goes with the headers: a new expiry when the session was stored or renewed, an
    // expired cookie when it was destroyed. A response that streams (headers before the end)
    // decides here what end() will store.
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!ending && !cookieExpires) {
        const change = changes();
        if (change) claimCookie(change);
      }
      if (destroyed) res.appendHeader('Set-Cookie', cookie(req, '', new Date(0)));
      else if (cookieExpires && id) res.appendHeader('Set-Cookie', cookie(req, signed(id), cookieExpires));
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];

    // Changes are stored before the response ends, so the next request finds them. The headers
    // (with the cookie) go out first: while the write is under way the response counts as sent,
    // and a second end() or an error handler cannot change it.
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      const finish = () => (end as (...a: unknown[]) => Response).apply(this, args);
      if (saving) return this;
      if (ending) return finish();
      ending = true;
      const change = changes();
      if (!change) return finish();
      claimCookie(change);
      if (!res.headersSent) res.writeHead(res.statusCode);
      saving = persist(change)
        .catch((err: unknown) => {
          // The page itself is done; only what it changed in the session (a message, a field) is
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
      attach(req, res, next, null, null);
      return next();
    }
    store.load(id).then(
      (loaded) => {
        attach(req, res, next, loaded ? id : null, loaded);
        process.nextTick(next);
      },
      (err: unknown) => process.nextTick(next, err),
    );
  };
}
