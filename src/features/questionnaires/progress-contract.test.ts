// The progress board (src/features/progress) derives "filled in each questionnaire" from
// Response rows; this pins down that the rows written here are the ones it reads.
import { expect, it } from 'vitest';
import { ctxOf, makeWorkshop } from '../../test/builders/index.js';
import { getProgressBoard } from '../progress/progress.service.js';
import { createFormFromTemplate, setFormStatus } from './questionnaires.service.js';
import { submitPaperResponse, submitTraineeResponse } from './responses.service.js';

it('when a trainee answers an open form, then the progress board marks that trainee done; paper answers and drafts do not count', async () => {
  const w = await makeWorkshop({ trainees: 2 });
  const organizer = await ctxOf({ workshop: w.workshop, user: w.organizer });
  const pre = await createFormFromTemplate(organizer, 'pre-training');
  await setFormStatus(organizer, pre, 'open');
  const draft = await createFormFromTemplate(organizer, 'post-training');
  const answers = {
    gender: 'female',
    age_band: '31_40',
    occupation: 'other',
    used_internet: 'yes',
    knows_ecommerce_sites: 'yes',
    has_social_media: 'yes',
    bought_online: 'no',
    sold_online: 'no',
    main_device: 'phone',
    paid_online: 'yes',
    understanding: '0_25',
  };
  await submitTraineeResponse(await ctxOf({ workshop: w.workshop, user: w.trainees[0]! }), pre, answers);
  await submitTraineeResponse(await ctxOf({ workshop: w.workshop, user: w.trainees[0]! }), pre, answers);
  await submitPaperResponse(organizer, pre, answers);

  const board = await getProgressBoard(organizer);
  const column = board.tasks.findIndex((t) => t.key === `form-${pre}`);
  expect(board.tasks[column]).toMatchObject({ doneCount: 1, label: { id: 'Kuesioner Awal Pelatihan E-Commerce' } });
  expect(board.tasks.some((t) => t.key === `form-${draft}`)).toBe(false);
  const stateOf = (userId: number) => board.trainees.find((t) => t.id === userId)!.states[column];
  expect([stateOf(w.trainees[0]!.id), stateOf(w.trainees[1]!.id)]).toEqual(['done', 'todo']);
});
