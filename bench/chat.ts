// Does chat slow the catalogue down? (issue 13: with 40 trainees chatting, the catalogue keeps its
// throughput within 10% of the run without chat, same run.) The app is built and run as `npm start`
// runs it (scripts/build.mjs). The demo workshop gets TRAINEES (40) signed-in trainees, each with
// a shop; half chat with a demo shop (whose bot answers with its scripted replies, at the "kilat"
// pace so the answers come within the run), half with the next trainee's shop (so every one of
// them is also a seller with unread messages). autocannon loads the catalogue (as
// bench/catalogue.ts) in turns: "quiet" turns with nobody chatting, "busy" turns with all of them
// chatting as a phone does it:
//   - the thread page is open, and public/js/chat.js (the chat's live updates: polling, no SSE)
//     asks messages.json for new messages every POLL_MS (4 s, the script's own interval);
//   - she sends a message every SEND_MS (20 s: typing a line on a phone keyboard and reading the
//     answer takes about that; a real room chats far less), with the page's own multipart form
//     (CSRF token in its action), and the page reloads at the newest message (POST 303 + GET);
//   - she opens her chat list (the inbox) every INBOX_MS (60 s). The unread badge needs no
//     request of its own: every page she opens shows it (the workshop gate reads it).
// So each chatter makes 1/4 + 2/20 + 1/60 ≈ 0.37 requests/s: about 15 req/s for forty, every
// one signed in, through the session store, the CSRF check and the workshop gate.
// Prints the catalogue's req/s, latency, CPU per request and the app's peak RSS in each kind of
// turn, the chat's own requests (and their CPU, estimated), and the same-run ratio.
//   npm run bench:chat    (DURATION=24 seconds per kind of turn in ROUNDS=4 turns, CONNECTIONS=50, PORT=3331,
//                          TRAINEES=40, POLL_MS=4000, SEND_MS=20000, INBOX_MS=60000)
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEMO_PASSWORD, demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import {
  appSettings,
  boundRun,
  csrfIn,
  loadAverage,
  mb,
  percentile,
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
const TRAINEES = Number(process.env.TRAINEES ?? 40);
const POLL_MS = Number(process.env.POLL_MS ?? 4000);
const SEND_MS = Number(process.env.SEND_MS ?? 20_000);
const INBOX_MS = Number(process.env.INBOX_MS ?? 60_000);
const APP_PORT = Number(process.env.PORT ?? 3331);
const runDir = path.join(root, '.tmp', `bench-chat-${APP_PORT}`);
const base = `http://127.0.0.1:${APP_PORT}`;

const children: ChildProcess[] = [];
boundRun(children, DURATION * 2 + 600);
const env = appSettings(runDir, APP_PORT);

// ---------------------------------------------------------------- data
prepareRun(runDir, env);
const { prisma } = await import('../src/db.js');
const { loadDemoData } = await import('../src/features/sandbox/demo.service.js');
const { hashPassword, insertUser } = await import('../src/features/auth/auth.service.js');
const { pacePresets } = await import('../src/features/market/market.service.js');

const workshopId = await loadDemoData();
await prisma.workshop.update({
  where: { id: workshopId },
  data: { botsPaused: false, botDelayMinSeconds: pacePresets.kilat.min, botDelayMaxSeconds: pacePresets.kilat.max },
});
// One hash for every bench account (argon2id takes a tenth of a second each).
const passwordHash = await hashPassword(DEMO_PASSWORD);
const demoShopIds = (await prisma.shop.findMany({ where: { workshopId, isDemo: true }, orderBy: { id: 'asc' }, select: { id: true } })).map(
  (s) => s.id,
);
const trainees: { username: string; shopId: number }[] = [];
for (let t = 0; t < TRAINEES; t++) {
  const user = await insertUser(prisma, { username: `bench.chat${t + 1}`, displayName: `Peserta ${t + 1}`, passwordHash, role: 'trainee' });
  await prisma.membership.create({ data: { workshopId, userId: user.id, role: 'trainee' } });
  const shop = await prisma.shop.create({
    data: { workshopId, ownerId: user.id, name: `Toko Chat ${t + 1}`, city: 'Denpasar', description: '' },
  });
  trainees.push({ username: user.username, shopId: shop.id });
}
await prisma.$disconnect();

// ---------------------------------------------------------------- server
const app = await startApp(env, children, base, runDir);

const signIn = (username: string) => signInAt(base, username);
const cookie = await signIn(demoAccounts.siti.username);
const catalogueUrl = `${base}/workshops/${workshopId}/catalog?sort=price-asc`;
const sample = await fetch(catalogueUrl, { headers: { cookie } });
const cards = ((await sample.text()).match(/data-testid="product-card"/g) ?? []).length;
if (sample.status !== 200 || cards < 12) throw new Error(`catalogue page: status ${sample.status}, ${cards} cards`);

// ---------------------------------------------------------------- the chatters
type Chatter = { name: string; cookie: string; threadUrl: string; sendAction: string; after: number; sent: number };
type ChatStats = { requests: number; errors: number; latencies: number[] };
const chatStats: ChatStats = { requests: 0, errors: 0, latencies: [] };

/** What the thread page tells the browser: the newest message shown and the form's action (with its CSRF token). */
function readThreadPage(chatter: Chatter, html: string): void {
  chatter.after = Number(/data-after="(\d+)"/.exec(html)?.[1] ?? chatter.after);
  const action = /action="([^"]+\/messages\?_csrf=[^"]+)"/.exec(html)?.[1];
  if (action) chatter.sendAction = action.replace(/&amp;/g, '&');
}

/** "Chat penjual" on the shop's page, as she presses it; then the thread page. */
async function openChat(username: string, shopId: number): Promise<Chatter> {
  const session = await signIn(username);
  const shopPage = await fetch(`${base}/workshops/${workshopId}/shops/${shopId}`, { headers: { cookie: session } });
  const opened = await fetch(`${base}/workshops/${workshopId}/chat/shops/${shopId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session },
    body: new URLSearchParams({ _csrf: csrfIn(await shopPage.text())! }),
  });
  if (opened.status !== 303) throw new Error(`"Chat penjual" of ${username} answered ${opened.status}`);
  const chatter: Chatter = {
    name: username,
    cookie: session,
    threadUrl: base + opened.headers.get('location')!,
    sendAction: '',
    after: 0,
    sent: 0,
  };
  readThreadPage(chatter, await (await fetch(chatter.threadUrl, { headers: { cookie: session } })).text());
  if (!chatter.sendAction) throw new Error(`no message form on ${chatter.threadUrl}`);
  return chatter;
}

const chatters: Chatter[] = [];
for (const [t, trainee] of trainees.entries()) {
  // Even ones write to a demo shop (its bot answers), odd ones to the next trainee's shop.
  const shopId = t % 2 === 0 ? demoShopIds[(t / 2) % demoShopIds.length]! : trainees[(t + 1) % trainees.length]!.shopId;
  chatters.push(await openChat(trainee.username, shopId));
}

/** One request of a chatter, timed and counted; a refused or failed one is an error. */
async function chatRequest(url: string, init: RequestInit, expected: number): Promise<Response | null> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: 'manual' });
    const body = await res.text();
    chatStats.latencies.push(performance.now() - started);
    chatStats.requests += 1;
    if (res.status !== expected) chatStats.errors += 1;
    return new Response(body, { status: res.status, headers: res.headers });
  } catch {
    chatStats.errors += 1;
    return null;
  }
}

const poll = async (c: Chatter) => {
  const res = await chatRequest(
    `${c.threadUrl}/messages.json?after=${c.after}`,
    { headers: { cookie: c.cookie, accept: 'application/json' } },
    200,
  );
  const { messages } = res?.ok ? ((await res.json()) as { messages: { id: number }[] }) : { messages: [] };
  for (const m of messages) c.after = Math.max(c.after, m.id);
};
const send = async (c: Chatter) => {
  c.sent += 1;
  const form = new FormData();
  form.set('body', `Halo Kak, stoknya masih ada? Pesan ke-${c.sent} dari ${c.name}`);
  const posted = await chatRequest(base + c.sendAction, { method: 'POST', headers: { cookie: c.cookie }, body: form }, 303);
  if (posted?.status !== 303) return;
  const page = await chatRequest(c.threadUrl, { headers: { cookie: c.cookie } }, 200);
  if (page?.ok) readThreadPage(c, await page.text());
};
const openInbox = async (c: Chatter) => {
  await chatRequest(`${base}/workshops/${workshopId}/chat`, { headers: { cookie: c.cookie } }, 200);
};

let timers: NodeJS.Timeout[] = [];
/** Every chatter at her phone's pace, each starting at a random moment of her intervals (no thundering herd). */
function startChatting(): void {
  for (const c of chatters) {
    for (const [every, action] of [
      [POLL_MS, poll],
      [SEND_MS, send],
      [INBOX_MS, openInbox],
    ] as const) {
      const first = setTimeout(() => {
        void action(c);
        timers.push(setInterval(() => void action(c), every));
      }, Math.random() * every);
      timers.push(first);
    }
  }
}
function stopChatting(): void {
  timers.forEach((t) => clearTimeout(t));
  timers = [];
}

// ---------------------------------------------------------------- load
const loadBefore = loadAverage();
let chatRequestsInBusyTurns = 0;
const { quiet, busy } = await quietAndBusyTurns({
  url: catalogueUrl,
  headers: { cookie },
  connections: CONNECTIONS,
  pid: app.pid!,
  duration: DURATION,
  rounds: ROUNDS,
  turn: async (phase, load) => {
    if (phase.name === 'busy') startChatting();
    await load.warm(); // also the chatters' first requests
    const chatBefore = chatStats.requests;
    await load.measure();
    if (phase.name === 'busy') chatRequestsInBusyTurns += chatStats.requests - chatBefore;
    stopChatting();
  },
});
await new Promise((r) => setTimeout(r, 500)); // the chatters' last answers
const rssAtEnd = rssOf(app.pid!);
app.kill('SIGTERM');

const { prisma: db } = await import('../src/db.js');
const messages = await db.chatMessage.count({ where: { thread: { workshopId } } });
const botReplies = await db.chatMessage.count({ where: { thread: { workshopId, shop: { isDemo: true } }, fromShop: true } });
await db.$disconnect();

const rps = (p: Phase) => p.requests / p.seconds;
const cpuPerRequest = (p: Phase) => (p.cpu * 1000) / Math.max(1, p.requests);
const rows = [phaseRow('no chat', quiet), phaseRow(`${TRAINEES} chatting`, busy)];
console.log(
  `\nChat benchmark: catalogue of the demo workshop, ${CONNECTIONS} connections, ${DURATION} s per kind in ${ROUNDS} turns each, NODE_ENV=production`,
);
console.log(
  `${TRAINEES} signed-in trainees in busy turns: messages.json every ${POLL_MS / 1000} s, a message every ${SEND_MS / 1000} s (POST + reload), the chat list every ${INBOX_MS / 1000} s\n`,
);
for (const row of [['catalogue', 'req/s', 'p50', 'p99', 'CPU/req', 'errors', 'peak RSS'], ...rows])
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(16) : cell.padStart(9))).join(''));
// The busy turns' CPU beyond what their catalogue requests cost at the quiet turns' rate: the chat's.
const chatCpuMs = Math.max(0, busy.cpu - (cpuPerRequest(quiet) / 1000) * busy.requests) * 1000;
console.log(
  `\nthe chat in busy turns: ${chatRequestsInBusyTurns} requests (${(chatRequestsInBusyTurns / busy.seconds).toFixed(1)}/s), ${chatStats.errors} errors, p50 ${Math.round(percentile(chatStats.latencies, 50))} ms, p99 ${Math.round(percentile(chatStats.latencies, 99))} ms; about ${(chatCpuMs / Math.max(1, chatRequestsInBusyTurns)).toFixed(2)} ms of CPU each (estimated)`,
);
console.log(`messages written: ${messages}, of which the demo shops' bot replies: ${botReplies}`);
console.log(`the app's RSS at the end: ${mb(rssAtEnd)}`);
console.log(`load average before the run: ${loadBefore}; the machine is shared, figures move with it`);
const ratio = rps(busy) / rps(quiet);
console.log(`catalogue throughput with ${TRAINEES} chatting: ${(ratio * 100).toFixed(0)}% of the run without chat (target >= 90%)`);
console.log(ratio >= 0.9 && quiet.errors + busy.errors + chatStats.errors === 0 ? 'target met' : 'TARGET NOT MET');
process.exit(0);
