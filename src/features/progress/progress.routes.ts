import { Router } from 'express';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { getProgressBoard } from './progress.service.js';

/** Mounted at /progress in a workshop. */
export const progressRouter = Router();

progressRouter.use(requireWorkshopRole('organizer', 'tutor'));

progressRouter.get('/', async (_req, res) => {
  const board = await getProgressBoard(res.locals.ctx);
  res.render('progress/board', { board, title: res.locals.t('progress:title'), wide: true });
});

/** The board for the projector: the current session's missions, the whole room on one screen. */
progressRouter.get('/screen', async (_req, res) => {
  const board = await getProgressBoard(res.locals.ctx);
  res.render('progress/screen', { board, title: res.locals.t('progress:title'), layout: 'projector' });
});
