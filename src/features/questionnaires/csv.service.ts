// Raw responses as CSV, both ways. Export: one row per response, one column per question key
// (multiple-choice values joined with '|'). Import: every row is checked against the form like a
// typed-in answer; any problem and nothing is imported (one transaction), with a list of
// problems by row and column.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { prisma } from '../../db.js';
import { ForbiddenError } from '../../errors.js';
import { defuseFormula, restoreFormula } from '../../lib/csv.js';
import { assertRole, isStaff, type WorkshopCtx } from '../workshops/workshops.service.js';
import { checkAnswers, CSV_MULTI_SEPARATOR, type RawAnswers } from './answers.js';
import { getFormDefinition, type FormDefinition, type QuestionDef } from './questionnaires.service.js';
import { insertResponse } from './responses.service.js';

export const META_COLUMNS = ['response_id', 'source', 'session', 'submitted_at'] as const;
export const MAX_IMPORT_ROWS = 5000;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const EXPORT_BATCH = 1000;

/**
 * The export as pieces of CSV text to send one after the other: who may export and which form are
 * checked before the first piece, so a refusal is a normal error page.
 */
export async function exportResponsesCsv(ctx: WorkshopCtx, formId: number): Promise<{ filename: string; parts: AsyncGenerator<string> }> {
  if (!isStaff(ctx)) throw new ForbiddenError('Only staff export responses');
  const form = await getFormDefinition(ctx, formId);
  return { filename: `kuesioner-${form.id}-jawaban.csv`, parts: csvParts(ctx, form) };
}

async function* csvParts(ctx: WorkshopCtx, form: FormDefinition): AsyncGenerator<string> {
  // A thousand responses at a time, each batch sent before the next is read: a whole program's
  // form (100,000 responses are 1.4 million answers and megabytes of text) never sits in memory.
  // The byte-order mark lets spreadsheet programs read the Indonesian text as UTF-8.
  yield '\ufeff';
  yield stringify([[...META_COLUMNS, ...form.questions.map((q) => q.key)]]);
  for (let afterId = 0; ;) {
    const responses = await prisma.response.findMany({
      where: { formId: form.id, workshopId: ctx.workshopId, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: EXPORT_BATCH,
      select: {
        id: true,
        source: true,
        updatedAt: true,
        session: { select: { name: true } },
        answers: { select: { questionId: true, value: true } },
      },
    });
    if (!responses.length) break;
    const rows = responses.map((r) => {
      const byQuestion = new Map<number, string[]>();
      for (const a of r.answers) byQuestion.set(a.questionId, [...(byQuestion.get(a.questionId) ?? []), a.value]);
      return [
        String(r.id),
        r.source,
        defuseFormula(r.session?.name ?? ''),
        r.updatedAt.toISOString(),
        ...form.questions.map((q) => defuseFormula(sortByOptions(q, byQuestion.get(q.id) ?? []).join(CSV_MULTI_SEPARATOR))),
      ];
    });
    yield stringify(rows);
    afterId = responses[responses.length - 1]!.id;
  }
}

/** The whole export as one text (tests, small forms). */
export async function csvText(parts: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const part of parts) text += part;
  return text;
}

function sortByOptions(q: QuestionDef, values: string[]): string[] {
  if (!q.options.length) return values;
  const order = new Map(q.options.map((o, i) => [o.value, i]));
  return [...values].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

export type ImportProblem = { row: number; column: string; message: string; params?: Record<string, string | number> };
export type ImportResult = { ok: true; imported: number } | { ok: false; problems: ImportProblem[] };

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

function detectDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

/** Reads and checks the file; row numbers are those a spreadsheet shows (the header is row 1). */
export function checkImport(
  form: FormDefinition,
  content: Buffer | string,
): { problems: ImportProblem[]; rows: ReturnType<typeof checkAnswers>['answers'][] } {
  const textContent = (typeof content === 'string' ? content : content.toString('utf8')).replace(/^\ufeff/, '');
  let records: string[][];
  try {
    records = parse(textContent, {
      delimiter: detectDelimiter(textContent),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch {
    return { problems: [{ row: 0, column: '', message: 'questionnaires:import.unreadable' }], rows: [] };
  }
  const [header, ...data] = records;
  if (!header || !data.length) return { problems: [{ row: 0, column: '', message: 'questionnaires:import.empty' }], rows: [] };
  if (data.length > MAX_IMPORT_ROWS)
    return { problems: [{ row: 0, column: '', message: 'questionnaires:import.tooManyRows', params: { max: MAX_IMPORT_ROWS } }], rows: [] };

  const problems: ImportProblem[] = [];
  const columns = header.map((h) => h.trim().toLowerCase());
  const questionByKey = new Map(form.questions.map((q) => [q.key, q]));
  columns.forEach((column) => {
    if (!questionByKey.has(column) && !(META_COLUMNS as readonly string[]).includes(column)) {
      problems.push({ row: 1, column, message: 'questionnaires:import.unknownColumn' });
    }
  });
  for (const q of form.questions) {
    if (q.required && !columns.includes(q.key)) problems.push({ row: 1, column: q.key, message: 'questionnaires:import.missingColumn' });
  }
  if (problems.length) return { problems, rows: [] };

  const rows = [];
  for (const [index, record] of data.entries()) {
    const input: RawAnswers = {};
    columns.forEach((column, i) => {
      const q = questionByKey.get(column);
      if (q) input[column] = cellToValues(q, record[i] ?? '');
    });
    const result = checkAnswers(form.questions, input);
    if (!result.ok) {
      for (const [column, message] of Object.entries(result.errors)) problems.push({ row: index + 2, column, message });
    }
    rows.push(result.answers);
  }
  return { problems, rows };
}

/** Imports every row as a response (source 'import'), or none of them. */
export async function importResponsesCsv(ctx: WorkshopCtx, formId: number, content: Buffer | string): Promise<ImportResult> {
  assertRole(ctx, 'organizer');
  const form = await getFormDefinition(ctx, formId);
  const { problems, rows } = checkImport(form, content);
  if (problems.length) return { ok: false, problems };
  await prisma.$transaction(
    async (tx) => {
      for (const answers of rows) await insertResponse(tx, form, answers, 'import');
    },
    { timeout: 60_000 },
  );
  return { ok: true, imported: rows.length };
}
