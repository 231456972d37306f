// Questionnaires inside a workshop: the list, answering (trainees), managing forms and questions
// (organizers; tutors read), paper entry, the anonymous link's QR code, and CSV export/import.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { phoneUrl } from '../../http/public-url.js';
import { sendQrCode } from '../../http/qr-code.js';
import { formHandler, parseOrThrow } from '../../http/validation.js';
import { getT } from '../../i18n/index.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { isStaff, listSessions } from '../workshops/workshops.service.js';
import { answersFromBody, type RawAnswers } from './answers.js';
import { exportResponsesCsv, importResponsesCsv, MAX_IMPORT_BYTES } from './csv.service.js';
import {
  anonymousLinkSchema,
  csvSeparatorSchema,
  formKinds,
  importConfirmSchema,
  formSettingsSchema,
  moveSchema,
  newFromTemplateSchema,
  optionsToLines,
  questionSchema,
  questionTypes,
  type QuestionInput,
  statusSchema,
} from './questionnaires.schemas.js';
import {
  addQuestion,
  copyForm,
  createFormFromTemplate,
  deleteForm,
  deleteQuestion,
  getFormDefinition,
  getFormOverview,
  getQuestion,
  listForms,
  listTemplates,
  moveQuestion,
  setAnonymousLink,
  setFormStatus,
  updateFormSettings,
  updateQuestion,
} from './questionnaires.service.js';
import { getFormForTrainee, submitPaperResponse, submitTraineeResponse } from './responses.service.js';

/** Mounted at /questionnaires in a workshop. */
export const questionnairesRouter = Router();
const router = questionnairesRouter;
router.param('formId', idParam);
router.param('questionId', idParam);

const organizerOnly = requireWorkshopRole('organizer');
const staffOnly = requireWorkshopRole('organizer', 'tutor');

const formIdOf = (req: Request) => idFrom(req, 'formId');
const questionIdOf = (req: Request) => idFrom(req, 'questionId');
const base = (res: Response) => `/workshops/${res.locals.ctx.workshopId}/questionnaires`;

/** The anonymous link phones open (read from the QR code, or typed). */
const anonymousUrl = (req: Request, token: string) => phoneUrl(req, `/q/${token}`);

// ---------------------------------------------------------------- list and create

async function indexLocals(_req: Request, res: Response) {
  const ctx = res.locals.ctx;
  return { forms: await listForms(ctx), templates: listTemplates(), sessions: isStaff(ctx) ? await listSessions(ctx) : [] };
}

router.get('/', async (req, res) => {
  res.render(isStaff(res.locals.ctx) ? 'questionnaires/index' : 'questionnaires/mine', {
    ...(await indexLocals(req, res)),
    values: {},
    errors: {},
  });
});

router.post(
  '/',
  organizerOnly,
  formHandler({
    schema: newFromTemplateSchema,
    view: 'questionnaires/index',
    locals: indexLocals,
    handle: async (data, req, res) => {
      const formId = await createFormFromTemplate(res.locals.ctx, data.templateKey, {
        sessionId: data.sessionId,
        knowledgeTest: data.knowledgeTest,
      });
      setFlash(req, 'success', 'questionnaires:flash.created');
      res.redirect(303, `${base(res)}/${formId}`);
    },
  }),
);

// ---------------------------------------------------------------- one form

/** The form's page for trainees with an account (a follow-up weeks later is sent as this link). */
const memberUrl = (req: Request, res: Response, formId: number) => phoneUrl(req, `${base(res)}/${formId}`);

async function manageLocals(req: Request, res: Response) {
  const overview = await getFormOverview(res.locals.ctx, formIdOf(req));
  return {
    ...overview,
    anonymousLink: overview.form.anonymousToken ? anonymousUrl(req, overview.form.anonymousToken) : null,
    memberLink: overview.form.kind === 'followup' ? memberUrl(req, res, overview.form.id) : null,
  };
}

// The stored answers are the values; on a 422 the typed ones take their place.
const answerLocals = (req: Request, res: Response) => getFormForTrainee(res.locals.ctx, formIdOf(req));

router.get('/:formId', async (req, res) => {
  const ctx = res.locals.ctx;
  if (isStaff(ctx)) return res.render('questionnaires/manage', await manageLocals(req, res));
  res.render('questionnaires/answer', { ...(await answerLocals(req, res)), errors: {} });
});

/** A filled-in form's POST (a trainee's own answers or a paper copy); a 422 shows the answers again. */
function answersForm(
  view: string,
  locals: (req: Request, res: Response) => Promise<Record<string, unknown>>,
  handle: (answers: RawAnswers, req: Request, res: Response) => Promise<void>,
) {
  return formHandler({
    schema: z.record(z.string(), z.unknown()),
    view,
    locals,
    values: (req) => answersFromBody(req.body),
    handle: (body, req, res) => handle(answersFromBody(body), req, res),
  });
}

router.post(
  '/:formId/answer',
  answersForm('questionnaires/answer', answerLocals, async (answers, req, res) => {
    const { created } = await submitTraineeResponse(res.locals.ctx, formIdOf(req), answers);
    setFlash(req, 'success', created ? 'questionnaires:flash.answered' : 'questionnaires:flash.answerUpdated');
    res.redirect(303, base(res));
  }),
);

// ---------------------------------------------------------------- settings, status, copy, link

async function settingsLocals(req: Request, res: Response) {
  return { form: await getFormDefinition(res.locals.ctx, formIdOf(req)), sessions: await listSessions(res.locals.ctx), kinds: formKinds };
}

router.get('/:formId/edit', organizerOnly, async (req, res) => {
  const locals = await settingsLocals(req, res);
  const f = locals.form;
  res.render('questionnaires/settings', {
    ...locals,
    errors: {},
    values: { titleId: f.titleId, titleEn: f.titleEn, introId: f.introId, introEn: f.introEn, kind: f.kind, sessionId: f.sessionId ?? '' },
  });
});

router.post(
  '/:formId/edit',
  organizerOnly,
  formHandler({
    schema: formSettingsSchema,
    view: 'questionnaires/settings',
    locals: settingsLocals,
    handle: async (data, req, res) => {
      await updateFormSettings(res.locals.ctx, formIdOf(req), data);
      setFlash(req, 'success', 'questionnaires:flash.saved');
      res.redirect(303, `${base(res)}/${formIdOf(req)}`);
    },
  }),
);

router.post('/:formId/status', organizerOnly, async (req, res) => {
  const { status } = parseOrThrow(statusSchema, req.body);
  await setFormStatus(res.locals.ctx, formIdOf(req), status);
  setFlash(req, 'success', `questionnaires:flash.status.${status}`);
  res.redirect(303, `${base(res)}/${formIdOf(req)}`);
});

router.post('/:formId/copy', organizerOnly, async (req, res) => {
  const form = await getFormDefinition(res.locals.ctx, formIdOf(req));
  const title = {
    id: getT('id')('questionnaires:manage.copyTitle', { title: form.titleId }),
    en: getT('en')('questionnaires:manage.copyTitle', { title: form.titleEn }),
  };
  const copyId = await copyForm(res.locals.ctx, form.id, title);
  setFlash(req, 'success', 'questionnaires:flash.copied');
  res.redirect(303, `${base(res)}/${copyId}`);
});

router.post('/:formId/delete', organizerOnly, async (req, res) => {
  await deleteForm(res.locals.ctx, formIdOf(req));
  setFlash(req, 'success', 'questionnaires:flash.deleted');
  res.redirect(303, base(res));
});

router.post('/:formId/anonymous', organizerOnly, async (req, res) => {
  const { enabled } = parseOrThrow(anonymousLinkSchema, req.body);
  await setAnonymousLink(res.locals.ctx, formIdOf(req), enabled);
  setFlash(req, 'success', enabled ? 'questionnaires:flash.linkOn' : 'questionnaires:flash.linkOff');
  res.redirect(303, `${base(res)}/${formIdOf(req)}#anonymous`);
});

router.get('/:formId/qr.svg', staffOnly, async (req, res) => {
  const form = await getFormDefinition(res.locals.ctx, formIdOf(req));
  if (!form.anonymousToken) return res.status(404).type('text/plain').send('');
  await sendQrCode(res, anonymousUrl(req, form.anonymousToken), 'no-cache');
});

router.get('/:formId/member-qr.svg', staffOnly, async (req, res) => {
  const form = await getFormDefinition(res.locals.ctx, formIdOf(req));
  await sendQrCode(res, memberUrl(req, res, form.id), 'no-cache');
});

// ---------------------------------------------------------------- questions

async function questionLocals(req: Request, res: Response) {
  const form = await getFormDefinition(res.locals.ctx, formIdOf(req));
  const question = req.params.questionId ? await getQuestion(res.locals.ctx, form.id, questionIdOf(req)) : null;
  return { form, question, types: questionTypes };
}

const questionValues = (req: Request) => ({ ...req.body, required: req.body?.required === 'true' || req.body?.required === 'on' });

router.get('/:formId/questions/new', organizerOnly, async (req, res) => {
  res.render('questionnaires/question', { ...(await questionLocals(req, res)), values: { type: 'single', required: true }, errors: {} });
});

/** The question form's POST (add or edit). */
const questionForm = (handle: (data: QuestionInput, req: Request, res: Response) => Promise<void>) =>
  formHandler({ schema: questionSchema, view: 'questionnaires/question', locals: questionLocals, values: questionValues, handle });

router.post(
  '/:formId/questions',
  organizerOnly,
  questionForm(async (data, req, res) => {
    const questionId = await addQuestion(res.locals.ctx, formIdOf(req), data);
    setFlash(req, 'success', 'questionnaires:flash.questionAdded');
    res.redirect(303, `${base(res)}/${formIdOf(req)}#question-${questionId}`);
  }),
);

router.get('/:formId/questions/:questionId', organizerOnly, async (req, res) => {
  const locals = await questionLocals(req, res);
  const q = locals.question!;
  res.render('questionnaires/question', {
    ...locals,
    errors: {},
    values: {
      key: q.key,
      type: q.type,
      group: q.group,
      required: q.required,
      textId: q.textId,
      textEn: q.textEn,
      options: q.type === 'yesno' ? '' : optionsToLines(q.options),
    },
  });
});

router.post(
  '/:formId/questions/:questionId',
  organizerOnly,
  questionForm(async (data, req, res) => {
    await updateQuestion(res.locals.ctx, formIdOf(req), questionIdOf(req), data);
    setFlash(req, 'success', 'questionnaires:flash.questionSaved');
    res.redirect(303, `${base(res)}/${formIdOf(req)}#question-${questionIdOf(req)}`);
  }),
);

router.post('/:formId/questions/:questionId/move', organizerOnly, async (req, res) => {
  const { direction } = parseOrThrow(moveSchema, req.body);
  await moveQuestion(res.locals.ctx, formIdOf(req), questionIdOf(req), direction);
  res.redirect(303, `${base(res)}/${formIdOf(req)}#question-${questionIdOf(req)}`);
});

router.post('/:formId/questions/:questionId/delete', organizerOnly, async (req, res) => {
  await deleteQuestion(res.locals.ctx, formIdOf(req), questionIdOf(req));
  setFlash(req, 'success', 'questionnaires:flash.questionDeleted');
  res.redirect(303, `${base(res)}/${formIdOf(req)}#questions`);
});

// ---------------------------------------------------------------- paper entry

async function paperLocals(req: Request, res: Response) {
  return { form: await getFormDefinition(res.locals.ctx, formIdOf(req)) };
}

router.get('/:formId/paper', organizerOnly, async (req, res) => {
  res.render('questionnaires/paper', { ...(await paperLocals(req, res)), values: {}, errors: {} });
});

router.post(
  '/:formId/paper',
  organizerOnly,
  answersForm('questionnaires/paper', paperLocals, async (answers, req, res) => {
    const { responseCount } = await submitPaperResponse(res.locals.ctx, formIdOf(req), answers);
    setFlash(req, 'success', 'questionnaires:flash.paperSaved', { n: responseCount });
    res.redirect(303, `${base(res)}/${formIdOf(req)}/paper`);
  }),
);

// ---------------------------------------------------------------- CSV

router.get('/:formId/responses.csv', staffOnly, async (req, res) => {
  const { sep } = parseOrThrow(csvSeparatorSchema, req.query);
  const { filename, parts } = await exportResponsesCsv(res.locals.ctx, formIdOf(req), sep);
  res.type('text/csv; charset=utf-8').attachment(filename).set('Cache-Control', 'private, no-store');
  // Sent as it is read, with backpressure; a failure half way aborts the download.
  await pipeline(Readable.from(parts), res);
});

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } }).single('file');

router.get('/:formId/import', organizerOnly, async (req, res) => {
  res.render('questionnaires/import', {
    form: await getFormDefinition(res.locals.ctx, formIdOf(req)),
    problems: [],
    errors: {},
    duplicates: null,
  });
});

router.post(
  '/:formId/import',
  organizerOnly,
  (req, res, next) => {
    upload(req, res, (error: unknown) => {
      if (error)
        res.locals.uploadError =
          error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE'
            ? 'questionnaires:import.tooLarge'
            : 'questionnaires:import.unreadable';
      next();
    });
  },
  async (req, res) => {
    const form = await getFormDefinition(res.locals.ctx, formIdOf(req));
    const uploadError = res.locals.uploadError as string | undefined;
    if (uploadError || !req.file) {
      return res.status(422).render('questionnaires/import', {
        form,
        problems: [],
        duplicates: null,
        errors: { file: uploadError ?? 'questionnaires:import.noFile' },
      });
    }
    const { confirmSha256 } = parseOrThrow(importConfirmSchema, req.body);
    const result = await importResponsesCsv(res.locals.ctx, form.id, req.file.buffer, { confirmedSha256: confirmSha256 });
    if (!result.ok && 'duplicates' in result)
      return res.status(409).render('questionnaires/import', { form, problems: [], duplicates: result.duplicates, errors: {} });
    if (!result.ok)
      return res.status(422).render('questionnaires/import', {
        form,
        problems: result.problems,
        duplicates: null,
        errors: { _form: 'questionnaires:import.nothingImported' },
      });
    setFlash(req, 'success', 'questionnaires:flash.imported', { n: result.imported });
    res.redirect(303, `${base(res)}/${form.id}`);
  },
);
