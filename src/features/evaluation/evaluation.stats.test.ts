import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerLevel,
  chartKind,
  choiceStats,
  isSmallGroup,
  knowledgeSummary,
  largestRemainderPercents,
  pairedSummary,
  prePostStats,
  roundedPercent,
  sharedKeys,
  sumCounts,
  textStats,
  type Option,
  type QuestionType,
  type StatsQuestion,
} from './evaluation.stats.js';

const yesNo: Option[] = [
  { value: 'yes', id: 'Ya', en: 'Yes' },
  { value: 'no', id: 'Tidak', en: 'No' },
];
const scale4: Option[] = [
  { value: '4', id: 'Sangat baik', en: 'Very good' },
  { value: '3', id: 'Baik', en: 'Good' },
  { value: '2', id: 'Kurang baik', en: 'Not very good' },
  { value: '1', id: 'Tidak baik', en: 'Poor' },
];
const bands: Option[] = [
  { value: '0_25', id: '0–25%', en: '0–25%' },
  { value: '26_50', id: '26–50%', en: '26–50%' },
  { value: '51_75', id: '51–75%', en: '51–75%' },
  { value: '76_100', id: '76–100%', en: '76–100%' },
];
const channels: Option[] = [
  { value: 'whatsapp', id: 'WhatsApp', en: 'WhatsApp' },
  { value: 'instagram', id: 'Instagram', en: 'Instagram' },
  { value: 'marketplace', id: 'Marketplace', en: 'Marketplace' },
];

let nextId = 1;
function question(type: QuestionType, options: Option[] = [], extra: Partial<StatsQuestion> = {}): StatsQuestion {
  nextId += 1;
  return { id: nextId, key: `q${nextId}`, group: '', type, required: true, textId: 'Pertanyaan', textEn: 'Question', options, ...extra };
}

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('largestRemainderPercents', () => {
  it.each([
    { name: 'thirds', counts: [1, 1, 1], expected: [34, 33, 33] },
    { name: 'halves', counts: [1, 1], expected: [50, 50] },
    { name: 'one answer', counts: [0, 1, 0], expected: [0, 100, 0] },
    { name: 'nobody', counts: [0, 0, 0], expected: [0, 0, 0] },
    { name: 'no options', counts: [], expected: [] },
    { name: 'sixths: the two largest remainders win', counts: [1, 1, 1, 1, 1, 1], expected: [17, 17, 17, 17, 16, 16] },
    { name: 'the larger count wins a tie of remainders', counts: [2, 1, 4], expected: [29, 14, 57] },
    { name: 'a tie of remainders and counts goes to the earlier option', counts: [1, 2, 1, 2], expected: [17, 33, 17, 33] },
    { name: '7 answers over 3 options', counts: [5, 1, 1], expected: [72, 14, 14] },
    { name: 'exact shares stay as they are', counts: [3, 1], expected: [75, 25] },
    { name: 'a big base', counts: [33_334, 33_333, 33_333], expected: [34, 33, 33] },
  ])('when the counts are $name ($counts), then the percents are $expected', ({ counts: c, expected }) => {
    const percents = largestRemainderPercents(c);
    expect(percents).toEqual(expected);
    if (c.some((n) => n > 0)) expect(percents.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('when many random counts are split, then the percents always add up to 100 and each is within 1 of the exact share', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
    for (let round = 0; round < 500; round++) {
      const c = Array.from({ length: 2 + (round % 6) }, random);
      const total = c.reduce((a, b) => a + b, 0);
      if (!total) continue;
      const percents = largestRemainderPercents(c);
      expect(percents.reduce((a, b) => a + b, 0)).toBe(100);
      percents.forEach((p, i) => expect(Math.abs(p - (100 * c[i]!) / total)).toBeLessThan(1));
    }
  });
});

describe('roundedPercent', () => {
  it.each([
    [1, 3, 33],
    [2, 3, 67],
    [1, 2, 50],
    [1, 8, 13],
    [0, 5, 0],
    [3, 0, 0],
    [5, 5, 100],
  ])('when %i of %i, then %i%', (count, base, expected) => {
    expect(roundedPercent(count, base)).toBe(expected);
  });
});

describe('choiceStats', () => {
  it('when a scale has answers, then counts, percents, top-box, top-2-box and the mean are given', () => {
    const q = question('scale', scale4);
    const stats = choiceStats(q, counts({ '4': 5, '3': 3, '2': 1, '1': 1 }), 10);
    expect(stats.options.map((o) => [o.value, o.count, o.percent])).toEqual([
      ['4', 5, 50],
      ['3', 3, 30],
      ['2', 1, 10],
      ['1', 1, 10],
    ]);
    expect(stats.answered).toBe(10);
    expect(stats.blank).toBe(0);
    expect(stats.chart).toBe('bar');
    expect(stats.scale).toEqual({ topBoxCount: 5, topBoxPercent: 50, top2BoxCount: 8, top2BoxPercent: 80, mean: 3.2, maxScore: 4 });
  });

  it('when 11 say "very good", 3 "good" and 3 "poor" of 17, then the rows read 65/18/17 but the top-2-box is 14/17 = 82%, not 83%', () => {
    const stats = choiceStats(question('scale', scale4), counts({ '4': 11, '3': 3, '1': 3 }), 17);
    expect(stats.options.map((o) => o.percent)).toEqual([65, 18, 0, 17]);
    expect(stats.scale).toMatchObject({ topBoxCount: 11, topBoxPercent: 65, top2BoxCount: 14, top2BoxPercent: 82 });
  });

  it('when a scale splits in thirds, then the rows add up to 100 and the top-2-box is 2/3 rounded once', () => {
    const stats = choiceStats(question('scale', scale4), counts({ '4': 1, '3': 1, '2': 1 }), 3);
    expect(stats.options.map((o) => o.percent)).toEqual([34, 33, 33, 0]);
    expect(stats.scale).toMatchObject({ topBoxPercent: 33, top2BoxPercent: 67, mean: 3 });
  });

  it('when the age is asked in five bands, then "31–40 years" or older is its own share, not the sum of the rounded rows', () => {
    const ages: Option[] = ['under_21', '21_30', '31_40', '41_50', 'over_50'].map((value) => ({ value, id: value, en: value }));
    const q = question('single', ages, { key: 'age_band', group: 'identity' });
    const stats = choiceStats(q, counts({ '21_30': 1, '41_50': 7, over_50: 7 }), 15);
    // The rows add up to 100 with 46.7% rounded up twice; 14 of 15 are 31 or older: 93.3% is 93%, not 47 + 47 = 94%.
    expect(stats.options.map((o) => o.percent)).toEqual([0, 6, 0, 47, 47]);
    expect(stats.groups).toEqual([
      { from: '31_40', fromLabel: { id: '31_40', en: '31_40' }, values: ['31_40', '41_50', 'over_50'], count: 14, base: 15, percent: 93 },
    ]);
  });

  it('when a band question is counted, then the upper half of the bands is one share', () => {
    const stats = choiceStats(question('band', bands), counts({ '0_25': 1, '51_75': 1, '76_100': 1 }), 3);
    expect(stats.groups.map((g) => [g.from, g.count, g.percent])).toEqual([['51_75', 2, 67]]);
  });

  it('when a quiz question is counted, then the share who chose the right answer is given', () => {
    const quiz: Option[] = [
      { value: 'a', id: 'A', en: 'A' },
      { value: 'b', id: 'B', en: 'B', correct: true },
      { value: 'dont_know', id: 'Belum tahu', en: "Don't know" },
    ];
    const stats = choiceStats(question('quiz', quiz), counts({ a: 1, b: 5, dont_know: 2 }), 8);
    expect(stats.correct).toEqual({ value: 'b', count: 5, base: 8, percent: 63 });
    expect(stats.chart).toBe('bar');
  });

  it('when an optional question was left blank by some, then the base is who answered', () => {
    const q = question('yesno', yesNo, { required: false });
    const stats = choiceStats(q, counts({ yes: 3, no: 1 }), 10);
    expect(stats.answered).toBe(4);
    expect(stats.blank).toBe(6);
    expect(stats.options.map((o) => o.percent)).toEqual([75, 25]);
    expect(stats.chart).toBe('pie');
  });

  it('when a filter leaves nobody, then every count and percent is 0 and the mean is empty', () => {
    const stats = choiceStats(question('scale', scale4), new Map(), 0);
    expect(stats.answered).toBe(0);
    expect(stats.blank).toBe(0);
    expect(stats.options.every((o) => o.count === 0 && o.percent === 0)).toBe(true);
    expect(stats.scale).toEqual({ topBoxCount: 0, topBoxPercent: 0, top2BoxCount: 0, top2BoxPercent: 0, mean: null, maxScore: 4 });
  });

  it('when the question is multiple choice, then percents are shares of respondents and may exceed 100 together', () => {
    const q = question('multiple', channels);
    const stats = choiceStats(q, counts({ whatsapp: 3, instagram: 2, marketplace: 1 }), 4, 3);
    expect(stats.multiple).toBe(true);
    expect(stats.answered).toBe(3);
    expect(stats.blank).toBe(1);
    expect(stats.options.map((o) => o.percent)).toEqual([100, 67, 33]);
    expect(stats.scale).toBeNull();
  });

  it('when the database holds a value the question no longer lists, then it is shown under its raw value', () => {
    const stats = choiceStats(question('single', channels), counts({ whatsapp: 1, telegram: 1 }), 2);
    expect(stats.options.map((o) => [o.value, o.label.en, o.percent])).toEqual([
      ['whatsapp', 'WhatsApp', 50],
      ['instagram', 'Instagram', 0],
      ['marketplace', 'Marketplace', 0],
      ['telegram', 'telegram', 50],
    ]);
  });

  it('when a band question is counted, then its ranges keep their order and it gets bars', () => {
    const stats = choiceStats(question('band', bands), counts({ '76_100': 2, '0_25': 1 }), 3);
    expect(stats.options.map((o) => [o.value, o.count, o.percent])).toEqual([
      ['0_25', 1, 33],
      ['26_50', 0, 0],
      ['51_75', 0, 0],
      ['76_100', 2, 67],
    ]);
    expect(stats.chart).toBe('bar');
  });
});

describe('chartKind', () => {
  it.each([
    ['yesno', '', 'pie'],
    ['single', 'identity', 'pie'],
    ['single', '', 'bar'],
    ['scale', 'rating', 'bar'],
    ['band', 'understanding', 'bar'],
    ['multiple', '', 'bar'],
  ] as const)('when a %s question is in group "%s", then it gets a %s chart', (type, group, expected) => {
    expect(chartKind({ type, group })).toBe(expected);
  });
});

describe('textStats', () => {
  it('when some wrote suggestions, then the count of answers, the blanks and the latest are given', () => {
    const q = question('long_text', [], { required: false });
    const latest = [{ text: 'Tambah waktu praktik', at: '2026-12-01T08:00:00.000Z' }];
    expect(textStats(q, 1, 5, latest)).toMatchObject({ kind: 'text', answered: 1, blank: 4, latest });
  });

  it('when the form has no responses, then nothing is blank', () => {
    expect(textStats(question('short_text'), 0, 0, [])).toMatchObject({ answered: 0, blank: 0, latest: [] });
  });
});

describe('sharedKeys', () => {
  const pre = [
    question('single', [{ value: 'female', id: 'P', en: 'F' }], { key: 'gender', group: 'identity' }),
    question('band', bands, { key: 'understanding' }),
    question('yesno', yesNo, { key: 'used_internet' }),
    question('scale', scale4, { key: 'changed_scale' }),
    question('long_text', [], { key: 'notes' }),
  ];
  const post = [
    question('single', [{ value: 'female', id: 'P', en: 'F' }], { key: 'gender', group: 'identity' }),
    question('band', bands, { key: 'understanding' }),
    question('scale', scale4.slice(0, 3), { key: 'changed_scale' }),
    question('long_text', [], { key: 'notes' }),
    question('yesno', yesNo, { key: 'will_implement' }),
  ];

  it('when pre and post share keys, then only comparable questions with the same options are compared', () => {
    expect(sharedKeys(pre, post)).toEqual(['understanding']);
  });

  it('when there is no pre form, then nothing is compared', () => {
    expect(sharedKeys([], post)).toEqual([]);
  });
});

describe('answerLevel', () => {
  it.each([
    ['band', bands, '0_25', 1],
    ['band', bands, '76_100', 4],
    ['scale', scale4, '4', 4],
    ['scale', scale4, '1', 1],
    ['yesno', yesNo, 'yes', 1],
    ['yesno', yesNo, 'no', 0],
    ['band', bands, 'unknown', null],
    ['single', channels, 'whatsapp', null],
  ] as const)('when a %s answer is %s… (%s), then its level is %s', (type, options, value, expected) => {
    expect(answerLevel({ type, options }, value)).toBe(expected);
  });
});

describe('pairedSummary', () => {
  const band = question('band', bands, { key: 'understanding' });

  it.each([
    {
      name: 'two moved up, one stayed, one moved down',
      pairs: [
        { before: '0_25', after: '51_75' },
        { before: '26_50', after: '76_100' },
        { before: '51_75', after: '51_75' },
        { before: '76_100', after: '51_75' },
      ],
      expected: { pairs: 4, movedUp: 2, same: 1, movedDown: 1, meanBefore: 2.5, meanAfter: 3.25 },
    },
    {
      name: 'nobody answered both',
      pairs: [],
      expected: { pairs: 0, movedUp: 0, same: 0, movedDown: 0, meanBefore: null, meanAfter: null },
    },
    {
      name: 'an answer outside the bands is left out of the pairs',
      pairs: [
        { before: 'old', after: '51_75' },
        { before: '0_25', after: '26_50' },
      ],
      expected: { pairs: 1, movedUp: 1, same: 0, movedDown: 0, meanBefore: 1, meanAfter: 2 },
    },
  ])('when $name, then the paired summary says so', ({ pairs, expected }) => {
    expect(pairedSummary(band, pairs)).toEqual(expected);
  });

  it('when the question is single choice, then there is no paired summary', () => {
    expect(pairedSummary(question('single', channels), [{ before: 'whatsapp', after: 'instagram' }])).toBeNull();
  });
});

describe('prePostStats', () => {
  it('when the same key is asked before and after, then both distributions are side by side with the paired view', () => {
    const pre = question('band', bands, { key: 'understanding' });
    const post = question('band', bands, { key: 'understanding' });
    const result = prePostStats(
      pre,
      post,
      counts({ '0_25': 2, '26_50': 1 }),
      sumCounts([counts({ '51_75': 1 }), counts({ '51_75': 1, '76_100': 1 }), undefined]),
      { pre: 3, post: 3 },
      [{ before: '0_25', after: '76_100' }],
    );
    expect(result.key).toBe('understanding');
    expect(result.pre.options.map((o) => o.percent)).toEqual([67, 33, 0, 0]);
    expect(result.post.options.map((o) => o.count)).toEqual([0, 0, 2, 1]);
    expect(result.post.options.map((o) => o.percent)).toEqual([0, 0, 67, 33]);
    expect(result.paired).toEqual({ pairs: 1, movedUp: 1, same: 0, movedDown: 0, meanBefore: 1, meanAfter: 4 });
  });
});

// ---------------------------------------------------------------- derived shares, for any counts

/** Every share the statistics derive from one or more options, with the count and base it claims. */
function derivedShares(stats: ReturnType<typeof choiceStats>): { name: string; count: number; base: number; percent: number }[] {
  const shares = [];
  if (stats.scale) {
    shares.push({ name: 'top-box', count: stats.scale.topBoxCount, base: stats.answered, percent: stats.scale.topBoxPercent });
    shares.push({ name: 'top-2-box', count: stats.scale.top2BoxCount, base: stats.answered, percent: stats.scale.top2BoxPercent });
  }
  for (const g of stats.groups) shares.push({ name: `at least ${g.from}`, count: g.count, base: g.base, percent: g.percent });
  if (stats.correct) shares.push({ name: 'right answer', ...stats.correct });
  return shares;
}

describe('derived shares (property)', () => {
  const ages: Option[] = ['under_21', '21_30', '31_40', '41_50', 'over_50'].map((value) => ({ value, id: value, en: value }));
  const quiz: Option[] = [
    { value: 'a', id: 'A', en: 'A' },
    { value: 'b', id: 'B', en: 'B', correct: true },
    { value: 'c', id: 'C', en: 'C' },
  ];
  const cases = [
    { name: 'a 4-point scale', q: question('scale', scale4), size: 4 },
    { name: 'understanding bands', q: question('band', bands), size: 4 },
    { name: 'the age', q: question('single', ages, { key: 'age_band', group: 'identity' }), size: 5 },
    { name: 'a quiz', q: question('quiz', quiz), size: 3 },
  ];

  it.each(cases)(
    'when $name is answered in any way, then every derived share is its own count over its base, rounded once',
    ({ q, size }) => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: 5000 }), { minLength: size, maxLength: size }), (list) => {
          const stats = choiceStats(
            q,
            new Map(q.options.map((o, i) => [o.value, list[i]!])),
            list.reduce((a, b) => a + b, 0),
          );
          const shares = derivedShares(stats);
          expect(shares.length).toBeGreaterThan(0);
          for (const s of shares) {
            if (s.base === 0) {
              expect(s.percent).toBe(0);
              continue;
            }
            const exact = (100 * s.count) / s.base;
            // Whole percents: never more than half a point off; exactly half only when the exact share ends in .5.
            expect(Math.abs(s.percent - exact), s.name).toBeLessThanOrEqual(0.5);
            if (Math.abs(s.percent - exact) === 0.5) expect((2 * 100 * s.count) % s.base, s.name).toBe(0);
            else expect(Math.abs(s.percent - exact), s.name).toBeLessThan(0.5);
          }
          // The parts of one question still add up to exactly 100.
          if (stats.answered) expect(stats.options.reduce((sum, o) => sum + o.percent, 0)).toBe(100);
        }),
        { numRuns: 400 },
      );
    },
  );

  it('when the top-2-box is derived, then its count is the two best options and its base who answered', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 300 }), { minLength: 4, maxLength: 4 }), (list) => {
        const stats = choiceStats(question('scale', scale4), counts({ '4': list[0]!, '3': list[1]!, '2': list[2]!, '1': list[3]! }), 0);
        expect(stats.scale!.top2BoxCount).toBe(list[0]! + list[1]!);
        expect(stats.answered).toBe(list.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('knowledgeSummary', () => {
  it("when four trainees took an 8-question test before and after, then the means, the gain and Hake's g are given with n", () => {
    const pairs = [
      { before: 2, after: 6 },
      { before: 4, after: 8 },
      { before: 4, after: 5 },
      { before: 6, after: 6 },
    ];
    const summary = knowledgeSummary(8, [2, 4, 4, 6, 3], [6, 8, 5, 6], pairs);
    // Before 25, 50, 50, 75 → 50%; after 75, 100, 62.5, 75 → 78.125%; g = 28.125 / 50 = 0.5625.
    expect(summary.paired).toMatchObject({
      n: 4,
      meanBeforePercent: 50,
      meanAfterPercent: 78.1,
      meanGainPoints: 28.1,
      normalizedGain: 0.56,
    });
    expect(summary.before).toEqual({ n: 5, meanPercent: 47.5 });
    expect(summary.after).toEqual({ n: 4, meanPercent: 78.1 });
    expect(summary.paired.trainees).toEqual([
      { before: 2, after: 6 },
      { before: 4, after: 5 },
      { before: 4, after: 8 },
      { before: 6, after: 6 },
    ]);
  });

  it('when everyone knew everything before, then there was nothing left to gain and g is empty', () => {
    expect(knowledgeSummary(4, [4], [4], [{ before: 4, after: 4 }]).paired).toMatchObject({
      n: 1,
      meanGainPoints: 0,
      normalizedGain: null,
    });
  });

  it('when nobody took both, then n is 0 and the paired figures are empty', () => {
    expect(knowledgeSummary(8, [3], [], []).paired).toEqual({
      n: 0,
      meanBeforePercent: null,
      meanAfterPercent: null,
      meanGainPoints: null,
      normalizedGain: null,
      trainees: [],
    });
  });
});

describe('isSmallGroup', () => {
  it.each([
    [4, 5, true, true],
    [5, 5, true, false],
    [0, 5, true, true],
    [2, 5, false, false],
    [2, 2, true, false],
  ])('when %i respondents with k = %i (filter narrows: %s), then small is %s', (respondents, k, narrowed, expected) => {
    expect(isSmallGroup(respondents, k, narrowed)).toBe(expected);
  });
});
