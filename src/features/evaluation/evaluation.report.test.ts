// The evaluation an organizer hands in (issue 14): small groups stay private everywhere, imported
// sheets count as respondents, the knowledge test and the follow-up are compared with the
// pre-training answers, an export imported again gives the same report, and the workbook and the
// CSVs read as the page does.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import {
  type Agent,
  ctxOf,
  makeForm,
  makeResponse,
  makeUser,
  makeWorkshop,
  preTrainingAnswers,
  signedInAgent,
} from '../../test/builders/index.js';
import { importResponsesCsv } from '../questionnaires/csv.service.js';
import { getKnowledgeTest } from '../questionnaires/templates.js';
import type { EvaluationReport } from './evaluation.service.js';

const app = createApp();

const postAnswers = (overrides: Record<string, string> = {}) => ({
  gender: 'female',
  age_band: '31_40',
  occupation: 'umkm_owner',
  material_quality: '4',
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
  ...overrides,
});

const getJson = async (agent: Agent, workshopId: number, query = '') =>
  (await agent.get(`/workshops/${workshopId}/evaluation.json${query}`)).body as EvaluationReport;

async function workbook(agent: Agent, url: string): Promise<ExcelJS.Workbook> {
  const res = await agent.get(url).responseType('blob');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as ArrayBuffer);
  return book;
}

const sheetText = (sheet: ExcelJS.Worksheet) => {
  const lines: string[] = [];
  sheet.eachRow((row) =>
    lines.push(
      (row.values as unknown[])
        .slice(1)
        .map((v) => (v instanceof Date ? v.toISOString() : String(v ?? '')))
        .join(' | '),
    ),
  );
  return lines.join('\n');
};

// ---------------------------------------------------------------- privacy

describe('small groups', () => {
  let w: Awaited<ReturnType<typeof makeWorkshop>>;
  let organizer: Agent;
  let formId: number;

  beforeAll(async () => {
    w = await makeWorkshop({ trainees: 0 });
    organizer = await signedInAgent(app, w.organizer.username);
    formId = (await makeForm({ workshop: w.workshop, template: 'post-training' })).id;
    for (let i = 0; i < 6; i++) await makeResponse({ form: formId, answers: postAnswers({ suggestions: `Saran perempuan ${i}` }) });
    await makeResponse({
      form: formId,
      answers: postAnswers({ gender: 'male', occupation: 'employee', suggestions: 'Rahasia bapak satu' }),
    });
    await makeResponse({ form: formId, answers: postAnswers({ gender: 'male', material_quality: '1' }) });
  });

  it('when a filter leaves fewer than k = 5 respondents, then the page shows only the count and a message, and no written answer', async () => {
    const res = await organizer.get(`/workshops/${w.workshopId}/evaluation?gender=male`);
    expect(res.status).toBe(200);
    const page = text(res.text);
    expect(page).toContain('Kurang dari 5 responden dengan saringan ini: rinciannya disembunyikan untuk menjaga privasi');
    expect(res.text).toMatch(/data-stat="responses">2</);
    expect(res.text).not.toContain('data-question=');
    expect(res.text).not.toContain('data-chart=');
    expect(page).not.toContain('Rahasia bapak');
    expect(res.text).not.toContain('data-stat="women"');
  });

  it('when the same filter is asked as JSON, CSV or workbook, then each holds the count only', async () => {
    const json = await getJson(organizer, w.workshopId, '?gender=male');
    expect(json.privacy).toEqual({ minGroup: 5, narrowed: true });
    expect(json.summary).toMatchObject({ responses: 2, byGender: null, femalePercent: null, suppressed: true });
    expect(json.forms).toEqual([expect.objectContaining({ formId, responses: 2, suppressed: true, questions: [] })]);
    expect(JSON.stringify(json)).not.toContain('Rahasia');

    const csv = (await organizer.get(`/workshops/${w.workshopId}/evaluation.csv?gender=male`)).text;
    expect(csv).toContain(',suppressed,,"Kurang dari 5 responden dengan saringan ini');
    expect(csv).not.toContain(',option,');

    const book = await workbook(organizer, `/workshops/${w.workshopId}/evaluation.xlsx?gender=male`);
    const all = book.worksheets.map(sheetText).join('\n');
    expect(all).toContain('Kurang dari 5 responden dengan saringan ini');
    expect(all).not.toContain('Rahasia');
    expect(all).not.toContain('Sangat jelas');
  });

  it('when the filter leaves k or more, then everything is broken down, free text included', async () => {
    const json = await getJson(organizer, w.workshopId, '?gender=female');
    expect(json.forms[0]).toMatchObject({ responses: 6, suppressed: false });
    const suggestions = json.forms[0]!.questions.find((q) => q.key === 'suggestions');
    expect(suggestions?.kind === 'text' && suggestions.latest.length).toBe(6);
  });

  it('when the organizer sets k to 2, then the two men are broken down; a tutor cannot change k and k = 1 is refused', async () => {
    const tutor = await signedInAgent(app, w.tutor.username);
    const refusedTutor = await tutor
      .post(`/workshops/${w.workshopId}/evaluation/privacy`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), minGroup: '2' });
    expect(refusedTutor.status).toBe(403);
    const tooLow = await organizer
      .post(`/workshops/${w.workshopId}/evaluation/privacy`)
      .type('form')
      .send({ _csrf: await organizer.csrf(), minGroup: '1' });
    expect(tooLow.status).toBe(303);
    expect(text((await organizer.get(tooLow.headers.location!)).text)).toContain('Isi angka 2 sampai 50.');
    const saved = await organizer
      .post(`/workshops/${w.workshopId}/evaluation/privacy`)
      .type('form')
      .send({ _csrf: await organizer.csrf(), minGroup: '2' });
    expect(saved.headers.location).toBe(`/workshops/${w.workshopId}/evaluation#privacy`);
    const json = await getJson(organizer, w.workshopId, '?gender=male');
    expect(json.forms[0]).toMatchObject({ responses: 2, suppressed: false });
    await prisma.workshop.update({ where: { id: w.workshopId }, data: { privacyMinGroup: 5 } });
  });
});

// ---------------------------------------------------------------- who answered

describe('imported and paper respondents', () => {
  it('when 4 sheets are imported and 1 trainee answered, then 5 trainees answered and the form shows 4 from paper or import', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const form = await makeForm({ workshop: w.workshop, template: 'post-training' });
    const ctx = await ctxOf({ workshop: w.workshop, user: w.organizer });
    await makeResponse({ form, user: w.trainees[0]!, answers: postAnswers() });
    const keys = Object.keys(postAnswers());
    const sheets = ['21_30', '31_40', '41_50', 'over_50'].map((age, i) =>
      postAnswers({ age_band: age, gender: i === 2 ? 'male' : 'female' }),
    );
    const csv = [keys.join(','), ...sheets.map((sheet) => keys.map((k) => sheet[k as keyof typeof sheet]).join(','))].join('\n');
    expect(await importResponsesCsv(ctx, form.id, csv)).toEqual({ ok: true, imported: 4 });
    const organizer = await signedInAgent(app, w.organizer.username);
    const json = await getJson(organizer, w.workshopId);
    expect(json.summary.respondents).toEqual({ total: 5, withAccount: 1, withoutAccount: 4 });
    expect(json.summary.bySource).toEqual({ trainee: 1, import: 4 });
    expect(json.summary.byGender).toEqual({ female: 4, male: 1 });
    const page = await organizer.get(`/workshops/${w.workshopId}/evaluation`);
    expect(page.text).toMatch(/data-stat="trainees">5</);
    expect(text(page.text)).toContain('1 dengan akun · 4 dari kertas/impor/tautan anonim');
    const row = new RegExp(`<tr data-form="${form.id}">[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(row).toContain('data-label="Kertas/impor">4<');
  });
});

// ---------------------------------------------------------------- knowledge test

describe('the knowledge test before and after', () => {
  it("when five trainees took the test before and after, then the page and JSON give the scores, the gain and Hake's g with n", async () => {
    const w = await makeWorkshop({ trainees: 5 });
    const pre = await makeForm({ workshop: w.workshop, template: 'pre-training', knowledgeTest: true });
    const post = await makeForm({ workshop: w.workshop, template: 'post-training', knowledgeTest: true });
    const test = getKnowledgeTest().questions;
    const right = (q: (typeof test)[number]) => q.options.find((o) => o.correct)!.value;
    /** Answers with the first `n` questions right and the rest "don't know". */
    const scored = (n: number) => Object.fromEntries(test.map((q, i) => [q.key, i < n ? right(q) : 'dont_know']));
    const identity = { gender: 'female', age_band: '31_40', occupation: 'umkm_owner' };
    const before = [2, 4, 4, 6, 3];
    const after = [6, 8, 5, 6, 7];
    for (const [i, trainee] of w.trainees.entries()) {
      await makeResponse({ form: pre, user: trainee, answers: { ...identity, ...scored(before[i]!) } });
      // The fifth took the test after on paper only: it counts in the average after, not in the pairs.
      await makeResponse({ form: post, user: i < 4 ? trainee : null, answers: { ...postAnswers(), ...scored(after[i]!) } });
    }
    const organizer = await signedInAgent(app, w.organizer.username);
    const json = await getJson(organizer, w.workshopId);
    const k = json.knowledge!;
    expect(k.questions).toBe(8);
    expect(k.before).toEqual({ n: 5, meanPercent: 47.5 });
    expect(k.after).toEqual({ n: 5, meanPercent: 80 });
    // Pairs (2→6, 4→8, 4→5, 6→6) of 8: 50% → 78.1%, +28.1 points, g = 28.125 / 50 = 0.56.
    expect(k.paired).toMatchObject({ n: 4, meanBeforePercent: 50, meanAfterPercent: 78.1, meanGainPoints: 28.1, normalizedGain: 0.56 });
    expect(k.paired.trainees).toEqual([
      { before: 2, after: 6 },
      { before: 4, after: 5 },
      { before: 4, after: 8 },
      { before: 6, after: 6 },
    ]);
    // The first question was right for everyone before and after; the last for nobody before.
    expect(k.items[0]).toMatchObject({
      key: test[0]!.key,
      before: { count: 5, base: 5, percent: 100 },
      after: { count: 5, base: 5, percent: 100 },
    });
    expect(k.items[7]).toMatchObject({ before: { count: 0, base: 5, percent: 0 }, after: { count: 1, base: 5, percent: 20 } });

    const page = text((await organizer.get(`/workshops/${w.workshopId}/evaluation`)).text);
    expect(page).toContain('Peserta yang mengerjakan keduanya: 4');
    expect(page).toContain('Gain ternormalisasi (Hake, g) 0,56');
    expect(page).toContain('Kenaikan rata-rata +28,1 poin');
    expect(page).toContain('Rata-rata sebelum 50%');
    expect(page).toContain('Peserta 1 2/8 6/8');
    expect(page).not.toContain(w.trainees[0]!.displayName);
  });
});

// ---------------------------------------------------------------- follow-up

describe('the follow-up weeks later', () => {
  it('when trainees answer the follow-up, then "selling online" and understanding are compared with their pre-training answers', async () => {
    const w = await makeWorkshop({ trainees: 3 });
    await prisma.workshop.update({ where: { id: w.workshopId }, data: { privacyMinGroup: 2 } });
    const pre = await makeForm({ workshop: w.workshop, template: 'pre-training' });
    const followUp = await makeForm({ workshop: w.workshop, template: 'follow-up' });
    const identity = { gender: 'female', age_band: '31_40', occupation: 'umkm_owner' };
    for (const [i, trainee] of w.trainees.entries()) {
      await makeResponse({ form: pre, user: trainee, answers: { ...identity, sold_online: 'no', understanding: '0_25' } });
      await makeResponse({
        form: followUp,
        user: trainee,
        answers: { ...identity, sold_online: i < 2 ? 'yes' : 'no', has_online_shop: 'yes', understanding: '51_75' },
      });
    }
    const organizer = await signedInAgent(app, w.organizer.username);
    const json = await getJson(organizer, w.workshopId);
    expect(json.followUp.after).toBe('followup');
    expect(json.followUp.items.map((i) => i.key)).toEqual(['sold_online', 'bought_online', 'paid_online', 'understanding']);
    const sold = json.followUp.items.find((i) => i.key === 'sold_online')!;
    expect(sold.pre.options.map((o) => [o.value, o.count])).toEqual([
      ['yes', 0],
      ['no', 3],
    ]);
    expect(sold.post.options.map((o) => [o.value, o.count, o.percent])).toEqual([
      ['yes', 2, 67],
      ['no', 1, 33],
    ]);
    expect(sold.paired).toMatchObject({ pairs: 3, movedUp: 2, same: 1, movedDown: 0 });
    expect(json.prePost.items).toEqual([]);
    const page = text((await organizer.get(`/workshops/${w.workshopId}/evaluation`)).text);
    expect(page).toContain('Tindak lanjut: beberapa minggu kemudian');
    expect(page).toContain('Apakah Anda sudah berjualan online');
  });
});

// ---------------------------------------------------------------- exports

/** Everything a report says about its forms, sessions and people, without ids that differ between workshops. */
function comparable(report: EvaluationReport) {
  return {
    summary: { responses: report.summary.responses, byGender: report.summary.byGender, femalePercent: report.summary.femalePercent },
    perForm: report.perForm.map((f) => [f.title, f.responses, f.byGender]),
    perSession: report.perSession.map((s) => [s.name, s.responses, s.byGender]),
    forms: report.forms.map((f) => ({
      title: f.title,
      responses: f.responses,
      questions: f.questions.map(({ questionId: _id, ...q }) =>
        q.kind === 'text' ? { ...q, latest: q.latest.map((a) => a.text).sort() } : q,
      ),
    })),
    prePost: report.prePost.items.map((i) => ({ key: i.key, pre: i.pre.options, post: i.post.options })),
  };
}

describe('export and import again', () => {
  it('when every form is exported as CSV and imported into a new workshop with the same forms, then the report is the same', async () => {
    const a = await makeWorkshop({ trainees: 0 });
    const sessions = await prisma.workshopSession.findMany({ where: { workshopId: a.workshopId }, orderBy: { position: 'asc' } });
    const pre = await makeForm({ workshop: a.workshop, template: 'pre-training', session: sessions[0]! });
    const post = await makeForm({ workshop: a.workshop, template: 'post-training', session: sessions[2]! });
    const preBase = preTrainingAnswers({ paid_online: 'no', understanding: '0_25' });
    await makeResponse({ form: pre, answers: preBase });
    await makeResponse({ form: pre, answers: { ...preBase, gender: 'male', understanding: '26_50' } });
    await makeResponse({ form: post, answers: postAnswers({ suggestions: 'Bagus, tapi waktu praktik kurang' }) });
    await makeResponse({ form: post, session: sessions[1]!, answers: postAnswers({ material_quality: '2', gender: 'male' }) });
    await makeResponse({ form: post, answers: postAnswers({ understanding: '76_100', suggestions: '=1+1' }) });
    await prisma.response.updateMany({ where: { formId: post.id }, data: { updatedAt: new Date('2026-11-30T22:45:52Z') } });

    const b = await makeWorkshop({ trainees: 0 });
    const sessionsB = await prisma.workshopSession.findMany({ where: { workshopId: b.workshopId }, orderBy: { position: 'asc' } });
    const preB = await makeForm({ workshop: b.workshop, template: 'pre-training', session: sessionsB[0]! });
    const postB = await makeForm({ workshop: b.workshop, template: 'post-training', session: sessionsB[2]! });

    const agentA = await signedInAgent(app, a.organizer.username);
    const agentB = await signedInAgent(app, b.organizer.username);
    for (const [from, to] of [
      [pre.id, preB.id],
      [post.id, postB.id],
    ] as const) {
      for (const sep of ['', '?sep=semicolon']) {
        const exported = await agentA.get(`/workshops/${a.workshopId}/questionnaires/${from}/responses.csv${sep}`);
        if (sep) continue; // the ; export is read below; importing both would double the answers
        const page = await agentB.get(`/workshops/${b.workshopId}/questionnaires/${to}/import`);
        const imported = await agentB
          .post(`/workshops/${b.workshopId}/questionnaires/${to}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
          .attach('file', Buffer.from(exported.text, 'utf8'), { filename: 'export.csv', contentType: 'text/csv' });
        expect(imported.status, /Masalah[\s\S]*?Berkas CSV dengan/.exec(text(imported.text))?.[0]).toBe(303);
      }
    }
    expect(comparable(await getJson(agentB, b.workshopId))).toEqual(comparable(await getJson(agentA, a.workshopId)));
    const times = await prisma.response.findMany({ where: { formId: postB.id }, select: { createdAt: true } });
    expect(times.map((t) => t.createdAt.toISOString())).toEqual(Array(3).fill('2026-11-30T22:45:52.000Z'));
  });

  it('when the CSVs are asked with ; for Indonesian Excel, then cells are split by ; and decimals use a comma', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const form = await makeForm({ workshop: w.workshop, template: 'post-training' });
    await makeResponse({ form, answers: postAnswers({ material_quality: '4' }) });
    await makeResponse({ form, answers: postAnswers({ material_quality: '3' }) });
    const agent = await signedInAgent(app, w.organizer.username);
    const summary = (await agent.get(`/workshops/${w.workshopId}/evaluation.csv?sep=semicolon`)).text.replace(/^\ufeff/, '');
    expect(summary.split('\n')[0]).toBe(
      'form_id;form_title;question_key;question_text;type;row;option_value;option_label;count;percent;base;mean',
    );
    expect(summary).toMatch(/;material_quality;.*;mean;;Rata-rata;2;;2;3,5/);
    const raw = (await agent.get(`/workshops/${w.workshopId}/questionnaires/${form.id}/responses.csv?sep=semicolon`)).text.replace(
      /^\ufeff/,
      '',
    );
    expect(raw.split('\n')[0]).toMatch(/^response_id;source;session;submitted_at;gender;age_band/);
  });

  it('when the workbook is downloaded, then it speaks Indonesian labels, keeps numbers as numbers, writes WITA times and the filters', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    await prisma.workshop.update({ where: { id: w.workshopId }, data: { privacyMinGroup: 2 } });
    const form = await makeForm({ workshop: w.workshop, template: 'post-training' });
    // 11 "very clear", 3 "clear", 3 "unclear": the rows 65/18/17, the top-2-box 82%.
    for (let i = 0; i < 17; i++)
      await makeResponse({
        form,
        answers: postAnswers({ material_quality: i < 11 ? '4' : i < 14 ? '3' : '1', age_band: i < 5 ? '21_30' : '41_50' }),
      });
    await prisma.response.updateMany({ where: { formId: form.id }, data: { updatedAt: new Date('2026-12-01T22:45:52Z') } });
    const agent = await signedInAgent(app, w.organizer.username);
    const book = await workbook(agent, `/workshops/${w.workshopId}/evaluation.xlsx?gender=female`);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Ringkasan', '1. Kuesioner Akhir Pelatihan E-', 'Data 1. Kuesioner Akhir Pelatih']);

    const summary = book.worksheets[1]!;
    const all = sheetText(summary);
    expect(all).toContain('Saringan: Jenis kelamin: Perempuan');
    expect(all).toContain('21–30 tahun');
    expect(all).toContain('Bagaimana kualitas materi pelatihan?');
    expect(all).not.toMatch(/\b21_30\b|\byes\b|\bfemale\b/);
    const rowOf = (label: string, after = 0) => {
      let found: ExcelJS.Row | undefined;
      summary.eachRow((row, n) => {
        if (!found && n > after && row.getCell(1).value === label) found = row;
      });
      return found!;
    };
    const material = rowOf('Bagaimana kualitas materi pelatihan?').number;
    const veryClear = rowOf('Sangat jelas', material);
    expect([veryClear.getCell(2).value, veryClear.getCell(3).value, veryClear.getCell(3).numFmt]).toEqual([11, 0.65, '0%']);
    const top2 = rowOf('Menjawab “Sangat jelas” atau “Jelas”', material);
    expect([top2.getCell(2).value, top2.getCell(3).value]).toEqual([14, 0.82]);

    const raw = book.worksheets[2]!;
    expect(sheetText(raw)).toContain('Saringan: Jenis kelamin: Perempuan');
    let header: ExcelJS.Row | undefined;
    raw.eachRow((row) => {
      if (!header && row.getCell(1).value === 'No.') header = row;
    });
    expect(header!.getCell(4).value).toBe('Waktu (WITA)');
    const first = raw.getRow(header!.number + 1);
    expect(first.getCell(2).value).toBe('kertas');
    expect((first.getCell(4).value as Date).toISOString()).toBe('2026-12-02T06:45:52.000Z');
    expect(first.getCell(5).value).toBe('Perempuan');
    let rows = 0;
    raw.eachRow((row) => {
      if (header && row.number > header.number) rows++;
    });
    expect(rows).toBe(17);
  });
});

// ---------------------------------------------------------------- the page equals the JSON, for any answers

describe('derived shares on the page', () => {
  it('when random answers are counted, then every share on the page equals the JSON and is its own count over its base', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const organizer = await signedInAgent(app, w.organizer.username);
    const questionOf = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            material: fc.constantFrom('4', '3', '2', '1'),
            age: fc.constantFrom('under_21', '21_30', '31_40', '41_50', 'over_50'),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        async (sheets) => {
          await prisma.form.deleteMany({ where: { workshopId: w.workshopId } });
          const form = await makeForm({ workshop: w.workshop, template: 'post-training' });
          for (const q of await prisma.question.findMany({ where: { formId: form.id } })) questionOf.set(q.key, q.id);
          for (const s of sheets) await makeResponse({ form, answers: postAnswers({ material_quality: s.material, age_band: s.age }) });
          const [html, json] = [
            (await organizer.get(`/workshops/${w.workshopId}/evaluation`)).text,
            await getJson(organizer, w.workshopId),
          ];
          const onPage = (key: string, name: string) => {
            const block = new RegExp(`<details class="question-block" data-question="${key}"[\\s\\S]*?</details>`).exec(html)![0];
            return Number(new RegExp(`data-${name}>(\\d+)%`).exec(block)![1]);
          };
          const questions = json.forms[0]!.questions;
          const material = questions.find((q) => q.key === 'material_quality')!;
          const age = questions.find((q) => q.key === 'age_band')!;
          if (material.kind !== 'choice' || age.kind !== 'choice') throw new Error('choice questions expected');
          const n = sheets.length;
          const best = sheets.filter((s) => s.material === '4').length;
          const top2 = sheets.filter((s) => s.material === '4' || s.material === '3').length;
          const older = sheets.filter((s) => ['31_40', '41_50', 'over_50'].includes(s.age)).length;
          for (const [shown, count] of [
            [material.scale!.topBoxPercent, best],
            [material.scale!.top2BoxPercent, top2],
            [age.groups[0]!.percent, older],
          ] as const) {
            expect(Math.abs(shown - (100 * count) / n)).toBeLessThanOrEqual(0.5);
          }
          expect(onPage('material_quality', 'top-box')).toBe(material.scale!.topBoxPercent);
          expect(onPage('material_quality', 'top2-box')).toBe(material.scale!.top2BoxPercent);
          expect(onPage('age_band', 'group="31_40"')).toBe(age.groups[0]!.percent);
        },
      ),
      { numRuns: 6 },
    );
  });
});

describe('the tie case on the page', () => {
  it('when 11 of 17 say "very clear", 3 "clear" and 3 "unclear", then the page shows 65%, 18%, 17% and a top-2-box of 82%', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const form = await makeForm({ workshop: w.workshop, template: 'post-training' });
    const user = await makeUser({ memberOf: w.workshopId });
    for (let i = 0; i < 17; i++)
      await makeResponse({
        form,
        user: i === 0 ? user : null,
        answers: postAnswers({ material_quality: i < 11 ? '4' : i < 14 ? '3' : '1' }),
      });
    const organizer = await signedInAgent(app, w.organizer.username);
    const html = (await organizer.get(`/workshops/${w.workshopId}/evaluation`)).text;
    const block = /<details class="question-block" data-question="material_quality"[\s\S]*?<\/details>/.exec(html)![0];
    expect([...block.matchAll(/data-percent>(\d+)%/g)].map((m) => Number(m[1]))).toEqual([65, 18, 0, 17]);
    expect(block).toMatch(/data-top2-box>82%/);
    expect(text(block)).toContain('82% dua nilai teratas');
    const json = await getJson(organizer, w.workshopId);
    const q = json.forms[0]!.questions.find((x) => x.key === 'material_quality')!;
    expect(q.kind === 'choice' && q.scale!.top2BoxPercent).toBe(82);
    const csv = (await organizer.get(`/workshops/${w.workshopId}/evaluation.csv`)).text;
    expect(csv).toMatch(/,material_quality,.*,top2_box,,.*,14,82,17,/);
  });
});
