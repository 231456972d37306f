import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { type Agent, type MadeWorkshop, makeForm, makeResponse, makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import type { EvaluationReport } from './evaluation.service.js';

const app = createApp();

// ---------------------------------------------------------------- builders

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

// ---------------------------------------------------------------- reading the page like a person

type PageQuestion = {
  form: number;
  key: string;
  answered: number;
  rows: { value: string; count: number; percent: number }[];
  topBox?: number;
  top2Box?: number;
  mean?: number;
};

const toNumber = (s: string) =>
  Number(
    s
      .replace(/[^\d,.-]/g, '')
      .replace(/\./g, '')
      .replace(',', '.'),
  );

/** The numbers of every question table on the page, as a screen reader would find them. */
function questionsOnPage(html: string): PageQuestion[] {
  const blocks = html.matchAll(/<details class="question-block" data-question="([^"]+)" data-form="(\d+)"[\s\S]*?<\/details>/g);
  return [...blocks].map((block) => {
    const body = block[0];
    const rows = [...body.matchAll(/<tr data-value="([^"]+)">[\s\S]*?data-count>([^<]*)<\/td>[\s\S]*?data-percent>([^<]*)<\/td>/g)].map(
      (m) => ({
        value: m[1]!,
        count: toNumber(m[2]!),
        percent: toNumber(m[3]!),
      }),
    );
    const fact = (name: string) => {
      const m = new RegExp(`data-${name}>([^<]*)`).exec(body);
      return m ? toNumber(m[1]!.split(' ')[0]!) : undefined;
    };
    return {
      form: Number(block[2]),
      key: block[1]!,
      answered: fact('answered')!,
      rows,
      topBox: fact('top-box'),
      top2Box: fact('top2-box'),
      mean: fact('mean'),
    };
  });
}

function questionsInJson(report: EvaluationReport): PageQuestion[] {
  return report.forms.flatMap((form) =>
    form.questions.map((q) => ({
      form: form.formId,
      key: q.key,
      answered: q.answered,
      rows: q.kind === 'choice' ? q.options.map((o) => ({ value: o.value, count: o.count, percent: o.percent })) : [],
      topBox: q.kind === 'choice' ? q.scale?.topBoxPercent : undefined,
      top2Box: q.kind === 'choice' ? q.scale?.top2BoxPercent : undefined,
      mean: q.kind === 'choice' && q.scale ? (q.scale.mean ?? undefined) : undefined,
    })),
  );
}

const statOnPage = (html: string, name: string) => toNumber(new RegExp(`data-stat="${name}">([^<]*)<`).exec(html)![1]!);

// ---------------------------------------------------------------- the tests

describe('who may see the evaluation', () => {
  let w: MadeWorkshop;
  let organizer: Agent;
  let tutor: Agent;
  let trainee: Agent;
  let outsider: Agent;
  const urls = (id: number) => [`/workshops/${id}/evaluation`, `/workshops/${id}/evaluation.json`, `/workshops/${id}/evaluation.csv`];

  beforeAll(async () => {
    w = await makeWorkshop({ trainees: 1 });
    const other = await makeUser({ role: 'organizer' });
    [organizer, tutor, trainee, outsider] = await Promise.all([
      signedInAgent(app, w.organizer.username),
      signedInAgent(app, w.tutor.username),
      signedInAgent(app, w.trainees[0]!.username),
      signedInAgent(app, other.username),
    ]);
  });

  it('when an organizer or a tutor opens each evaluation URL, then it is shown', async () => {
    for (const url of urls(w.workshopId)) {
      expect((await organizer.get(url)).status, url).toBe(200);
      expect((await tutor.get(url)).status, url).toBe(200);
    }
  });

  it('when a trainee opens each evaluation URL, then the answer is 403', async () => {
    for (const url of urls(w.workshopId)) expect((await trainee.get(url)).status, url).toBe(403);
  });

  it('when someone outside the workshop opens each evaluation URL, then the answer is 404', async () => {
    for (const url of urls(w.workshopId)) expect((await outsider.get(url)).status, url).toBe(404);
  });

  it('when nobody is signed in, then the page sends them to sign in', async () => {
    const res = await request(app).get(urls(w.workshopId)[0]!);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });

  it('when the workshop has no questionnaire, then the page renders and says so', async () => {
    const res = await organizer.get(`/workshops/${w.workshopId}/evaluation`);
    expect(text(res.text)).toContain('Belum ada kuesioner di pelatihan ini');
    expect(statOnPage(res.text, 'responses')).toBe(0);
    const json = (await organizer.get(`/workshops/${w.workshopId}/evaluation.json`)).body as EvaluationReport;
    expect(json.forms).toEqual([]);
    expect(json.summary).toMatchObject({ responses: 0, trainees: 1, traineesResponded: 0 });
  });

  it("when the filters name another workshop's form or a malformed value, then 404 and 422", async () => {
    const elsewhere = await makeWorkshop({ trainees: 0 });
    const foreignForm = (await makeForm({ workshop: elsewhere.workshopId, template: 'post-training' })).id;
    expect((await organizer.get(`/workshops/${w.workshopId}/evaluation?formId=${foreignForm}`)).status).toBe(404);
    expect((await organizer.get(`/workshops/${w.workshopId}/evaluation.json?gender=%3Cscript%3E`)).status).toBe(422);
  });
});

describe('the numbers of a workshop with answers', () => {
  let w: MadeWorkshop;
  let organizer: Agent;
  let postId: number;
  let preId: number;
  let day1: number;
  let day2: number;
  const page = (query = '') => organizer.get(`/workshops/${w.workshopId}/evaluation${query}`);
  const json = async (query = '') => (await organizer.get(`/workshops/${w.workshopId}/evaluation.json${query}`)).body as EvaluationReport;

  beforeAll(async () => {
    w = await makeWorkshop({ trainees: 3 });
    // A handful of answers, filtered down to two or three: k = 2 keeps them visible here (the
    // default of 5 is tested under "small groups").
    await prisma.workshop.update({ where: { id: w.workshopId }, data: { privacyMinGroup: 2 } });
    organizer = await signedInAgent(app, w.organizer.username);
    const sessions = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    [day1, day2] = [sessions[0]!.id, sessions[2]!.id];
    preId = (await makeForm({ workshop: w.workshopId, template: 'pre-training', session: day1 })).id;
    postId = (await makeForm({ workshop: w.workshopId, template: 'post-training', session: day2 })).id;
    const [siti, dewi, komang] = w.trainees.map((t) => t.id);
    // Three trainees answer before and after; two walk-in paper forms after (one man).
    const pre = (userId: number, understanding: string) =>
      makeResponse({
        form: preId,
        user: userId,
        session: day1,
        answers: { gender: 'female', age_band: '31_40', occupation: 'umkm_owner', used_internet: 'yes', understanding },
      });
    await pre(siti!, '0_25');
    await pre(dewi!, '26_50');
    await pre(komang!, '51_75');
    await makeResponse({
      form: postId,
      user: siti,
      session: day2,
      answers: postAnswers({ understanding: '76_100', suggestions: 'Tambah waktu praktik' }),
    });
    await makeResponse({ form: postId, user: dewi, session: day2, answers: postAnswers({ understanding: '51_75', facilities: '2' }) });
    await makeResponse({
      form: postId,
      user: komang,
      session: day2,
      answers: postAnswers({ understanding: '26_50', material_quality: '3', will_implement: 'no' }),
    });
    await makeResponse({
      form: postId,
      session: day2,
      answers: postAnswers({ gender: 'male', age_band: '41_50', occupation: 'employee', material_quality: '2' }),
    });
    await makeResponse({
      form: postId,
      session: day1,
      answers: postAnswers({ occupation: 'homemaker', material_quality: '1', suggestions: 'Wi-Fi kurang stabil' }),
    });
  });

  it('when the organizer opens the page, then counts and percents are shown per answer, adding up to 100', async () => {
    const res = await page();
    expect(res.status).toBe(200);
    const material = questionsOnPage(res.text).find((q) => q.form === postId && q.key === 'material_quality')!;
    expect(material.rows).toEqual([
      { value: '4', count: 2, percent: 40 },
      { value: '3', count: 1, percent: 20 },
      { value: '2', count: 1, percent: 20 },
      { value: '1', count: 1, percent: 20 },
    ]);
    expect(material).toMatchObject({ topBox: 40, top2Box: 60, mean: 2.8 });
    const implement = questionsOnPage(res.text).find((q) => q.form === postId && q.key === 'will_implement')!;
    expect(implement.rows).toEqual([
      { value: 'yes', count: 4, percent: 80 },
      { value: 'no', count: 1, percent: 20 },
    ]);
    expect(statOnPage(res.text, 'responses')).toBe(8);
    expect(statOnPage(res.text, 'women')).toBe(7);
    // Three trainees with an account and two paper sheets: five people answered.
    expect(statOnPage(res.text, 'trainees')).toBe(5);
    expect(text(res.text)).toContain('3 dengan akun · 2 dari kertas/impor/tautan anonim');
    expect(text(res.text)).toContain('Tambah waktu praktik');
    expect(text(res.text)).toContain('Wi-Fi kurang stabil');
  });

  it('when the page and the JSON are read with the same filters, then they show the same numbers', async () => {
    for (const query of ['', '?gender=female', `?sessionId=${day2}&occupation=umkm_owner`, `?formId=${postId}`]) {
      const [html, report] = [(await page(query)).text, await json(query)];
      expect(questionsOnPage(html), query).toEqual(questionsInJson(report));
      expect(questionsOnPage(html).length, query).toBeGreaterThan(0);
      expect(statOnPage(html, 'responses'), query).toBe(report.summary.responses);
      expect(statOnPage(html, 'women'), query).toBe(report.summary.byGender!.female ?? 0);
      expect(statOnPage(html, 'trainees'), query).toBe(report.summary.respondents.total);
      const perForm = [...html.matchAll(/<tr data-form="(\d+)">[\s\S]*?<td class="num"[^>]*>([^<]*)<\/td>/g)].map((m) => [
        Number(m[1]),
        toNumber(m[2]!),
      ]);
      expect(perForm, query).toEqual(report.perForm.map((row) => [row.formId, row.responses]));
      const prePost = [...html.matchAll(/<details class="question-block" data-pre-post="understanding">[\s\S]*?<\/details>/g)].map((m) =>
        [
          ...m[0].matchAll(
            /<tr data-value="([^"]+)">[\s\S]*?<td class="num">([^<]*)<span class="muted">\((\d+)%\)<\/span><\/td><td class="num">([^<]*)<span class="muted">\((\d+)%\)/g,
          ),
        ].map((r) => [r[1], toNumber(r[2]!), Number(r[3]), toNumber(r[4]!), Number(r[5])]),
      );
      expect(prePost, query).toEqual(
        report.prePost.items.map((item) =>
          item.post.options.map((o, i) => [o.value, item.pre.options[i]!.count, item.pre.options[i]!.percent, o.count, o.percent]),
        ),
      );
    }
  });

  it('when a filter is applied, then the counts change and the page says which filter', async () => {
    const all = await json(`?formId=${postId}`);
    const women = await json(`?formId=${postId}&gender=female`);
    expect(all.summary.responses).toBe(5);
    expect(women.summary.responses).toBe(4);
    const count = (r: EvaluationReport, key: string, value: string) => {
      const q = r.forms[0]!.questions.find((x) => x.key === key)!;
      return q.kind === 'choice' ? q.options.find((o) => o.value === value)!.count : -1;
    };
    expect(count(all, 'gender', 'male')).toBe(1);
    expect(count(women, 'gender', 'male')).toBe(0);
    expect(count(women, 'material_quality', '2')).toBe(0);
    const day1Only = await json(`?formId=${postId}&sessionId=${day1}`);
    expect(day1Only.summary.responses).toBe(1);
    const res = await page(`?formId=${postId}&gender=male`);
    expect(text(res.text)).toContain('Saringan: Kuesioner: Kuesioner Akhir Pelatihan E-Commerce · Jenis kelamin: Laki-laki');
  });

  it('when a filter leaves nobody, then the page shows the count 0, no question and no chart', async () => {
    const res = await page(`?formId=${postId}&occupation=student`);
    expect(res.status).toBe(200);
    expect(questionsOnPage(res.text)).toEqual([]);
    expect(res.text).not.toContain('data-chart=');
    expect(statOnPage(res.text, 'responses')).toBe(0);
  });

  it('when no filter narrows the answers, then a form is broken down whatever its size', async () => {
    const report = await json(`?formId=${preId}`);
    expect(report.forms[0]).toMatchObject({ responses: 3, suppressed: false });
    expect(report.forms[0]!.questions.length).toBeGreaterThan(0);
  });

  it('when an optional question was left blank, then its base is who answered', async () => {
    const report = await json(`?formId=${postId}`);
    const suggestions = report.forms[0]!.questions.find((q) => q.key === 'suggestions')!;
    expect(suggestions).toMatchObject({ kind: 'text', answered: 2, blank: 3 });
  });

  it('when trainees answered before and after, then the pre/post section compares them and pairs the same trainees', async () => {
    const report = await json();
    const understanding = report.prePost.items.find((p) => p.key === 'understanding')!;
    expect(report.prePost.items.map((p) => p.key)).toEqual(['understanding']);
    expect(understanding.pre.options.map((o) => o.count)).toEqual([1, 1, 1, 0]);
    expect(understanding.pre.options.map((o) => o.percent)).toEqual([34, 33, 33, 0]);
    expect(understanding.post.options.map((o) => o.count)).toEqual([0, 1, 3, 1]);
    expect(understanding.paired).toEqual({ pairs: 3, movedUp: 2, same: 0, movedDown: 1, meanBefore: 2, meanAfter: 3 });
    const html = text((await page()).text);
    expect(html).toContain('Sebelum dan sesudah pelatihan');
    expect(html).toContain('Peserta yang mengisi keduanya: 3');
  });

  it('when the organizer reads the page, then questions and answers show as text, and keys only under "Detail teknis"', async () => {
    const html = (await page()).text;
    const outsideDetails = text(html.replace(/<details class="technical">[\s\S]*?<\/details>/g, ''));
    expect(outsideDetails).toContain('Bagaimana kualitas materi pelatihan?');
    expect(outsideDetails).toContain('31–40 tahun');
    expect(outsideDetails).toContain('Pemilik usaha (UMKM)');
    for (const key of ['material_quality', 'age_band', 'gender', 'identity', '31_40', 'umkm_owner', 'female', '51_75'])
      expect(outsideDetails, key).not.toMatch(new RegExp(`(^|[\\s(])${key}([\\s)]|$)`));
    expect(text(html)).toContain('material_quality');
  });

  it('when the organizer reads in English, then the page and the CSV speak English', async () => {
    const res = await organizer.get(`/workshops/${w.workshopId}/evaluation?formId=${postId}`).set('Cookie', 'lang=en');
    expect(text(res.text)).toContain('Questionnaire evaluation');
    expect(text(res.text)).toContain('How clear was the training material?');
    expect(text(res.text)).toContain('Answered “Very clear” or “Clear”');
    const csv = await organizer.get(`/workshops/${w.workshopId}/evaluation.csv?formId=${postId}`).set('Cookie', 'lang=en');
    expect(csv.text).toContain(',option,4,Very clear,2,40,5,');
  });

  it("when the CSV summary is downloaded, then it has a row per option and the scale rows, with the page's numbers", async () => {
    const res = await organizer.get(`/workshops/${w.workshopId}/evaluation.csv?formId=${postId}`);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('form_id,form_title,question_key,question_text,type,row,option_value,option_label,count,percent,base,mean');
    const material = lines.filter((l) => l.includes(',material_quality,'));
    expect(material.some((l) => l.endsWith(',option,4,Sangat jelas,2,40,5,'))).toBe(true);
    expect(material.some((l) => l.includes(',top_box,') && l.endsWith(',2,40,5,'))).toBe(true);
    expect(material.some((l) => l.includes(',top2_box,') && l.endsWith(',3,60,5,'))).toBe(true);
    expect(material.some((l) => l.includes(',mean,') && l.endsWith(',5,,5,2.8'))).toBe(true);
  });
});
