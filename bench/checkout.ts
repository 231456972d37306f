// 100 buyers paying at once through the payment sandbox, over HTTP like phones would:
// add to cart → review → place the order → pay page → card → hosted page with 4242 → return page,
// then the signed webhooks. Prints orders per second and latency percentiles, then checks that
// every order was paid exactly once (one succeeded Payment per checkout, one charge each in the
// sandbox, no refund). Loopback only; its own ports and databases under .tmp/bench-checkout.
//
//   npm run bench:checkout            (BUYERS=100 PORT=3356 by default; the sandbox on PORT+1)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
// @ts-expect-error plain JavaScript module without types
import { build, startArgs } from '../scripts/build.mjs';
import { percentile } from './lib.js';

const BUYERS = Number(process.env.BUYERS ?? 100);
const PORT = Number(process.env.PORT ?? 3356);
const SANDBOX_PORT = PORT + 1;
const runDir = path.resolve('.tmp/bench-checkout');
const appDb = path.join(runDir, 'app.db');
const sandboxDb = path.join(runDir, 'payments.db');
const base = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'bench-password-123';

fs.rmSync(runDir, { recursive: true, force: true });
fs.mkdirSync(runDir, { recursive: true });
const env = {
  ...process.env,
  NODE_ENV: 'production',
  SESSION_SECRET: 'bench-session-secret-0123456789',
  SECRETS_FILE: path.join(runDir, 'secrets.json'),
  PORT: String(PORT),
  HOST: '127.0.0.1',
  DATABASE_URL: `file:${appDb}`,
  UPLOAD_DIR: path.join(runDir, 'uploads'),
  SNAPSHOT_DIR: path.join(runDir, 'snapshots'),
  PAYMENT_SANDBOX_PORT: String(SANDBOX_PORT),
  PAYMENT_SANDBOX_DB: sandboxDb,
  DEMO_DATA: 'false',
  LOG_LEVEL: 'warn',
  LOGIN_RATE_LIMIT: '100000',
  JOIN_RATE_LIMIT: '100000',
};
execFileSync('node_modules/.bin/prisma', ['migrate', 'deploy'], { env, stdio: 'ignore' });
Object.assign(process.env, env);

// The database is seeded from this process (same file, before the app starts).
const { prisma } = await import('../src/db.js');
const { hashPassword } = await import('../src/features/auth/auth.service.js');

async function seed() {
  const hash = await hashPassword(PASSWORD); // one hash for everyone: the bench measures paying, not argon2
  const organizer = await prisma.user.create({
    data: { username: 'bench.organizer', displayName: 'Organizer', passwordHash: hash, role: 'organizer' },
  });
  const workshop = await prisma.workshop.create({
    data: {
      name: 'Bench workshop',
      city: 'Denpasar',
      venue: 'Loopback',
      startDate: new Date('2026-12-01'),
      endDate: new Date('2026-12-02'),
      joinCode: 'BENCH1',
      createdById: organizer.id,
    },
  });
  const seller = await prisma.user.create({
    data: { username: 'bench.seller', displayName: 'Seller', passwordHash: hash, role: 'trainee' },
  });
  await prisma.membership.create({ data: { workshopId: workshop.id, userId: seller.id, role: 'trainee' } });
  const shop = await prisma.shop.create({
    data: { workshopId: workshop.id, ownerId: seller.id, name: 'Toko Bench', city: 'Denpasar', description: 'Bench' },
  });
  const listing = await prisma.listing.create({
    data: {
      workshopId: workshop.id,
      shopId: shop.id,
      title: 'Kopi Kintamani 250 g',
      searchText: 'kopi kintamani',
      description: 'Kopi arabika',
      price: 85_000,
      stock: BUYERS * 2,
      weightGrams: 300,
      condition: 'new',
      category: 'makanan-camilan',
    },
  });
  const buyers: string[] = [];
  for (let i = 0; i < BUYERS; i++) {
    const username = `bench.buyer${i}`;
    const user = await prisma.user.create({ data: { username, displayName: `Buyer ${i}`, passwordHash: hash, role: 'trainee' } });
    await prisma.membership.create({ data: { workshopId: workshop.id, userId: user.id, role: 'trainee' } });
    await prisma.address.create({
      data: {
        userId: user.id,
        name: `Buyer ${i}`,
        phone: '081234567890',
        line: 'Jl. Gatot Subroto No. 12',
        city: 'Denpasar',
        postalCode: '80116',
      },
    });
    buyers.push(username);
  }
  return { workshopId: workshop.id, shopId: shop.id, listingId: listing.id, buyers };
}

function startApp(): Promise<ChildProcess> {
  const child = spawn(process.execPath, startArgs, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 90_000;
    const poll = async () => {
      try {
        const [a, b] = await Promise.all([fetch(`${base}/healthz`), fetch(`http://127.0.0.1:${SANDBOX_PORT}/c/pay/cs_none`)]);
        if (a.ok && b.status === 404) return resolve(child);
      } catch {
        // not yet
      }
      if (Date.now() > deadline) return reject(new Error('app did not start'));
      setTimeout(() => void poll(), 300);
    };
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
    void poll();
  });
}

/** A phone's browser: keeps cookies per origin, follows nothing by itself. */
class Browser {
  private cookies = new Map<string, Map<string, string>>();
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const u = new URL(url);
    const jar = this.cookies.get(u.host) ?? new Map<string, string>();
    this.cookies.set(u.host, jar);
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const html = await res.text();
    return { status: res.status, location: res.headers.get('location'), html };
  }
}

const field = (html: string, name: string) => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} on the page`);
  return m[1]!;
};

function expectStatus(step: string, got: { status: number; location: string | null }, want: number): void {
  if (got.status !== want) throw new Error(`${step}: expected ${want}, got ${got.status} ${got.location ?? ''}`);
}

async function signIn(username: string): Promise<{ b: Browser; csrf: string }> {
  const b = new Browser();
  const page = await b.request(`${base}/login`);
  const res = await b.request(`${base}/login`, { form: { _csrf: field(page.html, '_csrf'), username, password: PASSWORD } });
  expectStatus('login', res, 303);
  const home = await b.request(`${base}/workshops`);
  return { b, csrf: field(home.html, '_csrf') };
}

/** One buyer's whole purchase; returns the latency of each part in ms. */
async function buyAndPay(b: Browser, csrf: string, w: { workshopId: number; shopId: number; listingId: number }) {
  const ws = `${base}/workshops/${w.workshopId}`;
  const t0 = performance.now();
  expectStatus(
    'add to cart',
    await b.request(`${ws}/cart/items`, { form: { _csrf: csrf, listingId: String(w.listingId), quantity: '1' } }),
    303,
  );
  const review = await b.request(`${ws}/checkout/review?courier_${w.shopId}=jne-reg`);
  expectStatus('review', review, 200);
  const placed = await b.request(`${ws}/checkout/place`, {
    form: {
      _csrf: csrf,
      idempotencyKey: field(review.html, 'idempotencyKey'),
      expectedTotal: field(review.html, 'expectedTotal'),
      [`courier_${w.shopId}`]: 'jne-reg',
    },
  });
  expectStatus('place', placed, 303);
  const t1 = performance.now();
  const payUrl = `${base}${placed.location}/pay`;
  const payPage = await b.request(payUrl);
  const chosen = await b.request(payUrl, { form: { _csrf: csrf, idempotencyKey: field(payPage.html, 'idempotencyKey'), method: 'card' } });
  expectStatus('create session', chosen, 303);
  const t2 = performance.now();
  const hosted = await b.request(chosen.location!);
  const paid = await b.request(chosen.location!, {
    form: { _csrf: field(hosted.html, '_csrf'), cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123', name: 'Bench Buyer' },
  });
  expectStatus('pay 4242', paid, 303);
  const back = await b.request(paid.location!);
  expectStatus('return page', back, 200);
  if (!back.html.includes('data-outcome="paid"')) throw new Error('return page did not say paid');
  const t3 = performance.now();
  return { place: t1 - t0, session: t2 - t1, pay: t3 - t2, total: t3 - t0 };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

let app: ChildProcess | null = null;
let failed = false;
try {
  const w = await seed();
  await build();
  app = await startApp();
  console.log(`app on :${PORT}, payment sandbox on :${SANDBOX_PORT}; ${BUYERS} buyers signing in…`);
  const sessions = [];
  for (let i = 0; i < BUYERS; i += 10) sessions.push(...(await Promise.all(w.buyers.slice(i, i + 10).map(signIn))));

  console.log(`${BUYERS} buyers paying at once…`);
  const started = performance.now();
  const results = await Promise.allSettled(sessions.map((s) => buyAndPay(s.b, s.csrf, w)));
  const elapsed = (performance.now() - started) / 1000;
  const ok = results
    .filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof buyAndPay>>> => r.status === 'fulfilled')
    .map((r) => r.value);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const e of errors.slice(0, 5)) console.error('  failed:', (e.reason as Error).message);

  // The webhooks arrive on their own; wait for all of them.
  const deadline = Date.now() + 120_000;
  let completed = 0;
  while (Date.now() < deadline) {
    completed = await prisma.webhookEvent.count({ where: { type: 'checkout.session.completed' } });
    if (completed >= ok.length) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const webhooksDone = (performance.now() - started) / 1000;

  console.log('');
  console.log(`paid orders:        ${ok.length}/${BUYERS} in ${elapsed.toFixed(2)} s → ${(ok.length / elapsed).toFixed(1)} orders/s`);
  for (const key of ['place', 'session', 'pay', 'total'] as const) {
    const v = ok.map((r) => r[key]);
    if (v.length)
      console.log(`${key.padEnd(8)} latency:   p50 ${fmt(percentile(v, 50))}  p95 ${fmt(percentile(v, 95))}  max ${fmt(Math.max(...v))}`);
  }
  console.log(`webhooks:           ${completed} checkout.session.completed applied, all in by ${webhooksDone.toFixed(2)} s`);

  // Exactly once: in the app and in the sandbox.
  const checkouts = await prisma.checkout.findMany({
    select: {
      id: true,
      total: true,
      orders: { select: { status: true } },
      payments: { select: { status: true, method: true, amount: true, paymentIntentId: true } },
    },
  });
  const problems: string[] = [];
  for (const c of checkouts) {
    const succeeded = c.payments.filter((p) => p.status === 'succeeded');
    if (succeeded.length !== 1) problems.push(`checkout ${c.id}: ${succeeded.length} succeeded payments`);
    if (c.payments.length !== 1) problems.push(`checkout ${c.id}: ${c.payments.length} payments`);
    if (!c.orders.every((o) => o.status === 'diproses'))
      problems.push(`checkout ${c.id}: orders ${c.orders.map((o) => o.status).join(',')}`);
    if (succeeded[0] && succeeded[0].amount !== c.total) problems.push(`checkout ${c.id}: paid ${succeeded[0].amount} for ${c.total}`);
  }
  if (checkouts.length !== ok.length) problems.push(`${checkouts.length} checkouts for ${ok.length} paid buyers`);
  const pays = await prisma.orderEvent.groupBy({ by: ['orderId'], where: { action: 'pay' }, _count: { _all: true } });
  if (pays.some((p) => p._count._all !== 1)) problems.push('an order was marked paid more than once');
  if ((await prisma.refund.count()) !== 0) problems.push('refunds were made');

  const sandbox = new Database(sandboxDb, { readonly: true });
  const charges = sandbox
    .prepare(
      `SELECT json_extract(data, '$.payment_intent') AS pi, json_extract(data, '$.status') AS status FROM objects WHERE type = 'charge'`,
    )
    .all() as { pi: string; status: string }[];
  const sessionsCount = (sandbox.prepare(`SELECT count(*) AS n FROM objects WHERE type = 'checkout.session'`).get() as { n: number }).n;
  sandbox.close();
  const chargesByPi = new Map<string, number>();
  for (const ch of charges.filter((c) => c.status === 'succeeded')) chargesByPi.set(ch.pi, (chargesByPi.get(ch.pi) ?? 0) + 1);
  const paidPis = checkouts.flatMap((c) => c.payments.map((p) => p.paymentIntentId)).filter(Boolean);
  if (chargesByPi.size !== paidPis.length || [...chargesByPi.values()].some((n) => n !== 1))
    problems.push(`sandbox: ${charges.length} charges for ${paidPis.length} payments`);
  if (sessionsCount !== ok.length) problems.push(`sandbox: ${sessionsCount} checkout sessions for ${ok.length} checkouts`);

  console.log(
    `sandbox:            ${sessionsCount} checkout sessions, ${charges.length} charges (${[...chargesByPi.values()].filter((n) => n === 1).length} payment intents charged exactly once)`,
  );
  if (problems.length || errors.length) {
    failed = true;
    console.log(`NOT OK: ${errors.length} buyers failed; ${problems.length} problems`);
    for (const p of problems.slice(0, 10)) console.log(`  ${p}`);
  } else {
    console.log('OK: every order was paid exactly once.');
  }
} finally {
  if (app) {
    app.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
  }
  await prisma.$disconnect();
}
process.exit(failed ? 1 : 0);
