// The evaluation page of a workshop, its JSON and its CSV summary: organizers and tutors only
// (a trainee gets 403; a non-member never gets past the workshop gate: 404). All three read the
// same report from getEvaluation with the same filters.
import { Router } from 'express';
import { parseOrThrow } from '../../http/validation.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { summaryCsv } from './evaluation.csv.js';
import { evaluationFiltersSchema } from './evaluation.schemas.js';
import { getEvaluation } from './evaluation.service.js';

/** Mounted at the workshop's root: /evaluation, /evaluation.json, /evaluation.csv. */
export const evaluationRouter = Router();

const staffOnly = requireWorkshopRole('organizer', 'tutor');

evaluationRouter.get('/evaluation', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  const report = await getEvaluation(res.locals.ctx, filters);
  res.render('evaluation/show', {
    title: res.locals.t('evaluation:title'),
    report,
    query: new URLSearchParams(req.originalUrl.split('?')[1] ?? '').toString(),
  });
});

evaluationRouter.get('/evaluation.json', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  res.json(await getEvaluation(res.locals.ctx, filters));
});

evaluationRouter.get('/evaluation.csv', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  const report = await getEvaluation(res.locals.ctx, filters);
  res.type('text/csv; charset=utf-8');
  res.attachment(`evaluation-workshop-${report.workshopId}.csv`);
  res.send(summaryCsv(report, res.locals.lang, res.locals.t));
});
