// The tutor's "Pasar" page (mounted at /market in a workshop): the training clock and the bots.
import { Router, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { backOnRefusal } from '../../http/refusals.js';
import { parseOrRefuse } from '../../http/validation.js';
import { advanceClock } from '../workshops/clock.js';
import { requireWorkshopRole, workshopBase } from '../workshops/workshop-context.js';
import { clockStepSchema, paceSchema, pausedSchema } from './market.schemas.js';
import { getMarketPage, pacePresets, paces, runOneNow, setBotPace, setBotsPaused } from './market.service.js';

export const marketRouter = Router();
marketRouter.use(requireWorkshopRole('tutor', 'organizer'));

const marketUrl = (res: Response) => `${workshopBase(res)}/market`;

marketRouter.get('/', async (_req, res) => {
  const page = await getMarketPage(res.locals.ctx);
  res.render('market/index', { ...page, paces, pacePresets, title: res.locals.t('market:title') });
});

marketRouter.post('/clock', async (req, res) => {
  backOnRefusal(res, marketUrl(res));
  const { step } = parseOrRefuse(clockStepSchema, req.body);
  await advanceClock(res.locals.ctx, step);
  setFlash(req, 'success', `market:clock.moved.${step}`);
  res.redirect(303, marketUrl(res));
});

marketRouter.post('/bots/paused', async (req, res) => {
  backOnRefusal(res, marketUrl(res));
  const { paused } = parseOrRefuse(pausedSchema, req.body);
  await setBotsPaused(res.locals.ctx, paused);
  setFlash(req, 'success', paused ? 'market:bots.pausedNow' : 'market:bots.resumedNow');
  res.redirect(303, marketUrl(res));
});

marketRouter.post('/bots/pace', async (req, res) => {
  backOnRefusal(res, marketUrl(res));
  const { pace } = parseOrRefuse(paceSchema, req.body);
  await setBotPace(res.locals.ctx, pace);
  setFlash(req, 'success', 'market:bots.paceSet', { pace: res.locals.t(`market:pace.${pace}`) });
  res.redirect(303, marketUrl(res));
});

marketRouter.post('/bots/run-one', async (req, res) => {
  const result = await runOneNow(res.locals.ctx);
  if (!result) setFlash(req, 'info', 'market:bots.nothingPending');
  else
    setFlash(req, result.status === 'done' ? 'success' : 'info', `market:bots.ranOne.${result.status}`, {
      what: res.locals.t(`market:kinds.${result.kind}`),
    });
  res.redirect(303, marketUrl(res));
});
