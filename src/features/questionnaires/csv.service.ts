// Raw responses as CSV, both ways. Export: one row per response, one column per question key
// (multiple-choice values joined with '|'), times on the workshop's clock. Import: every row is
// checked against the form like a typed-in answer; any problem and nothing is imported (one
// transaction), with a list of problems by row and column. A file, or rows, imported before are
// noticed, and the organizer is asked before they are added again.
import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { config } from '../../config.js';
import { prisma, type Tx } from '../../db.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { defuseFormula, restoreFormula } from '../../lib/csv.js';
import { parseDateTime, toLocalDateTimeText } from '../../lib/dates.js';
import { assertRole, isStaff, type WorkshopCtx } from '../workshops/workshops.service.js';
import { checkAnswers, CSV_MULTI_SEPARATOR, type CleanAnswers, type RawAnswers } from './answers.js';
import { getFormDefinition, holdForm, sameQuestions, type FormDefinition, type QuestionDef } from './questionnaires.service.js';
import { insertResponse, responseBatches } from './responses.service.js';

export const META_COLUMNS = ['response_id', 'source', 'session', 'submitted_at'] as const;
export const MAX_IMPORT_ROWS = 5000;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** ',' for most programs; ';' for Excel set to Indonesian, whose decimal separator is the comma. */
export type CsvSeparator = ',' | ';';

/**
 * The export as pieces of CSV text to send one after the other: who may export and which form are
 * checked before the first piece, so a refusal is a normal error page.
 */
export async function exportResponsesCsv(
  ctx: WorkshopCtx,
  formId: number,
  separator: CsvSeparator = ',',
): Promise<{ filename: string; parts: AsyncGenerator<string> }> {
  if (!isStaff(ctx)) throw new ForbiddenError('Only staff export responses');
  const form = await getFormDefinition(ctx, formId);
  return { filename: `kuesioner-${form.id}-jawaban.csv`, parts: csvParts(form, separator) };
}

async function* csvParts(form: FormDefinition, separator: CsvSeparator): AsyncGenerator<string> {
  // The byte-order mark lets spreadsheet programs read the Indonesian text as UTF-8.
  yield '\ufeff';
  yield stringify([[...META_COLUMNS, ...form.questions.map((q) => q.key)]], { delimiter: separator });
  for await (const batch of responseBatches(form)) {
    const rows = batch.map((r) => [
      String(r.id),
      r.source,
      defuseFormula(r.sessionName ?? ''),
      // The workshop's wall clock (WITA by default), as people read it; the import reads it back the same way.
      toLocalDateTimeText(r.submittedAt, config.timezone),
      ...form.questions.map((q) => defuseFormula((r.values.get(q.id) ?? []).join(CSV_MULTI_SEPARATOR))),
    ]);
    yield stringify(rows, { delimiter: separator });
  }
}

/** The whole export as one text (tests, small forms). */
export async function csvText(parts: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const part of parts) text += part;
  return text;
}

export type ImportProblem = { row: number; column: string; message: string; params?: Record<string, string | number> };

/** One checked row: its answers, where and when it was given, and its digest. */
export type ImportRow = {
  row: number;
  answers: CleanAnswers;
  sessionId: number | null;
  submittedAt: Date | null;
  responseId: number | null;
  key: string;
};

/** What looks imported before: the organizer is asked before these are added. */
export type ImportDuplicates = {
  fileSha256: string;
  /** The same file was imported into this form before. */
  sameFile: { at: Date; rows: number } | null;
  /** Rows identical to an earlier row of the same file (row numbers). */
  repeatedRows: number[];
  /** Rows already in the form: imported before, or exported from it (their response_id). */
  existingRows: number[];
  rows: number;
};

export type ImportResult =
  { ok: true; imported: number } | { ok: false; problems: ImportProblem[] } | { ok: false; duplicates: ImportDuplicates };

const optionList = (q: QuestionDef) => q.options.map((o) => `${o.value} (${o.id})`).join(', ');

/** A cell may hold the option value or its label in either language, any case. */
function cellToValues(q: QuestionDef, cell: string): string[] {
  if (q.type === 'short_text' || q.type === 'long_text') return cell ? [restoreFormula(cell)] : [];
  const parts = q.type === 'multiple' ? cell.split(CSV_MULTI_SEPARATOR) : [cell];
  return parts
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const lower = part.toLowerCase();
      const match = q.options.find((o) => o.value === lower || o.id.toLowerCase() === lower || o.en.toLowerCase() === lower);
      return match?.value ?? part;
    });
}

function detectDelimiter(text: string): CsvSeparator {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

type Session = { id: number; name: string };

/**
 * Reads the records and refuses every row whose number of cells is not the header's: an unquoted
 * comma in a suggestion ("Bagus, tapi waktu praktik kurang") must not cut the text silently.
 * Row numbers are those a spreadsheet shows (the header is row 1).
 */
function readRecords(text: string): { records: { row: number; cells: string[] }[]; problems: ImportProblem[] } {
  const skipped: { before: number; cells: number }[] = [];
  const parsed = parse(text, {
    delimiter: detectDelimiter(text),
    bom: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (error?.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
        const { records, record } = error as CsvError & { records: number; record?: string[] };
        skipped.push({ before: records, cells: record?.length ?? 0 });
      } else if (error) throw error;
    },
  }) as unknown as { record: string[]; info: { records: number } }[];
  // A skipped record is not counted in info.records: put the two sequences back in file order.
  const skippedBefore = (records: number) => skipped.filter((s) => s.before < records).length;
  const records = parsed.map((p) => ({ row: p.info.records + skippedBefore(p.info.records), cells: p.record }));
  const headerCells = records[0]?.cells.length ?? 0;
  const problems = skipped.map((s, i) => ({
    row: s.before + i + 1,
    column: '',
    message: s.cells > headerCells ? 'questionnaires:import.tooManyCells' : 'questionnaires:import.tooFewCells',
    params: { cells: s.cells, columns: headerCells },
  }));
  return { records, problems };
}

function rowKey(responseId: number | null, sessionId: number | null, submittedAt: Date | null, answers: CleanAnswers): string {
  const sorted = Object.keys(answers)
    .sort()
    .map((key) => [key, answers[key]]);
  return createHash('sha256')
    .update(JSON.stringify([responseId, sessionId, submittedAt?.toISOString() ?? null, sorted]))
    .digest('base64url');
}

/** Reads and checks the file against the form and the workshop's sessions. */
export function checkImport(
  form: FormDefinition,
  content: Buffer | string,
  sessions: readonly Session[] = [],
  timeZone = config.timezone,
): { problems: ImportProblem[]; rows: ImportRow[]; fileSha256: string } {
  const textContent = (typeof content === 'string' ? content : content.toString('utf8')).replace(/^\ufeff/, '');
  const fileSha256 = createHash('sha256').update(textContent.replace(/\r\n/g, '\n').trimEnd()).digest('hex');
  let read: ReturnType<typeof readRecords>;
  try {
    read = readRecords(textContent);
  } catch {
    return { problems: [{ row: 0, column: '', message: 'questionnaires:import.unreadable' }], rows: [], fileSha256 };
  }
  const [header, ...data] = read.records;
  if (!header || (!data.length && !read.problems.length))
    return { problems: [{ row: 0, column: '', message: 'questionnaires:import.empty' }], rows: [], fileSha256 };
  if (data.length + read.problems.length > MAX_IMPORT_ROWS)
    return {
      problems: [{ row: 0, column: '', message: 'questionnaires:import.tooManyRows', params: { max: MAX_IMPORT_ROWS } }],
      rows: [],
      fileSha256,
    };

  const problems: ImportProblem[] = [];
  const columns = header.cells.map((h) => h.trim().toLowerCase());
  const questionByKey = new Map(form.questions.map((q) => [q.key, q]));
  columns.forEach((column) => {
    if (!questionByKey.has(column) && !(META_COLUMNS as readonly string[]).includes(column)) {
      problems.push({ row: 1, column, message: 'questionnaires:import.unknownColumn' });
    }
  });
  for (const q of form.questions) {
    if (q.required && !columns.includes(q.key)) problems.push({ row: 1, column: q.key, message: 'questionnaires:import.missingColumn' });
  }
  if (problems.length) return { problems, rows: [], fileSha256 };
  problems.push(...read.problems);

  const sessionByName = new Map(sessions.map((s) => [s.name.trim().toLowerCase(), s.id]));
  const cell = (cells: string[], column: string) => {
    const index = columns.indexOf(column);
    return index < 0 ? '' : (cells[index] ?? '');
  };
  const rows: ImportRow[] = [];
  for (const { row, cells } of data) {
    const input: RawAnswers = {};
    columns.forEach((column, i) => {
      const q = questionByKey.get(column);
      if (q) input[column] = cellToValues(q, cells[i] ?? '');
    });
    const result = checkAnswers(form.questions, input);
    if (!result.ok) {
      for (const [column, message] of Object.entries(result.errors)) {
        const q = questionByKey.get(column)!;
        if (message === 'questionnaires:validation.notAnOption') {
          const allowed = new Set(q.options.map((o) => o.value));
          const wrong = (input[column] as string[]).filter((v) => !allowed.has(v));
          problems.push({
            row,
            column,
            message: 'questionnaires:import.notAnOption',
            params: { value: wrong.join(' | '), allowed: optionList(q) },
          });
        } else problems.push({ row, column, message });
      }
    }

    const sessionText = restoreFormula(cell(cells, 'session')).trim();
    let sessionId: number | null = null;
    if (sessionText) {
      sessionId = sessionByName.get(sessionText.toLowerCase()) ?? null;
      if (sessionId === null)
        problems.push({
          row,
          column: 'session',
          message: 'questionnaires:import.unknownSession',
          params: { value: sessionText, allowed: sessions.map((s) => s.name).join(', ') },
        });
    }
    const timeText = cell(cells, 'submitted_at').trim();
    const submittedAt = timeText ? parseDateTime(timeText, timeZone) : null;
    if (timeText && (!submittedAt || submittedAt.getTime() > Date.now() + 60_000))
      problems.push({ row, column: 'submitted_at', message: 'questionnaires:import.badTime', params: { value: timeText } });
    const idText = cell(cells, 'response_id').trim();
    const responseId = /^\d{1,10}$/.test(idText) ? Number(idText) : null;
    rows.push({
      row,
      answers: result.answers,
      sessionId,
      submittedAt,
      responseId,
      key: rowKey(responseId, sessionId, submittedAt, result.answers),
    });
  }
  return { problems, rows, fileSha256 };
}

async function findDuplicates(db: Tx, form: FormDefinition, rows: ImportRow[], fileSha256: string): Promise<ImportDuplicates | null> {
  const sameFile = await db.responseImport.findFirst({
    where: { formId: form.id, fileSha256 },
    orderBy: { id: 'desc' },
    select: { createdAt: true, rows: true },
  });
  const seen = new Set<string>();
  const repeatedRows: number[] = [];
  for (const r of rows) {
    if (seen.has(r.key)) repeatedRows.push(r.row);
    seen.add(r.key);
  }
  const existingKeys = new Set<string>();
  const existingIds = new Set<number>();
  const keys = [...seen];
  const ids = rows.flatMap((r) => (r.responseId === null ? [] : [r.responseId]));
  for (let i = 0; i < keys.length; i += 500) {
    const found = await db.response.findMany({
      where: { formId: form.id, importKey: { in: keys.slice(i, i + 500) } },
      select: { importKey: true },
    });
    for (const f of found) existingKeys.add(f.importKey!);
  }
  for (let i = 0; i < ids.length; i += 500) {
    const found = await db.response.findMany({ where: { formId: form.id, id: { in: ids.slice(i, i + 500) } }, select: { id: true } });
    for (const f of found) existingIds.add(f.id);
  }
  const existingRows = rows
    .filter((r) => existingKeys.has(r.key) || (r.responseId !== null && existingIds.has(r.responseId)))
    .map((r) => r.row);
  if (!sameFile && !repeatedRows.length && !existingRows.length) return null;
  return {
    fileSha256,
    sameFile: sameFile ? { at: sameFile.createdAt, rows: sameFile.rows } : null,
    repeatedRows,
    existingRows,
    rows: rows.length,
  };
}

/**
 * Imports every row as a response (source 'import'), or none of them. A file or rows seen before
 * are only added when the organizer confirmed that very file (`confirmedSha256`, from the question
 * they were asked).
 */
export async function importResponsesCsv(
  ctx: WorkshopCtx,
  formId: number,
  content: Buffer | string,
  options: { confirmedSha256?: string | undefined } = {},
): Promise<ImportResult> {
  assertRole(ctx, 'organizer');
  const form = await getFormDefinition(ctx, formId);
  const sessions = await prisma.workshopSession.findMany({ where: { workshopId: ctx.workshopId }, select: { id: true, name: true } });
  const { problems, rows, fileSha256 } = checkImport(form, content, sessions);
  if (problems.length) return { ok: false, problems };
  const refused = await prisma.$transaction(
    async (tx) => {
      // One import into a form at a time, and none while its questions change: the form is held
      // first (holdForm), so a second submit of the same file (a double tap) waits here and then
      // finds the first one's rows, and rows checked against questions changed since are refused.
      const now = await holdForm(tx, ctx.workshopId, form.id);
      if (!now) throw new NotFoundError(`Form ${form.id} is gone`);
      if (!sameQuestions(now, form)) throw new ConflictError('Questions changed during the import', 'questionnaires:import.formChanged');
      if (options.confirmedSha256 !== fileSha256) {
        const duplicates = await findDuplicates(tx, form, rows, fileSha256);
        if (duplicates) return { ok: false as const, duplicates };
      }
      const { id: importId } = await tx.responseImport.create({
        data: { workshopId: ctx.workshopId, formId: form.id, fileSha256, rows: rows.length },
        select: { id: true },
      });
      for (const r of rows) {
        await insertResponse(tx, now, r.answers, 'import', null, {
          sessionId: r.sessionId,
          submittedAt: r.submittedAt,
          importId,
          importKey: r.key,
        });
      }
      return null;
    },
    { timeout: 60_000 },
  );
  return refused ?? { ok: true, imported: rows.length };
}
