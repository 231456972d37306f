import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, ConflictError, ForbiddenError, NotFoundError, RefusedError, TooManyAttemptsError, ValidationError } from '../errors.js';
import { answerRefusal } from './refusals.js';

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

type Logger = { error: (obj: unknown, msg?: string) => void };

/** The status of a domain error (src/errors.ts); anything else is the server's fault. */
function statusOf(err: unknown): number {
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof ValidationError) return 422;
  if (err instanceof ConflictError) return 409;
  if (err instanceof TooManyAttemptsError) return 429;
  return 500;
}

/** Maps error classes to status and page; a stack trace is shown only when showStack (`npm run dev`). */
export function errorHandler(options: { showStack: boolean; logger: Logger }): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const wantsJson = req.accepts(['html', 'json']) === 'json' || req.path.endsWith('.json');
    // A person refused something goes back with the reason; a program (JSON, no session) gets a 409.
    if (err instanceof RefusedError && req.session && !wantsJson) return answerRefusal(err, req, res);
    const isCsrf = err?.code === 'EBADCSRFTOKEN' || (err?.status === 403 && /csrf/i.test(String(err?.message)));
    const isTooLarge = err?.type === 'entity.too.large';
    // Errors of the request itself (a body that is not what it claims, a bad charset, a bad
    // percent-encoding) carry their 4xx status from body-parser or the router: the sender's fault.
    const clientStatus = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? (err.status as number) : null;
    const status: number = err instanceof AppError ? statusOf(err) : isCsrf ? 403 : isTooLarge ? 413 : (clientStatus ?? 500);
    if (status >= 500) options.logger.error({ err, url: req.originalUrl }, 'request failed');
    let titleKey = 'errors:server.title';
    let messageKey = 'errors:server.message';
    if (status === 404) [titleKey, messageKey] = ['errors:notFound.title', 'errors:notFound.message'];
    else if (isCsrf) [titleKey, messageKey] = ['errors:csrf.title', 'errors:csrf.message'];
    else if (err instanceof TooManyAttemptsError) [titleKey, messageKey] = ['errors:tooMany.title', err.messageKey];
    else if (status === 403 && err instanceof AppError) [titleKey, messageKey] = ['errors:forbidden.title', err.messageKey];
    else if (err instanceof AppError) [titleKey, messageKey] = ['errors:conflict.title', err.messageKey];
    else if (isTooLarge) [titleKey, messageKey] = ['errors:tooLarge.title', 'errors:tooLarge.message'];
    else if (clientStatus) [titleKey, messageKey] = ['errors:badRequest.title', 'errors:badRequest.message'];
    res.status(status);
    const messageParams = err instanceof TooManyAttemptsError ? { seconds: err.retryAfterSeconds } : {};
    if (err instanceof TooManyAttemptsError) res.set('Retry-After', String(err.retryAfterSeconds));
    if (wantsJson) {
      res.json({ error: { status, message: res.locals.t ? res.locals.t(messageKey, messageParams) : messageKey } });
      return;
    }
    const locals = { titleKey, messageKey, messageParams, stack: options.showStack && status >= 500 ? String(err?.stack ?? err) : null };
    res.render(status === 404 ? 'errors/404' : 'errors/error', locals, (renderError: Error | null, html?: string) => {
      if (!renderError) return res.send(html);
      // The error page itself failed: a plain message, never Express's page with a stack trace.
      options.logger.error({ err: renderError }, 'error page failed');
      res.type('text/plain').send(status === 404 ? 'Halaman tidak ditemukan / Page not found' : 'Terjadi kesalahan / Something went wrong');
    });
  };
}
