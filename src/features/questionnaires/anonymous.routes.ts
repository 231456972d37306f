// The anonymous link, /q/:token: walk-in participants without an account answer an open form.
// No sign-in; CSRF still applies (the session cookie works for anonymous visitors too). Unknown
// or closed tokens are a 404, and guessing tokens is rate-limited; a room shares one address,
// so a person's typing mistakes (422) do not count against it.
import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { formHandler } from '../../http/validation.js';
import { answersFromBody } from './answers.js';
import { findOpenFormByToken } from './questionnaires.service.js';
import { submitAnonymousResponse } from './responses.service.js';

/** Mounted at /q. */
export const anonymousRouter = Router();

const tooMany = (_req: Request, res: Response) => {
  res.status(429).render('errors/error', { titleKey: 'errors:tooMany.title', messageKey: 'errors:tooMany.message' });
};

/** Wrong tokens (404) from one address: 30 per 15 minutes. */
const guessLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 30,
  skipSuccessfulRequests: true,
  requestWasSuccessful: (_req, res) => res.statusCode !== 404,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  keyGenerator: (req) => `q-guess|${ipKeyGenerator(req.ip ?? '')}`,
  handler: tooMany,
});

/** Submissions from one address to one link: generous, a whole room answers from one Wi-Fi. */
const submitLimiter = rateLimit({
  windowMs: 10 * 60 * 1000,
  limit: 300,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  keyGenerator: (req) => `q-submit|${ipKeyGenerator(req.ip ?? '')}|${String(req.params.token)}`,
  handler: tooMany,
});

async function openForm(req: Request) {
  const form = await findOpenFormByToken(String(req.params.token));
  if (!form) throw new NotFoundError('Unknown or closed anonymous link');
  return form;
}

anonymousRouter.get('/:token', guessLimiter, async (req, res) => {
  res.render('questionnaires/anonymous', { form: await openForm(req), token: req.params.token, values: {}, errors: {} });
});

anonymousRouter.post(
  '/:token',
  guessLimiter,
  submitLimiter,
  formHandler({
    schema: z.record(z.string(), z.unknown()),
    view: 'questionnaires/anonymous',
    locals: async (req) => ({ form: await openForm(req), token: req.params.token }),
    values: (req) => answersFromBody(req.body),
    handle: async (body, req, res) => {
      await submitAnonymousResponse(String(req.params.token), answersFromBody(body));
      res.redirect(303, `/q/${req.params.token}/thanks`);
    },
  }),
);

anonymousRouter.get('/:token/thanks', guessLimiter, async (req, res) => {
  res.render('questionnaires/anonymous-thanks', { form: await openForm(req), token: req.params.token });
});
