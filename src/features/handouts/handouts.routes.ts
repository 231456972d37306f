import { Router } from 'express';
import { z } from 'zod';
import { publicBaseUrl } from '../../http/public-url.js';
import { parseOrThrow } from '../../http/validation.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { getAgendaHandout, getLoginSlips, getTestCardSheet } from './handouts.service.js';

/** Mounted at /handouts in a workshop: printable pages for staff (A4, layouts/print). */
export const handoutsRouter = Router();

handoutsRouter.use(requireWorkshopRole('organizer', 'tutor'));

handoutsRouter.get('/', (_req, res) => {
  res.render('handouts/index', { title: res.locals.t('handouts:title') });
});

const slipsQuery = z.object({ blank: z.coerce.number().int().min(0).max(40).default(0) });

handoutsRouter.get('/login-slips', async (req, res) => {
  const { blank } = parseOrThrow(slipsQuery, req.query);
  const data = await getLoginSlips(res.locals.ctx, publicBaseUrl(req), blank);
  res.render('handouts/login-slips', { ...data, layout: 'print', title: res.locals.t('handouts:slips.title') });
});

handoutsRouter.get('/test-cards', (_req, res) => {
  res.render('handouts/test-cards', { ...getTestCardSheet(res.locals.ctx), layout: 'print', title: res.locals.t('handouts:cards.title') });
});

handoutsRouter.get('/agenda', async (_req, res) => {
  res.render('handouts/agenda', {
    ...(await getAgendaHandout(res.locals.ctx)),
    layout: 'print',
    title: res.locals.t('handouts:agenda.title'),
  });
});
