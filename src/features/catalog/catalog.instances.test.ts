// Two app instances on one database, as behind a load balancer: each caches catalogue pages in its
// own memory under the workshop's catalogVersion, which the database moves; a session made on one
// is good on the other. The instances run the test file's database (SQLite here; PostgreSQL when
// the suite runs on it).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../paths.js';
import { freePort, stopChild, waitForHttp } from '../../test/child-process.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeListing, makeShop, makeWorkshop, TEST_PASSWORD } from '../../test/builders/index.js';

type Instance = { url: string; child: ChildProcess };
const instances: Instance[] = [];

async function startInstance(): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PAYMENT_SANDBOX: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const instance = { url: `http://127.0.0.1:${port}`, child };
  instances.push(instance);
  // tsx compiles the app at start: on a loaded 2-core machine that can take a minute.
  await waitForHttp(`${instance.url}/login`, child, 180_000);
  return instance;
}

/** The cookies a response sets, as a Cookie header, on top of `before`. */
function withCookies(before: string, res: Response): string {
  const jar = new Map(before ? before.split('; ').map((c) => [c.split('=')[0]!, c] as const) : []);
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0]!;
    jar.set(pair.split('=')[0]!, pair);
  }
  return [...jar.values()].join('; ');
}

async function signIn(instance: Instance, username: string): Promise<string> {
  const page = await fetch(`${instance.url}/login`);
  let cookie = withCookies('', page);
  const res = await fetch(`${instance.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfFrom(await page.text()), username, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(303);
  cookie = withCookies(cookie, res);
  return cookie;
}

const get = (instance: Instance, path: string, cookie: string) =>
  fetch(`${instance.url}${path}`, { headers: { cookie }, redirect: 'manual' });

let a: Instance;
let b: Instance;
let base: string;
let buyer: string;
let seller: string;

beforeAll(async () => {
  const w = await makeWorkshop({ trainees: 2 });
  base = `/workshops/${w.workshopId}`;
  const shop = await makeShop({ workshop: w.workshopId, owner: w.trainees[0]!, name: 'Kopi Bu Made', city: 'Bangli' });
  await makeListing({ shop, title: 'Kopi Kintamani Bubuk', price: 85_000 });
  [a, b] = await Promise.all([startInstance(), startInstance()]);
  seller = w.trainees[0]!.username;
  buyer = w.trainees[1]!.username;
}, 240_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => stopChild(i.child)));
});

describe('two app instances on one database', () => {
  it('when a buyer signs in on instance A, then her session opens the catalogue on instance B', async () => {
    const cookie = await signIn(a, buyer);
    const page = await get(b, `${base}/catalog`, cookie);
    expect(page.status).toBe(200);
    expect(text(await page.text())).toContain('Kopi Kintamani Bubuk');
  });

  it('when the seller renames her shop through instance A, then the catalogue cached on instance B shows the new name at once', async () => {
    const buyerCookie = await signIn(b, buyer);
    const before = text(await (await get(b, `${base}/catalog`, buyerCookie)).text());
    expect(before).toContain('Kopi Bu Made');
    // Twice: the second is served from B's cache.
    expect(text(await (await get(b, `${base}/catalog`, buyerCookie)).text())).toContain('Kopi Bu Made');

    const sellerCookie = await signIn(a, seller);
    const edit = await get(a, `${base}/shop/edit`, sellerCookie);
    const form = new FormData();
    form.set('name', 'Kopi Kintamani Bu Made');
    form.set('city', 'Bangli');
    form.set('description', '');
    const saved = await fetch(`${a.url}${base}/shop/edit?_csrf=${encodeURIComponent(csrfFrom(await edit.text()))}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: sellerCookie },
      body: form,
    });
    expect(saved.status).toBe(303);

    const after = text(await (await get(b, `${base}/catalog`, buyerCookie)).text());
    expect(after).toContain('Kopi Kintamani Bu Made');
  });
});
