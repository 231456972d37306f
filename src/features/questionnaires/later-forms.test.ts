// The forms after the first (issue 14): the post-training form does not ask again who the trainee
// is, a follow-up form has its own link and QR code, a knowledge test can be added, and a test
// question needs one right answer.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { type Agent, makeForm, makeResponse, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { getFormDefinition } from './questionnaires.service.js';

const app = createApp();

async function post(agent: Agent, url: string, body: Record<string, unknown>) {
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: await agent.csrf(), ...body });
}

const postAnswers = {
  q_material_quality: '4',
  q_facilitator_quality: '4',
  q_organizer_performance: '3',
  q_facilities: '3',
  q_understanding: '51_75',
  q_effectiveness: '4',
  q_will_implement: 'yes',
  q_module_internet_ethics_security: '4',
  q_module_online_transactions: '3',
  q_module_ecommerce_security: '3',
  q_module_selling_buying: '4',
};

describe('the post-training form after the pre-training one', () => {
  it('when a trainee who gave gender, age and occupation before opens the post form, then those are filled in and folded, and kept when sent', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const trainee = w.trainees[0]!;
    const pre = await makeForm({ workshop: w.workshop, template: 'pre-training' });
    const postForm = await makeForm({ workshop: w.workshop, template: 'post-training' });
    await makeResponse({ form: pre, user: trainee, answers: { gender: 'female', age_band: '41_50', occupation: 'homemaker' } });
    const agent = await signedInAgent(app, trainee.username);
    const base = `/workshops/${w.workshopId}/questionnaires/${postForm.id}`;

    const page = await agent.get(base);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Data diri dari kuesioner Anda sebelumnya: Perempuan · 41–50 tahun · Ibu rumah tangga Ubah');
    expect(page.text).toMatch(/<details class="copied-identity panel" data-testid="copied-identity">/);
    expect(page.text).toMatch(/name="q_gender" value="female" checked/);
    expect(page.text).toMatch(/name="q_age_band" value="41_50" checked/);

    // The folded answers go with the form; changing one is a normal answer.
    const sent = await post(agent, `${base}/answer`, {
      ...postAnswers,
      q_gender: 'female',
      q_age_band: '31_40',
      q_occupation: 'homemaker',
    });
    expect(sent.status).toBe(303);
    const response = await prisma.response.findFirstOrThrow({ where: { formId: postForm.id, userId: trainee.id } });
    expect([response.gender, response.ageBand, response.occupation]).toEqual(['female', '31_40', 'homemaker']);
  });

  it('when a trainee answers the first questionnaire of all, then the identity questions are asked openly', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const form = await makeForm({ workshop: w.workshop, template: 'pre-training' });
    const agent = await signedInAgent(app, w.trainees[0]!.username);
    const page = await agent.get(`/workshops/${w.workshopId}/questionnaires/${form.id}`);
    expect(page.text).not.toContain('copied-identity');
    expect(page.text).not.toMatch(/name="q_gender" value="[a-z]+" checked/);
  });
});

describe('a follow-up form weeks later', () => {
  it('when the organizer makes a follow-up form, then its page has a link and QR code for trainees with an account', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const agent = await signedInAgent(app, w.organizer.username);
    const made = await post(agent, `/workshops/${w.workshopId}/questionnaires`, { templateKey: 'follow-up', sessionId: '' });
    expect(made.status).toBe(303);
    const page = await agent.get(made.headers.location!);
    expect(text(page.text)).toContain('Kuesioner Tindak Lanjut Pelatihan E-Commerce');
    expect(text(page.text)).toContain('Tindak lanjut (beberapa minggu sesudah)');
    expect(text(page.text)).toContain('Apakah Anda sudah berjualan online');
    expect(page.text).toMatch(new RegExp(`data-testid="member-url">http://[^<]+/workshops/${w.workshopId}/questionnaires/\\d+<`));
    const qr = await agent.get(`${made.headers.location!}/member-qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toContain('image/svg+xml');
  });

  it('when the organizer looks at a form, then question texts show and keys and option values only under "Detail teknis"', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const form = await makeForm({ workshop: w.workshop, template: 'pre-training' });
    const agent = await signedInAgent(app, w.organizer.username);
    const page = (await agent.get(`/workshops/${w.workshopId}/questionnaires/${form.id}`)).text;
    const outsideDetails = page.replace(/<details class="technical">[\s\S]*?<\/details>/g, '');
    expect(text(outsideDetails)).toContain('Jenis kelamin');
    expect(text(outsideDetails)).toContain('Perempuan');
    expect(outsideDetails).not.toContain('<code>gender</code>');
    expect(outsideDetails).not.toMatch(/\(female\)|>identity</);
    expect(page).toContain('<code>gender</code>');
  });
});

describe('the knowledge test', () => {
  it('when the organizer ticks the knowledge test, then the form gets eight quiz questions with one right answer each', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const agent = await signedInAgent(app, w.organizer.username);
    const made = await post(agent, `/workshops/${w.workshopId}/questionnaires`, {
      templateKey: 'pre-training',
      sessionId: '',
      knowledgeTest: 'true',
    });
    const formId = Number(made.headers.location!.split('/').pop());
    const form = await getFormDefinition({ workshopId: w.workshopId }, formId);
    const quiz = form.questions.filter((q) => q.type === 'quiz');
    expect(quiz).toHaveLength(8);
    expect(quiz.every((q) => q.options.filter((o) => o.correct).length === 1)).toBe(true);
    expect(form.questions).toHaveLength(11 + 8);
  });

  it('when a test question is added with a star before the right answer, then it is kept; without one, it is refused', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const form = await makeForm({ workshop: w.workshop, template: 'pre-training', status: 'draft' });
    const agent = await signedInAgent(app, w.organizer.username);
    const url = `/workshops/${w.workshopId}/questionnaires/${form.id}/questions`;
    const base = { key: 'k_extra', type: 'quiz', textId: 'Soal', textEn: 'Question', required: 'true' };
    const refused = await post(agent, url, { ...base, options: 'a | Satu | One\nb | Dua | Two' });
    expect(refused.status).toBe(422);
    expect(text(refused.text)).toContain('Soal tes perlu tepat satu jawaban benar');
    const kept = await post(agent, url, { ...base, options: 'a | Satu | One\n*b | Dua | Two' });
    expect(kept.status).toBe(303);
    const q = (await getFormDefinition({ workshopId: w.workshopId }, form.id)).questions.find((x) => x.key === 'k_extra')!;
    expect(q.options).toEqual([
      { value: 'a', id: 'Satu', en: 'One' },
      { value: 'b', id: 'Dua', en: 'Two', correct: true },
    ]);
    const edit = await agent.get(`${url}/${q.id}`);
    expect(edit.text).toContain('*b | Dua | Two');
  });
});
