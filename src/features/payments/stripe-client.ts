// The one Stripe client, built lazily from config: pointed at the payment sandbox on loopback
// by default; with PAYMENT_SANDBOX=off and a real sk_test_ key it talks to Stripe test mode.
// Tests point it at a sandbox on an ephemeral port with setStripeClient().
//
// Real Stripe test mode (not testable here, no network): PAYMENT_SANDBOX=off,
// STRIPE_SECRET_KEY=sk_test_… from the dashboard, and deliver webhooks to the app, e.g.
// `stripe listen --forward-to http://localhost:3000/payments/webhook` whose printed whsec_…
// goes into STRIPE_WEBHOOK_SECRET (or a dashboard endpoint for checkout.session.completed,
// checkout.session.expired, payment_intent.succeeded, payment_intent.payment_failed,
// charge.refunded). The hosted page is then checkout.stripe.com (no rebasing; the card form's
// CSP form-action allows it), and return URLs use PUBLIC_URL when set.
//
// The SDK is imported on first use, not at start: it is about 34 MB of the server's memory, and a
// process that serves pages but takes no card payment (or none yet) does not need it.
import type Stripe from 'stripe';
import { config } from '../../config.js';
import { AppError } from '../../errors.js';
import { logger } from '../../logger.js';

let client: Promise<Stripe> | null = null;

export async function stripeClientFromConfig(): Promise<Stripe> {
  const { default: StripeSdk } = await import('stripe');
  const common = { timeout: 20_000, maxNetworkRetries: 1, appInfo: { name: 'PasarLatih' } };
  if (config.paymentSandbox.enabled) {
    return new StripeSdk(config.stripe.secretKey, { ...common, host: '127.0.0.1', port: config.paymentSandbox.port, protocol: 'http' });
  }
  return new StripeSdk(config.stripe.secretKey, common);
}

export function getStripe(): Promise<Stripe> {
  client ??= stripeClientFromConfig();
  return client;
}

/** For tests: use this client (null: build from config again on next use). */
export function setStripeClient(next: Stripe | null): void {
  client = next ? Promise.resolve(next) : null;
}

/** The SDK's error classes, told apart by the `type` each carries (the SDK may not be loaded when this asks). */
function stripeErrorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('raw' in error)) return undefined;
  const { type } = error as { type?: unknown };
  return typeof type === 'string' ? type : undefined;
}

/** The payment server could not be reached (sandbox down, network gone). */
export function isProviderDown(error: unknown): boolean {
  const type = stripeErrorType(error);
  return type === 'StripeConnectionError' || (type === 'StripeAPIError' && ((error as { statusCode?: number }).statusCode ?? 500) >= 500);
}

/** The provider has no such object (its database was replaced, or the id was never its). */
export function isUnknownToProvider(error: unknown): boolean {
  return stripeErrorType(error) === 'StripeInvalidRequestError' && (error as { code?: string }).code === 'resource_missing';
}

/** The payment server could not be reached: nothing was changed (the pay route shows a 503 page). */
export class PaymentProviderDownError extends AppError {
  constructor() {
    super('Payment provider unreachable', 'payments:errors.providerDown');
  }
}

/** Closes an open Checkout Session so it can no longer be paid; a failure (already paid, provider down) is only logged. True when it closed. */
export async function expireSessionQuietly(sessionId: string): Promise<boolean> {
  try {
    await (await getStripe()).checkout.sessions.expire(sessionId);
    return true;
  } catch (error) {
    logger.warn({ err: error, sessionId }, 'could not expire a checkout session');
    return false;
  }
}

/** Verifies a webhook's signature; throws Stripe.errors.StripeSignatureVerificationError when forged or too old. */
export async function verifyWebhook(rawBody: Buffer | string, signature: string | undefined): Promise<Stripe.Event> {
  const { default: StripeSdk } = await import('stripe');
  return StripeSdk.webhooks.constructEvent(rawBody, signature ?? '', config.stripe.webhookSecret);
}

/** The hosted page's address as the trainee must see it (only the sandbox needs rebasing). */
export function sandboxRebases(): boolean {
  return config.paymentSandbox.enabled && !config.paymentSandbox.publicUrl;
}

/** The app's payment id in a session's or PaymentIntent's metadata (a hint: what it says is checked against the row). */
export function metadataPaymentId(metadata: Stripe.Metadata | null | undefined): number | null {
  const id = Number(metadata?.paymentId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export const paymentIntentIdOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

export const SEN_PER_RUPIAH = 100;
export const toSen = (rupiah: number): number => rupiah * SEN_PER_RUPIAH;
