import { Router } from 'express';
import { z } from 'zod';
import { setFlash } from '../../http/flash.js';
import { idParam } from '../../http/params.js';
import { formHandler, parseOrRefuse } from '../../http/validation.js';
import { requireWorkshopRole, workshopBase } from '../workshops/workshop-context.js';
import { getResetPreview, RESET_WORD, resetSandbox, restoreSnapshot } from './reset.service.js';
import { addDemoShops, getTutorTools } from './tools.service.js';
import { getTraineeResetPreview, resetTrainee } from './trainee-reset.service.js';

/** Mounted at /sandbox in a workshop: the tutor's tools. */
export const sandboxRouter = Router();

// A bad id is a 404 before the role check (ids are checked the same way on every route).
sandboxRouter.param('userId', idParam);
const staffOnly = requireWorkshopRole('tutor', 'organizer');

sandboxRouter.get('/', staffOnly, async (_req, res) => {
  res.render('sandbox/tools', { ...(await getTutorTools(res.locals.ctx)), title: res.locals.t('sandbox:tools.title') });
});

sandboxRouter.get('/reset', staffOnly, async (_req, res) => {
  const preview = await getResetPreview(res.locals.ctx);
  res.render('sandbox/reset', { ...preview, resetWord: RESET_WORD, values: {}, errors: {} });
});

sandboxRouter.post(
  '/reset',
  staffOnly,
  formHandler({
    schema: z.object({ confirmWord: z.string().max(200).default('') }),
    view: 'sandbox/reset',
    locals: async (_req, res) => ({ ...(await getResetPreview(res.locals.ctx)), resetWord: RESET_WORD }),
    handle: async (data, req, res) => {
      const result = await resetSandbox(res.locals.ctx, data.confirmWord);
      setFlash(req, 'success', 'sandbox:reset.done', { file: result.snapshotFile });
      res.redirect(303, `${workshopBase(res)}/sandbox`);
    },
  }),
);

const snapshotSchema = z.object({ file: z.string().max(200) });

sandboxRouter.post('/restore', staffOnly, async (req, res) => {
  const { file } = parseOrRefuse(snapshotSchema, req.body);
  const result = await restoreSnapshot(res.locals.ctx, file);
  setFlash(req, 'success', 'sandbox:restore.done', { file, saved: result.snapshotFile });
  res.redirect(303, `${workshopBase(res)}/sandbox`);
});

sandboxRouter.post('/demo-shops', staffOnly, async (req, res) => {
  await addDemoShops(res.locals.ctx);
  setFlash(req, 'success', 'sandbox:tools.demoShopsLoaded');
  res.redirect(303, `${workshopBase(res)}/sandbox`);
});

sandboxRouter.get('/trainees/:userId/reset', staffOnly, async (req, res) => {
  const plan = await getTraineeResetPreview(res.locals.ctx, Number(req.params.userId));
  res.render('sandbox/trainee-reset', { plan, title: res.locals.t('sandbox:trainee.title', { name: plan.trainee.displayName }) });
});

sandboxRouter.post('/trainees/:userId/reset', staffOnly, async (req, res) => {
  const plan = await resetTrainee(res.locals.ctx, Number(req.params.userId));
  setFlash(req, 'success', 'sandbox:trainee.done', { name: plan.trainee.displayName });
  res.redirect(303, `${workshopBase(res)}/sandbox`);
});
