import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

export const messageSchema = z.object({
  // May be empty when a photo comes with it (the service refuses a message with neither).
  body: textBlock().max(1000, 'common:validation.tooLong').default(''),
});

export const afterSchema = z.object({ after: z.coerce.number().int().min(0).max(2_147_483_647).default(0) });
