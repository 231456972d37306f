import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

export const messageSchema = z.object({
  body: textBlock().min(1, 'chat:validation.empty').max(1000, 'common:validation.tooLong'),
});

export const afterSchema = z.object({ after: z.coerce.number().int().min(0).max(2_147_483_647).default(0) });
