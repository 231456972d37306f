import { z } from 'zod';
import { textBlock, textLine } from '../../http/validation.js';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'common:validation.date');

export const workshopSchema = z
  .object({
    name: textLine().min(3, 'common:validation.tooShort').max(120, 'common:validation.tooLong'),
    city: textLine().min(2, 'common:validation.tooShort').max(60, 'common:validation.tooLong'),
    venue: textLine().min(2, 'common:validation.tooShort').max(120, 'common:validation.tooLong'),
    startDate: isoDay,
    endDate: isoDay,
    sessions: textBlock()
      .max(2000, 'common:validation.tooLong')
      .transform((text) =>
        text
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().max(80, 'common:validation.tooLong'))
          .min(1, 'workshops:validation.sessionsRequired')
          .max(20, 'common:validation.tooLong'),
      ),
  })
  .refine((w) => w.endDate >= w.startDate, { path: ['endDate'], message: 'common:validation.dateOrder' });

export type WorkshopInput = z.output<typeof workshopSchema>;

/** A ticked checkbox sends "on"; an unticked one sends nothing. */
const ticked = z
  .string()
  .optional()
  .transform((value) => value === 'on');

/** A new workshop, with what to put in it (offered ticked on the form). */
export const newWorkshopSchema = workshopSchema.and(z.object({ defaultAgenda: ticked, questionnaires: ticked, demoShops: ticked }));

export const joinCodeSchema = z
  .string()
  .transform((code) => code.toUpperCase().replace(/[^A-Z0-9]/g, ''))
  .pipe(z.string().length(6, 'workshops:join.codeInvalid'));

export const assignTutorSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'common:validation.required').max(30),
});

export const joinOpenSchema = z.object({ open: z.enum(['true', 'false']).transform((v) => v === 'true') });
