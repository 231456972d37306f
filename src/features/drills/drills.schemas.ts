import { z } from 'zod';
import { drillKeys, drillReactions } from './drills.registry.js';

const userId = z.coerce.number().int().positive().max(2_147_483_647);

export const sendDrillSchema = z.object({
  scenario: z.enum(drillKeys, 'drills:validation.scenario'),
  // "all", "group" (the participants ticked in `group`), or one participant's user id
  to: z.union([z.literal('all'), z.literal('group'), userId], 'drills:validation.to'),
  group: z
    .union([userId, z.array(userId).max(500)], 'drills:validation.to')
    .optional()
    .transform((ids) => (ids === undefined ? [] : Array.isArray(ids) ? ids : [ids])),
  // empty: now; else a date and time on the workshop's training clock (an <input type="datetime-local">)
  at: z
    .string()
    .trim()
    .max(40)
    .regex(/^$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'drills:validation.at')
    .default(''),
});

export const reactionSchema = z.object({ reaction: z.enum(drillReactions, 'common:validation.invalid') });

export type SendDrillInput = z.output<typeof sendDrillSchema>;
