// The progress board (src/features/progress) derives the questionnaire missions from Response
// rows; this pins down that the rows written here are the ones it reads.
import { expect, it } from 'vitest';
import { ctxOf, makeWorkshop, preTrainingAnswers } from '../../test/builders/index.js';
import { getProgressBoard } from '../progress/progress.service.js';
import { createFormFromTemplate, setFormStatus } from './questionnaires.service.js';
import { submitPaperResponse, submitTraineeResponse } from './responses.service.js';

it('when a trainee answers the open pre-training form, then the board ticks her "pre-questionnaire" mission; paper answers count for nobody', async () => {
  const w = await makeWorkshop({ trainees: 2 });
  const organizer = await ctxOf({ workshop: w.workshop, user: w.organizer });
  const pre = await createFormFromTemplate(organizer, 'pre-training');
  await setFormStatus(organizer, pre, 'open');
  await createFormFromTemplate(organizer, 'post-training');
  const answers = preTrainingAnswers({ occupation: 'other', understanding: '0_25' });
  await submitTraineeResponse(await ctxOf({ workshop: w.workshop, user: w.trainees[0]! }), pre, answers);
  await submitTraineeResponse(await ctxOf({ workshop: w.workshop, user: w.trainees[0]! }), pre, answers);
  await submitPaperResponse(organizer, pre, answers);

  const board = await getProgressBoard(organizer);
  const column = board.columns.findIndex((c) => c.missionId === 'pre-questionnaire');
  expect(board.columns[column]).toMatchObject({ doneCount: 1 });
  const doneBy = (userId: number) => board.trainees.find((t) => t.id === userId)!.done[column];
  expect([doneBy(w.trainees[0]!.id), doneBy(w.trainees[1]!.id)]).toEqual([true, false]);
  expect(board.columns[board.columns.findIndex((c) => c.missionId === 'post-questionnaire')]).toMatchObject({ doneCount: 0 });
});
