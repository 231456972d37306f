// The evaluation's filters, read from the query string (GET, so a filtered page can be shared
// and printed). An empty select means "all".
import { z } from 'zod';

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

const optionalId = z.preprocess(
  blankToUndefined,
  z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31)
    .optional(),
);
/** Option values are plain lower-case words (questionnaires.schemas.ts optionValuePattern). */
const optionalValue = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/)
    .optional(),
);

export const evaluationFiltersSchema = z.object({
  formId: optionalId,
  sessionId: optionalId,
  gender: optionalValue,
  ageBand: optionalValue,
  occupation: optionalValue,
});

/** The CSV summary: `?sep=semicolon` for Excel set to Indonesian (its decimal separator is the comma). */
export const csvOptionsSchema = z.object({
  sep: z.preprocess(blankToUndefined, z.enum(['comma', 'semicolon']).default('comma')),
});

/** k, the smallest group the evaluation breaks down (MIN_GROUP_RANGE in the service). */
export const privacySchema = z.object({
  minGroup: z.coerce
    .number('evaluation:privacy.range')
    .int('evaluation:privacy.range')
    .min(2, 'evaluation:privacy.range')
    .max(50, 'evaluation:privacy.range'),
});
