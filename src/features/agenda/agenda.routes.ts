import { Router, type Response } from 'express';
import { z } from 'zod';
import { config } from '../../config.js';
import { setFlash } from '../../http/flash.js';
import { formHandler } from '../../http/validation.js';
import { toDateInputValue, toTimeInputValue } from '../../lib/dates.js';
import { missions, moduleIds } from '../missions/missions.registry.js';
import { requireWorkshopRole, workshopBase } from '../workshops/workshop-context.js';
import { parseAgendaForm } from './agenda.schemas.js';
import { currentSession, getAgenda, updateAgenda, useDefaultAgenda, type AgendaSession } from './agenda.service.js';

/** Mounted at /agenda in a workshop: everyone reads it, staff edit it. */
export const agendaRouter = Router();

const staffOnly = requireWorkshopRole('organizer', 'tutor');

agendaRouter.get('/', async (_req, res) => {
  const sessions = await getAgenda(res.locals.ctx);
  res.render('agenda/show', { sessions, currentId: currentSession(sessions, new Date())?.id ?? null, title: res.locals.t('agenda:title') });
});

/** The form's values for each session, as the inputs show them. */
function formValues(sessions: AgendaSession[]): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const s of sessions) {
    values[`date-${s.id}`] = s.startsAt ? toDateInputValue(s.startsAt, config.timezone) : '';
    values[`start-${s.id}`] = s.startsAt ? toTimeInputValue(s.startsAt, config.timezone) : '';
    values[`end-${s.id}`] = s.endsAt ? toTimeInputValue(s.endsAt, config.timezone) : '';
    values[`modules-${s.id}`] = s.modules;
    values[`missions-${s.id}`] = s.missions;
  }
  return values;
}

async function editLocals(res: Response) {
  return { sessions: await getAgenda(res.locals.ctx), moduleIds, missions, title: res.locals.t('agenda:edit.title') };
}

agendaRouter.get('/edit', staffOnly, async (_req, res) => {
  const locals = await editLocals(res);
  res.render('agenda/edit', { ...locals, values: formValues(locals.sessions), errors: {} });
});

agendaRouter.post(
  '/edit',
  staffOnly,
  formHandler({
    schema: z.record(z.string(), z.unknown()),
    view: 'agenda/edit',
    locals: (_req, res) => editLocals(res),
    handle: async (body, req, res) => {
      const sessions = await getAgenda(res.locals.ctx);
      const input = parseAgendaForm(
        body,
        sessions.map((s) => s.id),
      );
      await updateAgenda(res.locals.ctx, input);
      setFlash(req, 'success', 'agenda:edit.saved');
      res.redirect(303, `${workshopBase(res)}/agenda`);
    },
  }),
);

agendaRouter.post('/default', staffOnly, async (req, res) => {
  await useDefaultAgenda(res.locals.ctx);
  setFlash(req, 'success', 'agenda:edit.defaultApplied');
  res.redirect(303, `${workshopBase(res)}/agenda`);
});
