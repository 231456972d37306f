// The anonymous link, /q/:token: walk-in participants without an account answer an open form.
// No sign-in; CSRF still applies (the session cookie works for anonymous visitors too). Unknown
// or closed tokens are a 404, and guessing them counts against the device (src/http/attempt-limits.ts):
// a room shares one address, and a person's typing mistakes (422) count against nothing.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { anonymousLinkRule, countRequest, limitedAttempt } from '../../http/attempt-limits.js';
import { formHandler } from '../../http/validation.js';
import { answersFromBody } from './answers.js';
import { findOpenFormByToken } from './questionnaires.service.js';
import { submitAnonymousResponse } from './responses.service.js';

/** Mounted at /q. */
export const anonymousRouter = Router();

/** Submissions from one device to one link in 10 minutes: generous (a tablet passed around the door). */
const SUBMISSIONS_PER_DEVICE = 300;

async function findForm(req: Request) {
  const form = await findOpenFormByToken(String(req.params.token));
  if (!form) throw new NotFoundError('Unknown or closed anonymous link');
  return form;
}

/** The link's open form; an unknown or closed link counts as a guess of this device (src/http/attempt-limits.ts). */
const openForm = (req: Request, res: Response) =>
  limitedAttempt(
    req,
    res,
    anonymousLinkRule,
    () => findForm(req),
    (error) => error instanceof NotFoundError,
  );

anonymousRouter.get('/:token', async (req, res) => {
  res.render('questionnaires/anonymous', { form: await openForm(req, res), token: req.params.token, values: {}, errors: {} });
});

anonymousRouter.post(
  '/:token',
  async (req, res, next) => {
    await openForm(req, res);
    await countRequest(req, res, `qsubmit-${String(req.params.token)}`, SUBMISSIONS_PER_DEVICE, 10 * 60);
    next();
  },
  formHandler({
    schema: z.record(z.string(), z.unknown()),
    view: 'questionnaires/anonymous',
    locals: async (req) => ({ form: await findForm(req), token: req.params.token }),
    values: (req) => answersFromBody(req.body),
    handle: async (body, req, res) => {
      await submitAnonymousResponse(String(req.params.token), answersFromBody(body));
      res.redirect(303, `/q/${req.params.token}/thanks`);
    },
  }),
);

anonymousRouter.get('/:token/thanks', async (req, res) => {
  res.render('questionnaires/anonymous-thanks', { form: await openForm(req, res), token: req.params.token });
});
