// Delivers stored events to the app's webhook URL, signed as Stripe signs them, retrying with
// backoff while the app is down. Deliveries live in SQLite, so a restart resumes them.
import { createHmac } from 'node:crypto';
import type { Store } from './store.js';

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
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function deliver(eventId: string, previousAttempts: number, payload: string): Promise<void> {
    const attempts = previousAttempts + 1;
    let error: string;
    try {
      const response = await fetch(opts.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(payload, opts.secret, Math.floor(opts.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(opts.timeoutMs ?? 10_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        opts.store.markDelivered(eventId, attempts, opts.now());
        return;
      }
      error = `HTTP ${response.status}`;
    } catch (e) {
      if (closed) return;
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    const delay = retryDelays[attempts - 1];
    if (delay === undefined) opts.store.markFailed(eventId, attempts, error);
    else opts.store.markRetry(eventId, attempts, opts.now() + delay, error);
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const due = opts.store.dueDeliveries(opts.now(), concurrency);
        if (due.length === 0) break;
        await Promise.all(due.map((d) => deliver(d.eventId, d.attempts, d.payload)));
      }
    } while (again && !closed);
    scheduleNext();
  }

  function scheduleNext(): void {
    if (closed) return;
    const at = opts.store.nextDeliveryDueAt();
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
    running = drain().finally(() => {
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
