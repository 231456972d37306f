import { Router, type Request } from 'express';
import { z } from 'zod';
import { config } from '../../config.js';
import { ValidationError } from '../../errors.js';
import { setFlash } from '../../http/flash.js';
import { requireRole, requireUser } from '../../http/guards.js';
import { phoneUrl } from '../../http/public-url.js';
import { sendQrCode } from '../../http/qr-code.js';
import { issueDevice, joinRule, limitedAttempt } from '../../http/attempt-limits.js';
import { signIn } from '../../http/session.js';
import { formHandler, parseOrThrow, toFieldErrors } from '../../http/validation.js';
import { toDateInputValue } from '../../lib/dates.js';
import { defaultSessionNames } from '../agenda/default-agenda.js';
import { displayNameSchema, passwordSchema, usernameSchema } from '../auth/auth.schemas.js';
import { createWorkshopWithExtras, getWorkshopHome } from '../setup/setup.service.js';
import { startActing, stopActing, type ActingCtx } from './acting.service.js';
import { requireWorkshopRole } from './workshop-context.js';
import { assignTutorSchema, joinCodeSchema, joinOpenSchema, newWorkshopSchema, workshopSchema } from './workshops.schemas.js';
import {
  assignTutor,
  formatJoinCode,
  getWorkshopDetails,
  isStaff,
  joinAsUser,
  joinCodeProblem,
  joinWithNewAccount,
  listMembers,
  listMyWorkshops,
  setJoinOpen,
  updateWorkshop,
} from './workshops.service.js';

/** The list of workshops, creating one, and joining (site-wide). */
export const workshopsRouter = Router();

/** One workshop's own pages, behind the workshop gate: its home, join screen, settings, members. */
export const workshopPagesRouter = Router();

/** The join link phones open (typed, or read from the QR code on the projector). */
const joinUrl = (req: Request, code: string) => phoneUrl(req, `/join?code=${code}`);

workshopsRouter.get('/workshops', requireUser, async (_req, res) => {
  const workshops = await listMyWorkshops(res.locals.currentUser!.id);
  res.render('workshops/index', { workshops });
});

const organizerOnly = requireRole('organizer', 'admin');

workshopsRouter.get('/workshops/new', organizerOnly, (_req, res) => {
  // What a new workshop needs is offered ticked: the default agenda, the questionnaires, the demo shops.
  const values = { sessions: defaultSessionNames, defaultAgenda: 'on', questionnaires: 'on', demoShops: 'on' };
  res.render('workshops/form', { values, errors: {}, mode: 'new' });
});

workshopsRouter.post(
  '/workshops',
  organizerOnly,
  formHandler({
    schema: newWorkshopSchema,
    view: 'workshops/form',
    locals: () => ({ mode: 'new' }),
    handle: async ({ defaultAgenda, questionnaires, demoShops, ...data }, req, res) => {
      const id = await createWorkshopWithExtras(res.locals.currentUser!, data, { defaultAgenda, questionnaires, demoShops });
      setFlash(req, 'success', 'workshops:created');
      res.redirect(303, `/workshops/${id}/join-screen`);
    },
  }),
);

// ---------------------------------------------------------------- joining

const newAccountJoinSchema = z.object({
  code: joinCodeSchema,
  displayName: displayNameSchema,
  username: usernameSchema,
  password: passwordSchema,
});

/** A join code that names no workshop: the one failure that is a guess. */
const wrongJoinCode = (error: unknown) => error instanceof ValidationError && error.fieldErrors.code === 'workshops:join.codeUnknown';

workshopsRouter.get('/join', issueDevice, (req, res) => {
  const code = typeof req.query.code === 'string' ? req.query.code.slice(0, 12) : '';
  res.render('workshops/join', { values: { code }, errors: {} });
});

workshopsRouter.post(
  '/join',
  formHandler({
    schema: z.object({ code: z.string() }).passthrough(),
    view: 'workshops/join',
    handle: async (body, req, res) => {
      const user = res.locals.currentUser;
      if (user) {
        const { code } = parseOrThrow(z.object({ code: joinCodeSchema }), body);
        const joined = await limitedAttempt(req, res, joinRule, () => joinAsUser(user, code), wrongJoinCode);
        setFlash(req, 'success', 'workshops:join.joined', { name: joined.name });
        return res.redirect(303, `/workshops/${joined.workshopId}`);
      }
      // A wrong code is said at once, with the other fields' messages, not after they are fixed; it
      // counts as a guess there too (inside the attempt), so the form is no free oracle for codes.
      const joined = await limitedAttempt(
        req,
        res,
        joinRule,
        async () => {
          const parsed = newAccountJoinSchema.safeParse(body);
          if (!parsed.success) {
            const errors = toFieldErrors(parsed.error);
            const codeProblem = errors.code ? null : await joinCodeProblem(body.code);
            if (codeProblem) errors.code = codeProblem;
            throw new ValidationError(errors);
          }
          return joinWithNewAccount(parsed.data);
        },
        wrongJoinCode,
      );
      await signIn(req, joined.user);
      setFlash(req, 'success', 'workshops:join.welcome', { name: joined.user.displayName, workshop: joined.name });
      res.redirect(303, `/workshops/${joined.workshopId}`);
    },
  }),
);

// ---------------------------------------------------------------- inside a workshop

workshopPagesRouter.get('/', async (_req, res) => {
  const ctx = res.locals.ctx;
  const home = await getWorkshopHome(ctx);
  res.render('workshops/show', { ...home, staff: isStaff(ctx), joinCodeText: formatJoinCode(home.workshop.joinCode) });
});

// ---------------------------------------------------------------- demo as trainee

workshopPagesRouter.post('/demo/start', requireWorkshopRole('organizer', 'tutor'), async (req, res) => {
  req.session.actingAs = await startActing(res.locals.ctx);
  setFlash(req, 'success', 'workshops:acting.started');
  res.redirect(303, `/workshops/${res.locals.ctx.workshopId}`);
});

/** Back to her own account: reachable while acting, when the workshop sees her as the demo trainee. */
workshopPagesRouter.post('/demo/stop', async (req, res) => {
  const ctx = res.locals.ctx as ActingCtx;
  if (ctx.actingStaffId) {
    await stopActing(ctx);
    setFlash(req, 'success', 'workshops:acting.stopped');
  }
  delete req.session.actingAs;
  res.redirect(303, `/workshops/${ctx.workshopId}/sandbox`);
});

workshopPagesRouter.get('/join-screen', requireWorkshopRole('organizer', 'tutor'), async (req, res) => {
  const workshop = res.locals.ctx.workshop;
  res.render('workshops/join-screen', {
    joinCodeText: formatJoinCode(workshop.joinCode),
    joinUrl: joinUrl(req, workshop.joinCode),
    layout: 'projector',
  });
});

workshopPagesRouter.get('/join-qr.svg', requireWorkshopRole('organizer', 'tutor'), async (req, res) => {
  await sendQrCode(res, joinUrl(req, res.locals.ctx.workshop.joinCode), 'no-cache');
});

workshopPagesRouter.post('/join-open', requireWorkshopRole('organizer'), async (req, res) => {
  const { open } = parseOrThrow(joinOpenSchema, req.body);
  await setJoinOpen(res.locals.ctx, open);
  setFlash(req, 'success', open ? 'workshops:joinOpened' : 'workshops:joinClosed');
  res.redirect(303, `/workshops/${res.locals.ctx.workshopId}`);
});

async function editLocals(_req: Request, res: import('express').Response) {
  return { mode: 'edit', workshop: await getWorkshopDetails(res.locals.ctx) };
}

workshopPagesRouter.get('/edit', requireWorkshopRole('organizer'), async (req, res) => {
  const locals = await editLocals(req, res);
  const w = locals.workshop;
  res.render('workshops/form', {
    ...locals,
    errors: {},
    values: {
      name: w.name,
      city: w.city,
      venue: w.venue,
      startDate: toDateInputValue(w.startDate, config.timezone),
      endDate: toDateInputValue(w.endDate, config.timezone),
      sessions: w.sessions.map((s) => s.name).join('\n'),
    },
  });
});

workshopPagesRouter.post(
  '/edit',
  requireWorkshopRole('organizer'),
  formHandler({
    schema: workshopSchema,
    view: 'workshops/form',
    locals: editLocals,
    handle: async (data, req, res) => {
      await updateWorkshop(res.locals.ctx, data);
      setFlash(req, 'success', 'workshops:updated');
      res.redirect(303, `/workshops/${res.locals.ctx.workshopId}`);
    },
  }),
);

async function membersLocals(_req: Request, res: import('express').Response) {
  return { members: await listMembers(res.locals.ctx) };
}

workshopPagesRouter.get('/members', requireWorkshopRole('organizer', 'tutor'), async (req, res) => {
  res.render('workshops/members', { ...(await membersLocals(req, res)), values: {}, errors: {} });
});

workshopPagesRouter.post(
  '/tutors',
  requireWorkshopRole('organizer'),
  formHandler({
    schema: assignTutorSchema,
    view: 'workshops/members',
    locals: membersLocals,
    handle: async (data, req, res) => {
      const tutor = await assignTutor(res.locals.ctx, data.username);
      setFlash(req, 'success', 'workshops:tutors.assigned', { name: tutor.displayName });
      res.redirect(303, `/workshops/${res.locals.ctx.workshopId}/members`);
    },
  }),
);
