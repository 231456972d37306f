// Refunds of a captured charge, in full or in parts, each announced by refund.created and charge.refunded.
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from './errors.js';
import { emit, mustGetPaymentIntent, seconds, type Ledger, type RequestInfo } from './ledger.js';
import { buildRefund } from './objects.js';
import { SEN_PER_RUPIAH, type CreateRefundParams } from './schemas.js';

export async function createRefund(ledger: Ledger, params: CreateRefundParams, request: RequestInfo): Promise<Stripe.Refund> {
  const { store } = ledger;
  const charge = await chargeToRefund(ledger, params);
  if (!charge || !charge.captured) {
    throw invalidRequest('This charge cannot be refunded because it was not captured.', 'charge', 'charge_not_refundable');
  }
  const refundable = charge.amount_captured - charge.amount_refunded;
  if (refundable <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
  }
  const amount = params.amount ?? refundable;
  if (amount % SEN_PER_RUPIAH !== 0) {
    throw invalidRequest('The refund amount must be a whole-rupiah amount in sen (a multiple of 100).', 'amount', 'invalid_charge_amount');
  }
  if (amount > refundable) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`,
      'amount',
      'amount_too_large',
    );
  }
  const refund = buildRefund({ amount, charge, created: seconds(ledger), metadata: params.metadata ?? {}, reason: params.reason ?? null });
  await store.insert('refund', refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  await store.update('charge', charge);
  // Card refunds succeed at once in test mode: created already succeeded, so no refund.updated follows.
  await emit(ledger, { type: 'refund.created', object: refund }, request);
  await emit(ledger, { type: 'charge.refunded', object: charge }, request);
  return refund;
}

/** Stripe lets only a refund's metadata change; each change is announced by refund.updated. */
export async function updateRefund(
  ledger: Ledger,
  id: string,
  metadata: Record<string, string> | undefined,
  request: RequestInfo,
): Promise<Stripe.Refund> {
  const refund = await retrieveRefund(ledger, id);
  if (metadata === undefined) return refund;
  refund.metadata = Object.fromEntries(Object.entries({ ...refund.metadata, ...metadata }).filter(([, value]) => value !== ''));
  await ledger.store.update('refund', refund);
  await emit(ledger, { type: 'refund.updated', object: refund }, request);
  return refund;
}

async function chargeToRefund(ledger: Ledger, params: CreateRefundParams): Promise<Stripe.Charge | null> {
  if (params.payment_intent) {
    const pi = await mustGetPaymentIntent(ledger, params.payment_intent);
    if (pi.status !== 'succeeded' || typeof pi.latest_charge !== 'string') {
      throw invalidRequest(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        'payment_intent',
        'charge_not_refundable',
      );
    }
    return await ledger.store.get<Stripe.Charge>('charge', pi.latest_charge);
  }
  if (params.charge) {
    const charge = await ledger.store.get<Stripe.Charge>('charge', params.charge);
    if (!charge) throw resourceMissing('charge', params.charge, 'charge');
    return charge;
  }
  throw invalidRequest(
    'One of the following params should be provided for this request: payment_intent or charge.',
    'payment_intent',
    'parameter_missing',
  );
}

export async function retrieveRefund(ledger: Ledger, id: string): Promise<Stripe.Refund> {
  const refund = await ledger.store.get<Stripe.Refund>('refund', id);
  if (!refund) throw resourceMissing('refund', id, 'refund');
  return refund;
}
