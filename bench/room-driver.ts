// A training room over HTTP, as phones play it: each trainee is a browser of her own (cookies per
// host, CSRF tokens from the forms, redirects followed, multipart uploads) that fills in the forms
// the pages show, the way a person fills them in: what the page pre-fills stays, she types the
// rest. Used by the room test (scripts/room.test.ts: 40 trainees through nginx, one instance
// killed half way) and by bench/room.ts (the same room as load).
//
// Steps of one trainee: join the workshop with its code, open a shop, list a product with a photo,
// buy from two other trainees' shops in one checkout, pay by card on the sandbox's hosted page
// (4242…, as the browser form sends it) until the app says the order is paid, answer the
// post-training questionnaire.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';

export const STEPS = ['join', 'shop', 'listing', 'buy', 'pay', 'questionnaire'] as const;
export type Step = (typeof STEPS)[number];

/**
 * Every response a phone received, for the test's accounting. `cut`: the headers came but the
 * connection closed before the whole body did (its instance died while sending it).
 */
export type Seen = { method: string; url: string; status: number; upstream: string | null; retried: boolean; cut?: boolean };

export type PhoneOptions = {
  /**
   * Whether a 5xx answer, or a page cut off half way, is one a person would simply reload (once):
   * the room test allows only those whose upstream was the instance it killed. Anything else is a
   * failure.
   */
  reloadable?: (seen: Seen) => boolean;
  onResponse?: (seen: Seen) => void;
};

export type Page = { url: string; status: number; html: string; upstream: string | null };

type Form = { action: string; method: string; multipart: boolean; html: string; fields: [string, string][] };

export class HttpError extends Error {
  constructor(
    readonly seen: Seen,
    what: string,
    options?: ErrorOptions,
  ) {
    super(`${what}: ${seen.method} ${seen.url} answered ${seen.status}${seen.upstream ? ` (upstream ${seen.upstream})` : ''}`, options);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) =>
  text.replace(/&(#x?[0-9a-f]+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)) out[m[1]!.toLowerCase()] = decode(m[2] ?? '');
  return out;
}

/** The forms of a page with the values a browser would send as they stand (checked boxes, selected options). */
export function formsOf(html: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(m[1]!);
    const body = m[2]!;
    const fields: [string, string][] = [];
    const tags = /<input\b([^>]*)>|<select\b([^>]*)>([\s\S]*?)<\/select>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g;
    for (const tag of body.matchAll(tags)) {
      const a = attributes(tag[1] ?? tag[2] ?? tag[4]!);
      if (!a.name || 'disabled' in a) continue;
      if (tag[1] !== undefined) {
        const type = a.type ?? 'text';
        if (type === 'file' || type === 'submit' || type === 'button') continue;
        if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
        fields.push([a.name, a.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
      } else if (tag[2] !== undefined) {
        const options = [...tag[3]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
        const chosen = options.find((o) => 'selected' in o) ?? options[0];
        if (chosen) fields.push([a.name, chosen.value ?? '']);
      } else {
        // A browser drops the one newline right after <textarea>.
        fields.push([a.name, decode(tag[5]!.replace(/^\r?\n/, ''))]);
      }
    }
    forms.push({
      action: attrs.action ?? '',
      method: (attrs.method ?? 'get').toUpperCase(),
      multipart: attrs.enctype === 'multipart/form-data',
      html: body,
      fields,
    });
  }
  return forms;
}

/** The form whose action ends with `action` (its path, without the query). */
export function formOf(page: Page, action: RegExp): Form {
  const form = formsOf(page.html).find((f) => action.test(f.action.split('?')[0]!));
  if (!form) throw new Error(`no form ${action} on ${page.url} (${page.status})`);
  return form;
}

/** A phone's browser: a cookie jar per host, redirects followed as browsers follow them. */
export class Phone {
  private jars = new Map<string, Map<string, string>>();
  /** Instances (nginx's upstream addresses) that answered this phone's signed-in requests. */
  readonly upstreams = new Set<string>();

  constructor(private readonly options: PhoneOptions = {}) {}

  /** The cookies this phone holds for `host` (host:port), as a Cookie header. */
  cookieHeader(host: string): string {
    return [...(this.jars.get(host) ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, its body read whole: a page cut off is seen, like a 5xx, as the reload rule's to judge. */
  private async once(
    method: string,
    url: string,
    body: FormData | URLSearchParams | undefined,
    retried: boolean,
  ): Promise<{ res: Response; text: string }> {
    const u = new URL(url);
    const jar = this.jars.get(u.host) ?? new Map<string, string>();
    this.jars.set(u.host, jar);
    const headers: Record<string, string> = { 'accept-language': 'id-ID,id;q=0.9' };
    if (jar.size) headers.cookie = this.cookieHeader(u.host);
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const seen: Seen = { method, url, status: res.status, upstream: res.headers.get('x-pasarlatih-upstream'), retried };
    this.options.onResponse?.(seen);
    let text = '';
    let cause: unknown;
    try {
      text = await res.text();
    } catch (error) {
      seen.cut = true; // undici: "terminated"
      cause = error;
    }
    if (seen.cut || res.status >= 500) {
      if (!retried && this.options.reloadable?.(seen)) return this.once(method, url, body, true);
      const what = seen.cut ? 'cut off' : 'server error';
      throw new HttpError(seen, retried ? `${what} after a reload` : what, { cause });
    }
    return { res, text };
  }

  /** One request and the redirects after it; the last page. */
  async request(url: string, init: { method?: string; body?: FormData | URLSearchParams } = {}): Promise<Page> {
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hops = 0; hops < 10; hops++) {
      const { res, text: html } = await this.once(method, url, body, false);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url).href;
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const upstream = res.headers.get('x-pasarlatih-upstream');
      if (upstream && /action="\/logout"/.test(html)) for (const u of upstream.split(', ')) this.upstreams.add(u);
      return { url, status: res.status, html, upstream };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  /**
   * Submits `form` with what it holds, `typed` on top (a name given replaces its value, null unticks
   * it); files as a person picks them.
   */
  submit(
    page: Page,
    form: Form,
    typed: Record<string, string | null> = {},
    files: Record<string, { name: string; type: string; data: Uint8Array<ArrayBuffer> }> = {},
  ): Promise<Page> {
    const fields = form.fields.filter(([name]) => !(name in typed));
    for (const [name, value] of Object.entries(typed)) if (value !== null) fields.push([name, value]);
    let body: FormData | URLSearchParams;
    if (form.multipart) {
      const data = new FormData();
      for (const [name, value] of fields) data.append(name, value);
      for (const [name, file] of Object.entries(files)) data.append(name, new Blob([file.data], { type: file.type }), file.name);
      body = data;
    } else {
      body = new URLSearchParams(fields);
    }
    return this.request(new URL(form.action || page.url, page.url).href, { method: form.method, body });
  }
}

/** What a person would read on a refused form: the fields marked invalid. */
const invalidFields = (page: Page) =>
  [...page.html.matchAll(/<(?:input|select|textarea)\b[^>]*?name="([^"]+)"[^>]*aria-invalid="true"/g)].map((m) => m[1]).join(', ');

function expectPage(page: Page, what: string, check: RegExp | ((page: Page) => boolean)): Page {
  const ok = typeof check === 'function' ? check(page) : check.test(page.url);
  if (page.status !== 200 || !ok) throw new Error(`${what}: landed on ${page.url} (${page.status}) ${invalidFields(page)}`);
  return page;
}

/** A small photo as a phone's camera roll would give it (a real JPEG, each one different). */
export async function photo(seed: number): Promise<Uint8Array<ArrayBuffer>> {
  const colour = { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 29) % 256 };
  return sharp({ create: { width: 640, height: 480, channels: 3, background: colour } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export type Trainee = {
  n: number;
  phone: Phone;
  username: string;
  workshopId?: number;
  listingId?: number;
  listingTitle?: string;
  checkoutId?: number;
};

export const PASSWORD = 'latihan-ruang-2026';
export const STOCK = 50;

export type StepTimer = <T>(step: Step, work: () => Promise<T>) => Promise<T>;

/** Joins with the code as a new person: her account is made by the join form. */
export async function join(t: Trainee, base: string, code: string): Promise<void> {
  const page = await t.phone.get(`${base}/join?code=${code}`);
  const home = await t.phone.submit(page, formOf(page, /^\/join$/), {
    displayName: `Peserta ${t.n}`,
    username: t.username,
    password: PASSWORD,
  });
  const id = /\/workshops\/(\d+)/.exec(expectPage(home, 'join', /\/workshops\/\d+/).url)?.[1];
  t.workshopId = Number(id);
}

export async function openShop(t: Trainee, base: string): Promise<void> {
  const ws = `${base}/workshops/${t.workshopId}`;
  const page = await t.phone.get(`${ws}/shop/new`);
  const shop = await t.phone.submit(page, formOf(page, /\/shop\/new$/), {
    name: `Toko ${t.username}`,
    city: 'Gianyar',
    description: 'Kerajinan tangan dari Gianyar.',
  });
  expectPage(shop, 'open shop', (p) => p.url.endsWith('/shop') && p.html.includes(`Toko ${t.username}`));
}

export async function listProduct(t: Trainee, base: string): Promise<void> {
  const ws = `${base}/workshops/${t.workshopId}`;
  const page = await t.phone.get(`${ws}/shop/listings/new`);
  t.listingTitle = `Kain Endek Motif ${t.n}`;
  const after = await t.phone.submit(
    page,
    formOf(page, /\/shop\/listings\/new$/),
    {
      title: t.listingTitle,
      price: '85.000',
      stock: String(STOCK),
      weightGrams: '300',
      category: 'kain-tenun',
      description: 'Kain endek tenun ATBM asli Gianyar, motif cepuk, 2 meter, warna tidak luntur.',
    },
    { photos: { name: `foto-${t.n}.jpg`, type: 'image/jpeg', data: await photo(t.n) } },
  );
  const shop = await t.phone.get(`${ws}/shop`);
  const id = new RegExp(`/shop/listings/(\\d+)/edit`).exec(shop.html)?.[1];
  if (after.status !== 200 || !id || !shop.html.includes(t.listingTitle)) throw new Error(`listing: not on her shop page (${after.url})`);
  t.listingId = Number(id);
}

/** Adds one of each seller's listing to the cart, checks out with one address and pays by card. */
export async function buy(t: Trainee, base: string, sellers: Trainee[]): Promise<void> {
  const ws = `${base}/workshops/${t.workshopId}`;
  for (const s of sellers) {
    const listing = await t.phone.get(`${ws}/catalog/${s.listingId}`);
    expectPage(listing, 'listing page', (p) => p.html.includes(s.listingTitle!));
    await t.phone.submit(listing, formOf(listing, /\/cart\/items$/));
  }
  const form = await t.phone.get(`${ws}/checkout`);
  const review = await t.phone.submit(form, formOf(form, /\/checkout$/), {
    name: `Peserta ${t.n}`,
    phone: '081234567890',
    line: 'Jl. Raya Teges No. 12',
    city: 'Gianyar',
    postalCode: '80581',
  });
  expectPage(review, 'review', /\/checkout\/review/);
  const placed = await t.phone.submit(review, formOf(review, /\/checkout\/place$/));
  t.checkoutId = Number(/\/checkouts\/(\d+)/.exec(expectPage(placed, 'place', /\/checkouts\/\d+/).url)?.[1]);
}

export async function pay(t: Trainee, base: string): Promise<void> {
  const checkout = `${base}/workshops/${t.workshopId}/checkouts/${t.checkoutId}`;
  const payPage = await t.phone.get(`${checkout}/pay`);
  const hosted = await t.phone.submit(payPage, formOf(payPage, /\/pay$/), { method: 'card' });
  if (hosted.status !== 200 || !/name="cardNumber"/.test(hosted.html)) throw new Error(`pay: no card form at ${hosted.url}`);
  const back = await t.phone.submit(
    hosted,
    formsOf(hosted.html).find((f) => f.fields.some(([n]) => n === '_csrf'))!,
    {
      cardNumber: '4242 4242 4242 4242',
      expiry: '12 / 34',
      cvc: '123',
      name: `Peserta ${t.n}`,
    },
  );
  expectPage(back, 'return from the card page', (p) => p.html.includes('data-outcome="paid"'));
}

/** Opens the post-training form from her questionnaires and answers every question. */
export async function answerQuestionnaire(t: Trainee, base: string): Promise<void> {
  const ws = `${base}/workshops/${t.workshopId}`;
  const list = await t.phone.get(`${ws}/questionnaires`);
  const links = [...list.html.matchAll(/href="(\/workshops\/\d+\/questionnaires\/\d+)"[^>]*>([\s\S]*?)<\/a>/g)];
  const post = links.find((l) => /setelah|pasca|akhir/i.test(l[2]!)) ?? links.at(-1);
  if (!post) throw new Error('questionnaire: none listed');
  const page = await t.phone.get(`${base}${post[1]}`);
  const form = formOf(page, /\/answer$/);
  const typed: Record<string, string> = {};
  const fields = [...form.fields];
  // A choice for every radio group nobody pre-ticked, words in every text box.
  for (const m of form.html.matchAll(/<input\b[^>]*type="(radio|checkbox)"[^>]*name="(q_[^"]+)"[^>]*value="([^"]*)"/g)) {
    if (!fields.some(([n]) => n === m[2]) && !(m[2]! in typed)) typed[m[2]!] = m[3]!;
  }
  for (const m of form.html.matchAll(/<(?:input type="text"|textarea)\b[^>]*name="(q_[^"]+)"/g))
    typed[m[1]!] = 'Sangat bermanfaat untuk toko saya.';
  const done = await t.phone.submit(page, form, typed);
  if (done.status !== 200 || /aria-invalid="true"/.test(done.html)) throw new Error(`questionnaire: not accepted (${done.url})`);
}

/** The whole room for one trainee up to her shop with its listing. */
export async function sellerPart(t: Trainee, base: string, code: string, time: StepTimer): Promise<void> {
  await time('join', () => join(t, base, code));
  await time('shop', () => openShop(t, base));
  await time('listing', () => listProduct(t, base));
}

/** Her purchase from the two trainees after her, payment and questionnaire. */
export async function buyerPart(t: Trainee, all: Trainee[], base: string, time: StepTimer): Promise<void> {
  const sellers = [all[(t.n + 1) % all.length]!, all[(t.n + 2) % all.length]!];
  await time('buy', () => buy(t, base, sellers));
  await time('pay', () => pay(t, base));
  await time('questionnaire', () => answerQuestionnaire(t, base));
}

/** Today in the workshop's zone, as a date input wants it. */
const isoDay = (offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(new Date(Date.now() + offsetDays * 86_400_000));

/**
 * The organizer signs in and creates the workshop with the default agenda and the questionnaires
 * (the demo shops unticked: their bots would buy from the trainees and move the stock); the join code.
 */
export async function setUpWorkshop(base: string, organizer: { username: string; password: string }, name: string): Promise<string> {
  const phone = new Phone();
  const login = await phone.get(`${base}/login`);
  await phone.submit(login, formOf(login, /^\/login$/), { username: organizer.username, password: organizer.password });
  const page = await phone.get(`${base}/workshops/new`);
  const screen = await phone.submit(page, formOf(page, /^\/workshops(\/new)?$/), {
    name,
    city: 'Gianyar',
    venue: 'Balai Banjar Teges',
    startDate: isoDay(),
    endDate: isoDay(1),
    demoShops: null,
  });
  const code = /data-testid="join-code"[^>]*>([^<]+)</.exec(screen.html)?.[1]?.replace(/\s/g, '');
  if (!code) throw new Error(`workshop: no join code on ${screen.url} (${screen.status}) ${invalidFields(screen)}`);
  return code;
}

export type RoomResult = {
  trainees: Trainee[];
  /** Milliseconds per step, one entry per trainee that finished it. */
  times: Record<Step, number[]>;
  /** Per step, ms from its first start to its last finish: the window its throughput is counted in. */
  windows: Record<Step, number>;
  failures: { trainee: number; error: Error }[];
  elapsedMs: number;
};

/**
 * `count` trainees at once: all join, open a shop and list (the tutor waits for everyone), then
 * all buy, pay and answer. `onStep` hears every step a trainee finishes.
 */
export async function runRoom(options: {
  base: string;
  code: string;
  count: number;
  prefix: string;
  phone?: PhoneOptions;
  onStep?: (step: Step, trainee: Trainee) => void;
}): Promise<RoomResult> {
  const trainees: Trainee[] = Array.from({ length: options.count }, (_, n) => ({
    n,
    phone: new Phone(options.phone),
    username: `${options.prefix}${n}`,
  }));
  const times = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
  const firstStart = new Map<Step, number>();
  const lastEnd = new Map<Step, number>();
  const failures: RoomResult['failures'] = [];
  const started = performance.now();
  const timer =
    (t: Trainee): StepTimer =>
    async (step, work) => {
      const t0 = performance.now();
      if (!firstStart.has(step)) firstStart.set(step, t0);
      const out = await work();
      const t1 = performance.now();
      times[step].push(t1 - t0);
      lastEnd.set(step, t1);
      options.onStep?.(step, t);
      return out;
    };
  const all = async (part: (t: Trainee) => Promise<void>) =>
    Promise.all(
      trainees.map((t) =>
        part(t).catch((error: unknown) => {
          failures.push({ trainee: t.n, error: error instanceof Error ? error : new Error(String(error)) });
        }),
      ),
    );
  await all((t) => sellerPart(t, options.base, options.code, timer(t)));
  if (!failures.length) await all((t) => buyerPart(t, trainees, options.base, timer(t)));
  const windows = Object.fromEntries(STEPS.map((s) => [s, (lastEnd.get(s) ?? 0) - (firstStart.get(s) ?? 0)])) as Record<Step, number>;
  return { trainees, times, windows, failures, elapsedMs: performance.now() - started };
}

export const ORGANIZER = { username: 'ayu.dinas', password: 'pelatihan-gianyar-26' };

/** The organizer's account, made as an installer makes it (`npm run user:create`) on `databaseUrl`. */
export function createOrganizer(databaseUrl: string): void {
  execFileSync(
    'node_modules/.bin/tsx',
    [
      'scripts/create-user.ts',
      '--username',
      ORGANIZER.username,
      '--name',
      'Ibu Ayu',
      '--role',
      'organizer',
      '--password',
      ORGANIZER.password,
    ],
    { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'ignore' },
  );
}
