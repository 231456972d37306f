// The evaluation's arithmetic, as pure functions over question definitions and counts that the
// database has already aggregated. No I/O here: the page, the JSON and the CSV all show what
// these functions return, and the tests drive them with tables of cases.

import { textTypes, type QuestionType } from '../questionnaires/questionnaires.schemas.js';

export type { QuestionType };
export type Localized = { id: string; en: string };
export type Option = { value: string; id: string; en: string; correct?: true };

export type StatsQuestion = {
  id: number;
  key: string;
  group: string;
  type: QuestionType;
  required: boolean;
  textId: string;
  textEn: string;
  /** In their order: best first for scales, lowest range first for bands. */
  options: readonly Option[];
};

export type OptionStat = { value: string; label: Localized; count: number; percent: number };

/**
 * A share derived from one or more options (top-box, top-2-box, "31–40 years or older", a quiz's
 * right answer): its own count over its own base, rounded once. Never the sum of rounded parts.
 */
export type Share = { count: number; base: number; percent: number };

export type ScaleSummary = {
  /** Share of the best answer ("sangat baik"). */
  topBoxCount: number;
  topBoxPercent: number;
  /** Share of the two best answers ("baik" or "sangat baik"). */
  top2BoxCount: number;
  top2BoxPercent: number;
  /** Mean score (the option value), two decimals; null when nobody answered. */
  mean: number | null;
  maxScore: number;
};

/** "This option or a higher one" of an ordered question: its options from `from` to the last. */
export type GroupShare = Share & { from: string; fromLabel: Localized; values: string[] };

/** Which question the statistics are about: the start of both kinds. */
type QuestionHead = {
  questionId: number;
  key: string;
  group: string;
  type: QuestionType;
  required: boolean;
  text: Localized;
};

export type ChoiceStats = QuestionHead & {
  kind: 'choice';
  chart: 'pie' | 'bar';
  /** Who answered this question: the base of every percent. */
  answered: number;
  /** Responses to the form that left this question blank. */
  blank: number;
  /** Multiple choice: percents are shares of respondents and may add up to more than 100. */
  multiple: boolean;
  /** One question's parts: percents by largest remainder, adding up to exactly 100. */
  options: OptionStat[];
  scale: ScaleSummary | null;
  /** Ordered questions (bands, age): the share of the upper half, e.g. "31–40 tahun" or older. */
  groups: GroupShare[];
  /** Quiz questions: the share who chose the right answer. */
  correct: (Share & { value: string }) | null;
};

export type TextAnswer = { text: string; at: string };

export type TextStats = QuestionHead & {
  kind: 'text';
  answered: number;
  blank: number;
  /** The latest answers, newest first; `answered` says how many there are in all. */
  latest: TextAnswer[];
};

export type QuestionStats = ChoiceStats | TextStats;

export function isTextType(type: QuestionType): boolean {
  return textTypes.includes(type);
}

/**
 * Whole percents that add up to exactly 100 (largest remainder method): every share is rounded
 * down, then the points still missing go to the largest remainders. Ties go to the larger count,
 * then to the earlier option. All zeros when the total is zero. Integer arithmetic only.
 * Only for the parts of one question: a share made of several parts is `share()`, not a sum of these.
 */
export function largestRemainderPercents(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total === 0) return counts.map(() => 0);
  const floors = counts.map((c) => Math.floor((100 * c) / total));
  let missing = 100 - floors.reduce((sum, p) => sum + p, 0);
  const order = counts
    .map((c, index) => ({ index, count: c, remainder: (100 * c) % total }))
    .sort((a, b) => b.remainder - a.remainder || b.count - a.count || a.index - b.index);
  for (const item of order) {
    if (missing <= 0) break;
    if (item.remainder === 0) continue;
    floors[item.index]! += 1;
    missing -= 1;
  }
  return floors;
}

/** A share in whole percent, half rounded up, from integers (no floating-point drift). */
export function roundedPercent(count: number, base: number): number {
  if (base <= 0) return 0;
  return Math.floor((200 * count + base) / (2 * base));
}

export function share(count: number, base: number): Share {
  return { count, base, percent: roundedPercent(count, base) };
}

const localizedText = (q: StatsQuestion): Localized => ({ id: q.textId, en: q.textEn });

/** Pie for yes/no and identity questions, bars for everything else that has options. */
export function chartKind(q: Pick<StatsQuestion, 'type' | 'group'>): 'pie' | 'bar' {
  return q.type === 'yesno' || (q.group === 'identity' && q.type === 'single') ? 'pie' : 'bar';
}

/**
 * The options in their defined order, then any value the database holds that the definition no
 * longer lists (shown under its raw value, so that no answer silently disappears).
 */
function countedOptions(q: StatsQuestion, counts: ReadonlyMap<string, number>): { value: string; label: Localized; count: number }[] {
  const rows = q.options.map((o) => ({ value: o.value, label: { id: o.id, en: o.en }, count: counts.get(o.value) ?? 0 }));
  const known = new Set(q.options.map((o) => o.value));
  const extra = [...counts.entries()]
    .filter(([value, count]) => !known.has(value) && count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [value, count] of extra) rows.push({ value, label: { id: value, en: value }, count });
  return rows;
}

export function scaleSummary(options: readonly OptionStat[], maxScore: number): ScaleSummary {
  const answered = options.reduce((sum, o) => sum + o.count, 0);
  const scored = options.filter((o) => Number.isFinite(Number(o.value)));
  const scoreSum = scored.reduce((sum, o) => sum + Number(o.value) * o.count, 0);
  const scoredCount = scored.reduce((sum, o) => sum + o.count, 0);
  const [first, second] = options;
  const topBoxCount = first?.count ?? 0;
  const top2BoxCount = topBoxCount + (second?.count ?? 0);
  // Each box is its own count over who answered, rounded once: with 11 "very good", 3 "good" and
  // 3 "poor" of 17 the rows read 65%, 18% and 17% but the top-2-box is 14/17 = 82%, not 65 + 18.
  return {
    topBoxCount,
    topBoxPercent: roundedPercent(topBoxCount, answered),
    top2BoxCount,
    top2BoxPercent: roundedPercent(top2BoxCount, answered),
    mean: scoredCount ? Math.round((scoreSum / scoredCount) * 100) / 100 : null,
    maxScore,
  };
}

/** Questions whose options are ordered from low to high: bands, and the age question. */
export function isOrdered(q: Pick<StatsQuestion, 'type' | 'key'>): boolean {
  return q.type === 'band' || q.key === 'age_band';
}

/**
 * The upper half of an ordered question as one share: of five age bands "31–40" and older, of
 * four understanding bands "51–75%" and higher.
 */
export function upperHalfGroups(q: StatsQuestion, options: readonly OptionStat[], answered: number): GroupShare[] {
  if (!isOrdered(q) || q.options.length < 3) return [];
  const start = Math.floor(q.options.length / 2);
  const values = q.options.slice(start).map((o) => o.value);
  const count = options.filter((o) => values.includes(o.value)).reduce((sum, o) => sum + o.count, 0);
  const from = q.options[start]!;
  return [{ ...share(count, answered), from: from.value, fromLabel: { id: from.id, en: from.en }, values }];
}

function questionHead(q: StatsQuestion): QuestionHead {
  return { questionId: q.id, key: q.key, group: q.group, type: q.type, required: q.required, text: localizedText(q) };
}

/**
 * Counts and shares of a question with options.
 * @param counts answers per option value
 * @param responses responses to the question's form (under the same filters)
 * @param respondents multiple choice only: how many responses chose at least one option
 */
export function choiceStats(q: StatsQuestion, counts: ReadonlyMap<string, number>, responses: number, respondents?: number): ChoiceStats {
  const rows = countedOptions(q, counts);
  const multiple = q.type === 'multiple';
  const answered = multiple ? (respondents ?? 0) : rows.reduce((sum, r) => sum + r.count, 0);
  const percents = multiple ? rows.map((r) => roundedPercent(r.count, answered)) : largestRemainderPercents(rows.map((r) => r.count));
  const options = rows.map((r, i) => ({ ...r, percent: percents[i]! }));
  const scores = q.options.map((o) => Number(o.value)).filter(Number.isFinite);
  const right = q.type === 'quiz' ? q.options.find((o) => o.correct) : undefined;
  return {
    kind: 'choice',
    ...questionHead(q),
    chart: chartKind(q),
    answered,
    blank: Math.max(0, responses - answered),
    multiple,
    options,
    scale: q.type === 'scale' ? scaleSummary(options, scores.length ? Math.max(...scores) : 0) : null,
    groups: upperHalfGroups(q, options, answered),
    correct: right ? { value: right.value, ...share(counts.get(right.value) ?? 0, answered) } : null,
  };
}

export function textStats(q: StatsQuestion, answered: number, responses: number, latest: TextAnswer[]): TextStats {
  return {
    kind: 'text',
    ...questionHead(q),
    answered,
    blank: Math.max(0, responses - answered),
    latest,
  };
}

// ---------------------------------------------------------------- pre versus post

/** Types compared before and after: the ones with ordered or fixed options. */
const comparableTypes: readonly QuestionType[] = ['scale', 'band', 'yesno', 'single'];

/**
 * Keys asked in both a pre and a post form with the same type and option values, identity
 * questions aside (who answered is not something a training changes).
 */
export function sharedKeys(pre: readonly StatsQuestion[], post: readonly StatsQuestion[]): string[] {
  const sameOptions = (a: StatsQuestion, b: StatsQuestion) =>
    a.options.length === b.options.length && a.options.every((o, i) => o.value === b.options[i]!.value);
  const keys: string[] = [];
  for (const q of post) {
    if (q.group === 'identity' || !comparableTypes.includes(q.type) || keys.includes(q.key)) continue;
    const before = pre.find((p) => p.key === q.key);
    if (before && before.type === q.type && sameOptions(before, q)) keys.push(q.key);
  }
  return keys;
}

/**
 * The level of an answer, higher is better: a band's position (1 = the lowest range), a scale's
 * score, yes = 1 and no = 0. Null for values outside the options.
 */
export function answerLevel(q: Pick<StatsQuestion, 'type' | 'options'>, value: string): number | null {
  const index = q.options.findIndex((o) => o.value === value);
  if (index < 0) return null;
  if (q.type === 'band') return index + 1;
  if (q.type === 'scale') {
    const score = Number(value);
    return Number.isFinite(score) ? score : q.options.length - index;
  }
  if (q.type === 'yesno') return value === 'yes' ? 1 : 0;
  return null;
}

export type PairedSummary = {
  /** Trainees who answered the question both before and after. */
  pairs: number;
  movedUp: number;
  same: number;
  movedDown: number;
  meanBefore: number | null;
  meanAfter: number | null;
};

export type AnswerPair = { before: string; after: string };

export function pairedSummary(q: Pick<StatsQuestion, 'type' | 'options'>, pairs: readonly AnswerPair[]): PairedSummary | null {
  if (q.type !== 'band' && q.type !== 'scale' && q.type !== 'yesno') return null;
  let movedUp = 0;
  let same = 0;
  let movedDown = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  let n = 0;
  for (const pair of pairs) {
    const before = answerLevel(q, pair.before);
    const after = answerLevel(q, pair.after);
    if (before === null || after === null) continue;
    n += 1;
    sumBefore += before;
    sumAfter += after;
    if (after > before) movedUp += 1;
    else if (after < before) movedDown += 1;
    else same += 1;
  }
  const mean = (sum: number) => (n ? Math.round((sum / n) * 100) / 100 : null);
  return { pairs: n, movedUp, same, movedDown, meanBefore: mean(sumBefore), meanAfter: mean(sumAfter) };
}

export type PrePostStats = {
  key: string;
  type: QuestionType;
  text: Localized;
  pre: ChoiceStats;
  post: ChoiceStats;
  paired: PairedSummary | null;
};

/**
 * Before and after side by side on one key, plus the paired view of trainees who answered both.
 * @param preResponses responses to the pre forms (the base of "left blank")
 */
export function prePostStats(
  preQuestion: StatsQuestion,
  postQuestion: StatsQuestion,
  preCounts: ReadonlyMap<string, number>,
  postCounts: ReadonlyMap<string, number>,
  responses: { pre: number; post: number },
  pairs: readonly AnswerPair[],
): PrePostStats {
  return {
    key: postQuestion.key,
    type: postQuestion.type,
    text: localizedText(postQuestion),
    pre: choiceStats(preQuestion, preCounts, responses.pre),
    post: choiceStats(postQuestion, postCounts, responses.post),
    paired: pairedSummary(postQuestion, pairs),
  };
}

/** Adds count maps (the same key asked in several post forms, one per day). */
export function sumCounts(maps: readonly (ReadonlyMap<string, number> | undefined)[]): Map<string, number> {
  const total = new Map<string, number>();
  for (const map of maps) {
    if (!map) continue;
    for (const [value, count] of map) total.set(value, (total.get(value) ?? 0) + count);
  }
  return total;
}

// ---------------------------------------------------------------- knowledge test

/** A quiz question by its key (the same key before and after) and its right answer. */
export type QuizKey = { key: string; correct: string };

/** How many quiz questions the response answered right; a blank or unknown answer is wrong. */
export function quizCorrect(keys: readonly QuizKey[], answers: ReadonlyMap<string, string>): number {
  return keys.filter((k) => answers.get(k.key) === k.correct).length;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;
const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

export type ScoreSummary = { n: number; meanPercent: number | null };

export type KnowledgeSummary = {
  /** Quiz questions asked both before and after: the scores are out of this many. */
  questions: number;
  /** Every response with the test, trainee or not. */
  before: ScoreSummary;
  after: ScoreSummary;
  /** Trainees (with an account) who took the test before and after. */
  paired: {
    n: number;
    meanBeforePercent: number | null;
    meanAfterPercent: number | null;
    /** Mean of (after − before), in percentage points. */
    meanGainPoints: number | null;
    /**
     * Hake's normalized gain of the group, <g> = (post − pre) / (100 − pre) on the mean percents:
     * the share of what was still to learn that was learned. Null when nothing was left to learn.
     */
    normalizedGain: number | null;
    /** Per trainee, lowest score before first; right answers out of `questions`. No names. */
    trainees: { before: number; after: number }[];
  };
};

/**
 * @param before right answers of every response that took the test before
 * @param after the same after the training
 * @param pairs the same trainee's right answers before and after
 */
export function knowledgeSummary(
  questions: number,
  before: readonly number[],
  after: readonly number[],
  pairs: readonly { before: number; after: number }[],
): KnowledgeSummary {
  const percent = (correct: number) => (questions ? (100 * correct) / questions : 0);
  const summary = (list: readonly number[]): ScoreSummary => {
    const m = mean(list.map(percent));
    return { n: list.length, meanPercent: m === null ? null : oneDecimal(m) };
  };
  const meanBefore = mean(pairs.map((p) => percent(p.before)));
  const meanAfter = mean(pairs.map((p) => percent(p.after)));
  const meanGain = mean(pairs.map((p) => percent(p.after) - percent(p.before)));
  const normalizedGain =
    meanBefore === null || meanAfter === null || meanBefore >= 100
      ? null
      : Math.round(((meanAfter - meanBefore) / (100 - meanBefore)) * 100) / 100;
  return {
    questions,
    before: summary(before),
    after: summary(after),
    paired: {
      n: pairs.length,
      meanBeforePercent: meanBefore === null ? null : oneDecimal(meanBefore),
      meanAfterPercent: meanAfter === null ? null : oneDecimal(meanAfter),
      meanGainPoints: meanGain === null ? null : oneDecimal(meanGain),
      normalizedGain,
      trainees: [...pairs].sort((a, b) => a.before - b.before || a.after - b.after).map((p) => ({ before: p.before, after: p.after })),
    },
  };
}

// ---------------------------------------------------------------- privacy

/**
 * Small groups stay private: when a filter that narrows who answered (session, gender, age,
 * occupation) leaves fewer than `minGroup` respondents, only their count is shown.
 */
export function isSmallGroup(respondents: number, minGroup: number, narrowed: boolean): boolean {
  return narrowed && respondents < minGroup;
}

// ---------------------------------------------------------------- behaviour beside opinion

/** A rating question split by missions completed: its two best options make the top-2 share. */
export type MissionRatingQuestion = { key: string; text: Localized; top2: readonly string[] };

/** A signed-in trainee: how many of the workshop's missions the data show done, her ratings by key. */
export type TraineeRatings = { missionsDone: number; answers: ReadonlyMap<string, string> };

export type MissionGroup = { trainees: number; suppressed: boolean };

export type MissionRatingItem = {
  key: string;
  text: Localized;
  /** Top-2 share among the trainees who did at least half of the missions; null when the group is too small. */
  atLeastHalf: Share | null;
  fewer: Share | null;
};

export type MissionRatings = {
  missions: number;
  /** At least this many missions done puts a trainee in the first group: half of them, rounded up. */
  threshold: number;
  atLeastHalf: MissionGroup;
  fewer: MissionGroup;
  items: MissionRatingItem[];
};

/**
 * Ratings by missions completed: per question, the top-2 share of trainees who did at least half
 * of their missions against those who did fewer, each its own count over the trainees of the
 * group who answered it. A group of fewer than `minGroup` trainees shows only its size: splitting
 * by missions narrows who answered as a filter does, so the small-group rule always applies.
 */
export function missionRatings(
  questions: readonly MissionRatingQuestion[],
  trainees: readonly TraineeRatings[],
  missions: number,
  minGroup: number,
): MissionRatings {
  const threshold = Math.ceil(missions / 2);
  const [atLeastHalf, fewer] = [trainees.filter((t) => t.missionsDone >= threshold), trainees.filter((t) => t.missionsDone < threshold)];
  const group = (list: readonly TraineeRatings[]): MissionGroup => ({
    trainees: list.length,
    suppressed: isSmallGroup(list.length, minGroup, true),
  });
  const top2Share = (list: readonly TraineeRatings[], q: MissionRatingQuestion): Share | null => {
    if (isSmallGroup(list.length, minGroup, true)) return null;
    const answers = list.flatMap((t) => {
      const value = t.answers.get(q.key);
      return value === undefined ? [] : [value];
    });
    return share(answers.filter((v) => q.top2.includes(v)).length, answers.length);
  };
  return {
    missions,
    threshold,
    atLeastHalf: group(atLeastHalf),
    fewer: group(fewer),
    items: questions.map((q) => ({ key: q.key, text: q.text, atLeastHalf: top2Share(atLeastHalf, q), fewer: top2Share(fewer, q) })),
  };
}
