import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

/** Courier receipt numbers ("resi"): letters and digits, spaces and dashes dropped. */
export const shipSchema = z.object({
  trackingNumber: z
    .string()
    .transform((v) => v.toUpperCase().replace(/[\s-]/g, ''))
    .pipe(
      z
        .string()
        .min(1, 'common:validation.required')
        .regex(/^[A-Z0-9]{8,30}$/, 'orders:validation.trackingNumber'),
    ),
});

export const sellerCancelSchema = z.object({
  reason: textBlock().min(1, 'orders:validation.reasonRequired').min(5, 'common:validation.tooShort').max(300, 'common:validation.tooLong'),
});

export const buyerCancelSchema = z.object({
  reason: textBlock().max(300, 'common:validation.tooLong').optional().default(''),
});

export const sellerTabSchema = z.object({ status: z.string().max(30).optional() });
