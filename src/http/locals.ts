// What every view can use: the translator, formatters, the signed-in user, flash messages.
import type { NextFunction, Request, Response } from 'express';
import { config } from '../config.js';
import { getT, isLang, languages, type Lang, type T } from '../i18n/index.js';
import { formatDate, formatDateTime, formatTime } from '../lib/dates.js';
import { formatRupiah } from '../lib/money.js';
import { takeFlash, type Flash } from './flash.js';

declare module 'express-serve-static-core' {
  interface Locals {
    t: T;
    lang: Lang;
    takeFlash: () => Flash[];
    csrfToken: string;
  }
}

/** One cookie's value, undefined when absent or not properly encoded. Read without splitting the whole header: it runs twice per request. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  let at = 0;
  while ((at = header.indexOf(name, at)) !== -1) {
    // The name must start the header or follow "; ", and be followed by "=".
    const startsPair = at === 0 || header[at - 1] === ' ' || header[at - 1] === ';';
    if (startsPair && header[at + name.length] === '=') {
      const start = at + name.length + 1;
      const end = header.indexOf(';', start);
      const raw = (end === -1 ? header.slice(start) : header.slice(start, end)).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return undefined; // not a value this app wrote
      }
    }
    at += name.length;
  }
  return undefined;
}

/** Each language's translator and formatters, made once (a page used to make its date helpers anew). */
const languageLocals = Object.fromEntries(
  languages.map((lang) => [
    lang,
    {
      lang,
      t: getT(lang),
      money: formatRupiah,
      date: (d: Date) => formatDate(d, lang, config.timezone),
      dateTime: (d: Date) => formatDateTime(d, lang, config.timezone),
      time: (d: Date) => formatTime(d, lang, config.timezone),
    },
  ]),
) as Record<
  Lang,
  { lang: Lang; t: T; money: typeof formatRupiah; date: (d: Date) => string; dateTime: (d: Date) => string; time: (d: Date) => string }
>;

export function languageAndFormatters(req: Request, res: Response, next: NextFunction): void {
  const cookieLang = readCookie(req, 'lang');
  const locals = res.locals;
  Object.assign(locals, languageLocals[isLang(cookieLang) ? cookieLang : config.defaultLocale]);
  locals.currentPath = req.originalUrl;
  locals.currentUser = null;
  locals.values = {};
  locals.errors = {};
  next();
}

/** Flash messages are taken when the layout shows them, so a POST that redirects keeps them. */
export function exposeFlash(req: Request, res: Response): void {
  res.locals.takeFlash = (): Flash[] => (req.session ? takeFlash(req) : []);
}
