// An organizer editing a form's questions while trainees answer it. Both sides hold the form's row
// first (holdForm), so an edit and an answer go one at a time. Run on SQLite and on PostgreSQL
// (vitest project postgres), each case several times: the order of two requests at once varies.
// Before holdForm, both cases failed on PostgreSQL in every run (SQLite's one writer hid them): in
// the first, the answer's rows pointed at a question deleted a moment earlier (a 500, her answers
// gone); in the second, both went through and the scale lost the value an answer had just been
// saved with.
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { ctxOf, makeWorkshop, preTrainingAnswers } from '../../test/builders/index.js';
import type { QuestionInput } from './questionnaires.schemas.js';
import {
  createFormFromTemplate,
  deleteQuestion,
  getFormDefinition,
  getQuestion,
  setFormStatus,
  updateQuestion,
} from './questionnaires.service.js';
import { submitTraineeResponse } from './responses.service.js';

const repeats = 10;

/** Every pre-training question answered, "understanding" with 26_50 (the option the second case removes). */
const answers = preTrainingAnswers();

async function setup() {
  const w = await makeWorkshop({ trainees: 1 });
  const organizer = await ctxOf({ workshop: w.workshop, user: w.organizer });
  const trainee = await ctxOf({ workshop: w.workshop, user: w.trainees[0]! });
  const formId = await createFormFromTemplate(organizer, 'pre-training', {});
  await setFormStatus(organizer, formId, 'open');
  const form = await getFormDefinition(organizer, formId);
  const understanding = form.questions.find((q) => q.key === 'understanding')!;
  return { organizer, trainee, formId, understandingId: understanding.id };
}

/** The scale without the option the answers above pick. */
async function scaleWithout(s: Awaited<ReturnType<typeof setup>>, value: string): Promise<QuestionInput> {
  const q = await getQuestion(s.organizer, s.formId, s.understandingId);
  return {
    key: q.key,
    type: q.type,
    group: q.group,
    required: q.required,
    textId: q.textId,
    textEn: q.textEn,
    options: q.options.filter((o) => o.value !== value),
  };
}

/** What became of the trainee's answers: how many were saved, and to "understanding". */
async function saved(formId: number, questionId: number) {
  const response = await prisma.response.findFirst({
    where: { formId },
    select: { answers: { select: { questionId: true, value: true } } },
  });
  return {
    answerCount: response?.answers.length ?? 0,
    understanding: response?.answers.filter((a) => a.questionId === questionId).map((a) => a.value) ?? [],
  };
}

describe('editing questions while a trainee answers', () => {
  beforeAll(async () => {
    await prisma.$connect();
  });

  it(
    'when the organizer deletes a question while a trainee sends her answers, then her answers are saved and the question is either gone or kept with her answer',
    { repeats },
    async () => {
      const s = await setup();
      const [answered, deleted] = await Promise.allSettled([
        submitTraineeResponse(s.trainee, s.formId, answers),
        deleteQuestion(s.organizer, s.formId, s.understandingId),
      ]);
      expect(answered).toEqual({ status: 'fulfilled', value: { created: true } });
      const question = await prisma.question.findUnique({ where: { id: s.understandingId } });
      const result = await saved(s.formId, s.understandingId);
      if (deleted.status === 'fulfilled') {
        // The question went first: the other ten answers are saved.
        expect(question).toBeNull();
        expect(result).toEqual({ answerCount: 10, understanding: [] });
      } else {
        // The answer went first: the question now has an answer and is kept, with it.
        expect(deleted.reason).toBeInstanceOf(ConflictError);
        expect(question).not.toBeNull();
        expect(result).toEqual({ answerCount: 11, understanding: ['26_50'] });
      }
    },
  );

  it(
    "when the organizer removes a scale's option while a trainee picks it, then either her answer is saved and the option stays, or she is asked again",
    { repeats },
    async () => {
      const s = await setup();
      const input = await scaleWithout(s, '26_50');
      const [answered, edited] = await Promise.allSettled([
        submitTraineeResponse(s.trainee, s.formId, answers),
        updateQuestion(s.organizer, s.formId, s.understandingId, input),
      ]);
      const options = (await getQuestion(s.organizer, s.formId, s.understandingId)).options.map((o) => o.value);
      const result = await saved(s.formId, s.understandingId);
      // Never both: a saved answer whose value the scale no longer has would lose its meaning.
      expect([answered.status, edited.status].sort()).toEqual(['fulfilled', 'rejected']);
      if (answered.status === 'fulfilled') {
        expect(edited.status === 'rejected' && edited.reason).toBeInstanceOf(ValidationError);
        expect(options).toContain('26_50');
        expect(result).toEqual({ answerCount: 11, understanding: ['26_50'] });
      } else {
        // The scale changed first: she is asked again (the form shows what she typed, with this message).
        expect(answered.reason).toBeInstanceOf(ValidationError);
        expect((answered.reason as ValidationError).fieldErrors).toHaveProperty('understanding');
        expect(options).not.toContain('26_50');
        expect(result).toEqual({ answerCount: 0, understanding: [] });
      }
    },
  );
});
