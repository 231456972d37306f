import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

export const messageSchema = z.object({
  body: textBlock().min(1, 'chat:validation.empty').max(1000, 'common:validation.tooLong'),
});
