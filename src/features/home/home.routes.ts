import { Router } from 'express';
import { isLang } from '../../i18n/index.js';
import { safeNext } from '../../http/guards.js';

export const homeRouter = Router();

homeRouter.get('/', (req, res) => {
  if (!res.locals.currentUser) return res.render('home/index');
  const last = req.session.lastWorkshopId;
  res.redirect(303, last ? `/workshops/${last}` : '/workshops');
});

/** The language switch on every page: a plain link, so it works without JavaScript. */
homeRouter.get('/lang/:lang', (req, res) => {
  const lang = req.params.lang;
  if (isLang(lang)) res.cookie('lang', lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, secure: req.secure });
  res.redirect(303, safeNext(req.query.next));
});

homeRouter.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
