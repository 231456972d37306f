// The evaluation's filtered counts read each answer's own copy of its response's session, gender,
// age band and occupation: written by the app with the answer, corrected by a database trigger
// when a writer leaves them out, and followed by a trigger when the response changes. These tests
// write answers by every path, and change a response after its answers were written, and check
// the copies and the filtered report, as the organizer would see it.
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { prisma } from '../../db.js';
import { importResponsesCsv } from '../questionnaires/csv.service.js';
import { ctxOf, makeForm, makeResponse, makeWorkshop } from '../../test/builders/index.js';
import { updateFormSettings } from '../questionnaires/questionnaires.service.js';
import { submitPaperResponse, submitTraineeResponse } from '../questionnaires/responses.service.js';
import { getEvaluation, setPrivacyMinGroup, type EvaluationFilters } from './evaluation.service.js';
import type { ChoiceStats } from './evaluation.stats.js';

const postAnswers = (overrides: Record<string, string>) => ({
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

describe('filtered counts after a response changes', () => {
  it('when a trainee corrects her gender and the form moves to another session, then the filtered counts follow', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const organizer = await ctxOf({ workshop: w.workshopId, user: w.organizer });
    await setPrivacyMinGroup(organizer, 2);
    const [first, second] = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const form = await makeForm({ workshop: w.workshopId, session: first! });
    for (const gender of ['female', 'female', 'male', 'male'])
      await makeResponse({ form, answers: postAnswers({ gender, material_quality: '4' }) });
    const trainee = await ctxOf({ workshop: w.workshopId, user: w.trainees[0]! });
    await submitTraineeResponse(trainee, form.id, postAnswers({ gender: 'female', material_quality: '1' }));

    const material = async (filters: EvaluationFilters) => {
      const report = await getEvaluation(organizer, filters);
      const q = report.forms[0]!.questions.find((x) => x.key === 'material_quality') as ChoiceStats | undefined;
      return { responses: report.forms[0]!.responses, counts: Object.fromEntries((q?.options ?? []).map((o) => [o.value, o.count])) };
    };
    expect(await material({ gender: 'female' })).toEqual({ responses: 3, counts: { '4': 2, '3': 0, '2': 0, '1': 1 } });

    await submitTraineeResponse(trainee, form.id, postAnswers({ gender: 'male', material_quality: '2' }));
    expect(await material({ gender: 'female' })).toEqual({ responses: 2, counts: { '4': 2, '3': 0, '2': 0, '1': 0 } });
    expect(await material({ gender: 'male' })).toEqual({ responses: 3, counts: { '4': 2, '3': 0, '2': 1, '1': 0 } });

    await updateFormSettings(organizer, form.id, {
      titleId: form.titleId,
      titleEn: form.titleEn,
      introId: form.introId,
      introEn: form.introEn,
      kind: form.kind as 'post',
      sessionId: second!.id,
    });
    expect(await material({ sessionId: second!.id, gender: 'male' })).toEqual({
      responses: 3,
      counts: { '4': 2, '3': 0, '2': 1, '1': 0 },
    });
    expect((await material({ sessionId: first!.id })).responses).toBe(0);
  });

  it("when answers come from a trainee, paper, an import with its own session and a raw insert without copies, then every answer carries its response's values", async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const organizer = await ctxOf({ workshop: w.workshopId, user: w.organizer });
    const [first, second] = await prisma.workshopSession.findMany({ where: { workshopId: w.workshopId }, orderBy: { position: 'asc' } });
    const form = await makeForm({ workshop: w.workshopId, session: first! });
    const trainee = await ctxOf({ workshop: w.workshopId, user: w.trainees[0]! });
    await submitTraineeResponse(trainee, form.id, postAnswers({ gender: 'male', age_band: '21_30' }));
    await submitTraineeResponse(trainee, form.id, postAnswers({ gender: 'female', occupation: 'student' }));
    await submitPaperResponse(organizer, form.id, postAnswers({ occupation: 'homemaker' }));
    const answers = postAnswers({ gender: 'male', age_band: 'over_50' });
    const keys = ['session', ...Object.keys(answers)];
    const csv = [keys.join(','), [second!.name, ...Object.values(answers)].join(',')].join('\n');
    expect(await importResponsesCsv(organizer, form.id, csv)).toEqual({ ok: true, imported: 1 });
    const paper = await makeResponse({ form, answers: postAnswers({ age_band: '41_50' }) });
    // A writer that knows nothing of the copies (a script, a future import): the database fills them in.
    const [question] = await prisma.question.findMany({ where: { formId: form.id, key: 'facilities' } });
    await prisma.$executeRaw`INSERT INTO "Answer" ("responseId", "questionId", "value") VALUES (${paper.id}, ${question!.id}, '2')`;

    const mismatched = await prisma.$queryRaw<{ n: bigint | number }[]>(Prisma.sql`
      SELECT COUNT(*) AS "n" FROM "Answer" a JOIN "Response" r ON r."id" = a."responseId"
      WHERE r."formId" = ${form.id} AND (
        a."sessionId" IS DISTINCT FROM r."sessionId" OR a."gender" IS DISTINCT FROM r."gender"
        OR a."ageBand" IS DISTINCT FROM r."ageBand" OR a."occupation" IS DISTINCT FROM r."occupation")`);
    expect(Number(mismatched[0]!.n)).toBe(0);
    const copies = await prisma.answer.findMany({
      where: { response: { formId: form.id }, question: { key: 'material_quality' } },
      orderBy: { responseId: 'asc' },
      select: { sessionId: true, gender: true, ageBand: true, occupation: true },
    });
    expect(copies).toEqual([
      { sessionId: first!.id, gender: 'female', ageBand: '31_40', occupation: 'student' },
      { sessionId: first!.id, gender: 'female', ageBand: '31_40', occupation: 'homemaker' },
      { sessionId: second!.id, gender: 'male', ageBand: 'over_50', occupation: 'umkm_owner' },
      { sessionId: first!.id, gender: 'female', ageBand: '41_50', occupation: 'umkm_owner' },
    ]);
  });
});
