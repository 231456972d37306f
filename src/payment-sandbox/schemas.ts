// Request parameters, validated the way Stripe answers bad input: 400 with a message naming
// the parameter in bracket form (`line_items[0][price_data][currency]`).
import { z } from 'zod';
import { invalidRequest, type StripeApiError } from './errors.js';

/** Stripe treats IDR as a two-decimal currency: amounts are in sen, 100 sen = Rp 1. */
export const SEN_PER_RUPIAH = 100;
export const supportedCurrency = 'idr';

const integer = z
  .string()
  .regex(/^-?\d{1,15}$/, 'Invalid integer')
  .transform(Number);

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'Not a valid URL');

const metadata = z
  .record(
    z.string().max(40, 'Metadata keys can be at most 40 characters'),
    z.string().max(500, 'Metadata values can be at most 500 characters'),
  )
  .refine((m) => Object.keys(m).length <= 50, 'Metadata can have at most 50 keys');

const expand = z.array(z.string()).optional();

export const createSessionSchema = z.strictObject({
  mode: z.literal('payment', 'The sandbox only supports mode=payment'),
  line_items: z
    .array(
      z.strictObject({
        price_data: z.strictObject({
          currency: z.string(),
          unit_amount: integer.refine((n) => n > 0, 'Must be a positive integer'),
          product_data: z.strictObject({
            name: z.string().min(1).max(250),
            description: z.string().max(500).optional(),
          }),
        }),
        quantity: integer.refine((n) => n >= 1 && n <= 999999, 'Must be between 1 and 999999'),
      }),
    )
    .min(1)
    .max(100),
  success_url: httpUrl,
  cancel_url: httpUrl.optional(),
  metadata: metadata.optional(),
  client_reference_id: z.string().min(1).max(200).optional(),
  customer_email: z.email().optional(),
  expires_at: integer.optional(),
  locale: z.enum(['auto', 'id', 'en']).optional(),
  payment_method_types: z.array(z.literal('card', 'The sandbox only supports card')).optional(),
  payment_intent_data: z
    .strictObject({
      capture_method: z.enum(['automatic', 'manual']).optional(),
      description: z.string().max(1000).optional(),
      metadata: metadata.optional(),
    })
    .optional(),
  expand,
});
export type CreateSessionParams = z.output<typeof createSessionSchema>;

export const expandOnlySchema = z.strictObject({ expand });

export const retrievePaymentIntentSchema = z.strictObject({ client_secret: z.string().optional(), expand });

export const captureSchema = z.strictObject({ amount_to_capture: integer.optional(), expand });

export const cancelSchema = z.strictObject({
  cancellation_reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']).optional(),
  expand,
});

export const createRefundSchema = z.strictObject({
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
  amount: integer.optional(),
  metadata: metadata.optional(),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  expand,
});
export type CreateRefundParams = z.output<typeof createRefundSchema>;

function paramName(path: readonly PropertyKey[]): string {
  const [first, ...rest] = path.map(String);
  return (first ?? '') + rest.map((p) => `[${p}]`).join('');
}

/** Parses with a schema, or throws the 400 Stripe would send for the first problem. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw toStripeError(result.error.issues[0]!);
}

function toStripeError(issue: z.core.$ZodIssue): StripeApiError {
  const param = paramName(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const full = param ? `${param}[${key}]` : key;
    return invalidRequest(`Received unknown parameter: ${full}`, full, 'parameter_unknown');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
  }
  return invalidRequest(`Invalid ${param}: ${issue.message}`, param, 'parameter_invalid');
}
