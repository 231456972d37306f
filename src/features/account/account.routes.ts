import { Router, type RequestHandler } from 'express';
import { NotFoundError } from '../../errors.js';
import { setFlash } from '../../http/flash.js';
import { requireUser } from '../../http/guards.js';
import { idFrom, idParam } from '../../http/params.js';
import { signIn } from '../../http/session.js';
import { formHandler, parseOrThrow } from '../../http/validation.js';
import { requireWorkshopRole, workshopBase } from '../workshops/workshop-context.js';
import { changePasswordSchema, deviceSchema, strengthSchema } from './account.schemas.js';
import { changePassword, estimateStrength, listDevices, resetMemberPassword, signOutDevice, signOutEverywhere } from './account.service.js';

/** Mounted at /account: her password and her signed-in devices. */
export const accountRouter = Router();
accountRouter.use(requireUser);

/** A new session for this request (the old one is gone), to carry the message to the sign-in page. */
const freshSession = (req: Parameters<RequestHandler>[0]) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));

const passwordLocals = (req: Parameters<RequestHandler>[0]) => ({ forced: Boolean(req.session.user?.mustChangePassword) });

accountRouter.get('/password', (req, res) => {
  res.render('account/password', { ...passwordLocals(req), values: {}, errors: {} });
});

accountRouter.post(
  '/password',
  formHandler({
    schema: changePasswordSchema,
    view: 'account/password',
    locals: passwordLocals,
    handle: async (data, req, res) => {
      const user = await changePassword(res.locals.currentUser!.id, data);
      // Every session of hers ended with the old password; this one goes on under a new id.
      await signIn(req, user);
      setFlash(req, 'success', 'account:password.changed');
      res.redirect(303, '/');
    },
  }),
);

/** The meter's estimate as she types (public/js/password-strength.js): the server's own rule. */
accountRouter.post('/password/strength', async (req, res) => {
  const { password } = parseOrThrow(strengthSchema, req.body ?? {});
  const strength = await estimateStrength(password, res.locals.currentUser!);
  const t = res.locals.t;
  res.set('Cache-Control', 'no-store').json({
    score: strength.score,
    acceptable: strength.acceptable,
    label: t(`account:strength.levels.${strength.score}`),
    hints: [strength.warning && `warnings.${strength.warning}`, ...strength.suggestions.map((s) => `suggestions.${s}`)]
      .filter((key): key is string => Boolean(key))
      .map((key) => t(`account:strength.${key}`)),
  });
});

accountRouter.get('/devices', async (req, res) => {
  res.render('account/devices', { devices: await listDevices(res.locals.currentUser!.id, req.session.id) });
});

accountRouter.post('/devices/:device/sign-out', async (req, res) => {
  const parsed = deviceSchema.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError('Not a device handle');
  await signOutDevice(res.locals.currentUser!.id, parsed.data.device);
  setFlash(req, 'success', 'account:devices.signedOutOne');
  res.redirect(303, '/account/devices');
});

accountRouter.post('/sign-out-everywhere', async (req, res) => {
  await signOutEverywhere(res.locals.currentUser!.id);
  await freshSession(req);
  setFlash(req, 'success', 'account:devices.signedOutAll');
  res.redirect(303, '/login');
});

/** Mounted at /members in a workshop: a tutor's reset of a trainee's password. */
export const memberPasswordRouter = Router();
memberPasswordRouter.param('memberId', idParam);

memberPasswordRouter.post('/:memberId/password-reset', requireWorkshopRole('organizer', 'tutor'), async (req, res) => {
  const reset = await resetMemberPassword(res.locals.ctx, idFrom(req, 'memberId'));
  // The temporary password is shown in this response only: not kept in a flash message, a URL or
  // the browser's cache, so this form answers with the page instead of redirecting.
  res.set('Cache-Control', 'no-store').render('account/temporary-password', { reset, back: `${workshopBase(res)}/members` });
});

// Pages she may open while her password must be changed: that page, its meter, signing out.
const whileChanging = new Set(['/account/password', '/account/password/strength', '/logout']);

/** After a tutor's reset, she sets her own password before anything else. */
export const passwordChangeFirst: RequestHandler = (req, res, next) => {
  if (!req.session.user?.mustChangePassword || whileChanging.has(req.path) || req.path.startsWith('/lang/')) return next();
  res.redirect(303, '/account/password');
};
