// Micro-benchmark of the view engine (issue 10): the catalogue page (catalog/index in the main layout, 24 cards)
// and the listing form (eight field partials, the coach, the form errors) rendered N times in one process by
//   old        the EJS engine this project used before: bare names declared from a regex tokenizer of the template's
//              JavaScript, `unsafePrototypeLocals`, and EJS's process-wide cache replaced (kept here only to compare)
//   ejs-strict EJS in strict mode reading `locals.x`, EJS's own copies of the locals, its process-wide cache
//   eta        the engine in use (src/http/render.ts): Eta, `it.x`, one instance with its own cache, debug lines on
//   eta-nodebug the same without Eta's line tracking (errors would not name the template line)
// The old and ejs-strict templates are derived from views/ by renaming `it.` and the tags; every engine must render
// the same HTML before it is timed. Time is the process's CPU time (user + system, the collector's threads included),
// not the wall clock, which on a shared machine counts the time others ran. Turns alternate between the engines; the
// median and the best of the turns are reported, with the ratio to the old engine, and the heap: bytes allocated per
// render (what the collections during a turn freed, plus what was left) and what a new engine instance keeps after
// rendering both pages once (its compiled templates), measured after full collections.
//   npm run bench:render          (N=1000 renders per page and turn, ROUNDS=9)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import ejs from 'ejs';
import { Eta } from 'eta';
import { layoutEngine, escapeHtml } from '../src/http/render.js';
import { getT } from '../src/i18n/index.js';
import { formatDate, formatDateTime } from '../src/lib/dates.js';
import { formatRupiah } from '../src/lib/money.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const viewsDir = path.join(root, 'views');
const N = Number(process.env.N ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 9);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

type Engine = (file: string, options: object, callback: (err: Error | null, html?: string) => void) => void;

// ---- the pages and their locals, as Express hands them to the engine (app.locals, res.locals, the view's) ----

function baseLocals(): Record<string, unknown> {
  const t = getT('id');
  return {
    settings: { env: 'production', 'view engine': 'ejs', views: viewsDir, 'x-powered-by': false },
    lang: 'id',
    t,
    money: formatRupiah,
    date: (d: Date) => formatDate(d, 'id', 'Asia/Makassar'),
    dateTime: (d: Date) => formatDateTime(d, 'id', 'Asia/Makassar'),
    currentPath: '/workshops/1/catalog',
    currentUser: { id: 12, username: 'made', displayName: 'Bu Made', role: 'trainee' },
    values: {},
    errors: {},
    takeFlash: () => [],
    csrfToken: 'k3Jd8w0qPZ-5bTn2LrYc1vX9sHaE4mUo6fGiQyNt7Ww',
    ctx: { workshopId: 1, userId: 12, role: 'trainee', workshop: { id: 1, name: 'Pelatihan UMKM Denpasar' }, catalogVersion: 3 },
    cache: true,
  };
}

const cards = Array.from({ length: 24 }, (_, i) => ({
  id: 100 + i,
  title: `Kopi Arabika Kintamani Biji Sangrai 250 g nomor ${i + 1}`,
  price: 95_000 + i * 1000,
  thumbPath: i % 5 === 4 ? null : `listings/${(i * 7919).toString(16).padStart(32, '0')}-t.webp`,
  shopId: 3 + (i % 4),
  shopName: i % 3 ? 'Kopi Kintamani Pak Nyoman' : 'Tenun & Songket "Bu Made"',
  city: 'Bangli',
  rating: i % 2 ? { average: 4.5, count: 12 } : { average: 0, count: 0 },
}));

const pages: { name: string; view: string; locals: () => Record<string, unknown> }[] = [
  {
    name: 'catalogue',
    view: 'catalog/index.ejs',
    locals: () => ({
      ...baseLocals(),
      query: { q: '', sort: 'newest', page: 2 },
      cards,
      total: 120,
      page: 2,
      pages: 5,
      categories: ['kain-tenun', 'makanan-camilan', 'minuman-kopi', 'kerajinan', 'fashion', 'kecantikan', 'lainnya'],
      sorts: ['newest', 'price-asc', 'price-desc'],
      title: 'Katalog',
    }),
  },
  {
    name: 'listing form',
    view: 'listings/form.ejs',
    locals: () => ({
      ...baseLocals(),
      categories: ['kain-tenun', 'makanan-camilan', 'minuman-kopi', 'kerajinan', 'fashion', 'kecantikan', 'lainnya'],
      conditions: ['new', 'used'],
      maxPhotos: 5,
      mode: 'edit',
      listing: { id: 101, photos: [{ id: 1, thumbPath: 'listings/a-t.webp' }] },
      hints: [{ key: 'listings:coach.hints.shortTitle', level: 'warn', params: { min: 25 } }],
      values: {
        title: 'Kopi <Kintamani>',
        category: 'minuman-kopi',
        price: '95000',
        stock: '',
        minOrder: '1',
        weightGrams: '250',
        condition: 'new',
        description: 'Biji sangrai & segar',
      },
      errors: { stock: 'listings:errors.stock' },
      title: 'Ubah produk',
    }),
  },
];

// ---- the template sets the other engines read, derived from views/ ----

function deriveViews(name: string, rewriteCode: (code: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pl-bench-views-${name}-`));
  for (const file of fs.readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ejs')) continue;
    const source = fs
      .readFileSync(path.join(viewsDir, file), 'utf8')
      .replace(/<%\/\*([\s\S]*?)\*\/%>/g, '<%#$1%>')
      .replace(/<%~/g, '<%-')
      .replace(/<%(?!#)([\s\S]*?)%>/g, (_tag, code: string) => `<%${rewriteCode(code)}%>`);
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

// ---- the old engine, as it was in src/http/render.ts ----

const notLocals = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'await async of arguments eval undefined NaN Infinity locals include escapeFn rethrow __output __append __line __lines __filename __locals'
  ).split(' '),
);

function localNames(source: string): string[] {
  const code = [...source.matchAll(/<%(?![%#])[_=-]?([\s\S]*?)[_-]?%>/g)]
    .map((match) => match[1]!)
    .join(';\n')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
    .replace(/\.\.\./g, ' ')
    .replace(/\$\{/g, ' ');
  const declared = new Set<string>();
  for (const [, names] of code.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*|\{[^}]*\}|\[[^\]]*\])/g)) {
    for (const [name] of names!.matchAll(/[A-Za-z_$][\w$]*/g)) declared.add(name);
  }
  for (const [, name] of code.matchAll(/\bfunction\s+([A-Za-z_$][\w$]*)/g)) declared.add(name!);
  const names = new Set<string>();
  for (const [name] of code.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) {
    if (!notLocals.has(name) && !declared.has(name) && !(name in globalThis)) names.add(name);
  }
  return [...names].sort();
}

type Template = (data: object) => string;

/** An engine over EJS's process-wide cache, which include() reads; `compileOptions` says how a file compiles. */
function ejsEngine(dir: string, compileOptions: (source: string, filename: string) => ejs.Options): Engine {
  const templates = new Map<string, Template>();
  const get = (filename: string) => {
    let template = templates.get(filename);
    if (!template) {
      const source = fs.readFileSync(filename, 'utf8');
      template = ejs.compile(source, compileOptions(source, filename)) as Template;
      templates.set(filename, template);
    }
    return template;
  };
  const cache = { get, set: () => {}, remove: () => {}, reset: () => {} } as unknown as typeof ejs.cache;
  return (file, options, callback) => {
    ejs.cache = cache; // the engines take turns, and each EJS one needs the global cache to be its own
    const data = options as Record<string, unknown>;
    let html = get(path.join(dir, path.relative(viewsDir, file)))(data);
    data.body = html;
    html = get(path.join(dir, 'layouts/main.ejs'))(data);
    callback(null, html);
  };
}

// `it.` where it reads a local: not a property named `it` (`x.it.`), but after a spread (`...it.`).
const localRead = /(?<=^|[^\w$.]|\.\.\.)it\./g;
const oldDir = deriveViews('old', (code) => code.replace(localRead, ''));
const strictDir = deriveViews('strict', (code) => code.replace(localRead, 'locals.'));

const oldOptions = (source: string, filename: string): ejs.Options & { unsafePrototypeLocals: boolean } => ({
  filename,
  root: oldDir,
  cache: true,
  _with: false,
  localsName: 'locals',
  destructuredLocals: localNames(source),
  escape: escapeHtml,
  unsafePrototypeLocals: true, // EJS 7 reads it; its types do not list it
});
const strictOptions = (_source: string, filename: string): ejs.Options => ({
  filename,
  root: strictDir,
  cache: true,
  strict: true,
  escape: escapeHtml,
});

/** The same Eta setup as src/http/render.ts without line tracking, to show what `debug: true` costs. */
function etaWithoutDebug(): Engine {
  const eta = new Eta({
    views: viewsDir,
    defaultExtension: '.ejs',
    cache: true,
    escapeFunction: escapeHtml,
    autoTrim: false,
    debug: false,
  });
  return (file, options, callback) => {
    const data = options as Record<string, unknown>;
    data.body = eta.render(path.relative(viewsDir, file), data);
    callback(null, eta.render('layouts/main', data));
  };
}

const candidates: { name: string; create: () => Engine }[] = [
  { name: 'old', create: () => ejsEngine(oldDir, oldOptions) },
  { name: 'ejs-strict', create: () => ejsEngine(strictDir, strictOptions) },
  { name: 'eta', create: () => layoutEngine(viewsDir, true) },
  { name: 'eta-nodebug', create: etaWithoutDebug },
];
const engines = candidates.map(({ name, create }) => ({ name, engine: create() }));

function renderOnce(engine: Engine, view: string, locals: Record<string, unknown>): string {
  let out = '';
  engine(path.join(viewsDir, view), locals, (err, html) => {
    if (err) throw err;
    out = html!;
  });
  return out;
}

// ---- run ----

for (const page of pages) {
  const expected = renderOnce(engines[0]!.engine, page.view, page.locals());
  for (const { name, engine } of engines.slice(1)) {
    const html = renderOnce(engine, page.view, page.locals());
    if (html !== expected) {
      fs.writeFileSync(path.join(os.tmpdir(), `pl-bench-${name}.html`), html);
      fs.writeFileSync(path.join(os.tmpdir(), 'pl-bench-old.html'), expected);
      throw new Error(`${name} renders ${page.name} differently from the old engine (see ${os.tmpdir()}/pl-bench-*.html)`);
    }
  }
  console.log(`${page.name}: ${expected.length} bytes of HTML, the same from every engine`);
}

const kept = new Map<string, number>();
const instances: Engine[] = []; // alive to the end, so a collection cannot take back what an engine keeps
for (const { name, create } of candidates) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const engine = create();
  for (const page of pages) renderOnce(engine, page.view, page.locals());
  instances.push(engine);
  gc();
  kept.set(name, process.memoryUsage().heapUsed - before);
}

/** Bytes allocated while fn runs: what each collection freed, plus what is left. */
function allocated(fn: () => void): number {
  const profiler = new v8.GCProfiler();
  const before = process.memoryUsage().heapUsed;
  profiler.start();
  fn();
  const { statistics } = profiler.stop()!;
  const freed = statistics.reduce((sum, s) => sum + (s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize), 0);
  return freed + process.memoryUsage().heapUsed - before;
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const page of pages) {
  const opsPerSecond = new Map<string, number[]>(engines.map((e) => [e.name, []]));
  const bytesPerRender = new Map<string, number[]>(engines.map((e) => [e.name, []]));
  const localsList = Array.from({ length: N }, () => page.locals());
  for (const { engine } of engines) for (let i = 0; i < 1000; i++) renderOnce(engine, page.view, page.locals()); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, engine } of round % 2 ? engines.toReversed() : engines) {
      const inputs = localsList.map((locals) => ({ ...locals }));
      gc();
      let elapsed = 0;
      const bytes = allocated(() => {
        const start = process.cpuUsage();
        for (const locals of inputs) renderOnce(engine, page.view, locals);
        const used = process.cpuUsage(start);
        elapsed = (used.user + used.system) / 1e6;
      });
      opsPerSecond.get(name)!.push(N / elapsed);
      bytesPerRender.get(name)!.push(bytes / N);
    }
  }
  const oldOps = median(opsPerSecond.get('old')!);
  console.log(`\n${page.name}, ${N} renders x ${ROUNDS} turns: renders/s median and best, % of old (median), every turn`);
  for (const { name } of engines) {
    const turns = opsPerSecond.get(name)!;
    const ops = median(turns);
    console.log(
      `  ${name.padEnd(12)} ${Math.round(ops).toString().padStart(6)} ${Math.round(Math.max(...turns))
        .toString()
        .padStart(6)}` +
        `  ${((ops / oldOps) * 100).toFixed(0).padStart(4)}%` +
        `  ${(median(bytesPerRender.get(name)!) / 1024).toFixed(1).padStart(6)} KB allocated/render` +
        `  [${turns.map((o) => Math.round(o)).join(' ')}]`,
    );
  }
}

console.log('\nheap kept by a new engine after rendering both pages once (its compiled templates):');
for (const { name } of candidates) console.log(`  ${name.padEnd(12)} ${(kept.get(name)! / 1024).toFixed(0).padStart(6)} KB`);

for (const dir of [oldDir, strictDir]) fs.rmSync(dir, { recursive: true, force: true });
