import { z } from 'zod';

export const shopSchema = z.object({
  name: z.string('common:validation.required').trim().min(3, 'common:validation.tooShort').max(60, 'common:validation.tooLong'),
  city: z.string('common:validation.required').trim().min(2, 'common:validation.tooShort').max(60, 'common:validation.tooLong'),
  description: z.string().trim().max(1000, 'common:validation.tooLong').default(''),
  removeLogo: z.literal('1').optional(),
});

export type ShopInput = z.output<typeof shopSchema>;
