// The evaluation's filtered counts read each answer's own copy of its response's session, gender,
// age band and occupation (kept by database triggers). These tests change a response after its
// answers were written and check that the filtered report follows, as the organizer would see it.
import { describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { ctxOf, makeForm, makeResponse, makeWorkshop } from '../../test/builders/index.js';
import { updateFormSettings } from '../questionnaires/questionnaires.service.js';
import { submitTraineeResponse } from '../questionnaires/responses.service.js';
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
});
