// Uploads against page rendering (issue 11): the catalogue page under autocannon, alone and while
// four sellers keep sending listing forms of five pictures each, in two kinds:
//   - "bombs": five PNGs of 7745 × 7745 (60 MP, 190 kB each), what took the server 59 s and 793 MB
//     before pictures were capped at 24 MP (they are now refused from their header);
//   - "largest accepted": five PNGs of 5600 × 4200 (23.5 MP), decoded and re-encoded in full.
// Same app build, same database, same run: it prints the catalogue's requests/s, p50 and p99, the
// server's peak RSS and how many upload forms were answered, for each of the three turns.
//   npm run bench:uploads          (DURATION=10 seconds per turn, CONNECTIONS=20, PORT=3321)
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { demoAccounts, demoShopOwners } from '../src/features/sandbox/demo-accounts.js';
import { appSettings, boundRun, cookiesOf, csrfIn, loadAverage, mb, prepareRun, root, rssOf, signIn as signInAt, startApp } from './lib.js';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const PORT = Number(process.env.PORT ?? 3321);
const UPLOADERS = 4;
const FILES_PER_FORM = 5;
const runDir = path.join(root, '.tmp', `bench-uploads-${PORT}`);
const base = `http://127.0.0.1:${PORT}`;

const children: ChildProcess[] = [];
const stopAll = boundRun(children, DURATION * 3 + 300);
const env = appSettings(runDir, PORT, { DEMO_DATA: 'true' });
prepareRun(runDir, env);
const app = await startApp(env, children, base, runDir);

type Browser = { cookie: string; csrf: string };
/** Signs in, then opens her workshops page for a form's token. */
async function signIn(username: string): Promise<Browser> {
  let cookie = await signInAt(base, username);
  const home = await fetch(`${base}/workshops`, { headers: { cookie } });
  cookie = cookiesOf(home, cookie);
  return { cookie, csrf: csrfIn(await home.text())! };
}

const buyer = await signIn(demoAccounts.siti.username);
const workshopId = Number(
  /\/workshops\/(\d+)/.exec(await (await fetch(`${base}/workshops`, { headers: { cookie: buyer.cookie } })).text())![1],
);
const catalogueUrl = `${base}/workshops/${workshopId}/catalog?sort=price-asc`;
const sellers = await Promise.all(
  Object.values(demoShopOwners)
    .slice(0, UPLOADERS)
    .map((owner) => signIn(owner.username)),
);

const flatPng = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 245, g: 240, b: 230 } } })
    .png()
    .toBuffer();
const kinds = { bombs: await flatPng(7745, 7745), 'largest accepted': await flatPng(5600, 4200) };

/** One seller's loop: a new listing with FILES_PER_FORM pictures, again and again until `until`. */
async function uploadLoop(seller: Browser, picture: Buffer, until: number, answered: { statuses: number[]; ms: number[] }) {
  while (Date.now() < until) {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      title: 'Kain tenun motif besar',
      description: 'Foto besar untuk uji beban.',
      price: '150.000',
      stock: '5',
      weightGrams: '300',
      minOrder: '1',
      condition: 'new',
      category: 'kain-tenun',
    }))
      form.append(k, v);
    for (let i = 0; i < FILES_PER_FORM; i++)
      form.append('photos', new Blob([new Uint8Array(picture)], { type: 'image/png' }), `foto-${i}.png`);
    const started = Date.now();
    // A multipart form's token goes in the address: CSRF is checked before the files are read.
    const res = await fetch(`${base}/workshops/${workshopId}/shop/listings/new?_csrf=${encodeURIComponent(seller.csrf)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: seller.cookie },
      body: form,
    });
    await res.arrayBuffer();
    answered.statuses.push(res.status);
    answered.ms.push(Date.now() - started);
  }
}

type Turn = { name: string; rps: number; p50: number; p99: number; peakRss: number; forms: string; formP50: number };

async function turn(name: string, picture: Buffer | null): Promise<Turn> {
  await autocannon({ url: catalogueUrl, connections: CONNECTIONS, duration: 2, headers: { cookie: buyer.cookie } }); // warm-up
  let peakRss = 0;
  const watch = setInterval(() => (peakRss = Math.max(peakRss, rssOf(app.pid!))), 100);
  const until = Date.now() + DURATION * 1000;
  const answered = { statuses: [] as number[], ms: [] as number[] };
  const uploads = picture ? sellers.map((s) => uploadLoop(s, picture, until, answered)) : [];
  const result = await autocannon({ url: catalogueUrl, connections: CONNECTIONS, duration: DURATION, headers: { cookie: buyer.cookie } });
  await Promise.all(uploads);
  clearInterval(watch);
  const byStatus = answered.statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
  const sorted = [...answered.ms].sort((a, b) => a - b);
  if (result.non2xx || result.errors) throw new Error(`catalogue answered ${result.non2xx} non-2xx and ${result.errors} errors`);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    peakRss,
    forms: Object.entries(byStatus)
      .map(([s, n]) => `${n}×${s}`)
      .join(' '),
    formP50: sorted[Math.floor(sorted.length / 2)] ?? 0,
  };
}

const turns = [await turn('catalogue alone', null)];
for (const [name, picture] of Object.entries(kinds)) turns.push(await turn(`+ 4 uploads, ${name}`, picture));
stopAll();

console.log(
  `\nUploads benchmark: catalogue at ${CONNECTIONS} connections for ${DURATION} s per turn, ${UPLOADERS} sellers × ${FILES_PER_FORM} pictures per form`,
);
console.log(`load average: ${loadAverage()} (the machine is shared)\n`);
const header = ['', 'req/s', 'p50', 'p99', 'peak RSS', 'upload forms answered', 'form p50'];
console.log(header.map((h, i) => (i === 0 ? h.padEnd(34) : h.padStart(i === 5 ? 24 : 10))).join(''));
for (const t of turns)
  console.log(
    [
      t.name.padEnd(34),
      t.rps.toFixed(0).padStart(10),
      `${t.p50} ms`.padStart(10),
      `${t.p99} ms`.padStart(10),
      mb(t.peakRss).padStart(10),
      (t.forms || '–').padStart(24),
      (t.formP50 ? `${t.formP50} ms` : '–').padStart(10),
    ].join(''),
  );
const [alone, ...loaded] = turns;
const worstP99 = Math.max(...loaded.map((t) => t.p99));
const worstRss = Math.max(...turns.map((t) => t.peakRss));
// The bounds the README states: uploads may slow the catalogue, never stall it or swell the server.
const ok = worstP99 <= Math.max(3 * alone!.p99, 300) && worstRss <= 320 * 1024 * 1024;
console.log(
  `\nworst p99 with uploads: ${worstP99} ms (bound: 3 × alone = ${3 * alone!.p99} ms, or 300 ms); peak RSS ${mb(worstRss)} (bound 320 MB)`,
);
console.log(ok ? 'BOUNDS MET' : 'BOUNDS NOT MET');
process.exit(0);
