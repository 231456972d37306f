// The errors of the domain: services throw them and know nothing of HTTP; the error handler
// (src/http/error-handler.ts) decides which status and page each one gets.

/** Something a person cannot do, with a locale key for the message they read. */
export class AppError extends Error {
  constructor(
    message: string,
    readonly messageKey = 'errors:generic',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No such thing here (or not for this person: the same answer, so nothing leaks). */
export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(message, 'errors:notFound.message');
  }
}

/** The person may see this but not do it. */
export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden', messageKey = 'errors:forbidden.message') {
    super(message, messageKey);
  }
}

/** The thing is not in a state that allows this. */
export class ConflictError extends AppError {
  constructor(message: string, messageKey = 'errors:conflict.message') {
    super(message, messageKey);
  }
}

/** Field messages are locale keys, keyed by form field name. */
export type FieldErrors = Record<string, string>;

/** Input that cannot be accepted: the form is shown again with these messages. */
export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = 'Invalid input',
  ) {
    super(message, 'common:validation.fixBelow');
  }
}

/**
 * Not allowed right now, for a reason the person can act on (sold out, already paid, not
 * accepted yet): they go back to the page they were on and read why. `params` fill the message.
 */
export class RefusedError extends ConflictError {
  constructor(
    messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`Refused: ${messageKey}`, messageKey);
  }
}

/** Too many attempts for now (src/http/attempt-limits.ts): try again after `retryAfterSeconds`. */
export class TooManyAttemptsError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    messageKey = 'errors:tooMany.message',
  ) {
    super(`Too many attempts; retry after ${retryAfterSeconds} s`, messageKey);
  }
}
