import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

export const reviewSchema = z.object({
  rating: z.coerce
    .number({ message: 'reviews:validation.rating' })
    .int('reviews:validation.rating')
    .min(1, 'reviews:validation.rating')
    .max(5, 'reviews:validation.rating'),
  text: textBlock().min(1, 'reviews:validation.textRequired').min(3, 'common:validation.tooShort').max(1000, 'common:validation.tooLong'),
});

export const replySchema = z.object({
  reply: textBlock().min(1, 'common:validation.required').min(2, 'common:validation.tooShort').max(1000, 'common:validation.tooLong'),
});

export type ReviewInput = z.output<typeof reviewSchema>;
