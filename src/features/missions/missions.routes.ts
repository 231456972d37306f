import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../../http/validation.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { getMissionScreen, getModule, getModules } from './missions.service.js';

/** Mounted at /learn in a workshop: the four modules, each with its lesson cards and missions. */
export const learnRouter = Router();

learnRouter.get('/', async (_req, res) => {
  res.render('missions/modules', { modules: await getModules(res.locals.ctx), title: res.locals.t('missions:learn.title') });
});

learnRouter.get('/:module', async (req, res) => {
  const page = await getModule(res.locals.ctx, req.params.module);
  res.render('missions/module', { page, title: res.locals.t(`lessons:modules.${page.id}.title`) });
});

/** Mounted at /missions in a workshop: the projector's current mission. */
export const missionsRouter = Router();

const screenQuery = z.object({ m: z.string().max(60).optional() });

missionsRouter.get('/screen', requireWorkshopRole('organizer', 'tutor'), async (req, res) => {
  const { m } = parseOrThrow(screenQuery, req.query);
  res.render('missions/screen', {
    screen: await getMissionScreen(res.locals.ctx, m),
    layout: 'projector',
    title: res.locals.t('missions:screen.title'),
  });
});
