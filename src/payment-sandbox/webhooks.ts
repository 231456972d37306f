// Delivers stored events to the app's webhook URL and to the endpoints registered through the API,
// each signed as Stripe signs them with its endpoint's secret, retrying with backoff while the
// receiver is down. Deliveries and every attempt's answer live in the store: a restart resumes them,
// the dashboard shows them, and each due delivery is claimed by one sandbox process at a time
// (store.ts, claimDueDeliveries), so several processes on one PostgreSQL send each event once.
import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import type { Delivery, Store } from './store.js';

/** How much of the receiver's answer is kept for the dashboard. */
const RESPONSE_EXCERPT_CHARS = 500;

/** `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`. */
export function signatureHeader(payload: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/** Waits after each failed attempt; after the last one the delivery is marked failed. */
export const defaultRetryDelaysMs = [1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];

export interface DispatcherOptions {
  store: Store;
  url: string;
  secret: string;
  now: () => number;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  concurrency?: number;
}

export function createWebhookDispatcher(opts: DispatcherOptions) {
  const retryDelays = opts.retryDelaysMs ?? defaultRetryDelaysMs;
  const concurrency = opts.concurrency ?? 8;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Longer than a delivery can take: a claim runs out only when its process died before answering.
  const claimMs = timeoutMs + 20_000;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  /** Where a delivery goes and the secret that signs it: the app's configured endpoint, or one registered through the API. */
  async function targetOf(endpointId: string | null): Promise<{ url: string; secret: string } | null> {
    if (endpointId === null) return { url: opts.url, secret: opts.secret };
    const endpoint = await opts.store.get<Stripe.WebhookEndpoint>('webhook_endpoint', endpointId);
    const secret = await opts.store.endpointSecret(endpointId);
    return endpoint && secret ? { url: endpoint.url, secret } : null;
  }

  async function deliver({ id, endpointId, attempts: previousAttempts, payload }: Delivery): Promise<void> {
    const target = await targetOf(endpointId);
    if (!target) {
      await opts.store.cancelDeliveriesTo(String(endpointId), 'endpoint deleted');
      return;
    }
    const attempts = previousAttempts + 1;
    let answer: { responseStatus: number | null; responseBody: string | null; error: string | null };
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(payload, target.secret, Math.floor(opts.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const body = await response.text().catch(() => '');
      answer = { responseStatus: response.status, responseBody: body.slice(0, RESPONSE_EXCERPT_CHARS), error: null };
    } catch (e) {
      if (closed) {
        // Stopped half way: another run sends it now rather than when the claim runs out.
        await opts.store.releaseClaim(id);
        return;
      }
      const error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      answer = { responseStatus: null, responseBody: null, error };
    }
    const ok = answer.responseStatus !== null && answer.responseStatus >= 200 && answer.responseStatus < 300;
    const delay = retryDelays[attempts - 1];
    await opts.store.recordAttempt(
      id,
      attempts,
      opts.now(),
      answer,
      ok ? { kind: 'delivered' } : delay === undefined ? { kind: 'failed' } : { kind: 'retry', nextAtMs: opts.now() + delay },
    );
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const due = await opts.store.claimDueDeliveries(opts.now(), concurrency, claimMs);
        if (due.length === 0) break;
        await Promise.all(due.map(deliver));
      }
    } while (again && !closed);
    await scheduleNext();
  }

  async function scheduleNext(): Promise<void> {
    if (closed) return;
    const at = await opts.store.nextDeliveryDueAt();
    if (closed) return;
    if (at === null) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, Math.max(0, at - opts.now()));
    timer.unref();
  }

  /** Starts delivering what is due now (called after every write that emitted events). */
  function kick(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    running = drain()
      .catch((error: unknown) => {
        // The store did not answer (PostgreSQL restarting): the sweep kicks again within 30 s.
        console.error('payment sandbox: webhook delivery paused:', error instanceof Error ? error.message : error);
      })
      .finally(() => {
        running = null;
        if (again) kick();
      });
  }

  return {
    kick,
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      await running;
    },
  };
}
