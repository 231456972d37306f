// Typed errors thrown by services; the error handler maps each class to a status and a page.

export class AppError extends Error {
  readonly status: number = 500;
  /** A locale key for the message a person reads. */
  constructor(
    message: string,
    readonly messageKey = 'errors:generic',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  override readonly status = 404;
  constructor(message = 'Not found') {
    super(message, 'errors:notFound.message');
  }
}

export class ForbiddenError extends AppError {
  override readonly status = 403;
  constructor(message = 'Forbidden', messageKey = 'errors:forbidden.message') {
    super(message, messageKey);
  }
}

export class ConflictError extends AppError {
  override readonly status = 409;
  constructor(message: string, messageKey = 'errors:conflict.message') {
    super(message, messageKey);
  }
}

/** Field messages are locale keys, keyed by form field name. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends AppError {
  override readonly status = 422;
  constructor(
    readonly fieldErrors: FieldErrors,
    message = 'Invalid input',
  ) {
    super(message, 'common:validation.fixBelow');
  }
}
