import { z } from 'zod';
import { clockSteps, type ClockStep } from '../workshops/clock.js';
import { paces, type Pace } from './market.service.js';

export const clockStepSchema = z.object({
  step: z.enum(Object.keys(clockSteps) as [ClockStep, ...ClockStep[]], 'common:validation.choose'),
});

export const pausedSchema = z.object({ paused: z.enum(['1', '0'], 'common:validation.choose').transform((v) => v === '1') });

export const paceSchema = z.object({ pace: z.enum(paces as [Pace, ...Pace[]], 'common:validation.choose') });
