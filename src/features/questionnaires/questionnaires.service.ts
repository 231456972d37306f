// Questionnaire forms of a workshop: their definition (read by answering, CSV and the evaluation
// page), creation from the shipped templates, and the organizer's editing. Every query filters by
// ctx.workshopId: another workshop's form is a 404.
import { randomBytes } from 'node:crypto';
import { prisma, type Tx } from '../../db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import {
  choiceTypes,
  optionSchema,
  type FormKind,
  type FormSettingsInput,
  type FormStatus,
  type QuestionInput,
  type QuestionOption,
  type QuestionType,
  type Template,
} from './questionnaires.schemas.js';
import { getKnowledgeTest, getTemplate, loadTemplates } from './templates.js';

export type { QuestionOption, QuestionType, FormKind, FormStatus };

/** Yes/no questions have these two options; Answer.value is 'yes' or 'no'. */
export const YES_NO_OPTIONS: QuestionOption[] = [
  { value: 'yes', id: 'Ya', en: 'Yes' },
  { value: 'no', id: 'Tidak', en: 'No' },
];

/** The identity questions whose answers are copied onto Response for filtering in the database. */
export const IDENTITY_KEYS = { gender: 'gender', age_band: 'ageBand', occupation: 'occupation' } as const;

export type QuestionDef = {
  id: number;
  key: string;
  group: string;
  type: QuestionType;
  required: boolean;
  position: number;
  textId: string;
  textEn: string;
  /** Choice options in their order (best first for scales); yes/no gets YES_NO_OPTIONS; text types []. */
  options: QuestionOption[];
};

/** A question's stored columns but its position; yes/no stores no options (YES_NO_OPTIONS are implied). */
function questionColumns(q: Pick<QuestionDef, 'key' | 'group' | 'type' | 'required' | 'textId' | 'textEn' | 'options'>) {
  return {
    key: q.key,
    group: q.group,
    type: q.type,
    required: q.required,
    textId: q.textId,
    textEn: q.textEn,
    options: JSON.stringify(q.type === 'yesno' ? [] : q.options),
  };
}

export type FormDefinition = {
  id: number;
  workshopId: number;
  sessionId: number | null;
  sessionName: string | null;
  kind: FormKind;
  templateKey: string | null;
  titleId: string;
  titleEn: string;
  introId: string;
  introEn: string;
  status: FormStatus;
  anonymousToken: string | null;
  createdAt: Date;
  questions: QuestionDef[];
};

/** Picks the text of the language ('id' or 'en'), falling back to Bahasa Indonesia. */
export function localized(lang: string, id: string, en: string): string {
  return lang === 'en' && en ? en : id;
}

export function parseOptions(type: string, json: string): QuestionOption[] {
  if (type === 'yesno') return YES_NO_OPTIONS;
  if (!choiceTypes.includes(type as QuestionType)) return [];
  const raw: unknown = JSON.parse(json || '[]');
  return optionSchema.array().parse(raw);
}

const formSelect = {
  id: true,
  workshopId: true,
  sessionId: true,
  kind: true,
  templateKey: true,
  titleId: true,
  titleEn: true,
  introId: true,
  introEn: true,
  status: true,
  anonymousToken: true,
  createdAt: true,
  session: { select: { name: true } },
  questions: { orderBy: { position: 'asc' as const } },
} as const;

type FormRow = {
  id: number;
  workshopId: number;
  sessionId: number | null;
  kind: string;
  templateKey: string | null;
  titleId: string;
  titleEn: string;
  introId: string;
  introEn: string;
  status: string;
  anonymousToken: string | null;
  createdAt: Date;
  session: { name: string } | null;
  questions: {
    id: number;
    key: string;
    group: string;
    type: string;
    required: boolean;
    position: number;
    textId: string;
    textEn: string;
    options: string;
  }[];
};

function toDefinition(row: FormRow): FormDefinition {
  const { session, questions, ...form } = row;
  return {
    ...form,
    kind: form.kind as FormKind,
    status: form.status as FormStatus,
    sessionName: session?.name ?? null,
    questions: questions.map((q) => ({
      id: q.id,
      key: q.key,
      group: q.group,
      type: q.type as QuestionType,
      required: q.required,
      position: q.position,
      textId: q.textId,
      textEn: q.textEn,
      options: parseOptions(q.type, q.options),
    })),
  };
}

/**
 * A form of this workshop with its questions in order and their options parsed. Any member may
 * read a definition; callers decide what a role may do with it. 404 for another workshop's form.
 */
export async function getFormDefinition(ctx: Pick<WorkshopCtx, 'workshopId'>, formId: number): Promise<FormDefinition> {
  if (!Number.isSafeInteger(formId) || formId <= 0) throw new NotFoundError();
  const row = await prisma.form.findFirst({ where: { id: formId, workshopId: ctx.workshopId }, select: formSelect });
  if (!row) throw new NotFoundError(`Form ${formId} is not in workshop ${ctx.workshopId}`);
  return toDefinition(row);
}

/**
 * First thing in a transaction that answers a form or edits its questions: writes the form's row,
 * so those transactions go one at a time (PostgreSQL holds the row until commit; SQLite has one
 * writer). An organizer's "has it answers?" then sees an answer saved a moment earlier, and an
 * answer is checked against the questions as they are when it is saved (questionnaires.races.test.ts).
 * Returns the form as it is now, or null when it is not (any more) in the workshop.
 */
export async function holdForm(tx: Tx, workshopId: number, formId: number): Promise<FormDefinition | null> {
  if (!(await lockForm(tx, workshopId, formId))) return null;
  return toDefinition(await tx.form.findUniqueOrThrow({ where: { id: formId }, select: formSelect }));
}

/** holdForm's write alone: true when the form is in the workshop (and now held). */
async function lockForm(tx: Tx, workshopId: number, formId: number): Promise<boolean> {
  if (!Number.isSafeInteger(formId) || formId <= 0) return false;
  const held = await tx.form.updateMany({ where: { id: formId, workshopId }, data: { workshopId } });
  return held.count === 1;
}

/** Whether two readings of a form ask the same questions with the same options. */
export function sameQuestions(a: FormDefinition, b: FormDefinition): boolean {
  const shape = (f: FormDefinition) =>
    JSON.stringify(f.questions.map((q) => [q.id, q.key, q.type, q.required, q.options.map((o) => o.value)]));
  return shape(a) === shape(b);
}

/** The open form behind an anonymous link, or null (unknown token, or the form is not open). */
export async function findOpenFormByToken(token: string): Promise<FormDefinition | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const row = await prisma.form.findUnique({ where: { anonymousToken: token }, select: formSelect });
  if (!row || row.status !== 'open') return null;
  return toDefinition(row);
}

// ---------------------------------------------------------------- listing and templates

export function listTemplates() {
  return [...loadTemplates().values()].map((t) => ({
    key: t.key,
    kind: t.kind,
    titleId: t.title.id,
    titleEn: t.title.en,
    questionCount: t.questions.length,
  }));
}

/** The workshop's forms, newest first, with their response counts. Trainees see open forms only. */
export async function listForms(ctx: WorkshopCtx) {
  const staff = ctx.role !== 'trainee';
  const forms = await prisma.form.findMany({
    where: { workshopId: ctx.workshopId, ...(staff ? {} : { status: 'open' }) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      kind: true,
      titleId: true,
      titleEn: true,
      status: true,
      anonymousToken: true,
      session: { select: { name: true } },
      _count: { select: { responses: true, questions: true } },
    },
  });
  const mine = staff
    ? new Set<number>()
    : new Set(
        (await prisma.response.findMany({ where: { workshopId: ctx.workshopId, userId: ctx.userId }, select: { formId: true } })).map(
          (r) => r.formId,
        ),
      );
  return forms.map((f) => ({
    id: f.id,
    kind: f.kind as FormKind,
    titleId: f.titleId,
    titleEn: f.titleEn,
    status: f.status as FormStatus,
    anonymous: Boolean(f.anonymousToken),
    sessionName: f.session?.name ?? null,
    responseCount: f._count.responses,
    questionCount: f._count.questions,
    answeredByMe: mine.has(f.id),
  }));
}

async function assertSessionInWorkshop(db: Tx, workshopId: number, sessionId: number | null | undefined, field = 'sessionId') {
  if (sessionId == null) return;
  const session = await db.workshopSession.findFirst({ where: { id: sessionId, workshopId }, select: { id: true } });
  if (!session) throw new ValidationError({ [field]: 'common:validation.invalid' });
}

/** Creates a form of the workshop from a template (used by organizers and the demo loader). */
export async function insertFormFromTemplate(
  db: Tx,
  workshopId: number,
  template: Template,
  options: { sessionId?: number | null; status?: FormStatus; titleSuffix?: { id: string; en: string }; knowledgeTest?: boolean } = {},
): Promise<number> {
  const questions = [...template.questions, ...(options.knowledgeTest ? getKnowledgeTest().questions : [])];
  const form = await db.form.create({
    data: {
      workshopId,
      sessionId: options.sessionId ?? null,
      kind: template.kind,
      templateKey: template.key,
      titleId: template.title.id + (options.titleSuffix ? ` – ${options.titleSuffix.id}` : ''),
      titleEn: template.title.en + (options.titleSuffix ? ` – ${options.titleSuffix.en}` : ''),
      introId: template.intro.id,
      introEn: template.intro.en,
      status: options.status ?? 'draft',
      questions: {
        create: questions.map((q, position) => ({ ...questionColumns({ ...q, textId: q.text.id, textEn: q.text.en }), position })),
      },
    },
    select: { id: true },
  });
  return form.id;
}

export async function createFormFromTemplate(
  ctx: WorkshopCtx,
  templateKey: string,
  options: { sessionId?: number | null; knowledgeTest?: boolean } = {},
): Promise<number> {
  assertRole(ctx, 'organizer');
  const template = getTemplate(templateKey);
  if (!template) throw new ValidationError({ templateKey: 'common:validation.choose' });
  return prisma.$transaction(async (tx) => {
    await assertSessionInWorkshop(tx, ctx.workshopId, options.sessionId);
    return insertFormFromTemplate(tx, ctx.workshopId, template, {
      sessionId: options.sessionId ?? null,
      knowledgeTest: Boolean(options.knowledgeTest),
    });
  });
}

// ---------------------------------------------------------------- organizer's editing

async function formOfWorkshop(db: Tx, ctx: WorkshopCtx, formId: number) {
  if (!Number.isSafeInteger(formId) || formId <= 0) throw new NotFoundError();
  const form = await db.form.findFirst({ where: { id: formId, workshopId: ctx.workshopId }, select: { id: true, status: true } });
  if (!form) throw new NotFoundError(`Form ${formId} is not in workshop ${ctx.workshopId}`);
  return form;
}

/** formOfWorkshop's 404 for an organizer's edit, with the form held for the rest of the transaction (holdForm). */
async function heldFormOfWorkshop(tx: Tx, ctx: WorkshopCtx, formId: number) {
  if (!(await lockForm(tx, ctx.workshopId, formId))) throw new NotFoundError(`Form ${formId} is not in workshop ${ctx.workshopId}`);
}

export async function updateFormSettings(ctx: WorkshopCtx, formId: number, input: FormSettingsInput): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.$transaction(async (tx) => {
    await heldFormOfWorkshop(tx, ctx, formId);
    await assertSessionInWorkshop(tx, ctx.workshopId, input.sessionId);
    await tx.form.update({
      where: { id: formId },
      data: {
        titleId: input.titleId,
        titleEn: input.titleEn,
        introId: input.introId,
        introEn: input.introEn,
        kind: input.kind,
        sessionId: input.sessionId,
      },
    });
    // A response belongs to its form's session: moving the form moves its responses.
    await tx.response.updateMany({ where: { formId, workshopId: ctx.workshopId }, data: { sessionId: input.sessionId } });
  });
}

export async function setFormStatus(ctx: WorkshopCtx, formId: number, status: FormStatus): Promise<void> {
  assertRole(ctx, 'organizer');
  await formOfWorkshop(prisma, ctx, formId);
  if (status === 'open' && (await prisma.question.count({ where: { formId } })) === 0) {
    throw new ConflictError('A form without questions cannot open', 'questionnaires:manage.noQuestions');
  }
  await prisma.form.update({ where: { id: formId }, data: { status } });
}

/** Turns the anonymous link on (a new random, unguessable token) or off. */
export async function setAnonymousLink(ctx: WorkshopCtx, formId: number, enabled: boolean): Promise<void> {
  assertRole(ctx, 'organizer');
  await formOfWorkshop(prisma, ctx, formId);
  await prisma.form.update({ where: { id: formId }, data: { anonymousToken: enabled ? randomBytes(24).toString('base64url') : null } });
}

/** A draft copy of the form with all its questions (keys kept, so pre/post comparison holds). */
export async function copyForm(ctx: WorkshopCtx, formId: number, title: { id: string; en: string }): Promise<number> {
  assertRole(ctx, 'organizer');
  const form = await getFormDefinition(ctx, formId);
  const copy = await prisma.form.create({
    data: {
      workshopId: ctx.workshopId,
      sessionId: form.sessionId,
      kind: form.kind,
      templateKey: form.templateKey,
      titleId: title.id.slice(0, 200),
      titleEn: title.en.slice(0, 200),
      introId: form.introId,
      introEn: form.introEn,
      status: 'draft',
      questions: {
        create: form.questions.map((q, position) => ({ ...questionColumns(q), position })),
      },
    },
    select: { id: true },
  });
  return copy.id;
}

/** Removes a form made by mistake; a form with responses is kept (close it instead). */
export async function deleteForm(ctx: WorkshopCtx, formId: number): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.$transaction(async (tx) => {
    await heldFormOfWorkshop(tx, ctx, formId);
    if ((await tx.response.count({ where: { formId } })) > 0)
      throw new ConflictError('Form has responses', 'questionnaires:manage.deleteRefused');
    await tx.form.delete({ where: { id: formId } });
  });
}

export async function addQuestion(ctx: WorkshopCtx, formId: number, input: QuestionInput): Promise<number> {
  assertRole(ctx, 'organizer');
  return prisma.$transaction(async (tx) => {
    await heldFormOfWorkshop(tx, ctx, formId);
    if (await tx.question.findUnique({ where: { formId_key: { formId, key: input.key } }, select: { id: true } })) {
      throw new ValidationError({ key: 'questionnaires:validation.keyTaken' });
    }
    const last = await tx.question.aggregate({ where: { formId }, _max: { position: true } });
    const question = await tx.question.create({
      data: { formId, ...questionColumns(input), position: (last._max.position ?? -1) + 1 },
      select: { id: true },
    });
    return question.id;
  });
}

async function questionOfForm(db: Tx, ctx: WorkshopCtx, formId: number, questionId: number) {
  await formOfWorkshop(db, ctx, formId);
  if (!Number.isSafeInteger(questionId) || questionId <= 0) throw new NotFoundError();
  const question = await db.question.findFirst({ where: { id: questionId, formId } });
  if (!question) throw new NotFoundError(`Question ${questionId} is not in form ${formId}`);
  return { ...question, answerCount: await db.answer.count({ where: { questionId } }) };
}

export async function getQuestion(ctx: WorkshopCtx, formId: number, questionId: number) {
  const q = await questionOfForm(prisma, ctx, formId, questionId);
  return { ...q, type: q.type as QuestionType, options: parseOptions(q.type, q.options), locked: q.answerCount > 0 };
}

/**
 * Edits a question. Once it has answers, its key, type and option values (and their order, which
 * is the scale's meaning) are locked: those answers must keep meaning what they meant. Texts,
 * group and "required" may still be corrected.
 */
export async function updateQuestion(ctx: WorkshopCtx, formId: number, questionId: number, input: QuestionInput): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.$transaction(async (tx) => {
    await heldFormOfWorkshop(tx, ctx, formId);
    const current = await questionOfForm(tx, ctx, formId, questionId);
    if (current.answerCount > 0) {
      const oldValues = parseOptions(current.type, current.options).map((o) => o.value);
      const newValues = (input.type === 'yesno' ? [] : input.options).map((o) => o.value);
      if (input.key !== current.key) throw new ValidationError({ key: 'questionnaires:validation.lockedKey' });
      if (input.type !== current.type) throw new ValidationError({ type: 'questionnaires:validation.lockedType' });
      if (current.type !== 'yesno' && oldValues.join('\n') !== newValues.join('\n')) {
        throw new ValidationError({ options: 'questionnaires:validation.lockedOptions' });
      }
    } else if (input.key !== current.key) {
      const clash = await tx.question.findUnique({ where: { formId_key: { formId, key: input.key } }, select: { id: true } });
      if (clash) throw new ValidationError({ key: 'questionnaires:validation.keyTaken' });
    }
    await tx.question.update({
      where: { id: questionId },
      data: questionColumns(input),
    });
  });
}

export async function deleteQuestion(ctx: WorkshopCtx, formId: number, questionId: number): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.$transaction(async (tx) => {
    await heldFormOfWorkshop(tx, ctx, formId);
    const current = await questionOfForm(tx, ctx, formId, questionId);
    if (current.answerCount > 0) throw new ConflictError('Question has answers', 'questionnaires:validation.lockedDelete');
    await tx.question.delete({ where: { id: questionId } });
  });
}

/** Swaps the question with its neighbour; positions are renumbered 0..n-1 on the way. */
export async function moveQuestion(ctx: WorkshopCtx, formId: number, questionId: number, direction: 'up' | 'down'): Promise<void> {
  assertRole(ctx, 'organizer');
  await prisma.$transaction(async (tx) => {
    await heldFormOfWorkshop(tx, ctx, formId);
    await questionOfForm(tx, ctx, formId, questionId);
    const ids = (
      await tx.question.findMany({ where: { formId }, orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { id: true } })
    ).map((q) => q.id);
    const from = ids.indexOf(questionId);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    for (const [position, id] of ids.entries()) await tx.question.update({ where: { id }, data: { position } });
  });
}

/** The organizer's page of one form: its definition, how many responses, answers per question. */
export async function getFormOverview(ctx: WorkshopCtx, formId: number) {
  const form = await getFormDefinition(ctx, formId);
  const [responseCount, rows, bySource] = await Promise.all([
    prisma.response.count({ where: { formId: form.id, workshopId: ctx.workshopId } }),
    prisma.answer.groupBy({ by: ['questionId'], where: { questionId: { in: form.questions.map((q) => q.id) } }, _count: { _all: true } }),
    prisma.response.groupBy({ by: ['source'], where: { formId: form.id, workshopId: ctx.workshopId }, _count: { _all: true } }),
  ]);
  const answerCounts: Record<number, number> = Object.fromEntries(rows.map((r) => [r.questionId, r._count._all]));
  const sourceCounts: Record<string, number> = Object.fromEntries(bySource.map((r) => [r.source, r._count._all]));
  return { form, responseCount, answerCounts, sourceCounts };
}
