// Errors in Stripe's wire format: the SDK picks its error class from the HTTP status and
// `error.type`, so both must match what Stripe sends or the app misreads the failure.
import type Stripe from 'stripe';

export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error';

/** Keeps the literal members of a union that also admits any string (the SDK's `OtherString`). */
type Literals<T> = T extends string ? (string extends T ? never : T) : never;

/** Stripe's documented error codes, as the SDK lists them: the compiler refuses any other. */
export type StripeErrorCode = Literals<Stripe.PaymentIntent.LastPaymentError.Code>;

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: StripeErrorCode;
  decline_code?: string;
  param?: string;
  payment_intent?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

export function invalidRequest(message: string, param?: string, code?: StripeErrorCode): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code }),
  });
}

export function resourceMissing(objectName: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function unexpectedState(message: string, code: StripeErrorCode = 'payment_intent_unexpected_state'): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code, message });
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message });
}
