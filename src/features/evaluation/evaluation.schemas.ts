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
