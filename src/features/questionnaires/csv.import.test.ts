// Importing raw answers as an organizer does (issue 14): cut rows are refused, a file or rows seen
// before are asked about, the session and time columns are honoured, and a wrong value is named.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, ctxOf, makeForm, makeWorkshop, preTrainingAnswers, signedInAgent } from '../../test/builders/index.js';
import { checkImport } from './csv.service.js';
import { getFormDefinition } from './questionnaires.service.js';

const app = createApp();

const header =
  'gender,age_band,occupation,used_internet,knows_ecommerce_sites,has_social_media,bought_online,sold_online,main_device,paid_online,understanding';
const row = (overrides: Record<string, string> = {}) => {
  const values = preTrainingAnswers(overrides);
  return header
    .split(',')
    .map((k) => values[k])
    .join(',');
};

async function setup() {
  const w = await makeWorkshop({ trainees: 0 });
  const form = await makeForm({ workshop: w.workshop, template: 'pre-training' });
  const agent = await signedInAgent(app, w.organizer.username);
  const base = `/workshops/${w.workshopId}/questionnaires/${form.id}`;
  return { w, form, agent, base };
}

async function upload(agent: Agent, base: string, csv: string, confirmSha256?: string) {
  const page = await agent.get(`${base}/import`);
  const req = agent.post(`${base}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`);
  if (confirmSha256) req.field('confirmSha256', confirmSha256);
  return req.attach('file', Buffer.from(csv, 'utf8'), { filename: 'jawaban.csv', contentType: 'text/csv' });
}

describe('importing a CSV', () => {
  it('when a suggestion holds an unquoted comma, then that row is refused with its number and nothing is imported', async () => {
    const { w, form, agent, base } = await setup();
    await prisma.question.create({
      data: {
        formId: form.id,
        key: 'suggestions',
        type: 'long_text',
        required: false,
        position: 99,
        textId: 'Saran',
        textEn: 'Suggestions',
      },
    });
    const csv = [
      `${header},suggestions`,
      `${row()},"Bagus, tapi waktu praktik kurang"`,
      `${row()},Bagus, tapi waktu praktik kurang`,
      `${row()},Mantap`,
    ].join('\n');
    const res = await upload(agent, base, csv);
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('3 – Baris ini punya 13 sel, judul kolom hanya 12.');
    expect(text(res.text)).not.toMatch(/ 2 – Baris ini/);
    expect(await prisma.response.count({ where: { workshopId: w.workshopId } })).toBe(0);
  });

  it('when every comma is quoted, then the whole text is kept', async () => {
    const { form, agent, base } = await setup();
    await prisma.question.create({
      data: {
        formId: form.id,
        key: 'suggestions',
        type: 'long_text',
        required: false,
        position: 99,
        textId: 'Saran',
        textEn: 'Suggestions',
      },
    });
    const res = await upload(agent, base, [`${header},suggestions`, `${row()},"Bagus, tapi waktu praktik kurang"`].join('\r\n'));
    expect(res.status).toBe(303);
    const answer = await prisma.answer.findFirstOrThrow({ where: { question: { formId: form.id, key: 'suggestions' } } });
    expect(answer.value).toBe('Bagus, tapi waktu praktik kurang');
  });

  it('when the same file is imported twice, then the second time the organizer is asked and nothing is added until they confirm', async () => {
    const { form, agent, base } = await setup();
    const csv = [header, row(), row({ gender: 'male' }), row({ understanding: '76_100' })].join('\n');
    expect((await upload(agent, base, csv)).status).toBe(303);
    expect(await prisma.response.count({ where: { formId: form.id } })).toBe(3);

    const again = await upload(agent, base, csv);
    expect(again.status).toBe(409);
    const page = text(again.text);
    expect(page).toContain('Sepertinya data ini sudah pernah diimpor');
    expect(page).toMatch(/Berkas yang sama sudah diimpor ke kuesioner ini pada .* \(3 baris\)\./);
    expect(page).toContain('3 baris sudah ada di kuesioner ini (baris 2, 3, 4).');
    expect(await prisma.response.count({ where: { formId: form.id } })).toBe(3);

    const sha = /name="confirmSha256" value="([0-9a-f]{64})"/.exec(again.text)![1]!;
    const confirmed = await upload(agent, base, csv, sha);
    expect(confirmed.status).toBe(303);
    expect(await prisma.response.count({ where: { formId: form.id } })).toBe(6);
  });

  it(
    'when the import button is pressed twice at once, then the file is imported once and the second press is asked about it',
    { repeats: 5 },
    async () => {
      const { form, agent, base } = await setup();
      const csv = [header, row(), row({ gender: 'male' })].join('\n');
      const page = await agent.get(`${base}/import`);
      const press = () =>
        agent
          .post(`${base}/import?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
          .attach('file', Buffer.from(csv, 'utf8'), { filename: 'jawaban.csv', contentType: 'text/csv' });
      const results = await Promise.all([press(), press()]);
      expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
      expect(await prisma.response.count({ where: { formId: form.id } })).toBe(2);
      expect(await prisma.responseImport.count({ where: { formId: form.id } })).toBe(1);
    },
  );

  it('when a confirmation names another file, then the organizer is asked again', async () => {
    const { form, agent, base } = await setup();
    const csv = [header, row()].join('\n');
    await upload(agent, base, csv);
    const res = await upload(agent, base, [header, row(), row()].join('\n'), 'a'.repeat(64));
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('1 baris sama persis dengan baris sebelumnya di berkas ini (baris 3)');
    expect(await prisma.response.count({ where: { formId: form.id } })).toBe(1);
  });

  it('when rows are re-saved from an export into the same form, then their response_id shows they are already there', async () => {
    const { form, agent, base } = await setup();
    await upload(agent, base, [header, row(), row({ gender: 'male' })].join('\n'));
    const exported = (await agent.get(`${base}/responses.csv`)).text;
    const res = await upload(agent, base, exported.replace(/^\ufeff/, '').replace(/\n$/, '\n'));
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('2 baris sudah ada di kuesioner ini (baris 2, 3).');
    expect(await prisma.response.count({ where: { formId: form.id } })).toBe(2);
  });

  it('when rows name their session and time, then each response gets that session and that time (WITA)', async () => {
    const { w, form, agent, base } = await setup();
    const sessions = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const csv = [
      `session,submitted_at,${header}`,
      `${sessions[0]!.name},2026-11-24 06:45,${row()}`,
      `${sessions[2]!.name.toUpperCase()},25/11/2026 14.05,${row({ gender: 'male' })}`,
      `,2026-11-25T01:00:00Z,${row()}`,
    ].join('\n');
    expect((await upload(agent, base, csv)).status).toBe(303);
    const responses = await prisma.response.findMany({ where: { formId: form.id }, orderBy: { id: 'asc' } });
    expect(responses.map((r) => [r.sessionId, r.createdAt.toISOString(), r.source])).toEqual([
      [sessions[0]!.id, '2026-11-23T22:45:00.000Z', 'import'],
      [sessions[2]!.id, '2026-11-25T06:05:00.000Z', 'import'],
      [form.sessionId, '2026-11-25T01:00:00.000Z', 'import'],
    ]);
    const exported = (await agent.get(`${base}/responses.csv`)).text;
    expect(exported).toContain(`${sessions[0]!.name},2026-11-24 06:45:00,female`);
  });

  it('when a row names a session or a time that cannot be (no 31 February, nothing in the future), then the value and the choices are named', async () => {
    const { w, agent, base } = await setup();
    const sessions = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const res = await upload(
      agent,
      base,
      [`session,submitted_at,${header}`, `Hari 9,31/02/2026 08.00,${row()}`, `,2099-01-01 08:00,${row()}`].join('\n'),
    );
    expect(res.status).toBe(422);
    const page = text(res.text);
    expect(page).toContain(`2 session Sesi “Hari 9” tidak ada di pelatihan ini. Sesi yang ada: ${sessions.map((s) => s.name).join(', ')}.`);
    expect(page).toContain('2 submitted_at Waktu “31/02/2026 08.00” tidak bisa dibaca');
    expect(page).toContain('3 submitted_at Waktu “2099-01-01 08:00” tidak bisa dibaca (atau di masa depan)');
  });

  it('when a file uses ; as Indonesian Excel saves it, then it is read the same', async () => {
    const { form, agent, base } = await setup();
    const res = await upload(agent, base, [header.replaceAll(',', ';'), row().replaceAll(',', ';')].join('\r\n'));
    expect(res.status).toBe(303);
    expect(await prisma.response.count({ where: { formId: form.id } })).toBe(1);
  });
});

describe('checkImport', () => {
  it('when a row has fewer cells than the header, then it is refused too, with the right row number after a refused row', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const made = await makeForm({ workshop: w.workshop, template: 'pre-training' });
    const form = await getFormDefinition(await ctxOf({ workshop: w.workshop, user: w.organizer }), made.id);
    const csv = [header, `${row()},extra`, row(), 'female,31_40', row()].join('\n');
    const { problems, rows } = checkImport(form, csv);
    expect(problems.map((p) => [p.row, p.message, p.params])).toEqual([
      [2, 'questionnaires:import.tooManyCells', { cells: 12, columns: 11 }],
      [4, 'questionnaires:import.tooFewCells', { cells: 2, columns: 11 }],
    ]);
    expect(rows.map((r) => r.row)).toEqual([3, 5]);
  });
});
