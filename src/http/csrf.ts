// CSRF tokens on every form, in two ways, so that a visitor who only looks at a form costs no
// session row (issue 11: 100 views of /login wrote 100 rows kept a week):
// - a signed-in person's forms carry the token kept in her session (csrf-sync, the synchronizer
//   pattern): it costs nothing per page, the row is read anyway;
// - a visitor's forms (sign-in, joining, an anonymous questionnaire) carry a signed double-submit
//   token (csrf-csrf): the same value in an HttpOnly cookie and in the form, with an HMAC under the
//   app's secret, so a page of another site can neither read nor make one.
// A form is accepted when its token matches the session's, or is a valid double-submit pair: a
// sign-in form opened before signing in, in another tab, still works afterwards.
import type { Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { csrfSync } from 'csrf-sync';
import { readCookie } from './locals.js';

type Options = {
  secret: string;
  /** Paths that receive requests from other servers, not from our forms (signed another way). */
  exempt: readonly string[];
};

const COOKIE = 'pl.csrf';
const tokenFromRequest = (req: Request) =>
  (req.body?._csrf as string | undefined) ?? (req.query._csrf as string | undefined) ?? req.get('x-csrf-token');

export function csrfProtection({ secret, exempt }: Options): { issue: (req: Request, res: Response) => void; protect: RequestHandler } {
  const synchronizer = csrfSync({ size: 32, getTokenFromRequest: tokenFromRequest });
  // Secure cookie only over HTTPS, like the session's: the room's network is plain HTTP.
  const doubleSubmit = (secure: boolean) =>
    doubleCsrf({
      getSecret: () => secret,
      // A visitor has no session to bind the token to; the HMAC under the app's secret is the binding.
      getSessionIdentifier: () => '',
      cookieName: COOKIE,
      cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: tokenFromRequest,
    });
  const plain = doubleSubmit(false);
  const secured = doubleSubmit(true);
  const visitorTokens = (req: Request) => (req.secure ? secured : plain);
  /** csrf-csrf reads req.cookies; only its own cookie is parsed, and only when it is needed. */
  const withCookie = (req: Request) => {
    const value = readCookie(req, COOKIE);
    req.cookies = value === undefined ? {} : { [COOKIE]: value };
    return req;
  };

  /** res.locals.csrfToken for this request's forms (every signed-in page has one: signing out). */
  const issue = (req: Request, res: Response): void => {
    if (req.session?.user) {
      res.locals.csrfToken = synchronizer.generateToken(req);
      return;
    }
    // A visitor's token is made when a page first shows a form, once per response (a second
    // double-submit token would replace the cookie the first form relies on).
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrfToken', {
      get: () => (token ??= visitorTokens(req).generateCsrfToken(withCookie(req), res)),
      enumerable: true,
      configurable: true,
    });
  };

  const protect: RequestHandler = (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || exempt.includes(req.path)) return next();
    if (req.session?.csrfToken && synchronizer.isRequestValid(req)) return next();
    if (visitorTokens(req).validateRequest(withCookie(req))) return next();
    next(synchronizer.invalidCsrfTokenError);
  };

  return { issue, protect };
}
