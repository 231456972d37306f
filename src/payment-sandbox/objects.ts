// Builders for the Stripe objects the sandbox returns, typed with the SDK's own types so the
// compiler checks every field the real API sends. Fields of features the sandbox does not
// imitate are null, as Stripe returns them when unused.
import type Stripe from 'stripe';
import { newId } from './ids.js';
import type { LineItemRecord } from './store.js';

export const API_VERSION = '2026-10-28.endive';

export interface NewSession {
  id: string;
  created: number;
  expiresAt: number;
  url: string;
  currency: string;
  amountTotal: number;
  successUrl: string;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  locale: Stripe.Checkout.Session.Locale | null;
  metadata: Record<string, string>;
}

export function buildSession(s: NewSession): Stripe.Checkout.Session {
  return {
    id: s.id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: s.amountTotal,
    amount_total: s.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: s.cancelUrl,
    client_reference_id: s.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: s.created,
    currency: s.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: 'if_required',
    customer_details: s.customerEmail
      ? {
          address: null,
          business_name: null,
          email: s.customerEmail,
          individual_name: null,
          name: null,
          phone: null,
          tax_exempt: 'none',
          tax_ids: null,
        }
      : null,
    customer_email: s.customerEmail,
    discounts: [],
    expires_at: s.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: s.locale,
    managed_payments: null,
    metadata: s.metadata,
    mode: 'payment',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: s.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: s.url,
    wallet_options: null,
  };
}

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  created: number;
  captureMethod: 'automatic' | 'manual';
  description: string | null;
  metadata: Record<string, string>;
}

export function buildPaymentIntent(p: NewPaymentIntent): Stripe.PaymentIntent {
  const id = newId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: p.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: p.captureMethod,
    client_secret: `${id}_secret_${newId('pm').slice(3)}`,
    confirmation_method: 'automatic',
    created: p.created,
    currency: p.currency,
    customer: null,
    customer_account: null,
    description: p.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: p.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
}

export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  name: string;
  threeDSecure: boolean;
}

export interface NewCharge {
  paymentIntent: Stripe.PaymentIntent;
  paymentMethodId: string;
  card: CardDetails;
  created: number;
  failure: { code: string; declineCode: string; message: string } | null;
  captured: boolean;
}

export function buildCharge(c: NewCharge): Stripe.Charge {
  const pi = c.paymentIntent;
  const failed = c.failure !== null;
  return {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: !failed && c.captured ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: null, email: null, name: c.card.name || null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'PASARLATIH SANDBOX',
    captured: !failed && c.captured,
    created: c.created,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: c.failure?.code ?? null,
    failure_message: c.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: pi.metadata,
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: failed ? 'declined_by_network' : 'approved_by_network',
      reason: c.failure?.declineCode ?? null,
      risk_level: 'normal',
      seller_message: failed ? 'The bank did not return any further details with this decline.' : 'Payment complete.',
      type: failed ? 'issuer_declined' : 'authorized',
    },
    paid: !failed,
    payment_intent: pi.id,
    payment_method: c.paymentMethodId,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: failed ? null : pi.amount,
        authorization_code: failed ? null : '123456',
        brand: c.card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: failed ? 'unchecked' : 'pass' },
        country: 'US',
        electronic_commerce_indicator: null,
        exp_month: c.card.expMonth,
        exp_year: c.card.expYear,
        funding: 'credit',
        installments: null,
        last4: c.card.last4,
        mandate: null,
        network: c.card.brand,
        network_transaction_id: null,
        regulated_status: 'unregulated',
        three_d_secure: c.card.threeDSecure
          ? {
              authentication_flow: 'challenge',
              electronic_commerce_indicator: failed ? null : '05',
              exemption_indicator: null,
              result: failed ? 'failed' : 'authenticated',
              result_reason: null,
              transaction_id: null,
              version: '2.2.0',
            }
          : null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: failed ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

export function buildRefund(r: {
  amount: number;
  charge: Stripe.Charge;
  created: number;
  metadata: Record<string, string>;
  reason: Stripe.Refund.Reason | null;
}): Stripe.Refund {
  return {
    id: newId('re'),
    object: 'refund',
    amount: r.amount,
    balance_transaction: null,
    charge: r.charge.id,
    created: r.created,
    currency: r.charge.currency,
    customer: null,
    customer_account: null,
    destination_details: {
      type: 'card',
      card: { reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' },
    },
    metadata: r.metadata,
    payment_intent: typeof r.charge.payment_intent === 'string' ? r.charge.payment_intent : null,
    payment_method: r.charge.payment_method,
    reason: r.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

/** The events the sandbox emits, each paired with the object it carries. */
export type SandboxEventInput =
  | { type: 'checkout.session.completed' | 'checkout.session.expired'; object: Stripe.Checkout.Session }
  | {
      type:
        | 'payment_intent.created'
        | 'payment_intent.succeeded'
        | 'payment_intent.payment_failed'
        | 'payment_intent.canceled'
        | 'payment_intent.amount_capturable_updated';
      object: Stripe.PaymentIntent;
    }
  | { type: 'charge.succeeded' | 'charge.failed' | 'charge.captured' | 'charge.refunded'; object: Stripe.Charge }
  | { type: 'refund.created' | 'refund.updated'; object: Stripe.Refund };

export type SandboxEventType = SandboxEventInput['type'];

// Compile-time proof that each event carries the object the SDK's event type says it carries.
type CarriesSdkObject<K extends SandboxEventType> = K extends SandboxEventType
  ? Extract<SandboxEventInput, { type: K }>['object'] extends Extract<Stripe.Event, { type: K }>['data']['object']
    ? true
    : false
  : never;
type MustBeTrue<T extends true> = T;
export type SandboxEventsMatchSdk = MustBeTrue<CarriesSdkObject<SandboxEventType>>;

export function buildEvent(
  input: SandboxEventInput,
  created: number,
  request: { id: string | null; idempotencyKey: string | null },
): Stripe.Event {
  const base: Omit<Stripe.EventBase, 'type' | 'data'> = {
    id: newId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: request.id, idempotency_key: request.idempotencyKey },
  };
  // SandboxEventsMatchSdk checks that each input matches the SDK's event of its type.
  const event: Extract<Stripe.Event, { type: SandboxEventType }> = { ...base, type: input.type, data: { object: input.object } } as never;
  return event;
}

/**
 * A line item as `listLineItems` returns it, with the inline Price that `price_data` made (Stripe
 * creates one per line, inactive, for that session only). Sessions stored before ids were kept get
 * ids derived from the session's, stable across calls.
 */
export function buildLineItem(sessionId: string, created: number, index: number, li: LineItemRecord): Stripe.LineItem {
  const derived = `${sessionId.slice(8, 28)}${index}`;
  const ids = li.ids ?? { lineItem: `li_${derived}`, price: `price_${derived}`, product: `prod_${derived}` };
  const amount = li.unitAmount * li.quantity;
  return {
    id: ids.lineItem,
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: li.currency,
    description: li.name,
    metadata: {},
    price: {
      id: ids.price,
      object: 'price',
      active: false,
      billing_scheme: 'per_unit',
      created,
      currency: li.currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: ids.product,
      recurring: null,
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: 'one_time',
      unit_amount: li.unitAmount,
      // A string on the wire; the SDK turns it into its Decimal type when it reads the response.
      unit_amount_decimal: String(li.unitAmount) as unknown as Stripe.Price['unit_amount_decimal'],
    },
    quantity: li.quantity,
  };
}
