// Answers to a form, from the four sources: a signed-in trainee (one response per trainee per
// form, corrected in place while the form is open), the anonymous link, paper entry by an
// organizer, and the CSV import (csv.service.ts). Writes of a response and its answers are one
// transaction.
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { checkAnswers, type CleanAnswers, type RawAnswers } from './answers.js';
import { findOpenFormByToken, getFormDefinition, holdForm, IDENTITY_KEYS, type FormDefinition } from './questionnaires.service.js';

export type ResponseSource = 'trainee' | 'anonymous' | 'paper' | 'import';

/** Throws ValidationError (field messages keyed by question key) or returns clean answers. */
export function validateOrThrow(form: FormDefinition, input: RawAnswers): CleanAnswers {
  const result = checkAnswers(form.questions, input);
  if (!result.ok) throw new ValidationError(result.errors);
  return result.answers;
}

function identityColumns(answers: CleanAnswers) {
  const columns: { gender: string | null; ageBand: string | null; occupation: string | null } = {
    gender: null,
    ageBand: null,
    occupation: null,
  };
  for (const [key, column] of Object.entries(IDENTITY_KEYS)) columns[column] = answers[key]?.[0] ?? null;
  return columns;
}

/**
 * The answers' rows, each with its response's session and identity answers (the evaluation's
 * filtered counts read these copies from one covering index). Written here, in the same INSERT: a
 * trigger setting them row by row made a large import about ten times slower. The database still
 * corrects a row written without them (migration answer_filter_copies_in_insert).
 */
function answerRows(form: FormDefinition, responseId: number, sessionId: number | null, answers: CleanAnswers) {
  const copies = { sessionId, ...identityColumns(answers) };
  return form.questions.flatMap((q) => (answers[q.key] ?? []).map((value) => ({ responseId, questionId: q.id, value, ...copies })));
}

/** What an imported row brings besides its answers: its own session and time, and where it came from. */
export type ImportedColumns = { sessionId: number | null; submittedAt: Date | null; importId: number; importKey: string };

/** Inserts one response with its answers (inside the caller's transaction). */
export async function insertResponse(
  tx: Tx,
  form: FormDefinition,
  answers: CleanAnswers,
  source: ResponseSource,
  userId: number | null = null,
  imported?: ImportedColumns,
): Promise<number> {
  const at = imported?.submittedAt ?? undefined;
  const sessionId = imported?.sessionId ?? form.sessionId;
  const response = await tx.response.create({
    data: {
      workshopId: form.workshopId,
      formId: form.id,
      sessionId,
      userId,
      source,
      ...identityColumns(answers),
      ...(imported ? { importId: imported.importId, importKey: imported.importKey } : {}),
      ...(at ? { createdAt: at, updatedAt: at } : {}),
    },
    select: { id: true },
  });
  const rows = answerRows(form, response.id, sessionId, answers);
  if (rows.length) await tx.answer.createMany({ data: rows });
  return response.id;
}

/**
 * First thing in the answer's transaction: the form as it is now, held until the answer is saved
 * (holdForm), so the answer is checked against the questions it is saved with: a question the
 * organizer removed or changed a moment earlier asks the person again, with what they typed kept.
 * Another workshop's form is a 404; to be answered (not typed in from paper) it must be open: a
 * draft is hidden (404), a closed form refuses (409).
 */
async function formToAnswer(tx: Tx, workshopId: number, formId: number, mustBeOpen: boolean): Promise<FormDefinition> {
  const now = await holdForm(tx, workshopId, formId);
  if (!now || (mustBeOpen && now.status === 'draft'))
    throw new NotFoundError(`Form ${formId} is not in workshop ${workshopId}, or a draft`);
  if (mustBeOpen && now.status !== 'open') throw new ConflictError(`Form ${formId} is closed`, 'questionnaires:answer.closed');
  return now;
}

/**
 * Gender, age band and occupation the trainee gave in their latest earlier response in this
 * workshop (keyed by question key), for the identity questions of this form whose options hold
 * the value. Empty when there is none.
 */
async function identityFromEarlierAnswers(ctx: WorkshopCtx, form: FormDefinition): Promise<Record<string, string[]>> {
  const asked = form.questions.filter((q) => q.key in IDENTITY_KEYS);
  if (!asked.length) return {};
  const earlier = await prisma.response.findFirst({
    where: { workshopId: ctx.workshopId, userId: ctx.userId, formId: { not: form.id }, gender: { not: null } },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    select: { gender: true, ageBand: true, occupation: true },
  });
  if (!earlier) return {};
  const values: Record<string, string[]> = {};
  for (const q of asked) {
    const value = earlier[IDENTITY_KEYS[q.key as keyof typeof IDENTITY_KEYS]];
    if (value && q.options.some((o) => o.value === value)) values[q.key] = [value];
  }
  return values;
}

/**
 * The form a trainee sees: a draft is hidden (404); a closed form is shown read-only. A form not
 * answered yet comes with the identity answers of the trainee's earlier questionnaire filled in
 * (`copiedIdentity` names them), so the post-training form does not ask them again.
 */
export async function getFormForTrainee(ctx: WorkshopCtx, formId: number) {
  const form = await getFormDefinition(ctx, formId);
  if (form.status === 'draft') throw new NotFoundError(`Form ${formId} is a draft`);
  const response = await prisma.response.findUnique({
    where: { formId_userId: { formId, userId: ctx.userId } },
    select: { id: true, updatedAt: true, answers: { select: { questionId: true, value: true } } },
  });
  const values: Record<string, string[]> = {};
  if (response) {
    const keyOf = new Map(form.questions.map((q) => [q.id, q.key]));
    for (const a of response.answers) {
      const key = keyOf.get(a.questionId);
      if (key) (values[key] ??= []).push(a.value);
    }
  }
  const copied = response ? {} : await identityFromEarlierAnswers(ctx, form);
  return {
    form,
    answered: Boolean(response),
    answeredAt: response?.updatedAt ?? null,
    values: { ...copied, ...values },
    copiedIdentity: Object.keys(copied),
  };
}

/**
 * A trainee's answer: the first submit creates their response, a later one (while the form is
 * open) replaces its answers. Never two responses: Response has a unique (formId, userId).
 */
export async function submitTraineeResponse(ctx: WorkshopCtx, formId: number, input: RawAnswers): Promise<{ created: boolean }> {
  const save = () =>
    prisma.$transaction(async (tx) => {
      const now = await formToAnswer(tx, ctx.workshopId, formId, true);
      if (ctx.role !== 'trainee') throw new ForbiddenError('Only trainees answer as themselves', 'questionnaires:answer.traineesOnly');
      const answers = validateOrThrow(now, input);
      const existing = await tx.response.findUnique({
        where: { formId_userId: { formId: now.id, userId: ctx.userId } },
        select: { id: true },
      });
      if (!existing) {
        await insertResponse(tx, now, answers, 'trainee', ctx.userId);
        return { created: true };
      }
      await tx.response.update({
        where: { id: existing.id },
        data: { sessionId: now.sessionId, ...identityColumns(answers), updatedAt: new Date() },
      });
      await tx.answer.deleteMany({ where: { responseId: existing.id } });
      const rows = answerRows(now, existing.id, now.sessionId, answers);
      if (rows.length) await tx.answer.createMany({ data: rows });
      return { created: false };
    });
  try {
    return await save();
  } catch (error) {
    // Two submits raced and both tried to create: the second becomes an update.
    if (isUniqueViolation(error)) return save();
    throw error;
  }
}

/** A walk-in's answer through the anonymous link: one new response per submission. */
export async function submitAnonymousResponse(token: string, input: RawAnswers): Promise<void> {
  const form = await findOpenFormByToken(token);
  if (!form) throw new NotFoundError('Unknown or closed anonymous link');
  await prisma.$transaction(async (tx) => {
    const now = await formToAnswer(tx, form.workshopId, form.id, true);
    await insertResponse(tx, now, validateOrThrow(now, input), 'anonymous');
  });
}

/** An organizer typing in a paper form; closed forms accept paper too (typed in afterwards). */
export async function submitPaperResponse(ctx: WorkshopCtx, formId: number, input: RawAnswers): Promise<{ responseCount: number }> {
  assertRole(ctx, 'organizer');
  return prisma.$transaction(async (tx) => {
    const now = await formToAnswer(tx, ctx.workshopId, formId, false);
    await insertResponse(tx, now, validateOrThrow(now, input), 'paper');
    return { responseCount: await tx.response.count({ where: { formId: now.id } }) };
  });
}

// ---------------------------------------------------------------- reading responses in batches

/** Narrows the responses read: a session and the identity answers (the evaluation's filters). */
export type ResponseFilter = {
  sessionId?: number | undefined;
  gender?: string | undefined;
  ageBand?: string | undefined;
  occupation?: string | undefined;
};

export type ResponseRow = {
  id: number;
  source: string;
  sessionName: string | null;
  submittedAt: Date;
  /** Question id → the values, multiple choice in the order of the options. */
  values: Map<number, string[]>;
};

const READ_BATCH = 1000;

/**
 * The form's responses under the filter, a thousand at a time in id order, each batch handed
 * over before the next is read: a whole program's form (100,000 responses are 1.4 million answers)
 * never sits in memory.
 */
export async function* responseBatches(form: FormDefinition, filter: ResponseFilter = {}): AsyncGenerator<ResponseRow[]> {
  const order = new Map(form.questions.map((q) => [q.id, new Map(q.options.map((o, i) => [o.value, i]))]));
  const where = {
    formId: form.id,
    workshopId: form.workshopId,
    ...(filter.sessionId ? { sessionId: filter.sessionId } : {}),
    ...(filter.gender ? { gender: filter.gender } : {}),
    ...(filter.ageBand ? { ageBand: filter.ageBand } : {}),
    ...(filter.occupation ? { occupation: filter.occupation } : {}),
  };
  for (let afterId = 0; ;) {
    const responses = await prisma.response.findMany({
      where: { ...where, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: READ_BATCH,
      select: {
        id: true,
        source: true,
        updatedAt: true,
        session: { select: { name: true } },
        answers: { select: { questionId: true, value: true } },
      },
    });
    if (!responses.length) return;
    yield responses.map((r) => {
      const values = new Map<number, string[]>();
      for (const a of r.answers) values.set(a.questionId, [...(values.get(a.questionId) ?? []), a.value]);
      for (const [questionId, list] of values) {
        const rank = order.get(questionId);
        if (rank?.size && list.length > 1) list.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
      }
      return { id: r.id, source: r.source, sessionName: r.session?.name ?? null, submittedAt: r.updatedAt, values };
    });
    afterId = responses[responses.length - 1]!.id;
  }
}
