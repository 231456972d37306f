// One measurement of bench/evaluation.ts, in a process of its own so that each starts from the same
// memory: the Excel workbook of the first ROWS responses of the bench workshop (the database of
// DATABASE_URL, made by bench/evaluation.ts) streamed to a file, RSS, JS heap and the memory
// outside it (Buffers, WebAssembly) sampled every 20 ms. Prints one JSON line. Run by
// bench/evaluation.ts, not by hand.
import { once } from 'node:events';
import fs from 'node:fs';

process.env.LOG_LEVEL = 'silent';
process.env.DEMO_DATA = 'false';
const ROWS = Number(process.env.ROWS);
const file = process.env.WORKBOOK_FILE!;
const { prisma } = await import('../src/db.js');
const { enterWorkshop } = await import('../src/features/workshops/workshops.service.js');
const { getEvaluation, reportResponseBatches } = await import('../src/features/evaluation/evaluation.service.js');
const { writeWorkbook } = await import('../src/features/evaluation/evaluation.workbook.js');
const { getT } = await import('../src/i18n/index.js');
type Row = Awaited<ReturnType<ReturnType<typeof reportResponseBatches>['next']>>['value'];

const organizer = await prisma.user.findUniqueOrThrow({ where: { username: 'benchorganizer' } });
const form = await prisma.form.findFirstOrThrow({ select: { workshopId: true } });
const ctx = await enterWorkshop(organizer.id, form.workshopId);
const report = await getEvaluation(ctx, {});

/** The form's responses in the route's batches, stopping after the first ROWS. */
async function* firstRows(formId: number): AsyncGenerator<NonNullable<Row>> {
  let left = ROWS;
  for await (const batch of reportResponseBatches(ctx, report, formId)) {
    yield batch.slice(0, left);
    left -= batch.length;
    if (left <= 0) return;
  }
}

global.gc?.();
const rssStart = process.memoryUsage().rss;
let rssPeak = rssStart;
let heapPeak = process.memoryUsage().heapUsed;
let externalPeak = process.memoryUsage().external;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rssPeak = Math.max(rssPeak, m.rss);
  heapPeak = Math.max(heapPeak, m.heapUsed);
  externalPeak = Math.max(externalPeak, m.external);
}, 20);
const started = performance.now();
const out = fs.createWriteStream(file);
const finished = once(out, 'close');
await writeWorkbook(out, report, { lang: 'id', t: getT('id'), timeZone: 'Asia/Makassar', responses: firstRows });
await finished;
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows: ROWS, bytes: fs.statSync(file).size, seconds, rssStart, rssPeak, heapPeak, externalPeak }));
fs.rmSync(file, { force: true });
await prisma.$disconnect();
