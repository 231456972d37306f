import { z } from 'zod';
import { drillKeys, drillReactions } from './drills.registry.js';

export const sendDrillSchema = z.object({
  scenario: z.enum(drillKeys, 'drills:validation.scenario'),
  // "all", or one participant's user id
  to: z.union([z.literal('all'), z.coerce.number().int().positive()], 'drills:validation.to'),
});

export const reactionSchema = z.object({ reaction: z.enum(drillReactions, 'common:validation.invalid') });

export type SendDrillInput = z.output<typeof sendDrillSchema>;
