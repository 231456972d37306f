// Answers to a form, from the four sources: a signed-in trainee (one response per trainee per
// form, corrected in place while the form is open), the anonymous link, paper entry by an
// organizer, and the CSV import (csv.service.ts). Writes of a response and its answers are one
// transaction.
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { checkAnswers, type CleanAnswers, type RawAnswers } from './answers.js';
import { findOpenFormByToken, getFormDefinition, IDENTITY_KEYS, type FormDefinition } from './questionnaires.service.js';

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

function answerRows(form: FormDefinition, responseId: number, answers: CleanAnswers) {
  return form.questions.flatMap((q) => (answers[q.key] ?? []).map((value) => ({ responseId, questionId: q.id, value })));
}

/** Inserts one response with its answers (inside the caller's transaction). */
export async function insertResponse(
  tx: Tx,
  form: FormDefinition,
  answers: CleanAnswers,
  source: ResponseSource,
  userId: number | null = null,
): Promise<number> {
  const response = await tx.response.create({
    data: { workshopId: form.workshopId, formId: form.id, sessionId: form.sessionId, userId, source, ...identityColumns(answers) },
    select: { id: true },
  });
  const rows = answerRows(form, response.id, answers);
  if (rows.length) await tx.answer.createMany({ data: rows });
  return response.id;
}

/** The form a trainee may answer now: in their workshop (else 404) and open (else 409). */
async function openFormFor(ctx: WorkshopCtx, formId: number): Promise<FormDefinition> {
  const form = await getFormDefinition(ctx, formId);
  if (form.status === 'draft') throw new NotFoundError(`Form ${formId} is a draft`);
  if (form.status !== 'open') throw new ConflictError(`Form ${formId} is closed`, 'questionnaires:answer.closed');
  return form;
}

/** The form a trainee sees: a draft is hidden (404); a closed form is shown read-only. */
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
  return { form, answered: Boolean(response), answeredAt: response?.updatedAt ?? null, values };
}

/**
 * A trainee's answer: the first submit creates their response, a later one (while the form is
 * open) replaces its answers. Never two responses: Response has a unique (formId, userId).
 */
export async function submitTraineeResponse(ctx: WorkshopCtx, formId: number, input: RawAnswers): Promise<{ created: boolean }> {
  const form = await openFormFor(ctx, formId);
  if (ctx.role !== 'trainee') throw new ForbiddenError('Only trainees answer as themselves', 'questionnaires:answer.traineesOnly');
  const answers = validateOrThrow(form, input);
  const save = () =>
    prisma.$transaction(async (tx) => {
      const existing = await tx.response.findUnique({
        where: { formId_userId: { formId: form.id, userId: ctx.userId } },
        select: { id: true },
      });
      if (!existing) {
        await insertResponse(tx, form, answers, 'trainee', ctx.userId);
        return { created: true };
      }
      await tx.response.update({
        where: { id: existing.id },
        data: { sessionId: form.sessionId, ...identityColumns(answers), updatedAt: new Date() },
      });
      await tx.answer.deleteMany({ where: { responseId: existing.id } });
      const rows = answerRows(form, existing.id, answers);
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
  const answers = validateOrThrow(form, input);
  await prisma.$transaction((tx) => insertResponse(tx, form, answers, 'anonymous'));
}

/** An organizer typing in a paper form; closed forms accept paper too (typed in afterwards). */
export async function submitPaperResponse(ctx: WorkshopCtx, formId: number, input: RawAnswers): Promise<{ responseCount: number }> {
  assertRole(ctx, 'organizer');
  const form = await getFormDefinition(ctx, formId);
  const answers = validateOrThrow(form, input);
  return prisma.$transaction(async (tx) => {
    await insertResponse(tx, form, answers, 'paper');
    return { responseCount: await tx.response.count({ where: { formId: form.id } }) };
  });
}
