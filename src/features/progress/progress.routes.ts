import { Router } from 'express';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { getProgressBoard } from './progress.service.js';

/** Mounted at /progress in a workshop. */
export const progressRouter = Router();

progressRouter.get('/', requireWorkshopRole('organizer', 'tutor'), async (_req, res) => {
  const board = await getProgressBoard(res.locals.ctx);
  res.render('progress/board', { board, title: res.locals.t('progress:title') });
});
