import { Router } from 'express';
import { setFlash } from '../../http/flash.js';
import { safeNext } from '../../http/guards.js';
import { beginAttempt, issueDevice, signInRule } from '../../http/attempt-limits.js';
import { signIn } from '../../http/session.js';
import { formHandler } from '../../http/validation.js';
import { ValidationError } from '../../errors.js';
import { loginSchema } from './auth.schemas.js';
import { verifyLogin } from './auth.service.js';

export const authRouter = Router();

authRouter.get('/login', issueDevice, (req, res) => {
  if (res.locals.currentUser) return res.redirect(303, safeNext(req.query.next));
  // A login slip's QR code (handouts) brings the username along: she only types her password.
  const username = typeof req.query.username === 'string' ? req.query.username.trim().toLowerCase().slice(0, 30) : '';
  res.render('auth/login', { values: { next: safeNext(req.query.next, ''), username }, errors: {} });
});

authRouter.post(
  '/login',
  formHandler({
    schema: loginSchema,
    view: 'auth/login',
    handle: async (data, req, res) => {
      // The account's limit is keyed on the username exactly as verifyLogin looks it up.
      const attempt = await beginAttempt(req, res, signInRule, data.username);
      const user = await verifyLogin(data.username, data.password);
      if (!user) {
        await attempt.failed();
        throw new ValidationError({ _form: 'auth:login.failed' });
      }
      await attempt.succeeded();
      await signIn(req, user);
      setFlash(req, 'success', 'auth:login.welcome', { name: user.displayName });
      res.redirect(303, safeNext(data.next));
    },
  }),
);

authRouter.post('/logout', (req, res, next) => {
  req.session.destroy((err) => {
    if (err) return next(err);
    res.redirect(303, '/'); // the session middleware clears the cookie
  });
});
