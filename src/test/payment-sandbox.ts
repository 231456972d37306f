// Test harness for the sandbox's contract tests: a sandbox on an ephemeral port with its own
// temp database, a tiny webhook receiver, and the official `stripe` SDK pointed at it exactly
// as the app will point it. The store follows the suite's pass (vitest.config.ts): a SQLite file,
// or on the postgres pass a fresh PostgreSQL database per sandbox (dropped with the run's).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { inject } from 'vitest';
import { createPaymentSandbox, type PaymentSandbox, type PaymentSandboxOptions } from '../payment-sandbox/app.js';
import { isPostgresUrl } from '../payment-sandbox/open-store.js';
import { csrfFrom, decodeEntities } from './helpers.js';
import { databaseUrl, withServer } from './postgres.js';

export const API_KEY = 'sk_test_contract_tests';
export const WEBHOOK_SECRET = 'whsec_contract_tests';

export interface ReceivedWebhook {
  body: string;
  signature: string;
  event: Stripe.Event;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with; 200 unless a test plays an app that is down. */
  respondWith: number;
  /** Requests answered with something other than 200. */
  rejected: number;
  /** How long it takes to answer, in ms: a slow app keeps deliveries in flight. */
  delayMs: number;
  waitFor(predicate: (e: Stripe.Event) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<() => void> = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    respondWith: 200,
    rejected: 0,
    delayMs: 0,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find((r) => predicate(r.event));
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`webhook not received; got ${received.map((r) => r.event.type).join(', ')}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => setTimeout(answer, receiver.delayMs));
    const answer = () => {
      const status = receiver.respondWith;
      if (status === 200) {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ body, signature: String(req.headers['stripe-signature'] ?? ''), event: JSON.parse(body) as Stripe.Event });
        waiters.splice(0).forEach((w) => w());
      } else {
        receiver.rejected += 1;
      }
      // Answers as the app does, so the dashboard has a body to show.
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(status === 200 ? { received: true } : { error: 'down' }));
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/webhook`;
  return receiver;
}

export interface RunningSandbox {
  sandbox: PaymentSandbox;
  baseUrl: string;
  port: number;
  stripe: Stripe;
  stop(): Promise<void>;
}

export async function startSandbox(
  options: Partial<PaymentSandboxOptions> & { database: string; webhookUrl: string },
): Promise<RunningSandbox> {
  const sandbox = await createPaymentSandbox({
    apiKey: API_KEY,
    webhookSecret: WEBHOOK_SECRET,
    webhookRetryDelaysMs: [50, 100, 200],
    ...options,
  });
  const server = http.createServer(sandbox.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    sandbox,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stripe: stripeFor(port),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
    },
  };
}

/** The setup of most contract tests: a webhook receiver, and a sandbox on a fresh database sending to it. */
export async function startSandboxAndReceiver(): Promise<{ receiver: WebhookReceiver; running: RunningSandbox; database: string }> {
  const receiver = await startWebhookReceiver();
  const database = await tempDatabase();
  const running = await startSandbox({ database, webhookUrl: receiver.url });
  return { receiver, running, database };
}

export async function stopSandboxAndReceiver({ receiver, running }: { receiver: WebhookReceiver; running: RunningSandbox }): Promise<void> {
  await running.stop();
  await receiver.close();
}

export function stripeFor(port: number, key = API_KEY): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
}

/** A new, empty store for one sandbox: a SQLite file, or on the postgres pass a new PostgreSQL database. */
export async function tempDatabase(): Promise<string> {
  const server = inject('postgresUrl');
  if (!server) return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payment-sandbox-')), 'payment-sandbox.db');
  // The run's prefix (src/test/postgres.ts): the run drops it when it ends.
  const name = `${inject('postgresTemplate').replace(/_template$/, '')}_pay_${randomUUID().replaceAll('-', '')}`;
  await withServer(server, async (client) => {
    await client.query(`CREATE DATABASE "${name}"`);
    await client.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  });
  return databaseUrl(server, name);
}

/** Everything a sandbox's store holds on disk, as text: its SQLite file and journal, or every row of its PostgreSQL tables. */
export async function storedText(database: string): Promise<string> {
  if (!isPostgresUrl(database)) {
    return Buffer.concat([database, `${database}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f))).toString('latin1');
  }
  return withServer(database, async (client) => {
    const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    const texts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
      texts.push(...rows.rows.map((r) => r.row));
    }
    return texts.join('\n');
  });
}

export const SHOP = 'http://shop.test:3000';

export function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    line_items: [
      { price_data: { currency: 'idr', unit_amount: 150_000_00, product_data: { name: 'Kopi Kintamani 250 g' } }, quantity: 1 },
      { price_data: { currency: 'idr', unit_amount: 25_000_00, product_data: { name: 'Ongkos kirim' } }, quantity: 2 },
    ],
    success_url: `${SHOP}/orders/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${SHOP}/cart`,
    client_reference_id: 'order-42',
    metadata: { orderId: '42', workshopId: 'w1' },
    ...overrides,
  };
}

export interface PageResponse {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
}

/** A phone's browser, reduced to what the hosted page needs: GET, POST a form, cookies ignored. */
export async function getPage(url: string, headers: Record<string, string> = {}): Promise<PageResponse> {
  const res = await fetch(url, { redirect: 'manual', headers });
  return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
}

export async function postForm(url: string, fields: Record<string, string>): Promise<PageResponse> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
}

/** Read a sandbox page as the app's tests read the app's (one copy, in ./helpers.ts). */
export { csrfFrom, decodeEntities };

/** Opens the hosted page and submits a card, like a trainee would. */
export async function payWithCard(
  sessionUrl: string,
  card: { number: string; expiry?: string; cvc?: string; name?: string },
): Promise<PageResponse> {
  const page = await getPage(sessionUrl);
  return postForm(sessionUrl, {
    _csrf: csrfFrom(page.html),
    cardNumber: card.number,
    expiry: card.expiry ?? '12/34',
    cvc: card.cvc ?? '123',
    name: card.name ?? 'Siti Aminah',
  });
}
