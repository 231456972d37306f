// Scam drills. The tutor's page (mounted at /drills, staff only): send a drill, and the board of
// who spotted it. The trainee's side (mounted at /chat/drills): the drill as it arrived, and her
// reaction, after which it shows the debrief.
import { Router, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal } from '../../http/refusals.js';
import { parseOrRefuse } from '../../http/validation.js';
import { requireWorkshopRole, workshopBase } from '../workshops/workshop-context.js';
import { reactionSchema, sendDrillSchema } from './drills.schemas.js';
import { drillBoard, openDelivery, react, sendDrill } from './drills.service.js';

export const drillsRouter = Router();
drillsRouter.use(requireWorkshopRole('organizer', 'tutor'));

const boardUrl = (res: Response) => `${workshopBase(res)}/drills`;

drillsRouter.get('/', async (_req, res) => {
  const board = await drillBoard(res.locals.ctx);
  res.render('drills/board', { ...board, title: res.locals.t('drills:board.title') });
});

drillsRouter.post('/send', async (req, res) => {
  backOnRefusal(res, boardUrl(res));
  const input = parseOrRefuse(sendDrillSchema, req.body);
  const { count, dueAt } = await sendDrill(res.locals.ctx, input);
  if (dueAt) setFlash(req, 'success', 'drills:scheduled', { count, at: res.locals.dateTime(dueAt) });
  else setFlash(req, 'success', 'drills:sent', { count });
  res.redirect(303, boardUrl(res));
});

export const drillInboxRouter = Router();
drillInboxRouter.param('deliveryId', idParam);

drillInboxRouter.get('/:deliveryId', async (req, res) => {
  const delivery = await openDelivery(res.locals.ctx, idFrom(req, 'deliveryId'));
  const key = `drills:scenarios.${delivery.scenario.key}`;
  res.render('drills/delivery', { delivery, key, title: res.locals.t(`${key}.sender`) });
});

drillInboxRouter.post('/:deliveryId/react', async (req, res) => {
  const url = `${workshopBase(res)}/chat/drills/${idFrom(req, 'deliveryId')}`;
  backOnRefusal(res, url);
  const { reaction } = parseOrRefuse(reactionSchema, req.body);
  await react(res.locals.ctx, idFrom(req, 'deliveryId'), reaction);
  setFlash(req, 'info', `drills:reacted.${reaction}`);
  res.redirect(303, `${url}#debrief`);
});
