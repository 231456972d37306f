// The evaluation page of a workshop, its JSON, its CSV summary and its Excel workbook: organizers
// and tutors only (a trainee gets 403; a non-member never gets past the workshop gate: 404). All
// read the same report from getEvaluation with the same filters.
import { Router } from 'express';
import { config } from '../../config.js';
import { setFlash } from '../../http/flash.js';
import { backOnRefusal } from '../../http/refusals.js';
import { parseOrRefuse, parseOrThrow } from '../../http/validation.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { summaryCsv } from './evaluation.csv.js';
import { describeFilters } from './evaluation.labels.js';
import { csvOptionsSchema, evaluationFiltersSchema, privacySchema } from './evaluation.schemas.js';
import { getEvaluation, reportResponseBatches, setPrivacyMinGroup } from './evaluation.service.js';
import { writeWorkbook } from './evaluation.workbook.js';

/** Mounted at the workshop's root: /evaluation, /evaluation.json, /evaluation.csv, /evaluation.xlsx. */
export const evaluationRouter = Router();

const staffOnly = requireWorkshopRole('organizer', 'tutor');
const organizerOnly = requireWorkshopRole('organizer');

evaluationRouter.get('/evaluation', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  const report = await getEvaluation(res.locals.ctx, filters);
  res.render('evaluation/show', {
    title: res.locals.t('evaluation:title'),
    report,
    activeFilters: describeFilters(report, res.locals.lang, res.locals.t),
    query: new URLSearchParams(req.originalUrl.split('?')[1] ?? '').toString(),
  });
});

evaluationRouter.get('/evaluation.json', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  res.json(await getEvaluation(res.locals.ctx, filters));
});

evaluationRouter.get('/evaluation.csv', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  const { sep } = parseOrThrow(csvOptionsSchema, req.query);
  const report = await getEvaluation(res.locals.ctx, filters);
  res.type('text/csv; charset=utf-8');
  res.attachment(`evaluation-workshop-${report.workshopId}.csv`);
  res.send(summaryCsv(report, res.locals.lang, res.locals.t, sep === 'semicolon' ? ';' : ','));
});

evaluationRouter.get('/evaluation.xlsx', staffOnly, async (req, res) => {
  const filters = parseOrThrow(evaluationFiltersSchema, req.query);
  const ctx = res.locals.ctx;
  const report = await getEvaluation(ctx, filters);
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.attachment(`evaluasi-pelatihan-${report.workshopId}.xlsx`);
  res.set('Cache-Control', 'private, no-store');
  // Written into the response as it is made: the raw sheets of 100,000 responses never sit in memory.
  await writeWorkbook(res, report, {
    lang: res.locals.lang,
    t: res.locals.t,
    timeZone: config.timezone,
    responses: (formId) => reportResponseBatches(ctx, report, formId),
  });
});

evaluationRouter.post('/evaluation/privacy', organizerOnly, async (req, res) => {
  const back = `/workshops/${res.locals.ctx.workshopId}/evaluation#privacy`;
  backOnRefusal(res, back);
  const { minGroup } = parseOrRefuse(privacySchema, req.body);
  await setPrivacyMinGroup(res.locals.ctx, minGroup);
  setFlash(req, 'success', 'evaluation:privacy.saved', { k: minGroup });
  res.redirect(303, back);
});
