// Scale benchmark of the evaluation (issues 5 and 14): a workshop with 100,000 responses to the
// 15-question post-training form, then the evaluation JSON computed in-process, unfiltered and
// filtered, and the Excel workbook of 50,000 and of all 100,000 responses streamed to a file. Prints
// the times, the CPU time of each report, and the peak RSS rise while each workbook is written.
// Targets: the worst filtered report under 300 ms on 2 cores, memory flat; the workbook in bounded
// memory (its RSS rise does not grow with the rows).
//   npm run bench:evaluation            (RESPONSES=20000 for a quicker run; KEEP=1 keeps the file)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
// @ts-expect-error plain JavaScript module without types
import { serverArgs, serverEnv } from '../scripts/build.mjs';
import { mb } from './lib.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.tmp', 'bench');
const dbFile = path.join(benchDir, 'evaluation.db');
const RESPONSES = Number(process.env.RESPONSES ?? 100_000);
const BATCH = 5_000;

const peakRss = () => process.resourceUsage().maxRSS * 1024;

const reuse = Boolean(process.env.REUSE) && fs.existsSync(dbFile);
fs.mkdirSync(benchDir, { recursive: true });
if (!reuse) for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true });
execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
  stdio: 'pipe',
});

// The app's modules read DATABASE_URL when first imported.
process.env.DATABASE_URL = `file:${dbFile}`;
process.env.LOG_LEVEL = 'silent';
process.env.DEMO_DATA = 'false';
const { prisma } = await import('../src/db.js');
const { createUser } = await import('../src/features/auth/auth.service.js');
const { createWorkshop, enterWorkshop } = await import('../src/features/workshops/workshops.service.js');
const { insertFormFromTemplate } = await import('../src/features/questionnaires/questionnaires.service.js');
const { getTemplate } = await import('../src/features/questionnaires/templates.js');
const { getEvaluation } = await import('../src/features/evaluation/evaluation.service.js');

async function createBenchWorkshop() {
  const organizer = await createUser({ username: 'benchorganizer', displayName: 'Bench', password: 'bench-password-1', role: 'organizer' });
  const workshopId = await createWorkshop(organizer, {
    name: 'Bench workshop',
    city: 'Denpasar',
    venue: 'Hall',
    startDate: '2026-12-01',
    endDate: '2026-12-03',
    sessions: ['Hari 1', 'Hari 2', 'Hari 3'],
  });
  const template = getTemplate('post-training')!;
  const formId = await insertFormFromTemplate(prisma, workshopId, template, { status: 'open' });
  const sessions = await prisma.workshopSession.findMany({ where: { workshopId }, orderBy: { position: 'asc' }, select: { id: true } });
  const questions = await prisma.question.findMany({ where: { formId }, orderBy: { position: 'asc' } });
  return { organizerId: organizer.id, workshopId, formId, sessions, questions };
}

/** REUSE=1: measure again on the database of an earlier run (KEEP=1) without inserting anew. */
async function findBenchWorkshop() {
  const organizer = await prisma.user.findUniqueOrThrow({ where: { username: 'benchorganizer' } });
  const form = await prisma.form.findFirstOrThrow({ include: { questions: { orderBy: { position: 'asc' } } } });
  const sessions = await prisma.workshopSession.findMany({
    where: { workshopId: form.workshopId },
    orderBy: { position: 'asc' },
    select: { id: true },
  });
  return { organizerId: organizer.id, workshopId: form.workshopId, formId: form.id, sessions, questions: form.questions };
}

const { organizerId, workshopId, formId, sessions, questions } = reuse ? await findBenchWorkshop() : await createBenchWorkshop();
await prisma.$disconnect();

// ---------------------------------------------------------------- bulk insert (plain SQL)

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
/** Picks from options by weights (best first for scales: mostly good answers). */
const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
};
const optionValues = (json: string) => (JSON.parse(json) as { value: string }[]).map((o) => o.value);
const suggestions = [
  'Tambah waktu praktik',
  'Materi foto produk sangat membantu',
  'Wi-Fi kurang stabil',
  'Semoga ada pelatihan lanjutan',
  'Contoh toko online lebih banyak',
];

function insertResponses(): void {
  const insertStarted = performance.now();
  const insertCpu = process.cpuUsage();
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date('2026-12-03T09:00:00.000Z').toISOString().replace('Z', '+00:00');
  const responseRows = 100;
  const insertResponses = db.prepare(
    `INSERT INTO "Response" ("id","workshopId","formId","sessionId","userId","source","gender","ageBand","occupation","createdAt","updatedAt") VALUES ` +
      Array.from({ length: responseRows }, () => '(?,?,?,?,NULL,?,?,?,?,?,?)').join(','),
  );
  // Each answer with its copies of the response's session and identity answers, as the app writes them.
  const answerColumns = `"responseId","questionId","value","sessionId","gender","ageBand","occupation"`;
  const answerRows = 500;
  const insertAnswers = db.prepare(
    `INSERT INTO "Answer" (${answerColumns}) VALUES ` + Array.from({ length: answerRows }, () => '(?,?,?,?,?,?,?)').join(','),
  );
  const insertResponse = db.prepare(
    `INSERT INTO "Response" ("id","workshopId","formId","sessionId","userId","source","gender","ageBand","occupation","createdAt","updatedAt") VALUES (?,?,?,?,NULL,?,?,?,?,?,?)`,
  );
  const insertAnswer = db.prepare(`INSERT INTO "Answer" (${answerColumns}) VALUES (?,?,?,?,?,?,?)`);

  let answerCount = 0;
  /** One transaction per batch: its responses, then their answers, in multi-row INSERTs. */
  const insertBatch = db.transaction((firstId: number, size: number) => {
    const responseValues: unknown[] = [];
    const answerValues: unknown[] = [];
    for (let id = firstId; id < firstId + size; id++) {
      const values = new Map<string, string>();
      for (const q of questions) {
        if (q.type === 'long_text') {
          if (random() < 0.05) values.set(q.key, pick(suggestions, [1, 1, 1, 1, 1]));
        } else if (q.type === 'yesno') values.set(q.key, pick(['yes', 'no'], [9, 1]));
        else if (q.key === 'gender') values.set(q.key, pick(['female', 'male'], [7, 3]));
        else {
          const options = optionValues(q.options);
          values.set(q.key, pick(options, q.type === 'scale' ? [5, 4, 1, 0.5] : options.map(() => 1)));
        }
      }
      const session = sessions[id % sessions.length]!.id;
      responseValues.push(
        id,
        workshopId,
        formId,
        session,
        'paper',
        values.get('gender'),
        values.get('age_band'),
        values.get('occupation'),
        now,
        now,
      );
      for (const q of questions) {
        const value = values.get(q.key);
        if (value !== undefined)
          answerValues.push(id, q.id, value, session, values.get('gender'), values.get('age_band'), values.get('occupation'));
      }
    }
    const insertRows = (statement: Database.Statement, width: number, rows: number, all: unknown[]) => {
      const full = Math.floor(all.length / (width * rows)) * width * rows;
      for (let i = 0; i < full; i += width * rows) statement.run(all.slice(i, i + width * rows));
      return all.slice(full);
    };
    for (const rest = insertRows(insertResponses, 10, responseRows, responseValues); rest.length; rest.splice(0, 10))
      insertResponse.run(rest.slice(0, 10));
    for (const rest = insertRows(insertAnswers, 7, answerRows, answerValues); rest.length; rest.splice(0, 7))
      insertAnswer.run(rest.slice(0, 7));
    answerCount += answerValues.length / 7;
  });
  for (let first = 1; first <= RESPONSES; first += BATCH) insertBatch(first, Math.min(BATCH, RESPONSES - first + 1));
  db.exec('ANALYZE');
  db.close();
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  const cpu = process.cpuUsage(insertCpu);
  console.log(
    `Inserted ${RESPONSES.toLocaleString('en')} responses and ${answerCount.toLocaleString('en')} answers in ${insertSeconds.toFixed(1)} s ` +
      `(${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU)`,
  );
}
if (!reuse) insertResponses();

// ---------------------------------------------------------------- the measurement

const ctx = await enterWorkshop(organizerId, workshopId);
const female = { gender: 'female' };
const runs: { name: string; filters: Record<string, unknown>; filtered?: boolean }[] = [
  { name: 'no filter (cold)', filters: {} },
  { name: 'no filter', filters: {} },
  { name: 'gender = female', filters: female, filtered: true },
  { name: 'female, 31–40, session 2', filters: { ...female, ageBand: '31_40', sessionId: sessions[1]!.id }, filtered: true },
  { name: 'male, student, session 3', filters: { gender: 'male', occupation: 'student', sessionId: sessions[2]!.id }, filtered: true },
  { name: 'occupation = homemaker', filters: { occupation: 'homemaker' }, filtered: true },
  { name: 'form + female + session 1', filters: { formId, ...female, sessionId: sessions[0]!.id }, filtered: true },
  { name: 'form filter', filters: { formId } },
];
let worstFiltered = { name: '', cpuMs: 0, ms: 0 };
const rssBefore = process.memoryUsage().rss;
const results: string[] = [];
let jsonBytes = 0;
for (const run of runs) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const report = await getEvaluation(ctx, run.filters);
  const json = JSON.stringify(report);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  jsonBytes = json.length;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // Judged by CPU time: on a machine shared with other work the wall time says more about the
  // neighbours than about the query.
  if (run.filtered && cpuMs > worstFiltered.cpuMs) worstFiltered = { name: run.name, cpuMs, ms };
  results.push(
    `  ${run.name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms wall ${cpuMs.toFixed(0).padStart(6)} ms CPU   responses ${report.summary.responses}`,
  );
}
// Memory stays flat: the counting happens in the database, so repeating the work must not grow the process.
const rssAfter: string[] = [];
for (let i = 1; i <= 20; i++) {
  await getEvaluation(ctx, i % 2 ? female : {});
  if (i % 5 === 0) rssAfter.push(`${i}: ${mb(process.memoryUsage().rss)}`);
}

console.log(`Evaluation JSON (${Math.round(jsonBytes / 1024)} KB), computed in-process:`);
for (const line of results) console.log(line);
console.log(
  `Worst filtered report: ${worstFiltered.name}, ${worstFiltered.cpuMs.toFixed(0)} ms CPU (${worstFiltered.ms.toFixed(0)} ms wall; target 300 ms)`,
);
console.log(`RSS before the runs ${mb(rssBefore)}; after N more runs ${rssAfter.join(', ')}; peak RSS of the process ${mb(peakRss())}`);

// ---------------------------------------------------------------- the workbook, streamed

/**
 * The whole workbook (summary sheets and the raw sheet) written to a file as the route writes it to
 * a response, for half of the responses and for all of them, each in a fresh process
 * (bench/evaluation-workbook.ts) so that both start from the same memory, with the V8 flags and
 * the environment `npm start` gives the app (scripts/build.mjs). In bounded memory the peak RSS
 * rise is about the same for both: it does not grow with the rows.
 */
const v8Flags = (serverArgs as string[]).filter((arg) => arg.startsWith('--'));
function benchWorkbook(rows: number) {
  // The app's heap limits: rows kept by mistake would run out of its 192 MB at 100,000 responses.
  // Without its 16 MB semi-spaces V8 grows the young generation to 64 MB while rows are made this
  // fast, and the peak says more about V8 than about the export.
  const args = [...v8Flags, '--expose-gc', '--import', 'tsx', path.join(root, 'bench/evaluation-workbook.ts')];
  const output = execFileSync(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      ...serverEnv,
      ROWS: String(rows),
      WORKBOOK_FILE: path.join(benchDir, `evaluation-${rows}.xlsx`),
    },
    encoding: 'utf8',
  });
  const m = JSON.parse(output.trim().split('\n').pop()!) as {
    rows: number;
    bytes: number;
    seconds: number;
    rssStart: number;
    rssPeak: number;
    heapPeak: number;
    externalPeak: number;
  };
  console.log(
    `Workbook of ${rows.toLocaleString('en')} responses: ${(m.bytes / 1024 / 1024).toFixed(1)} MB in ${m.seconds.toFixed(1)} s; ` +
      `RSS at the start ${mb(m.rssStart)}, highest while writing ${mb(m.rssPeak)} (+${mb(m.rssPeak - m.rssStart)}); JS heap highest ${mb(m.heapPeak)}, outside the heap ${mb(m.externalPeak)}`,
  );
  return m.rssPeak - m.rssStart;
}
const halfRise = benchWorkbook(Math.floor(RESPONSES / 2));
const allRise = benchWorkbook(RESPONSES);
// Twice the rows within a tenth (or 16 MB) of the same peak: memory does not follow the rows.
const bounded = allRise <= halfRise * 1.1 + 16 * 1024 * 1024;
console.log(
  `Peak RSS rise while writing: ${mb(halfRise)} for ${Math.floor(RESPONSES / 2).toLocaleString('en')} responses, ${mb(allRise)} for ${RESPONSES.toLocaleString('en')}: ` +
    (bounded ? 'bounded (twice the rows, about the same peak)' : 'NOT bounded (the peak grows with the rows)'),
);
await prisma.$disconnect();
if (!process.env.KEEP) for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true });
