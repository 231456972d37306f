import { z } from 'zod';
import { textBlock, textLine } from '../../http/validation.js';
import { parseRupiah } from '../../lib/money.js';
import { categories, conditions } from './categories.js';

/** A whole number as typed on a phone: "1.000", "1 000" and "1000" are the same. */
const wholeNumber = (max: number, min = 0, belowMin = 'common:validation.positive') =>
  z
    .string('common:validation.required')
    .trim()
    .min(1, 'common:validation.required')
    .transform((text) => text.replace(/[.\s]/g, ''))
    .pipe(z.string().regex(/^\d{1,9}$/, 'common:validation.number'))
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, min > 0 ? belowMin : 'common:validation.number')
        .max(max, 'listings:validation.tooBig'),
    );

export const listingSchema = z
  .object({
    title: textLine('common:validation.required').min(3, 'common:validation.tooShort').max(100, 'common:validation.tooLong'),
    description: textBlock().max(3000, 'common:validation.tooLong').default(''),
    price: z
      .string('common:validation.required')
      .trim()
      .min(1, 'common:validation.required')
      .transform((text, ctx) => {
        const value = parseRupiah(text);
        if (value === null) {
          ctx.addIssue({ code: 'custom', message: 'listings:validation.price' });
          return z.NEVER;
        }
        return value;
      })
      .pipe(z.number().min(1, 'listings:validation.priceZero').max(1_000_000_000, 'listings:validation.tooBig')),
    stock: wholeNumber(100_000),
    weightGrams: wholeNumber(100_000, 1, 'listings:validation.weightZero'),
    minOrder: wholeNumber(1_000, 1),
    condition: z.enum(conditions, 'common:validation.choose'),
    category: z.enum(categories, 'common:validation.choose'),
    removePhotoIds: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).map(Number).filter(Number.isSafeInteger)),
  })
  .refine((listing) => listing.stock === 0 || listing.minOrder <= listing.stock, {
    path: ['minOrder'],
    message: 'listings:validation.minOrderAboveStock',
  });

export type ListingInput = z.output<typeof listingSchema>;
