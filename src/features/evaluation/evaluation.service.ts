// The evaluation of a workshop's questionnaires. The database does the counting (GROUP BY over
// Answer, filtered through the identity answers copied onto Response); evaluation.stats.ts turns
// the counts into shares. The page, the JSON, the CSV summary and the workbook are all built from
// one EvaluationReport, so they cannot disagree, and a group too small to stay anonymous is
// reduced to its count here, once, for all of them.
import { loadAgenda } from '../agenda/agenda.service.js';
import { drillShares, type DrillShare } from '../drills/drills.service.js';
import { missions as allMissions, findMission, type Mission } from '../missions/missions.registry.js';
import { whoDid } from '../missions/missions.service.js';
import { prisma } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { getFormDefinition, IDENTITY_KEYS, type FormDefinition, type QuestionDef } from '../questionnaires/questionnaires.service.js';
import { responseBatches, type ResponseRow } from '../questionnaires/responses.service.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { countParticipants } from '../workshops/participants.js';
import {
  choiceStats,
  isSmallGroup,
  isTextType,
  knowledgeSummary,
  missionRatings,
  prePostStats,
  roundedPercent,
  share,
  sharedKeys,
  sumCounts,
  textStats,
  type AnswerPair,
  type KnowledgeSummary,
  type Localized,
  type MissionRatings,
  type PrePostStats,
  type QuestionStats,
  type QuizKey,
  type Share,
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

/**
 * Responses of a group (the workshop, a form, a session) split by gender and by where they came
 * from. A group too small under a narrowing filter keeps only `responses`: the splits are null.
 */
export type GroupCounts = {
  responses: number;
  /** By the gender answer ('female', 'male' in the templates; '' = not given). */
  byGender: Record<string, number> | null;
  femalePercent: number | null;
  /** By source: trainee (signed in), anonymous (link), paper (typed in), import (CSV). */
  bySource: Record<string, number> | null;
  suppressed: boolean;
};

export type FormEvaluation = {
  formId: number;
  title: Localized;
  kind: string;
  sessionName: string | null;
  responses: number;
  /** Too few respondents under the filters: no question is shown, only `responses`. */
  suppressed: boolean;
  questions: QuestionStats[];
};

/** One kind of form against the pre-training forms on their shared keys. */
export type Comparison = {
  after: 'post' | 'followup';
  responses: { before: number; after: number };
  suppressed: boolean;
  items: PrePostStats[];
};

export type KnowledgeItem = { key: string; text: Localized; before: Share; after: Share };

/** The short knowledge test asked before and after; null when no quiz question is in both. */
export type KnowledgeReport = KnowledgeSummary & { suppressed: boolean; items: KnowledgeItem[] };

export type EvaluationReport = {
  workshopId: number;
  workshop: { name: string; city: string; venue: string; startDate: Date; endDate: Date };
  filters: EvaluationFilters;
  /** `minGroup` is k; `narrowed` says a filter narrows who answered (session, gender, age, occupation). */
  privacy: { minGroup: number; narrowed: boolean };
  choices: {
    forms: { id: number; title: Localized; kind: string }[];
    sessions: { id: number; name: string; startsAt: Date | null }[];
    gender: FilterChoice[];
    ageBand: FilterChoice[];
    occupation: FilterChoice[];
  };
  summary: GroupCounts & {
    /** Trainees registered in the workshop. */
    trainees: number;
    /** Signed-in trainees who answered (each counted once). */
    traineesResponded: number;
    /**
     * People who answered: signed-in trainees, plus the most responses without an account (paper,
     * imported, anonymous link) that one form received: they cannot be matched across forms, and
     * each person fills each form once.
     */
    respondents: { total: number; withAccount: number; withoutAccount: number };
  };
  perForm: (GroupCounts & { formId: number; title: Localized; kind: string; sessionName: string | null })[];
  perSession: (GroupCounts & { sessionId: number | null; name: string | null })[];
  forms: FormEvaluation[];
  /** Pre-training against post-training on shared keys. */
  prePost: Comparison;
  /** Pre-training against the follow-up weeks later ("have you started selling online?"). */
  followUp: Comparison;
  knowledge: KnowledgeReport | null;
  /**
   * Behaviour beside opinion: per scam drill sent, the share of participants who spotted it (their
   * first reaction). Not narrowed by the filters, which select questionnaire answers.
   */
  drills: DrillShare[];
  /**
   * Behaviour beside opinion: the post-training ratings of signed-in trainees who completed at
   * least half of the workshop's missions against those who completed fewer (under the filters);
   * null when no post-training form has a rating question.
   */
  missionRatings: MissionRatings | null;
  /** How many free-text answers are listed per question at most (the count of all is beside them). */
  textLimit: number;
};

export const DEFAULT_TEXT_LIMIT = 30;
export const MIN_GROUP_RANGE = { min: 2, max: 50 } as const;

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

function identityConditions(filters: EvaluationFilters, alias = 'r'): Prisma.Sql[] {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const conditions: Prisma.Sql[] = [];
  if (filters.sessionId) conditions.push(Prisma.sql`${column('sessionId')} = ${filters.sessionId}`);
  if (filters.gender) conditions.push(Prisma.sql`${column('gender')} = ${filters.gender}`);
  if (filters.ageBand) conditions.push(Prisma.sql`${column('ageBand')} = ${filters.ageBand}`);
  if (filters.occupation) conditions.push(Prisma.sql`${column('occupation')} = ${filters.occupation}`);
  return conditions;
}

/**
 * `AND` the filters on the answers' own copies of their response's session and identity answers
 * (kept by database triggers): the counts come from the covering Answer_evaluation_filters_idx
 * alone. Looking up each answer's response instead (an `IN (SELECT ... FROM "Response")` probe per
 * answer) was most of a filtered report at 100,000 responses. Without response filters nothing is
 * added: the question ids already belong to this workshop's forms.
 */
function responseCondition(filters: EvaluationFilters): Prisma.Sql {
  if (!hasResponseFilter(filters)) return Prisma.empty;
  return Prisma.sql`AND ${Prisma.join(identityConditions(filters, 'a'), ' AND ')}`;
}

type Counts = Map<number, Map<string, number>>;

/** Answers per question and value: one GROUP BY, never a row per answer in memory. */
async function countAnswers(questionIds: number[], filters: EvaluationFilters): Promise<Counts> {
  const result: Counts = new Map();
  if (!questionIds.length) return result;
  const rows = await prisma.$queryRaw<{ questionId: number; value: string; n: bigint | number }[]>`
    SELECT a."questionId" AS "questionId", a."value" AS "value", COUNT(*) AS "n"
    FROM "Answer" a
    WHERE a."questionId" IN (${Prisma.join(questionIds)}) ${responseCondition(filters)}
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
async function countRespondents(questionIds: number[], filters: EvaluationFilters): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  if (!questionIds.length) return result;
  const rows = await prisma.$queryRaw<{ questionId: number; n: bigint | number }[]>`
    SELECT a."questionId" AS "questionId", COUNT(DISTINCT a."responseId") AS "n"
    FROM "Answer" a
    WHERE a."questionId" IN (${Prisma.join(questionIds)}) AND a."value" <> '' ${responseCondition(filters)}
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

type ResponseCell = { formId: number; sessionId: number | null; gender: string; source: string; n: number };

/**
 * Responses per form, session, gender and source under the filters, read from
 * Response_evaluation_filters_idx alone and in its order. The identity filters are compared through
 * COALESCE: given `gender = ?` SQLite's planner sorts the groups in a temporary tree instead of
 * reading them in the index's order (26 ms against 9 ms of CPU at 100,000 responses).
 */
async function countResponses(workshopId: number, filters: EvaluationFilters): Promise<ResponseCell[]> {
  const conditions = [
    Prisma.sql`r."workshopId" = ${workshopId}`,
    ...(filters.formId ? [Prisma.sql`r."formId" = ${filters.formId}`] : []),
    ...(filters.sessionId ? [Prisma.sql`r."sessionId" = ${filters.sessionId}`] : []),
    ...(['gender', 'ageBand', 'occupation'] as const).flatMap((column) => {
      const value = filters[column];
      return value ? [Prisma.sql`COALESCE(${Prisma.raw(`r."${column}"`)}, NULL) = ${value}`] : [];
    }),
  ];
  const rows = await prisma.$queryRaw<
    { formId: number; sessionId: number | null; gender: string | null; source: string; n: bigint | number }[]
  >`
    SELECT r."formId" AS "formId", r."sessionId" AS "sessionId", r."gender" AS "gender", r."source" AS "source", COUNT(*) AS "n"
    FROM "Response" r
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY r."formId", r."sessionId", r."gender", r."source"`;
  return rows.map((r) => ({
    formId: Number(r.formId),
    sessionId: r.sessionId === null ? null : Number(r.sessionId),
    gender: r.gender ?? '',
    source: r.source,
    n: count(r.n),
  }));
}

const sumOf = (cells: readonly ResponseCell[]) => cells.reduce((sum, c) => sum + c.n, 0);

function groupCounts(cells: ResponseCell[], suppressed: boolean, responses = sumOf(cells)): GroupCounts {
  if (suppressed) return { responses, byGender: null, femalePercent: null, bySource: null, suppressed };
  const byGender: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  for (const cell of cells) {
    byGender[cell.gender] = (byGender[cell.gender] ?? 0) + cell.n;
    bySource[cell.source] = (bySource[cell.source] ?? 0) + cell.n;
  }
  return { responses, byGender, femalePercent: roundedPercent(byGender.female ?? 0, responses), bySource, suppressed };
}

async function latestTexts(questionId: number, filters: EvaluationFilters, limit: number) {
  const rows = await prisma.answer.findMany({
    where: {
      questionId,
      value: { not: '' },
      // The answer's copies of its response's session and identity answers: no join.
      ...(filters.sessionId ? { sessionId: filters.sessionId } : {}),
      ...(filters.gender ? { gender: filters.gender } : {}),
      ...(filters.ageBand ? { ageBand: filters.ageBand } : {}),
      ...(filters.occupation ? { occupation: filters.occupation } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit,
    select: { value: true, response: { select: { updatedAt: true } } },
  });
  return rows.map((r) => ({ text: r.value, at: r.response.updatedAt.toISOString() }));
}

// ---------------------------------------------------------------- before and after

const title = (form: FormDefinition): Localized => ({ id: form.titleId, en: form.titleEn });
const sameKey = (list: FormDefinition[], key: string) => list.flatMap((f) => f.questions.filter((q) => q.key === key));
const responsesTo = (cells: ResponseCell[], list: FormDefinition[]) => sumOf(cells.filter((c) => list.some((f) => f.id === c.formId)));

/**
 * The pre forms against the later forms (post, or follow-up) on their shared keys. Only the
 * identity filters apply: the pre form is usually not tied to the session (day) of a later form.
 */
async function compareWithPre(
  ctx: WorkshopCtx,
  pre: FormDefinition[],
  later: FormDefinition[],
  after: Comparison['after'],
  identity: IdentityFilters,
  counted: { counts: Counts; cells: ResponseCell[] } | null,
  minGroup: number,
): Promise<Comparison> {
  const keys = sharedKeys(
    pre.flatMap((f) => f.questions),
    later.flatMap((f) => f.questions),
  );
  if (!keys.length) return { after, responses: { before: 0, after: 0 }, suppressed: false, items: [] };
  const questionIds = keys.flatMap((key) => [...sameKey(pre, key), ...sameKey(later, key)].map((q) => q.id));
  const [counts, cells] = counted
    ? [counted.counts, counted.cells]
    : await Promise.all([countAnswers(questionIds, identity), countResponses(ctx.workshopId, identity)]);
  const responses = { before: responsesTo(cells, pre), after: responsesTo(cells, later) };
  if (isSmallGroup(Math.min(responses.before, responses.after), minGroup, hasResponseFilter(identity)))
    return { after, responses, suppressed: true, items: [] };

  // Trainees with an account who answered both: their latest pre answer against their latest later one.
  const signedIn = await prisma.response.findMany({
    where: { ...responseWhere(ctx.workshopId, identity), formId: { in: [...pre, ...later].map((f) => f.id) }, userId: { not: null } },
    orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
    select: {
      userId: true,
      formId: true,
      answers: { where: { questionId: { in: questionIds } }, select: { questionId: true, value: true } },
    },
  });
  const preIds = new Set(pre.map((f) => f.id));

  const items = keys.map((key) => {
    const preQuestions = sameKey(pre, key);
    const laterQuestions = sameKey(later, key);
    const preQuestionIds = new Set(preQuestions.map((q) => q.id));
    const laterQuestionIds = new Set(laterQuestions.map((q) => q.id));
    const before = new Map<number, string>();
    const afterValues = new Map<number, string>();
    for (const response of signedIn) {
      for (const answer of response.answers) {
        if (preIds.has(response.formId) && preQuestionIds.has(answer.questionId)) before.set(response.userId!, answer.value);
        else if (laterQuestionIds.has(answer.questionId)) afterValues.set(response.userId!, answer.value);
      }
    }
    const pairs: AnswerPair[] = [...before]
      .filter(([userId]) => afterValues.has(userId))
      .map(([userId, value]) => ({ before: value, after: afterValues.get(userId)! }));
    return prePostStats(
      preQuestions[0]!,
      laterQuestions[0]!,
      sumCounts(preQuestions.map((q) => counts.get(q.id))),
      sumCounts(laterQuestions.map((q) => counts.get(q.id))),
      { pre: responses.before, post: responses.after },
      pairs,
    );
  });
  return { after, responses, suppressed: false, items };
}

// ---------------------------------------------------------------- the knowledge test

type QuizQuestion = QuizKey & { id: number };

function quizQuestions(forms: FormDefinition[]): QuizQuestion[] {
  return forms.flatMap((f) =>
    f.questions.flatMap((q) => {
      const right = q.type === 'quiz' ? q.options.find((o) => o.correct) : undefined;
      return right ? [{ id: q.id, key: q.key, correct: right.value }] : [];
    }),
  );
}

/** The test's keys asked both before and after with the same right answer. */
function sharedQuizKeys(pre: QuizQuestion[], post: QuizQuestion[]): QuizKey[] {
  const keys = new Map<string, QuizKey>();
  for (const q of pre)
    if (post.some((p) => p.key === q.key && p.correct === q.correct)) keys.set(q.key, { key: q.key, correct: q.correct });
  return [...keys.values()];
}

/**
 * Right answers per response to the shared test questions, counted in the database: one row per
 * response that took the test, never its answers.
 */
async function quizScores(workshopId: number, questions: QuizQuestion[], identity: IdentityFilters, signedInOnly: boolean) {
  const right = Prisma.join(
    questions.map((q) => Prisma.sql`(a."questionId" = ${q.id} AND a."value" = ${q.correct})`),
    ' OR ',
  );
  const conditions = [
    Prisma.sql`r."workshopId" = ${workshopId}`,
    Prisma.sql`a."questionId" IN (${Prisma.join(questions.map((q) => q.id))})`,
    ...identityConditions(identity),
    ...(signedInOnly ? [Prisma.sql`r."userId" IS NOT NULL`] : []),
  ];
  const rows = await prisma.$queryRaw<{ id: number; formId: number; userId: number | null; at: Date | string; correct: bigint | number }[]>`
    SELECT r."id" AS "id", r."formId" AS "formId", r."userId" AS "userId", r."updatedAt" AS "at",
      SUM(CASE WHEN ${right} THEN 1 ELSE 0 END) AS "correct"
    FROM "Answer" a JOIN "Response" r ON r."id" = a."responseId"
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY r."id", r."formId", r."userId", r."updatedAt"`;
  return rows.map((r) => ({
    formId: Number(r.formId),
    userId: r.userId === null ? null : Number(r.userId),
    at: new Date(r.at),
    correct: count(r.correct),
  }));
}

async function evaluateKnowledge(
  ctx: WorkshopCtx,
  forms: FormDefinition[],
  identity: IdentityFilters,
  minGroup: number,
): Promise<KnowledgeReport | null> {
  const pre = quizQuestions(forms.filter((f) => f.kind === 'pre'));
  const post = quizQuestions(forms.filter((f) => f.kind === 'post'));
  const keys = sharedQuizKeys(pre, post);
  if (!keys.length) return null;
  const onKeys = (list: QuizQuestion[]) => list.filter((q) => keys.some((k) => k.key === q.key && k.correct === q.correct));
  const [preQuestions, postQuestions] = [onKeys(pre), onKeys(post)];
  const preFormIds = new Set(forms.filter((f) => f.kind === 'pre').map((f) => f.id));

  const scores = await quizScores(ctx.workshopId, [...preQuestions, ...postQuestions], identity, false);
  const before = scores.filter((s) => preFormIds.has(s.formId));
  const after = scores.filter((s) => !preFormIds.has(s.formId));
  // A trainee's latest test before and their latest test after.
  const latest = (list: typeof scores) => {
    const byUser = new Map<number, (typeof scores)[number]>();
    for (const s of list) {
      if (s.userId === null) continue;
      const seen = byUser.get(s.userId);
      if (!seen || s.at >= seen.at) byUser.set(s.userId, s);
    }
    return byUser;
  };
  const [firstTest, lastTest] = [latest(before), latest(after)];
  const pairs = [...firstTest].flatMap(([userId, b]) => {
    const a = lastTest.get(userId);
    return a ? [{ before: b.correct, after: a.correct }] : [];
  });
  const summary = knowledgeSummary(
    keys.length,
    before.map((s) => s.correct),
    after.map((s) => s.correct),
    pairs,
  );
  const tooSmall = (n: number) => isSmallGroup(n, minGroup, hasResponseFilter(identity));
  if (tooSmall(summary.before.n) || tooSmall(summary.after.n) || (summary.paired.n > 0 && tooSmall(summary.paired.n))) {
    return {
      questions: summary.questions,
      before: { n: summary.before.n, meanPercent: null },
      after: { n: summary.after.n, meanPercent: null },
      paired: {
        n: summary.paired.n,
        meanBeforePercent: null,
        meanAfterPercent: null,
        meanGainPoints: null,
        normalizedGain: null,
        trainees: [],
      },
      suppressed: true,
      items: [],
    };
  }

  // Per question: the share who chose the right answer before and after, over who answered it.
  const counts = await countAnswers(
    [...preQuestions, ...postQuestions].map((q) => q.id),
    identity,
  );
  const definition = new Map(forms.flatMap((f) => f.questions).map((q) => [q.id, q]));
  const shareOn = (list: QuizQuestion[], key: QuizKey) => {
    const total = sumCounts(list.filter((q) => q.key === key.key).map((q) => counts.get(q.id)));
    const answered = [...total.values()].reduce((a, b) => a + b, 0);
    return share(total.get(key.correct) ?? 0, answered);
  };
  const items = keys.map((key) => {
    const q = definition.get(postQuestions.find((p) => p.key === key.key)!.id)!;
    return { key: key.key, text: { id: q.textId, en: q.textEn }, before: shareOn(preQuestions, key), after: shareOn(postQuestions, key) };
  });
  return { ...summary, suppressed: false, items };
}

// ---------------------------------------------------------------- ratings by missions completed

/** The missions the workshop's agenda opens, or every mission when it opens none (as a trainee's home does). */
async function workshopMissions(workshopId: number): Promise<Mission[]> {
  const ids = new Set((await loadAgenda(workshopId)).flatMap((s) => s.missions));
  return ids.size ? [...ids].flatMap((id) => findMission(id) ?? []) : [...allMissions];
}

/**
 * The rating questions of the post-training forms shown, split by the missions each signed-in
 * participant completed (the data show them done, as on her home). Her latest post-training
 * response counts; paper and anonymous answers cannot be matched to missions and are left out.
 */
async function evaluateMissionRatings(
  workshopId: number,
  shown: FormDefinition[],
  filters: EvaluationFilters,
  minGroup: number,
): Promise<MissionRatings | null> {
  const post = shown.filter((f) => f.kind === 'post');
  const scales = new Map<string, QuestionDef>();
  for (const q of post.flatMap((f) => f.questions)) if (q.type === 'scale' && !scales.has(q.key)) scales.set(q.key, q);
  if (!scales.size) return null;
  const keyOf = new Map(post.flatMap((f) => f.questions.filter((q) => scales.has(q.key)).map((q) => [q.id, q.key] as const)));
  const [list, responses] = await Promise.all([
    workshopMissions(workshopId),
    prisma.response.findMany({
      where: {
        ...responseWhere(workshopId, filters),
        formId: { in: post.map((f) => f.id) },
        userId: { not: null },
        user: { demoKind: null },
      },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      select: { userId: true, answers: { where: { questionId: { in: [...keyOf.keys()] } }, select: { questionId: true, value: true } } },
    }),
  ]);
  const answersOf = new Map<number, Map<string, string>>();
  for (const r of responses) answersOf.set(r.userId!, new Map(r.answers.map((a) => [keyOf.get(a.questionId)!, a.value])));
  const done = await whoDid(workshopId, [...answersOf.keys()], list);
  const trainees = [...answersOf].map(([userId, answers]) => ({
    missionsDone: list.filter((m) => done.get(m.id)?.has(userId)).length,
    answers,
  }));
  const questions = [...scales.values()].map((q) => ({
    key: q.key,
    text: { id: q.textId, en: q.textEn },
    top2: q.options.slice(0, 2).map((o) => o.value),
  }));
  return missionRatings(questions, trainees, list.length, minGroup);
}

// ---------------------------------------------------------------- the report

function evaluateForm(
  form: FormDefinition,
  responses: number,
  suppressed: boolean,
  counts: Counts,
  respondents: Map<number, number>,
  texts: Map<number, { text: string; at: string }[]>,
): FormEvaluation {
  const questions = suppressed
    ? []
    : form.questions.map((q: QuestionDef) =>
        isTextType(q.type)
          ? textStats(q, respondents.get(q.id) ?? 0, responses, texts.get(q.id) ?? [])
          : choiceStats(q, counts.get(q.id) ?? new Map(), responses, respondents.get(q.id)),
      );
  return { formId: form.id, title: title(form), kind: form.kind, sessionName: form.sessionName, responses, suppressed, questions };
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
  const [forms, sessions, trainees, settings, drills] = await Promise.all([
    loadForms(ctx),
    prisma.workshopSession.findMany({
      where: { workshopId },
      orderBy: { position: 'asc' },
      select: { id: true, name: true, startsAt: true },
    }),
    countParticipants(workshopId),
    prisma.workshop.findUniqueOrThrow({ where: { id: workshopId }, select: { privacyMinGroup: true } }),
    drillShares(workshopId),
  ]);
  if (filters.formId && !forms.some((f) => f.id === filters.formId))
    throw new NotFoundError(`Form ${filters.formId} is not in workshop ${workshopId}`);
  if (filters.sessionId && !sessions.some((s) => s.id === filters.sessionId))
    throw new NotFoundError(`Session ${filters.sessionId} is not in workshop ${workshopId}`);
  const minGroup = settings.privacyMinGroup;
  const narrowed = hasResponseFilter(filters);
  const small = (n: number) => isSmallGroup(n, minGroup, narrowed);

  const shown = filters.formId ? forms.filter((f) => f.id === filters.formId) : forms;
  const questions = shown.flatMap((f) => f.questions);
  const choiceIds = questions.filter((q) => !isTextType(q.type)).map((q) => q.id);
  const respondentIds = questions.filter((q) => q.type === 'multiple' || isTextType(q.type)).map((q) => q.id);

  const [cells, counts, respondents, responders] = await Promise.all([
    countResponses(workshopId, filters),
    countAnswers(choiceIds, filters),
    countRespondents(respondentIds, filters),
    prisma.response.groupBy({ by: ['userId'], where: { ...responseWhere(workshopId, filters), userId: { not: null } } }),
  ]);
  const responsesOf = (formId: number) => sumOf(cells.filter((c) => c.formId === formId));
  const withoutAccount = Math.max(0, ...shown.map((f) => sumOf(cells.filter((c) => c.formId === f.id && c.source !== 'trainee'))));
  const total = responders.length + withoutAccount;

  // Free text is read only for groups large enough to be shown.
  const texts = new Map<number, { text: string; at: string }[]>();
  for (const form of shown.filter((f) => !small(responsesOf(f.id)))) {
    for (const q of form.questions.filter((x) => isTextType(x.type))) texts.set(q.id, await latestTexts(q.id, filters, textLimit));
  }

  const identity: IdentityFilters = { gender: filters.gender, ageBand: filters.ageBand, occupation: filters.occupation };
  // Without a form or session filter the counts above already cover every question of every form.
  const reuse = !filters.formId && !filters.sessionId ? { counts, cells } : null;
  const pre = forms.filter((f) => f.kind === 'pre');
  const [prePost, followUp, knowledge, ratingsByMissions] = await Promise.all([
    compareWithPre(
      ctx,
      pre,
      forms.filter((f) => f.kind === 'post'),
      'post',
      identity,
      reuse,
      minGroup,
    ),
    compareWithPre(
      ctx,
      pre,
      forms.filter((f) => f.kind === 'followup'),
      'followup',
      identity,
      reuse,
      minGroup,
    ),
    evaluateKnowledge(ctx, forms, identity, minGroup),
    evaluateMissionRatings(workshopId, shown, filters, minGroup),
  ]);

  const sessionIds = [...new Set(cells.map((c) => c.sessionId))];
  const sessionCells = (id: number | null) => cells.filter((c) => c.sessionId === id);
  return {
    workshopId,
    workshop: {
      name: ctx.workshop.name,
      city: ctx.workshop.city,
      venue: ctx.workshop.venue,
      startDate: ctx.workshop.startDate,
      endDate: ctx.workshop.endDate,
    },
    filters,
    privacy: { minGroup, narrowed },
    choices: {
      forms: forms.map((f) => ({ id: f.id, title: title(f), kind: f.kind })),
      sessions,
      gender: identityChoices(forms, 'gender'),
      ageBand: identityChoices(forms, 'age_band'),
      occupation: identityChoices(forms, 'occupation'),
    },
    summary: {
      ...groupCounts(cells, small(total)),
      trainees,
      traineesResponded: responders.length,
      respondents: { total, withAccount: responders.length, withoutAccount },
    },
    perForm: shown.map((f) => {
      const formCells = cells.filter((c) => c.formId === f.id);
      return {
        formId: f.id,
        title: title(f),
        kind: f.kind,
        sessionName: f.sessionName,
        ...groupCounts(formCells, small(sumOf(formCells))),
      };
    }),
    perSession: [
      ...sessions.filter((s) => sessionIds.includes(s.id)),
      ...(sessionIds.includes(null) ? [{ id: null, name: null }] : []),
    ].map((s) => ({ sessionId: s.id, name: s.name, ...groupCounts(sessionCells(s.id), small(sumOf(sessionCells(s.id)))) })),
    forms: shown.map((f) => evaluateForm(f, responsesOf(f.id), small(responsesOf(f.id)), counts, respondents, texts)),
    prePost,
    followUp,
    knowledge,
    drills,
    missionRatings: ratingsByMissions,
    textLimit,
  };
}

/** k of the workshop: the smallest group whose answers are broken down. Organizers only. */
export async function setPrivacyMinGroup(ctx: WorkshopCtx, minGroup: number): Promise<void> {
  assertRole(ctx, 'organizer');
  if (!Number.isInteger(minGroup) || minGroup < MIN_GROUP_RANGE.min || minGroup > MIN_GROUP_RANGE.max)
    throw new ValidationError({ minGroup: 'evaluation:privacy.range' });
  await prisma.workshop.update({ where: { id: ctx.workshopId }, data: { privacyMinGroup: minGroup } });
}

/**
 * The raw responses of a form the report shows, under the report's filters, in batches: nothing
 * when the form is reduced to its count.
 */
export async function* reportResponseBatches(ctx: WorkshopCtx, report: EvaluationReport, formId: number): AsyncGenerator<ResponseRow[]> {
  const form = report.forms.find((f) => f.formId === formId);
  if (!form || form.suppressed) return;
  const { sessionId, gender, ageBand, occupation } = report.filters;
  yield* responseBatches(await getFormDefinition(ctx, formId), { sessionId, gender, ageBand, occupation });
}
