// The app's payment tests: a payment sandbox in the test's process with the app's keys, the
// app's Stripe client pointed at it, and its webhooks caught by a receiver, so that a test decides
// what the app hears (postWebhook forwards or forges an event, signed with the app's secret).
import type { Express } from 'express';
import Stripe from 'stripe';
import request from 'supertest';
import { config } from '../config.js';
import { setStripeClient } from '../features/payments/stripe-client.js';
import { prisma } from '../db.js';
import { startCardPayment } from '../features/payments/payments.service.js';
import type { WorkshopCtx } from '../features/workshops/workshops.service.js';
import { makeOrder } from './builders/index.js';
import type { Ref } from './builders/ref.js';
import {
  startSandbox,
  startWebhookReceiver,
  stripeFor,
  tempDatabase,
  type RunningSandbox,
  type WebhookReceiver,
} from './payment-sandbox.js';

export interface AppSandbox {
  receiver: WebhookReceiver;
  running: RunningSandbox;
  /** The SDK with the app's key, as the app's own client. */
  stripe: Stripe;
  stop(): Promise<void>;
}

/** A sandbox with the app's keys, the app's Stripe client pointed at it; its webhooks go to a receiver, not to the app. */
export async function startSandboxForApp(): Promise<AppSandbox> {
  const receiver = await startWebhookReceiver();
  const running = await startSandbox({
    database: await tempDatabase(),
    webhookUrl: receiver.url,
    apiKey: config.stripe.secretKey,
    webhookSecret: config.stripe.webhookSecret,
  });
  const stripe = stripeFor(running.port, config.stripe.secretKey);
  setStripeClient(stripe);
  return {
    receiver,
    running,
    stripe,
    async stop() {
      setStripeClient(null);
      await running.stop();
      await receiver.close();
    },
  };
}

/** Posts an event to the app's webhook, signed with the app's webhook secret (what anyone holding that secret can send). */
export function postWebhook(app: Express, payload: string) {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: config.stripe.webhookSecret });
  return request(app).post('/payments/webhook').set('content-type', 'application/json').set('stripe-signature', signature).send(payload);
}

/** Where a trainee's browser reached the app, for startCardPayment. */
export const returnInfo = { origin: 'http://127.0.0.1:3000', hostname: '127.0.0.1', lang: 'id' as const };

let keys = 0;

/** An order placed by the buyer and "Lanjut bayar" by card pressed: its pending Payment holds a real open session. */
export async function makeCardPayment(options: { buyer: WorkshopCtx; listing: Ref }) {
  const { checkoutId, orderId } = await makeOrder(options);
  const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
  const hostedUrl = await startCardPayment(options.buyer, checkoutId, {
    idempotencyKey: `test-key-${(keys += 1)}-${Date.now()}`,
    info: returnInfo,
  });
  const payment = await prisma.payment.findFirstOrThrow({ where: { checkoutId, method: 'card', status: 'pending' } });
  const metadata = {
    checkoutId: String(checkoutId),
    workshopId: String(options.buyer.workshopId),
    paymentId: String(payment.id),
    orderIds: String(orderId),
  };
  return { checkoutId, orderId, order, payment, sessionId: payment.providerRef!, hostedUrl, metadata };
}

/** The body of the event the sandbox sent about this object (a session, a PaymentIntent), as it sent it. */
export async function sentEvent(receiver: WebhookReceiver, type: string, objectId: string): Promise<string> {
  const hit = await receiver.waitFor((e) => e.type === type && (e.data.object as { id: string }).id === objectId);
  return hit.body;
}
