import { z } from 'zod';
import { textBlock, textLine } from '../../http/validation.js';

export const shopSchema = z.object({
  name: textLine('common:validation.required').min(3, 'common:validation.tooShort').max(60, 'common:validation.tooLong'),
  city: textLine('common:validation.required').min(2, 'common:validation.tooShort').max(60, 'common:validation.tooLong'),
  description: textBlock().max(1000, 'common:validation.tooLong').default(''),
  removeLogo: z.literal('1').optional(),
});

export type ShopInput = z.output<typeof shopSchema>;
