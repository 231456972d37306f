import { z } from 'zod';
import { ValidationError, type FieldErrors } from '../../errors.js';
import { toFieldErrors } from '../../http/validation.js';
import { findMission, isModuleId, type ModuleId } from '../missions/missions.registry.js';

const day = /^\d{4}-\d{2}-\d{2}$/;
const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A checkbox group: absent, one value, or several. */
const checked = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

const sessionSchema = z
  .object({
    date: z.string().trim().max(10).default(''),
    start: z.string().trim().max(5).default(''),
    end: z.string().trim().max(5).default(''),
    modules: checked.pipe(z.array(z.string().refine(isModuleId, 'common:validation.invalid')).max(4)),
    missions: checked.pipe(z.array(z.string().refine((id) => findMission(id) !== undefined, 'common:validation.invalid')).max(40)),
  })
  .superRefine((s, ctx) => {
    // No time at all is allowed (a session not planned yet); a time is a day, a start and an end.
    if (!s.date && !s.start && !s.end) return;
    if (!day.test(s.date)) ctx.addIssue({ code: 'custom', path: ['date'], message: 'common:validation.date' });
    if (!clock.test(s.start)) ctx.addIssue({ code: 'custom', path: ['start'], message: 'agenda:validation.time' });
    if (!clock.test(s.end)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'agenda:validation.time' });
    else if (clock.test(s.start) && s.end <= s.start)
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'agenda:validation.endAfterStart' });
  });

export type AgendaSessionInput = {
  id: number;
  time: { date: string; start: string; end: string } | null;
  modules: ModuleId[];
  missions: string[];
};

/**
 * The agenda form: one group of fields per session, named `<field>-<sessionId>` (date-12,
 * start-12, end-12, modules-12, missions-12). Errors come back under the same names.
 */
export function parseAgendaForm(body: Record<string, unknown>, sessionIds: readonly number[]): AgendaSessionInput[] {
  const errors: FieldErrors = {};
  const sessions: AgendaSessionInput[] = [];
  for (const id of sessionIds) {
    const raw = Object.fromEntries(['date', 'start', 'end', 'modules', 'missions'].map((field) => [field, body[`${field}-${id}`]]));
    const parsed = sessionSchema.safeParse(raw);
    if (!parsed.success) {
      for (const [field, key] of Object.entries(toFieldErrors(parsed.error))) errors[`${field}-${id}`] = key;
      continue;
    }
    const s = parsed.data;
    sessions.push({
      id,
      time: s.date ? { date: s.date, start: s.start, end: s.end } : null,
      modules: [...new Set(s.modules)] as ModuleId[],
      missions: [...new Set(s.missions)],
    });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return sessions;
}
