import { requireWorkshopRole, workshopRouter } from '../workshops/workshop-context.js';
import { getProgressBoard } from './progress.service.js';

workshopRouter.get('/progress', requireWorkshopRole('organizer', 'tutor'), async (_req, res) => {
  const board = await getProgressBoard(res.locals.ctx);
  res.render('progress/board', { board, title: res.locals.t('progress:title') });
});
