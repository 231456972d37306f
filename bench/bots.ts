// Do the market's bots and training clocks slow the catalogue down? (issue 12: within 10% of the
// catalogue's throughput without them, same run.) The app runs as `npm start` runs it, with the
// payment sandbox. The measured catalogue is the demo workshop's, made a busy workshop: TRAINEES
// (40) trainees, each with a shop and a listing (so four demo buyers each plan their orders, which
// change the stock of the listings on that very catalogue) and an order paid to a demo shop (its least quantity: so
// the demo shop will accept and ship). WORKSHOPS - 1 (9) more workshops of OTHER_TRAINEES (8)
// trainees each run their bots in the same process. Every workshop is at the "kilat" pace, the
// fastest: by the first turn every planned task is due, a backlog that keeps the bots busy.
// autocannon loads the catalogue (as bench/catalogue.ts) in turns: "quiet" turns with every
// workshop's bots paused, "busy" turns with them running while the tutors move their training
// clocks forward (+1 jam, a move every CLOCK_MOVE_MS, 5 s: each tutor about once a minute, far
// more than in a real room). The background jobs keep their own timers in both. Prints req/s,
// latency, CPU per request and the app's peak RSS of each kind of turn, and the ratio.
//   npm run bench:bots     (DURATION=24 seconds per kind of turn in ROUNDS=4 turns, CONNECTIONS=50, PORT=3321)
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DEMO_PASSWORD, demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import {
  appSettings,
  boundRun,
  csrfIn,
  loadAverage,
  mb,
  type Phase,
  phaseRow,
  prepareRun,
  quietAndBusyTurns,
  root,
  rssOf,
  signIn as signInAt,
  startApp,
} from './lib.js';

const DURATION = Number(process.env.DURATION ?? 24);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const WORKSHOPS = Number(process.env.WORKSHOPS ?? 10);
const TRAINEES = Number(process.env.TRAINEES ?? 40);
const OTHER_TRAINEES = Number(process.env.OTHER_TRAINEES ?? 8);
const CLOCK_MOVE_MS = Number(process.env.CLOCK_MOVE_MS ?? 5000);
const APP_PORT = Number(process.env.PORT ?? 3321);
const runDir = path.join(root, '.tmp', `bench-bots-${APP_PORT}`);
const base = `http://127.0.0.1:${APP_PORT}`;

const children: ChildProcess[] = [];
boundRun(children, DURATION * 2 + 600);
const env = appSettings(runDir, APP_PORT, { PAYMENT_SANDBOX: 'true' });

prepareRun(runDir, env);
const { prisma } = await import('../src/db.js');
const { wireSubscribers } = await import('../src/subscribers.js');
const { loadDemoData } = await import('../src/features/sandbox/demo.service.js');
const { loadDemoShops } = await import('../src/features/sandbox/demo-shops.js');
const { hashPassword, insertUser } = await import('../src/features/auth/auth.service.js');
const { createWorkshop, enterWorkshop } = await import('../src/features/workshops/workshops.service.js');
const { listingSearchText } = await import('../src/features/listings/listings.service.js');
const { placeOrders } = await import('../src/features/checkout/checkout.service.js');
const { markOrdersPaid } = await import('../src/features/orders/orders.service.js');
const { planDemoPurchases } = await import('../src/features/market/buyer-bots.js');
const { pacePresets } = await import('../src/features/market/market.service.js');
wireSubscribers(); // paying an order to a demo shop schedules its "accept" (orderPaid)

const setupStarted = Date.now();
// One hash for every bench account (argon2id takes a tenth of a second each).
const passwordHash = await hashPassword(DEMO_PASSWORD);
const demoWorkshopId = await loadDemoData();
const organizer = await prisma.user.findUniqueOrThrow({ where: { username: demoAccounts.organizer.username } });
/** The workshops whose bots run in busy turns, the demo workshop (the catalogue measured) first. */
const workshopIds: number[] = [demoWorkshopId];
const tutors: string[] = [demoAccounts.tutor.username];
for (let w = 1; w < WORKSHOPS; w++) {
  const workshopId = await createWorkshop(
    { id: organizer.id, username: organizer.username, displayName: organizer.displayName, role: 'organizer' },
    {
      name: `Pelatihan Bench ${w + 1}`,
      city: 'Denpasar',
      venue: 'Balai',
      startDate: '2026-12-01',
      endDate: '2026-12-02',
      sessions: ['Hari 1'],
    },
  );
  workshopIds.push(workshopId);
  await loadDemoShops(workshopId);
  const tutor = await insertUser(prisma, { username: `bench.tutor${w + 1}`, displayName: `Tutor ${w + 1}`, passwordHash, role: 'tutor' });
  await prisma.membership.create({ data: { workshopId, userId: tutor.id, role: 'tutor' } });
  tutors.push(tutor.username);
}
// Paused until the turns begin; at the "kilat" pace every task planned below is due by then.
await prisma.workshop.updateMany({
  where: { id: { in: workshopIds } },
  data: { botsPaused: true, botDelayMinSeconds: pacePresets.kilat.min, botDelayMaxSeconds: pacePresets.kilat.max },
});

/** A trainee with a shop and a listing (the demo buyers plan their orders) who paid an order to a demo shop. */
async function traineeShop(workshopId: number, name: string): Promise<void> {
  const trainee = await insertUser(prisma, { username: `bench.${name}`, displayName: `Peserta ${name}`, passwordHash, role: 'trainee' });
  await prisma.membership.create({ data: { workshopId, userId: trainee.id, role: 'trainee' } });
  const shop = await prisma.shop.create({
    data: { workshopId, ownerId: trainee.id, name: `Toko Peserta ${name}`, city: 'Denpasar', description: '' },
  });
  const title = `Produk Peserta ${name}`;
  const listing = await prisma.listing.create({
    data: {
      workshopId,
      shopId: shop.id,
      title,
      description: 'Produk latihan',
      searchText: listingSearchText(title, 'Produk latihan'),
      price: 50_000,
      stock: 1000,
      weightGrams: 300,
      condition: 'new',
      category: 'lainnya',
    },
  });
  await planDemoPurchases({ workshopId, shopId: shop.id, listingId: listing.id });
  await prisma.address.create({
    data: {
      userId: trainee.id,
      name: trainee.displayName,
      phone: '081200000000',
      line: 'Jl. Bench 1',
      city: 'Denpasar',
      postalCode: '80111',
    },
  });
  // The demo listing with the most stock left: forty trainees buying one would sell it out.
  const demoListing = await prisma.listing.findFirstOrThrow({
    where: { workshopId, shop: { isDemo: true } },
    orderBy: [{ stock: 'desc' }, { id: 'asc' }],
  });
  const { checkoutId } = await placeOrders(await enterWorkshop(trainee.id, workshopId), {
    idempotencyKey: randomUUID(),
    choices: { [demoListing.shopId]: 'jne-reg' },
    buyNow: { listingId: demoListing.id, quantity: demoListing.minOrder },
  });
  await prisma.$transaction((tx) => markOrdersPaid(tx, checkoutId, new Date()));
}
for (const [w, workshopId] of workshopIds.entries())
  for (let t = 0; t < (w === 0 ? TRAINEES : OTHER_TRAINEES); t++) await traineeShop(workshopId, `w${w + 1}.t${t + 1}`);
const tasksAtStart = await prisma.botTask.count({ where: { status: 'pending' } });
console.log(
  `setup: the demo workshop with ${TRAINEES} trainees' shops and ${WORKSHOPS - 1} more with ${OTHER_TRAINEES}; ${tasksAtStart} bot tasks waiting; ${Math.round((Date.now() - setupStarted) / 1000)} s`,
);

// ---------------------------------------------------------------- servers
const app = await startApp(env, children, base, runDir);

const signIn = (username: string) => signInAt(base, username);
const cookie = await signIn(demoAccounts.siti.username);
const catalogueUrl = `${base}/workshops/${demoWorkshopId}/catalog?sort=price-asc`;
const sample = await fetch(catalogueUrl, { headers: { cookie } });
const cards = ((await sample.text()).match(/data-testid="product-card"/g) ?? []).length;
if (sample.status !== 200 || cards < 12) throw new Error(`catalogue page: status ${sample.status}, ${cards} cards`);

/** A tutor's "+1 jam" on the Pasar page, as the browser posts it. */
const tutorSessions: { session: string; csrf: string; workshopId: number }[] = [];
for (const [i, username] of tutors.entries()) {
  const session = await signIn(username);
  const page = await fetch(`${base}/workshops/${workshopIds[i]}/market`, { headers: { cookie: session } });
  const csrf = csrfIn(await page.text())!;
  tutorSessions.push({ session, csrf, workshopId: workshopIds[i]! });
}
let clockMoves = 0;
async function moveOneClock(): Promise<void> {
  const tutor = tutorSessions[clockMoves % tutorSessions.length]!;
  clockMoves += 1;
  const res = await fetch(`${base}/workshops/${tutor.workshopId}/market/clock`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: tutor.session },
    body: new URLSearchParams({ _csrf: tutor.csrf, step: 'hour' }),
  });
  if (res.status !== 303) throw new Error(`clock move answered ${res.status}`);
}

// ---------------------------------------------------------------- load
const finishedTasks = () => prisma.botTask.count({ where: { status: { in: ['done', 'skipped', 'failed'] } } });
let botTasksInBusyTurns = 0;

const loadBefore = loadAverage();
const { quiet, busy } = await quietAndBusyTurns({
  url: catalogueUrl,
  headers: { cookie },
  connections: CONNECTIONS,
  pid: app.pid!,
  duration: DURATION,
  rounds: ROUNDS,
  turn: async (phase, load) => {
    await prisma.workshop.updateMany({ where: { id: { in: workshopIds } }, data: { botsPaused: phase.name === 'quiet' } });
    const tasksBefore = await finishedTasks();
    let mover: NodeJS.Timeout | undefined;
    if (phase.name === 'busy') mover = setInterval(() => void moveOneClock().catch((e: unknown) => console.error(e)), CLOCK_MOVE_MS);
    await load.warm(); // also the bots' first job run
    await load.measure();
    if (mover) clearInterval(mover);
    if (phase.name === 'busy') botTasksInBusyTurns += (await finishedTasks()) - tasksBefore;
  },
});
await prisma.workshop.updateMany({ where: { id: { in: workshopIds } }, data: { botsPaused: true } });
const byStatus = await prisma.botTask.groupBy({ by: ['status'], _count: { _all: true } });
const ordersByBots = await prisma.order.count({ where: { buyer: { username: { startsWith: 'pembeli.' } } } });
const rssAtEnd = rssOf(app.pid!);
app.kill('SIGTERM');

const rps = (p: Phase) => p.requests / p.seconds;
const rows = [phaseRow('bots paused', quiet), phaseRow('bots + clocks', busy)];
console.log(
  `\nBots benchmark: catalogue of the demo workshop, ${CONNECTIONS} connections, ${DURATION} s per kind in ${ROUNDS} turns each, NODE_ENV=production`,
);
console.log(
  `the demo workshop with ${TRAINEES} trainees' shops, ${WORKSHOPS - 1} more with ${OTHER_TRAINEES}; bots at the "kilat" pace; a tutor's clock move (+1 jam) every ${CLOCK_MOVE_MS / 1000} s in busy turns\n`,
);
for (const row of [['', 'req/s', 'p50', 'p99', 'CPU/req', 'errors', 'peak RSS'], ...rows])
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(16) : cell.padStart(9))).join(''));
console.log(
  `\nduring the busy turns: ${botTasksInBusyTurns} bot tasks finished (${(botTasksInBusyTurns / busy.seconds).toFixed(1)}/s), ${clockMoves} clock moves`,
);
console.log(`the app's RSS at the end: ${mb(rssAtEnd)}`);
console.log(
  `bot tasks now: ${byStatus.map((s) => `${s.status} ${s._count._all}`).join(', ')}; orders placed by demo buyers: ${ordersByBots}`,
);
console.log(`load average before the run: ${loadBefore}; the machine is shared, figures move with it`);
const ratio = rps(busy) / rps(quiet);
console.log(`throughput with bots and clocks: ${(ratio * 100).toFixed(0)}% of the run without them (target >= 90%)`);
console.log(ratio >= 0.9 && quiet.errors + busy.errors === 0 ? 'target met' : 'TARGET NOT MET');
await prisma.$disconnect();
process.exit(0);
