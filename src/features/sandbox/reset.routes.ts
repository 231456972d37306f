import { Router } from 'express';
import { z } from 'zod';
import { setFlash } from '../../http/flash.js';
import { formHandler } from '../../http/validation.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { getResetPreview, resetSandbox } from './reset.service.js';

/** Mounted at /sandbox in a workshop. */
export const sandboxRouter = Router();

const staffOnly = requireWorkshopRole('tutor', 'organizer');

sandboxRouter.get('/reset', staffOnly, async (_req, res) => {
  const preview = await getResetPreview(res.locals.ctx);
  res.render('sandbox/reset', { ...preview, values: {}, errors: {} });
});

sandboxRouter.post(
  '/reset',
  staffOnly,
  formHandler({
    schema: z.object({ confirmName: z.string().max(200).default('') }),
    view: 'sandbox/reset',
    locals: async (_req, res) => getResetPreview(res.locals.ctx),
    handle: async (data, req, res) => {
      const result = await resetSandbox(res.locals.ctx, data.confirmName);
      setFlash(req, 'success', 'sandbox:reset.done', { file: result.snapshotFile });
      res.redirect(303, `/workshops/${res.locals.ctx.workshopId}/sandbox/reset`);
    },
  }),
);
