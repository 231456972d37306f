// Request parameters, validated the way Stripe answers bad input: 400 with a message naming
// the parameter in bracket form (`line_items[0][price_data][currency]`).
import { z } from 'zod';
import { invalidRequest, type StripeApiError } from './errors.js';

/** Stripe treats IDR as a two-decimal currency: amounts are in sen, 100 sen = Rp 1. */
export const SEN_PER_RUPIAH = 100;
export const supportedCurrency = 'idr';

// Stripe's own messages for integers; they, and only they, carry the code parameter_invalid_integer.
const INVALID_INTEGER = 'Invalid integer';
const INVALID_POSITIVE = 'Invalid positive integer';
const INVALID_NON_NEGATIVE = 'Invalid non-negative integer';
const integerMessages = new Set([INVALID_INTEGER, INVALID_POSITIVE, INVALID_NON_NEGATIVE]);

export const integer = z
  .string()
  .regex(/^-?\d{1,15}$/, INVALID_INTEGER)
  .transform(Number);
const positiveInteger = integer.refine((n) => n > 0, INVALID_POSITIVE);
const nonNegativeInteger = integer.refine((n) => n >= 0, INVALID_NON_NEGATIVE);

/**
 * Stripe's smallest and largest amounts for IDR, in sen. The minimum is Stripe's rule for a currency
 * without its own row (the equivalent of US$0.50, about Rp 8.000); the maximum is IDR's documented
 * exception to the eight-digit rule (Rp 999.999.999.999).
 */
export const MIN_AMOUNT_SEN = 8_000_00;
export const MAX_AMOUNT_SEN = 99_999_999_999_900;

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

export const expand = z.array(z.string()).optional();

export const createSessionSchema = z.strictObject({
  mode: z.literal('payment', 'The sandbox only supports mode=payment'),
  line_items: z
    .array(
      z.strictObject({
        // One of price (a Price made through the API) or price_data (an inline one), as Stripe asks.
        price: z.string().min(1).optional(),
        price_data: z
          .strictObject({
            currency: z.string(),
            unit_amount: nonNegativeInteger,
            product_data: z.strictObject({
              name: z.string().min(1).max(250),
              description: z.string().max(500).optional(),
            }),
          })
          .optional(),
        quantity: positiveInteger.refine((n) => n <= 999999, 'Must be at most 999999'),
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
  // Stripe's default; the other modes need Stripe.js on the shop's own page, which the sandbox has not.
  ui_mode: z.literal('hosted_page', 'The sandbox only supports ui_mode=hosted_page').optional(),
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

const bool = z.enum(['true', 'false'], 'Invalid boolean').transform((v) => v === 'true');

export const createPaymentIntentSchema = z.strictObject({
  amount: positiveInteger,
  currency: z.string().min(1),
  payment_method: z.string().min(1).optional(),
  payment_method_types: z.array(z.literal('card', 'The sandbox only supports card')).optional(),
  automatic_payment_methods: z.strictObject({ enabled: bool, allow_redirects: z.enum(['always', 'never']).optional() }).optional(),
  confirm: bool.optional(),
  capture_method: z.enum(['automatic', 'manual']).optional(),
  description: z.string().max(1000).optional(),
  metadata: metadata.optional(),
  receipt_email: z.email().optional(),
  return_url: httpUrl.optional(),
  expand,
});
export type CreatePaymentIntentParams = z.output<typeof createPaymentIntentSchema>;

export const confirmPaymentIntentSchema = z.strictObject({
  payment_method: z.string().min(1).optional(),
  return_url: httpUrl.optional(),
  capture_method: z.enum(['automatic', 'manual']).optional(),
  receipt_email: z.email().optional(),
  expand,
});
export type ConfirmPaymentIntentParams = z.output<typeof confirmPaymentIntentSchema>;

export const updatePaymentIntentSchema = z.strictObject({
  amount: positiveInteger.optional(),
  currency: z.string().min(1).optional(),
  payment_method: z.string().min(1).optional(),
  capture_method: z.enum(['automatic', 'manual']).optional(),
  description: z.string().max(1000).optional(),
  metadata: metadata.optional(),
  receipt_email: z.email().optional(),
  expand,
});
export type UpdatePaymentIntentParams = z.output<typeof updatePaymentIntentSchema>;

export const createProductSchema = z.strictObject({
  name: z.string().min(1).max(250),
  description: z.string().max(500).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  metadata: metadata.optional(),
  expand,
});
export type CreateProductParams = Omit<z.output<typeof createProductSchema>, 'expand'>;

export const createPriceSchema = z.strictObject({
  currency: z.string().min(1),
  unit_amount: nonNegativeInteger,
  product: z.string().min(1).optional(),
  product_data: z.strictObject({ name: z.string().min(1).max(250), metadata: metadata.optional() }).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  nickname: z.string().max(250).optional(),
  metadata: metadata.optional(),
  expand,
});
export type CreatePriceParams = z.output<typeof createPriceSchema>;

export const expandOnlySchema = z.strictObject({ expand });

export const retrievePaymentIntentSchema = z.strictObject({ client_secret: z.string().optional(), expand });

export const captureSchema = z.strictObject({ amount_to_capture: positiveInteger.optional(), expand });

export const cancelSchema = z.strictObject({
  cancellation_reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']).optional(),
  expand,
});

export const createRefundSchema = z.strictObject({
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
  amount: positiveInteger.optional(),
  metadata: metadata.optional(),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  expand,
});
export type CreateRefundParams = z.output<typeof createRefundSchema>;

export const updateRefundSchema = z.strictObject({ metadata: metadata.optional(), expand });

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
  if (integerMessages.has(issue.message)) return invalidRequest(`${issue.message}: ${param}`, param, 'parameter_invalid_integer');
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) {
    return invalidRequest(`Invalid ${param}: must not be empty`, param, 'parameter_invalid_string_empty');
  }
  // Stripe sends no code for the other invalid values (an unknown enum member, a malformed URL).
  return invalidRequest(`Invalid ${param}: ${issue.message}`, param);
}

// An event type as Stripe writes them (`checkout.session.completed`), or "*" for every event.
const enabledEvent = z.string().regex(/^(\*|[a-z_]+(\.[a-z_]+)+)$/, 'must be "*" or an event type such as checkout.session.completed');
const enabledEvents = z.array(enabledEvent).min(1, 'Missing required param: enabled_events.').max(250);
// The SDK sends an emptied description or metadata as an empty string.
const emptyable = <S extends z.ZodType>(schema: S) => z.union([z.literal(''), schema]);

export const createWebhookEndpointSchema = z.strictObject({
  url: httpUrl,
  enabled_events: enabledEvents,
  description: emptyable(z.string().max(5000)).optional(),
  metadata: emptyable(metadata).optional(),
  api_version: z.string().min(1).optional(),
  connect: bool.optional(),
  expand,
});
export type CreateWebhookEndpointParams = z.output<typeof createWebhookEndpointSchema>;

export const updateWebhookEndpointSchema = z.strictObject({
  url: httpUrl.optional(),
  enabled_events: enabledEvents.optional(),
  description: emptyable(z.string().max(5000)).optional(),
  metadata: emptyable(metadata).optional(),
  disabled: bool.optional(),
  expand,
});
export type UpdateWebhookEndpointParams = z.output<typeof updateWebhookEndpointSchema>;
