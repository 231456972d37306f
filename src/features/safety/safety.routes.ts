// "Laporkan" and "Blokir" (mounted at /safety in a workshop): plain forms on a chat and on a
// listing post here and go back where they came from. GET /safety is her list of the people she
// blocked (to unblock them) or, for staff, the workshop's reports.
import { Router, type Request, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal, refererPath } from '../../http/refusals.js';
import { parseOrRefuse } from '../../http/validation.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { isStaff } from '../workshops/workshops.service.js';
import { blockSchema, reportSchema } from './safety.schemas.js';
import { block, myBlocks, report, resolveReport, unblock, workshopReports } from './safety.service.js';

export const safetyRouter = Router();
safetyRouter.param('userId', idParam);
safetyRouter.param('reportId', idParam);

safetyRouter.get('/', async (_req, res) => {
  if (isStaff(res.locals.ctx)) {
    const reports = await workshopReports(res.locals.ctx);
    res.render('safety/reports', { ...reports, title: res.locals.t('safety:reports.title') });
    return;
  }
  const blocks = await myBlocks(res.locals.ctx);
  res.render('safety/blocks', { blocks, title: res.locals.t('safety:blocks.title') });
});

/** Back to the chat, listing or shop she reported, blocked or unblocked from (a same-origin Referer). */
const backToTarget = (req: Request, res: Response, fallback = `${workshopBase(res)}/chat`) => refererPath(req) ?? fallback;

safetyRouter.post('/reports', async (req, res) => {
  const back = backToTarget(req, res);
  backOnRefusal(res, back);
  const { reason, note, ...target } = parseOrRefuse(reportSchema, req.body);
  await report(res.locals.ctx, target, reason, note);
  setFlash(req, 'success', 'safety:reported');
  res.redirect(303, back);
});

safetyRouter.post('/blocks', async (req, res) => {
  const back = backToTarget(req, res);
  backOnRefusal(res, back);
  await block(res.locals.ctx, parseOrRefuse(blockSchema, req.body));
  setFlash(req, 'success', 'safety:blocked');
  res.redirect(303, back);
});

safetyRouter.post('/blocks/:userId/delete', async (req, res) => {
  await unblock(res.locals.ctx, idFrom(req, 'userId'));
  setFlash(req, 'success', 'safety:unblocked');
  res.redirect(303, backToTarget(req, res, `${workshopBase(res)}/safety`));
});

safetyRouter.post('/reports/:reportId/resolve', async (req, res) => {
  await resolveReport(res.locals.ctx, idFrom(req, 'reportId'));
  setFlash(req, 'success', 'safety:resolved');
  res.redirect(303, `${workshopBase(res)}/safety`);
});
