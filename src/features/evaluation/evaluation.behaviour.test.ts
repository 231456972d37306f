// Behaviour beside opinion (issue 14): the post-training ratings of trainees who completed at least
// half of their missions against those who completed fewer, with n per group and the small-group
// rule, on the page, in the JSON and in the workbook. The counts are small enough to check by hand.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { type Agent, makeForm, makeResponse, makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import type { EvaluationReport } from './evaluation.service.js';
import { missionRatings } from './evaluation.stats.js';

const app = createApp();
const material = { key: 'material_quality', text: { id: 'Materi', en: 'Material' }, top2: ['4', '3'] };
const trainee = (missionsDone: number, value?: string) => ({
  missionsDone,
  answers: new Map(value === undefined ? [] : [['material_quality', value]]),
});

describe('ratings by missions completed, the arithmetic', () => {
  it.each([
    // missions, threshold: half rounded up; a trainee with exactly the threshold is in the first group
    { missions: 3, done: [2, 3, 1, 0], expected: { threshold: 2, atLeastHalf: 2, fewer: 2 } },
    { missions: 16, done: [8, 7, 16, 0], expected: { threshold: 8, atLeastHalf: 2, fewer: 2 } },
    { missions: 1, done: [1, 0], expected: { threshold: 1, atLeastHalf: 1, fewer: 1 } },
  ])('when there are $missions missions, then the groups split at $expected.threshold', ({ missions, done, expected }) => {
    const r = missionRatings(
      [material],
      done.map((d) => trainee(d, '4')),
      missions,
      1,
    );
    expect({ threshold: r.threshold, atLeastHalf: r.atLeastHalf.trainees, fewer: r.fewer.trainees }).toEqual(expected);
  });

  it('when 14 of 17 gave one of the two best ratings, then the share is 82% from the counts, over who answered', () => {
    const values = [...Array(11).fill('4'), ...Array(3).fill('3'), ...Array(3).fill('1')] as string[];
    const r = missionRatings([material], [...values.map((v) => trainee(5, v)), trainee(5)], 6, 5);
    expect(r.atLeastHalf).toEqual({ trainees: 18, suppressed: false });
    expect(r.items[0]!.atLeastHalf).toEqual({ count: 14, base: 17, percent: 82 });
  });

  it('when a group has fewer than k trainees, then only its size is given', () => {
    const r = missionRatings([material], [trainee(3, '4'), trainee(3, '4'), trainee(0, '1')], 4, 2);
    expect(r.fewer).toEqual({ trainees: 1, suppressed: true });
    expect(r.items[0]).toMatchObject({ atLeastHalf: { count: 2, base: 2, percent: 100 }, fewer: null });
  });
});

const postAnswers = (material_quality: string) => ({
  gender: 'female',
  age_band: '31_40',
  occupation: 'umkm_owner',
  material_quality,
  facilitator_quality: '4',
  organizer_performance: '3',
  facilities: '3',
  understanding: '51_75',
  effectiveness: '4',
  will_implement: 'yes',
  module_internet_ethics_security: '4',
  module_online_transactions: '3',
  module_ecommerce_security: '3',
  module_selling_buying: '4',
});

describe('ratings by missions completed, as the organizer reads them', () => {
  let w: Awaited<ReturnType<typeof makeWorkshop>>;
  let organizer: Agent;

  beforeAll(async () => {
    // The agenda opens three missions: answering the pre and the post questionnaire and opening a
    // shop. Nobody opens a shop here, so the pre questionnaire decides: 2 of 3 is at least half.
    w = await makeWorkshop({ trainees: 11 });
    await prisma.workshopSession.updateMany({
      where: { workshopId: w.workshopId },
      data: { missions: 'pre-questionnaire,open-shop,post-questionnaire' },
    });
    organizer = await signedInAgent(app, w.organizer.username);
    const pre = await makeForm({ workshop: w.workshop, template: 'pre-training' });
    const post = await makeForm({ workshop: w.workshop, template: 'post-training' });
    // Six did both questionnaires: 4, 4, 3, 3, 2, 1 → top-2 (4 or 3) = 4 of 6 = 67%.
    const both = w.trainees.slice(0, 6);
    for (const [i, user] of both.entries()) {
      await makeResponse({ form: pre, user, answers: {} });
      await makeResponse({ form: post, user, answers: postAnswers(['4', '4', '3', '3', '2', '1'][i]!) });
    }
    // Five did only the post questionnaire: 4, 2, 2, 1, 1 → 1 of 5 = 20%.
    for (const [i, user] of w.trainees.slice(6).entries())
      await makeResponse({ form: post, user, answers: postAnswers(['4', '2', '2', '1', '1'][i]!) });
    // Neither paper sheets nor a demo trainee can be matched to missions: not counted.
    await makeResponse({ form: post, answers: postAnswers('1') });
    const demo = await makeUser({ memberOf: w.workshopId, demoKind: 'trainee' });
    await makeResponse({ form: post, user: demo, answers: postAnswers('1') });
  });

  it('when the organizer opens the evaluation, then the page, the JSON and the workbook give 67% (4/6) against 20% (1/5)', async () => {
    const json = (await organizer.get(`/workshops/${w.workshopId}/evaluation.json`)).body as EvaluationReport;
    expect(json.missionRatings).toMatchObject({
      missions: 3,
      threshold: 2,
      atLeastHalf: { trainees: 6, suppressed: false },
      fewer: { trainees: 5, suppressed: false },
    });
    const item = json.missionRatings!.items.find((i) => i.key === 'material_quality');
    expect(item).toMatchObject({ atLeastHalf: { count: 4, base: 6, percent: 67 }, fewer: { count: 1, base: 5, percent: 20 } });

    const page = await organizer.get(`/workshops/${w.workshopId}/evaluation`);
    const section = text(page.text.slice(page.text.indexOf('data-testid="eval-missions"')));
    expect(section).toContain('Bukti perilaku: penilaian menurut misi yang selesai');
    expect(section).toContain('≥ 2 misi (n = 6)');
    expect(section).toContain('< 2 misi (n = 5)');
    expect(section).toMatch(/Bagaimana kualitas materi[^%]*67% \(4\/6\) 20% \(1\/5\)/);

    const res = await organizer.get(`/workshops/${w.workshopId}/evaluation.xlsx`).responseType('blob');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    const sheet = book.getWorksheet('Misi dan latihan')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(['Pertanyaan', '≥ 2 misi (n = 6)', '< 2 misi (n = 5)']);
    expect(rows.find((r) => String(r[0]).startsWith('Bagaimana kualitas materi'))?.slice(1)).toEqual([0.67, 0.2]);
  });

  it('when k is raised above the smaller group, then that group shows only its size everywhere', async () => {
    await organizer
      .post(`/workshops/${w.workshopId}/evaluation/privacy`)
      .type('form')
      .send({ _csrf: await organizer.csrf(), minGroup: '6' })
      .expect(303);
    const json = (await organizer.get(`/workshops/${w.workshopId}/evaluation.json`)).body as EvaluationReport;
    expect(json.missionRatings!.fewer).toEqual({ trainees: 5, suppressed: true });
    expect(json.missionRatings!.items.every((i) => i.fewer === null && i.atLeastHalf !== null)).toBe(true);
    const page = text((await organizer.get(`/workshops/${w.workshopId}/evaluation`)).text);
    expect(page).toContain('Kelompok kurang dari 6 peserta: hanya jumlahnya yang ditampilkan.');
    expect(page).toMatch(/Bagaimana kualitas materi[^%]*67% \(4\/6\) –/);
  });
});
