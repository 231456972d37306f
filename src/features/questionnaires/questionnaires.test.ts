import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, ctxOf, makeWorkshop, preTrainingAnswers, signedInAgent } from '../../test/builders/index.js';
import { createFormFromTemplate, getFormDefinition, setAnonymousLink, setFormStatus } from './questionnaires.service.js';

const app = createApp();

/** Answers to every pre-training question, as a browser posts them. */
const preAnswers = Object.fromEntries(Object.entries(preTrainingAnswers()).map(([key, value]) => [`q_${key}`, value]));

async function setup() {
  const w = await makeWorkshop({ trainees: 2 });
  const ctx = await ctxOf({ workshop: w.workshop, user: w.organizer });
  const session = await prisma.workshopSession.findFirstOrThrow({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
  const preId = await createFormFromTemplate(ctx, 'pre-training', { sessionId: session.id });
  await setFormStatus(ctx, preId, 'open');
  return { ...w, ctx, preId, sessionId: session.id, base: `/workshops/${w.workshopId}/questionnaires` };
}

async function post(agent: Agent, url: string, body: Record<string, unknown>) {
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: await agent.csrf(), ...body });
}

async function answerCounts(formId: number) {
  const rows = await prisma.answer.groupBy({ by: ['questionId', 'value'], where: { question: { formId } }, _count: { _all: true } });
  const questions = await prisma.question.findMany({ where: { formId }, select: { id: true, key: true } });
  const keyOf = new Map(questions.map((q) => [q.id, q.key]));
  return Object.fromEntries(rows.map((r) => [`${keyOf.get(r.questionId)}=${r.value}`, r._count._all]).sort());
}

describe('answering as a trainee', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    s = await setup();
  });

  it('when a trainee opens the questionnaires, then the open form is listed as not filled in', async () => {
    const agent = await signedInAgent(app, s.trainees[0]!.username);
    const res = await agent.get(s.base);
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('Kuesioner Awal Pelatihan E-Commerce');
    expect(text(res.text)).toContain('Belum diisi');
  });

  it('when a trainee submits twice, then one response exists with the second answers and the identity copied', async () => {
    const trainee = s.trainees[0]!;
    const agent = await signedInAgent(app, trainee.username);
    const first = await post(agent, `${s.base}/${s.preId}/answer`, preAnswers);
    expect(first.status).toBe(303);
    const second = await post(agent, `${s.base}/${s.preId}/answer`, { ...preAnswers, q_gender: 'male', q_understanding: '76_100' });
    expect(second.status).toBe(303);
    const responses = await prisma.response.findMany({ where: { formId: s.preId, userId: trainee.id }, include: { answers: true } });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      gender: 'male',
      ageBand: '31_40',
      occupation: 'umkm_owner',
      source: 'trainee',
      sessionId: s.sessionId,
    });
    expect(responses[0]!.answers).toHaveLength(11);
    expect(responses[0]!.answers.map((a) => a.value)).toContain('76_100');
    const page = await agent.get(`${s.base}/${s.preId}`);
    expect(text(page.text)).toContain('Anda sudah mengisi kuesioner ini');
    expect(page.text).toMatch(/value="76_100" checked/);
  });

  it('when two first submits race, then still one response (unique form and user)', async () => {
    const trainee = s.trainees[1]!;
    const agent = await signedInAgent(app, trainee.username);
    const token = await agent.csrf();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        agent
          .post(`${s.base}/${s.preId}/answer`)
          .type('form')
          .send({ _csrf: token, ...preAnswers }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(await prisma.response.count({ where: { formId: s.preId, userId: trainee.id } })).toBe(1);
  });

  it('when a required answer is missing or a value is not an option, then 422 in Bahasa Indonesia with the typed answers kept', async () => {
    const agent = await signedInAgent(app, s.trainees[0]!.username);
    const { q_gender: _omit, ...rest } = preAnswers;
    const res = await post(agent, `${s.base}/${s.preId}/answer`, { ...rest, q_main_device: 'fax' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Pilih salah satu jawaban.');
    expect(text(res.text)).toContain('Jawaban ini bukan salah satu pilihan.');
    expect(res.text).toMatch(/value="31_40" checked/);
  });

  it('when the language is English, then the answer errors are in English', async () => {
    const agent = await signedInAgent(app, s.trainees[0]!.username);
    await agent.get('/lang/en?next=/');
    const res = await post(agent, `${s.base}/${s.preId}/answer`, {});
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Choose one answer.');
  });

  it('when the form is closed, then the answer is refused and the page is read-only', async () => {
    const w = await setup();
    const agent = await signedInAgent(app, w.trainees[0]!.username);
    await setFormStatus(w.ctx, w.preId, 'closed');
    const res = await post(agent, `${w.base}/${w.preId}/answer`, preAnswers);
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('sudah ditutup');
    expect(await prisma.response.count({ where: { formId: w.preId } })).toBe(0);
    const page = await agent.get(`${w.base}/${w.preId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<fieldset class="question" id="q-gender" disabled>');
  });

  it('when the form is a draft, then a trainee gets 404', async () => {
    const w = await setup();
    await setFormStatus(w.ctx, w.preId, 'draft');
    const agent = await signedInAgent(app, w.trainees[0]!.username);
    expect((await agent.get(`${w.base}/${w.preId}`)).status).toBe(404);
    expect((await post(agent, `${w.base}/${w.preId}/answer`, preAnswers)).status).toBe(404);
  });

  it("when a trainee answers another workshop's form, then 404 and nothing is saved", async () => {
    const other = await setup();
    const agent = await signedInAgent(app, s.trainees[0]!.username);
    // through their own workshop's URL and through the other workshop's URL
    expect((await post(agent, `${s.base}/${other.preId}/answer`, preAnswers)).status).toBe(404);
    expect((await post(agent, `${other.base}/${other.preId}/answer`, preAnswers)).status).toBe(404);
    expect((await agent.get(`${s.base}/${other.preId}`)).status).toBe(404);
    expect(await prisma.response.count({ where: { formId: other.preId } })).toBe(0);
  });
});

describe('anonymous link', () => {
  it('when the link is on and the form open, then a visitor without an account answers, once per submission', async () => {
    const s = await setup();
    await setAnonymousLink(s.ctx, s.preId, true);
    const token = (await getFormDefinition(s.ctx, s.preId)).anonymousToken!;
    expect(token.length).toBeGreaterThanOrEqual(30);
    const visitor = request.agent(app);
    const page = await visitor.get(`/q/${token}`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Kuesioner Awal Pelatihan E-Commerce');
    for (let i = 0; i < 2; i++) {
      const res = await visitor
        .post(`/q/${token}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...preAnswers });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/q/${token}/thanks`);
    }
    const responses = await prisma.response.findMany({ where: { formId: s.preId } });
    expect(responses).toHaveLength(2);
    expect(responses.every((r) => r.source === 'anonymous' && r.userId === null && r.gender === 'female')).toBe(true);
  });

  it('when a visitor posts without the CSRF token, then 403', async () => {
    const s = await setup();
    await setAnonymousLink(s.ctx, s.preId, true);
    const token = (await getFormDefinition(s.ctx, s.preId)).anonymousToken!;
    const res = await request(app).post(`/q/${token}`).type('form').send(preAnswers);
    expect(res.status).toBe(403);
  });

  it('when the token is unknown, turned off, or its form closed, then 404 and nothing saved; a token never reaches another form', async () => {
    const s = await setup();
    const ctx = s.ctx;
    const postId = await createFormFromTemplate(ctx, 'post-training');
    await setFormStatus(ctx, postId, 'open');
    await setAnonymousLink(ctx, s.preId, true);
    const token = (await getFormDefinition(ctx, s.preId)).anonymousToken!;
    const visitor = request.agent(app);
    const page = await visitor.get(`/q/${token}`);
    const csrf = csrfFrom(page.text);
    // the pre form's token serves the pre form only
    expect(text(page.text)).not.toContain('Kuesioner Akhir');
    expect((await visitor.get(`/q/${token}x`)).status).toBe(404);
    expect((await visitor.get('/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await visitor.get(`/q/${postId}`)).status).toBe(404);

    await setFormStatus(ctx, s.preId, 'closed');
    expect((await visitor.get(`/q/${token}`)).status).toBe(404);
    expect(
      (
        await visitor
          .post(`/q/${token}`)
          .type('form')
          .send({ _csrf: csrf, ...preAnswers })
      ).status,
    ).toBe(404);

    await setFormStatus(ctx, s.preId, 'open');
    await setAnonymousLink(ctx, s.preId, false);
    expect((await visitor.get(`/q/${token}`)).status).toBe(404);
    expect(await prisma.response.count({ where: { workshopId: s.workshopId } })).toBe(0);
  });

  it('when an address guesses many tokens, then it is stopped with 429', async () => {
    const agent = request.agent(app);
    let last = 0;
    for (let i = 0; i < 32; i++) last = (await agent.get(`/q/guess${i}abcdefghijklmnopqrstu`)).status;
    expect(last).toBe(429);
  });
});

describe('organizer tools', () => {
  it('when an organizer types in two paper forms, then each gets a fresh form with "#N saved"', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    const page = await agent.get(`${s.base}/${s.preId}/paper`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/name="q_gender" value="female" autofocus/);
    for (const n of [1, 2]) {
      const res = await post(agent, `${s.base}/${s.preId}/paper`, preAnswers);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${s.base}/${s.preId}/paper`);
      const next = await agent.get(res.headers.location!);
      expect(text(next.text)).toContain(`Jawaban #${n} tersimpan`);
      expect(next.text).not.toMatch(/checked/);
    }
    expect(await prisma.response.count({ where: { formId: s.preId, source: 'paper' } })).toBe(2);
  });

  it('when a tutor tries to change a form, then 403; a tutor can read it', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.tutor.username);
    expect((await agent.get(`${s.base}/${s.preId}`)).status).toBe(200);
    expect((await post(agent, `${s.base}/${s.preId}/status`, { status: 'closed' })).status).toBe(403);
    expect((await post(agent, `${s.base}/${s.preId}/paper`, preAnswers)).status).toBe(403);
    expect((await agent.get(`${s.base}/${s.preId}/responses.csv`)).status).toBe(200);
  });

  it('when an organizer creates from a template, copies, edits settings and adds a question, then the form has it all', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    const created = await post(agent, s.base, { templateKey: 'post-training', sessionId: String(s.sessionId) });
    expect(created.status).toBe(303);
    const formId = Number(created.headers.location!.split('/').pop());
    const copy = await post(agent, `${s.base}/${formId}/copy`, {});
    const copyId = Number(copy.headers.location!.split('/').pop());
    expect(copyId).not.toBe(formId);
    expect((await getFormDefinition(s.ctx, copyId)).questions).toHaveLength(15);

    const settings = await post(agent, `${s.base}/${copyId}/edit`, {
      titleId: 'Evaluasi Hari 2',
      titleEn: 'Day 2 evaluation',
      introId: '',
      introEn: '',
      kind: 'post',
      sessionId: '',
    });
    expect(settings.status).toBe(303);
    const bad = await post(agent, `${s.base}/${copyId}/questions`, {
      key: 'Bad Key',
      type: 'single',
      textId: 'A',
      textEn: 'A',
      options: 'a | A',
    });
    expect(bad.status).toBe(422);
    expect(text(bad.text)).toContain('Kunci: huruf kecil');
    expect(text(bad.text)).toContain('setidaknya dua pilihan');
    for (const type of ['single', 'multiple', 'scale', 'band']) {
      const huge = await post(agent, `${s.base}/${copyId}/questions`, {
        key: 'huge',
        type,
        textId: 'A',
        textEn: 'A',
        options: `a | ${'A'.repeat(5000)}\nb | B`,
      });
      expect(huge.status).toBe(422);
      expect(text(huge.text)).toContain('Terlalu panjang');
    }
    const added = await post(agent, `${s.base}/${copyId}/questions`, {
      key: 'channels',
      type: 'multiple',
      required: 'true',
      textId: 'Di mana Anda berjualan?',
      textEn: 'Where do you sell?',
      options: 'whatsapp | WhatsApp\ninstagram | Instagram\nmarketplace | Marketplace | Online marketplace',
    });
    expect(added.status).toBe(303);
    const dup = await post(agent, `${s.base}/${copyId}/questions`, { key: 'channels', type: 'yesno', textId: 'A', textEn: 'A' });
    expect(text(dup.text)).toContain('sudah dipakai');

    const form = await getFormDefinition(s.ctx, copyId);
    expect(form).toMatchObject({ titleId: 'Evaluasi Hari 2', sessionId: null, status: 'draft' });
    const last = form.questions.at(-1)!;
    expect(last).toMatchObject({ key: 'channels', type: 'multiple', required: true, position: 15 });
    expect(last.options[2]).toEqual({ value: 'marketplace', id: 'Marketplace', en: 'Online marketplace' });

    const moved = await post(agent, `${s.base}/${copyId}/questions/${last.id}/move`, { direction: 'up' });
    expect(moved.status).toBe(303);
    const after = await getFormDefinition(s.ctx, copyId);
    expect(after.questions.map((q) => q.key).slice(-2)).toEqual(['channels', 'suggestions']);
  });

  it('when a question has answers, then its type, key and option values are locked and it cannot be removed; texts can change', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    await post(agent, `${s.base}/${s.preId}/paper`, preAnswers);
    const form = await getFormDefinition(s.ctx, s.preId);
    const gender = form.questions.find((q) => q.key === 'gender')!;
    const url = `${s.base}/${s.preId}/questions/${gender.id}`;
    const page = await agent.get(url);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Sudah ada 1 jawaban');
    const base = { key: 'gender', type: 'single', required: 'true', group: 'identity', textId: 'Jenis kelamin', textEn: 'Gender' };
    const options = 'female | Perempuan | Female\nmale | Laki-laki | Male';

    const typeChange = await post(agent, url, { ...base, type: 'multiple', options });
    expect(typeChange.status).toBe(422);
    expect(text(typeChange.text)).toContain('Tambahkan pertanyaan baru');
    expect((await post(agent, url, { ...base, options: 'female | Perempuan\nmale | Laki-laki\nother | Lainnya' })).status).toBe(422);
    expect((await post(agent, url, { ...base, options: 'male | Laki-laki\nfemale | Perempuan' })).status).toBe(422);
    expect((await post(agent, url, { ...base, key: 'sex', options })).status).toBe(422);
    const del = await post(agent, `${url}/delete`, {});
    expect(del.status).toBe(409);
    expect(text(del.text)).toContain('tidak bisa dihapus');

    const fixed = await post(agent, url, { ...base, textId: 'Jenis kelamin Anda', options: 'female | Wanita | Woman\nmale | Pria | Man' });
    expect(fixed.status).toBe(303);
    const after = (await getFormDefinition(s.ctx, s.preId)).questions.find((q) => q.key === 'gender')!;
    expect(after.textId).toBe('Jenis kelamin Anda');
    expect(after.options.map((o) => o.id)).toEqual(['Wanita', 'Pria']);

    // a question without answers can still change type and be removed
    const newQ = await post(agent, `${s.base}/${s.preId}/questions`, {
      key: 'extra',
      type: 'yesno',
      textId: 'Tambahan?',
      textEn: 'Extra?',
    });
    expect(newQ.status).toBe(303);
    const extra = (await getFormDefinition(s.ctx, s.preId)).questions.find((q) => q.key === 'extra')!;
    expect(
      (await post(agent, `${s.base}/${s.preId}/questions/${extra.id}`, { key: 'extra_text', type: 'short_text', textId: 'T', textEn: 'T' }))
        .status,
    ).toBe(303);
    expect((await post(agent, `${s.base}/${s.preId}/questions/${extra.id}/delete`, {})).status).toBe(303);
  });
});

describe('CSV', () => {
  it('when responses are exported and imported into a copy, then the copy has the same counts per answer', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    const ctx = s.ctx;
    const postId = await createFormFromTemplate(ctx, 'post-training', { sessionId: s.sessionId });
    await prisma.question.create({
      data: {
        formId: postId,
        key: 'channels',
        type: 'multiple',
        required: false,
        position: 99,
        textId: 'Kanal',
        textEn: 'Channels',
        options: JSON.stringify([
          { value: 'wa', id: 'WhatsApp', en: 'WhatsApp' },
          { value: 'ig', id: 'Instagram', en: 'Instagram' },
        ]),
      },
    });
    const base = {
      q_age_band: '41_50',
      q_occupation: 'homemaker',
      q_material_quality: '4',
      q_facilitator_quality: '3',
      q_organizer_performance: '4',
      q_facilities: '2',
      q_understanding: '51_75',
      q_effectiveness: '4',
      q_will_implement: 'yes',
      q_module_internet_ethics_security: '4',
      q_module_online_transactions: '3',
      q_module_ecommerce_security: '3',
      q_module_selling_buying: '4',
    };
    await post(agent, `${s.base}/${postId}/paper`, {
      ...base,
      q_gender: 'female',
      q_suggestions: 'Tambah waktu praktik, "lebih lama"; terima kasih!',
      q_channels: ['wa', 'ig'],
    });
    await post(agent, `${s.base}/${postId}/paper`, { ...base, q_gender: 'male', q_facilities: '1', q_channels: 'ig' });
    await post(agent, `${s.base}/${postId}/paper`, {
      ...base,
      q_gender: 'female',
      q_will_implement: 'no',
      q_suggestions: 'Baris satu\nbaris dua',
    });
    await post(agent, `${s.base}/${postId}/paper`, { ...base, q_gender: 'female', q_suggestions: '=HYPERLINK("http://x")' });
    expect(await prisma.response.count({ where: { formId: postId } })).toBe(4);

    const exported = await agent.get(`${s.base}/${postId}/responses.csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    const lines = exported.text.replace(/^\ufeff/, '').split('\n');
    expect(lines[0]).toBe(
      'response_id,source,session,submitted_at,gender,age_band,occupation,material_quality,facilitator_quality,organizer_performance,facilities,understanding,effectiveness,will_implement,module_internet_ethics_security,module_online_transactions,module_ecommerce_security,module_selling_buying,suggestions,channels',
    );
    expect(exported.text).toContain('wa|ig');
    expect(exported.text).toContain(`"'=HYPERLINK(""http://x"")"`);

    const copy = await post(agent, `${s.base}/${postId}/copy`, {});
    const copyId = Number(copy.headers.location!.split('/').pop());
    const page = await agent.get(`${s.base}/${copyId}/import`);
    const imported = await agent
      .post(`${s.base}/${copyId}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .attach('file', Buffer.from(exported.text, 'utf8'), { filename: 'export.csv', contentType: 'text/csv' });
    expect(imported.status).toBe(303);
    const after = await agent.get(imported.headers.location!);
    expect(text(after.text)).toContain('4 jawaban diimpor');

    expect(await answerCounts(copyId)).toEqual(await answerCounts(postId));
    const identity = await prisma.response.groupBy({
      by: ['gender', 'source'],
      where: { formId: copyId },
      _count: { _all: true },
      orderBy: { gender: 'asc' },
    });
    expect(identity.map((r) => [r.gender, r.source, r._count._all])).toEqual([
      ['female', 'import', 3],
      ['male', 'import', 1],
    ]);
    const texts = await prisma.answer.findMany({
      where: { question: { formId: copyId, key: 'suggestions' } },
      select: { value: true },
      orderBy: { value: 'asc' },
    });
    expect(texts.map((t) => t.value)).toEqual([
      '=HYPERLINK("http://x")',
      'Baris satu\nbaris dua',
      'Tambah waktu praktik, "lebih lama"; terima kasih!',
    ]);
  });

  it('when one row of an import is wrong, then nothing is imported and the row and column are reported', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    const header = Object.keys(preAnswers).map((k) => k.slice(2));
    const good = Object.values(preAnswers);
    const csv = [
      header.join(';'),
      good.join(';'),
      good.map((v, i) => (i === 0 ? 'Perempuan' : v)).join(';'),
      good.map((v, i) => (i === 8 ? 'fax' : i === 1 ? '' : v)).join(';'),
    ].join('\r\n');
    const page = await agent.get(`${s.base}/${s.preId}/import`);
    const res = await agent
      .post(`${s.base}/${s.preId}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'answers.csv', contentType: 'text/csv' });
    expect(res.status).toBe(422);
    const body = text(res.text);
    expect(body).toContain('Tidak ada yang diimpor');
    expect(body).toContain(
      '4 main_device “fax” bukan salah satu pilihan. Pilihan yang berlaku: phone (Ponsel), computer (Laptop / komputer), tablet (Tablet), none (Tidak ada).',
    );
    expect(body).toMatch(/4 age_band Pilih salah satu jawaban\./);
    expect(body).not.toMatch(/ 3 gender /);
    expect(await prisma.response.count({ where: { formId: s.preId } })).toBe(0);
  });

  it('when the header has an unknown column or misses a required one, then row 1 is reported', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    const page = await agent.get(`${s.base}/${s.preId}/import`);
    const res = await agent
      .post(`${s.base}/${s.preId}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .attach('file', Buffer.from('gender,shoe_size\nfemale,38\n'), { filename: 'a.csv', contentType: 'text/csv' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toMatch(/1 shoe_size Kolom ini bukan kunci pertanyaan/);
    expect(text(res.text)).toMatch(/1 age_band Kolom pertanyaan wajib ini tidak ada/);
  });
});

describe('the workshop boundary', () => {
  it("when a member of another workshop uses any questionnaire URL of this workshop's form, then 404", async () => {
    const mine = await setup();
    const other = await setup();
    await setAnonymousLink(mine.ctx, mine.preId, true);
    const agent = await signedInAgent(app, other.organizer.username);
    const form = await getFormDefinition(mine.ctx, mine.preId);
    const q = form.questions[0]!.id;
    const paths = ['', '/edit', '/qr.svg', '/paper', '/import', '/responses.csv', '/questions/new', `/questions/${q}`];
    const posts = [
      '/answer',
      '/edit',
      '/status',
      '/copy',
      '/anonymous',
      '/paper',
      '/questions',
      `/questions/${q}`,
      `/questions/${q}/move`,
      `/questions/${q}/delete`,
      '/delete',
    ];
    for (const base of [mine.base, other.base]) {
      for (const p of paths) expect([p, (await agent.get(`${base}/${mine.preId}${p}`)).status]).toEqual([p, 404]);
      for (const p of posts) {
        const res = await post(agent, `${base}/${mine.preId}${p}`, {
          status: 'closed',
          enabled: 'false',
          direction: 'up',
          templateKey: 'pre-training',
          ...preAnswers,
        });
        expect([p, res.status]).toEqual([p, 404]);
      }
      const page = await agent.get(`${other.base}`);
      const imp = await agent
        .post(`${base}/${mine.preId}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
        .attach('file', Buffer.from('gender\nfemale\n'), { filename: 'a.csv', contentType: 'text/csv' });
      expect(imp.status).toBe(404);
    }
    expect((await agent.get(`${mine.base}`)).status).toBe(404);
    expect((await post(agent, mine.base, { templateKey: 'pre-training' })).status).toBe(404);
    // a session of another workshop cannot be attached
    const foreignSession = await post(agent, other.base, { templateKey: 'pre-training', sessionId: String(mine.sessionId) });
    expect(foreignSession.status).toBe(422);
    const after = await getFormDefinition(mine.ctx, mine.preId);
    expect(after).toMatchObject({ status: 'open', titleId: form.titleId, anonymousToken: form.anonymousToken });
    expect(await prisma.response.count({ where: { formId: mine.preId } })).toBe(0);
  });
});

describe('deleting a form', () => {
  it('when a form has no responses, then the organizer deletes it; with responses, 409 and it stays', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    const spare = await createFormFromTemplate(s.ctx, 'post-training');
    expect((await post(agent, `${s.base}/${spare}/delete`, {})).status).toBe(303);
    expect(await prisma.form.count({ where: { id: spare } })).toBe(0);
    await post(agent, `${s.base}/${s.preId}/paper`, preAnswers);
    const refused = await post(agent, `${s.base}/${s.preId}/delete`, {});
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain('tidak bisa dihapus');
    expect(await prisma.form.count({ where: { id: s.preId } })).toBe(1);
  });
});

describe('demo data and sessions', () => {
  it('when the demo loader runs, then the workshop has an open pre form on the first session and an open post form for Hari 1', async () => {
    const { loadDemoQuestionnaires } = await import('./questionnaires.demo.js');
    const w = await makeWorkshop({ trainees: 0 });
    await loadDemoQuestionnaires(w.workshopId);
    const forms = await prisma.form.findMany({
      where: { workshopId: w.workshopId },
      orderBy: { id: 'asc' },
      include: { session: true, _count: { select: { questions: true } } },
    });
    expect(forms.map((f) => [f.kind, f.status, f.session?.name, f._count.questions])).toEqual([
      ['pre', 'open', 'Hari 1 – Sesi 1', 11],
      ['post', 'open', 'Hari 1 – Sesi 2', 15],
    ]);
    expect(forms[1]!.titleId).toContain('Hari 1');
  });

  it('when the organizer moves a form to another session, then its responses follow', async () => {
    const s = await setup();
    const agent = await signedInAgent(app, s.organizer.username);
    await post(agent, `${s.base}/${s.preId}/paper`, preAnswers);
    const day2 = await prisma.workshopSession.findFirstOrThrow({ where: { workshopId: s.workshopId, name: 'Hari 2' } });
    const form = await getFormDefinition(s.ctx, s.preId);
    const res = await post(agent, `${s.base}/${s.preId}/edit`, {
      titleId: form.titleId,
      titleEn: form.titleEn,
      introId: '',
      introEn: '',
      kind: 'pre',
      sessionId: String(day2.id),
    });
    expect(res.status).toBe(303);
    expect((await prisma.response.findFirstOrThrow({ where: { formId: s.preId } })).sessionId).toBe(day2.id);
  });
});
