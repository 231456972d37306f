// The evaluation of a workshop's questionnaires. The database does the counting (GROUP BY over
// Answer, filtered through the identity answers copied onto Response); evaluation.stats.ts turns
// the counts into shares. The page, the JSON and the CSV summary are all built from one
// EvaluationReport, so they cannot disagree.
import { prisma } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../errors.js';
import { getFormDefinition, IDENTITY_KEYS, type FormDefinition, type QuestionDef } from '../questionnaires/questionnaires.service.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { countParticipants } from '../workshops/participants.js';
import {
  choiceStats,
  isTextType,
  prePostStats,
  roundedPercent,
  sharedKeys,
  sumCounts,
  textStats,
  type AnswerPair,
  type Localized,
  type PrePostStats,
  type QuestionStats,
} from './evaluation.stats.js';

export type EvaluationFilters = {
  formId?: number | undefined;
  sessionId?: number | undefined;
  gender?: string | undefined;
  ageBand?: string | undefined;
  occupation?: string | undefined;
};

type IdentityFilters = Pick<EvaluationFilters, 'gender' | 'ageBand' | 'occupation'>;

export type FilterChoice = { value: string; label: Localized };

/** Responses split by the gender answer ('female', 'male' in the templates; '' = not given). */
export type GenderSplit = { responses: number; byGender: Record<string, number>; femalePercent: number };

export type FormEvaluation = {
  formId: number;
  title: Localized;
  kind: string;
  sessionName: string | null;
  responses: number;
  questions: QuestionStats[];
};

export type EvaluationReport = {
  workshopId: number;
  filters: EvaluationFilters;
  choices: {
    forms: { id: number; title: Localized; kind: string }[];
    sessions: { id: number; name: string }[];
    gender: FilterChoice[];
    ageBand: FilterChoice[];
    occupation: FilterChoice[];
  };
  summary: GenderSplit & { trainees: number; traineesResponded: number };
  perForm: (GenderSplit & { formId: number; title: Localized; kind: string; sessionName: string | null })[];
  perSession: (GenderSplit & { sessionId: number | null; name: string | null })[];
  forms: FormEvaluation[];
  prePost: PrePostStats[];
  /** How many free-text answers are listed per question at most (the count of all is beside them). */
  textLimit: number;
};

export const DEFAULT_TEXT_LIMIT = 30;

// ---------------------------------------------------------------- reading the forms

/** The workshop's forms in the order they were made, each with its questions. */
async function loadForms(ctx: WorkshopCtx): Promise<FormDefinition[]> {
  const rows = await prisma.form.findMany({
    where: { workshopId: ctx.workshopId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
  return Promise.all(rows.map((row) => getFormDefinition(ctx, row.id)));
}

/** The options of the identity questions across the workshop's forms: what the filters offer. */
function identityChoices(forms: FormDefinition[], key: keyof typeof IDENTITY_KEYS): FilterChoice[] {
  const seen = new Map<string, FilterChoice>();
  for (const form of forms) {
    for (const q of form.questions) {
      if (q.key !== key) continue;
      for (const o of q.options) if (!seen.has(o.value)) seen.set(o.value, { value: o.value, label: { id: o.id, en: o.en } });
    }
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------- counting in the database

const count = (n: bigint | number | null | undefined) => Number(n ?? 0);

function hasResponseFilter(filters: EvaluationFilters): boolean {
  return Boolean(filters.sessionId || filters.gender || filters.ageBand || filters.occupation);
}

/**
 * `AND a."responseId" IN (responses that pass the filters)`. Without response filters nothing is
 * added: the question ids already belong to this workshop's forms. The unary plus keeps SQLite
 * from walking Answer by responseId (one table lookup per answer, 3-4 times slower at 100,000
 * responses once ANALYZE has run): it scans the covering (questionId, value, responseId) index
 * instead. PostgreSQL reads `+x` as x.
 */
function responseCondition(workshopId: number, filters: EvaluationFilters): Prisma.Sql {
  if (!hasResponseFilter(filters)) return Prisma.empty;
  const conditions = [Prisma.sql`r."workshopId" = ${workshopId}`];
  if (filters.sessionId) conditions.push(Prisma.sql`r."sessionId" = ${filters.sessionId}`);
  if (filters.gender) conditions.push(Prisma.sql`r."gender" = ${filters.gender}`);
  if (filters.ageBand) conditions.push(Prisma.sql`r."ageBand" = ${filters.ageBand}`);
  if (filters.occupation) conditions.push(Prisma.sql`r."occupation" = ${filters.occupation}`);
  return Prisma.sql`AND +a."responseId" IN (SELECT r."id" FROM "Response" r WHERE ${Prisma.join(conditions, ' AND ')})`;
}

type Counts = Map<number, Map<string, number>>;

/** Answers per question and value: one GROUP BY, never a row per answer in memory. */
async function countAnswers(workshopId: number, questionIds: number[], filters: EvaluationFilters): Promise<Counts> {
  const result: Counts = new Map();
  if (!questionIds.length) return result;
  const rows = await prisma.$queryRaw<{ questionId: number; value: string; n: bigint | number }[]>`
    SELECT a."questionId" AS "questionId", a."value" AS "value", COUNT(*) AS "n"
    FROM "Answer" a
    WHERE a."questionId" IN (${Prisma.join(questionIds)}) ${responseCondition(workshopId, filters)}
    GROUP BY a."questionId", a."value"`;
  for (const row of rows) {
    const questionId = Number(row.questionId);
    const map = result.get(questionId) ?? new Map<string, number>();
    map.set(row.value, count(row.n));
    result.set(questionId, map);
  }
  return result;
}

/** Responses that answered each question (multiple choice: at least one option; text: not blank). */
async function countRespondents(workshopId: number, questionIds: number[], filters: EvaluationFilters): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  if (!questionIds.length) return result;
  const rows = await prisma.$queryRaw<{ questionId: number; n: bigint | number }[]>`
    SELECT a."questionId" AS "questionId", COUNT(DISTINCT a."responseId") AS "n"
    FROM "Answer" a
    WHERE a."questionId" IN (${Prisma.join(questionIds)}) AND a."value" <> '' ${responseCondition(workshopId, filters)}
    GROUP BY a."questionId"`;
  for (const row of rows) result.set(Number(row.questionId), count(row.n));
  return result;
}

function responseWhere(workshopId: number, filters: EvaluationFilters) {
  return {
    workshopId,
    ...(filters.formId ? { formId: filters.formId } : {}),
    ...(filters.sessionId ? { sessionId: filters.sessionId } : {}),
    ...(filters.gender ? { gender: filters.gender } : {}),
    ...(filters.ageBand ? { ageBand: filters.ageBand } : {}),
    ...(filters.occupation ? { occupation: filters.occupation } : {}),
  };
}

type ResponseCell = { formId: number; sessionId: number | null; gender: string; n: number };

async function countResponses(workshopId: number, filters: EvaluationFilters): Promise<ResponseCell[]> {
  const rows = await prisma.response.groupBy({
    by: ['formId', 'sessionId', 'gender'],
    where: responseWhere(workshopId, filters),
    _count: { _all: true },
  });
  return rows.map((r) => ({ formId: r.formId, sessionId: r.sessionId, gender: r.gender ?? '', n: r._count._all }));
}

function genderSplit(cells: ResponseCell[]): GenderSplit {
  const byGender: Record<string, number> = {};
  let responses = 0;
  for (const cell of cells) {
    responses += cell.n;
    byGender[cell.gender] = (byGender[cell.gender] ?? 0) + cell.n;
  }
  return { responses, byGender, femalePercent: roundedPercent(byGender.female ?? 0, responses) };
}

async function latestTexts(workshopId: number, questionId: number, filters: EvaluationFilters, limit: number) {
  const rows = await prisma.answer.findMany({
    where: {
      questionId,
      value: { not: '' },
      ...(hasResponseFilter(filters) ? { response: responseWhere(workshopId, { ...filters, formId: undefined }) } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit,
    select: { value: true, response: { select: { updatedAt: true } } },
  });
  return rows.map((r) => ({ text: r.value, at: r.response.updatedAt.toISOString() }));
}

// ---------------------------------------------------------------- pre versus post

const title = (form: FormDefinition): Localized => ({ id: form.titleId, en: form.titleEn });

/**
 * Every pre form against every post form on their shared keys. Only the identity filters apply:
 * the pre form is usually not tied to the session (day) of a post form.
 */
async function comparePrePost(
  ctx: WorkshopCtx,
  forms: FormDefinition[],
  identity: IdentityFilters,
  counted: { counts: Counts; cells: ResponseCell[] } | null,
) {
  const pre = forms.filter((f) => f.kind === 'pre');
  const post = forms.filter((f) => f.kind === 'post');
  const keys = sharedKeys(
    pre.flatMap((f) => f.questions),
    post.flatMap((f) => f.questions),
  );
  if (!keys.length) return [];
  const sameKey = (list: FormDefinition[], key: string) => list.flatMap((f) => f.questions.filter((q) => q.key === key));
  const questionIds = keys.flatMap((key) => [...sameKey(pre, key), ...sameKey(post, key)].map((q) => q.id));
  const counts = counted?.counts ?? (await countAnswers(ctx.workshopId, questionIds, identity));
  const cells = counted?.cells ?? (await countResponses(ctx.workshopId, identity));
  const responsesTo = (list: FormDefinition[]) => cells.filter((c) => list.some((f) => f.id === c.formId)).reduce((sum, c) => sum + c.n, 0);

  // Trainees with an account who answered both: their latest pre answer against their latest post.
  const signedIn = await prisma.response.findMany({
    where: { ...responseWhere(ctx.workshopId, identity), formId: { in: [...pre, ...post].map((f) => f.id) }, userId: { not: null } },
    orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
    select: {
      userId: true,
      formId: true,
      answers: { where: { questionId: { in: questionIds } }, select: { questionId: true, value: true } },
    },
  });
  const preIds = new Set(pre.map((f) => f.id));

  return keys.map((key) => {
    const preQuestions = sameKey(pre, key);
    const postQuestions = sameKey(post, key);
    const preQuestionIds = new Set(preQuestions.map((q) => q.id));
    const postQuestionIds = new Set(postQuestions.map((q) => q.id));
    const before = new Map<number, string>();
    const after = new Map<number, string>();
    for (const response of signedIn) {
      for (const answer of response.answers) {
        if (preIds.has(response.formId) && preQuestionIds.has(answer.questionId)) before.set(response.userId!, answer.value);
        else if (postQuestionIds.has(answer.questionId)) after.set(response.userId!, answer.value);
      }
    }
    const pairs: AnswerPair[] = [...before]
      .filter(([userId]) => after.has(userId))
      .map(([userId, value]) => ({ before: value, after: after.get(userId)! }));
    return prePostStats(
      preQuestions[0]!,
      postQuestions[0]!,
      sumCounts(preQuestions.map((q) => counts.get(q.id))),
      sumCounts(postQuestions.map((q) => counts.get(q.id))),
      { pre: responsesTo(pre), post: responsesTo(post) },
      pairs,
    );
  });
}

// ---------------------------------------------------------------- the report

function evaluateForm(
  form: FormDefinition,
  responses: number,
  counts: Counts,
  respondents: Map<number, number>,
  texts: Map<number, { text: string; at: string }[]>,
): FormEvaluation {
  const questions = form.questions.map((q: QuestionDef) =>
    isTextType(q.type)
      ? textStats(q, respondents.get(q.id) ?? 0, responses, texts.get(q.id) ?? [])
      : choiceStats(q, counts.get(q.id) ?? new Map(), responses, respondents.get(q.id)),
  );
  return { formId: form.id, title: title(form), kind: form.kind, sessionName: form.sessionName, responses, questions };
}

/**
 * The whole evaluation of a workshop under the filters: for organizers and tutors. A form or a
 * session of another workshop in the filters is a 404.
 */
export async function getEvaluation(
  ctx: WorkshopCtx,
  filters: EvaluationFilters,
  textLimit = DEFAULT_TEXT_LIMIT,
): Promise<EvaluationReport> {
  assertRole(ctx, 'organizer', 'tutor');
  const workshopId = ctx.workshopId;
  const [forms, sessions, trainees] = await Promise.all([
    loadForms(ctx),
    prisma.workshopSession.findMany({ where: { workshopId }, orderBy: { position: 'asc' }, select: { id: true, name: true } }),
    countParticipants(workshopId),
  ]);
  if (filters.formId && !forms.some((f) => f.id === filters.formId))
    throw new NotFoundError(`Form ${filters.formId} is not in workshop ${workshopId}`);
  if (filters.sessionId && !sessions.some((s) => s.id === filters.sessionId))
    throw new NotFoundError(`Session ${filters.sessionId} is not in workshop ${workshopId}`);

  const shown = filters.formId ? forms.filter((f) => f.id === filters.formId) : forms;
  const questions = shown.flatMap((f) => f.questions);
  const choiceIds = questions.filter((q) => !isTextType(q.type)).map((q) => q.id);
  const respondentIds = questions.filter((q) => q.type === 'multiple' || isTextType(q.type)).map((q) => q.id);

  const [cells, counts, respondents, responders] = await Promise.all([
    countResponses(workshopId, filters),
    countAnswers(workshopId, choiceIds, filters),
    countRespondents(workshopId, respondentIds, filters),
    prisma.response.groupBy({ by: ['userId'], where: { ...responseWhere(workshopId, filters), userId: { not: null } } }),
  ]);
  const texts = new Map<number, { text: string; at: string }[]>();
  for (const q of questions.filter((q) => isTextType(q.type))) texts.set(q.id, await latestTexts(workshopId, q.id, filters, textLimit));

  const identity: IdentityFilters = { gender: filters.gender, ageBand: filters.ageBand, occupation: filters.occupation };
  // Without a form or session filter the counts above already cover every pre and post question.
  const reuse = !filters.formId && !filters.sessionId ? { counts, cells } : null;
  const prePost = await comparePrePost(ctx, forms, identity, reuse);

  const responsesOf = (formId: number) => cells.filter((c) => c.formId === formId).reduce((sum, c) => sum + c.n, 0);
  const sessionIds = [...new Set(cells.map((c) => c.sessionId))];
  return {
    workshopId,
    filters,
    choices: {
      forms: forms.map((f) => ({ id: f.id, title: title(f), kind: f.kind })),
      sessions,
      gender: identityChoices(forms, 'gender'),
      ageBand: identityChoices(forms, 'age_band'),
      occupation: identityChoices(forms, 'occupation'),
    },
    summary: { ...genderSplit(cells), trainees, traineesResponded: responders.length },
    perForm: shown.map((f) => ({
      formId: f.id,
      title: title(f),
      kind: f.kind,
      sessionName: f.sessionName,
      ...genderSplit(cells.filter((c) => c.formId === f.id)),
    })),
    perSession: [
      ...sessions.filter((s) => sessionIds.includes(s.id)),
      ...(sessionIds.includes(null) ? [{ id: null, name: null }] : []),
    ].map((s) => ({
      sessionId: s.id,
      name: s.name,
      ...genderSplit(cells.filter((c) => c.sessionId === s.id)),
    })),
    forms: shown.map((f) => evaluateForm(f, responsesOf(f.id), counts, respondents, texts)),
    prePost,
    textLimit,
  };
}
