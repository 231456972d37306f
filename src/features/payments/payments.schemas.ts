import { z } from 'zod';

export const payMethodSchema = z.object({
  method: z.enum(['card', 'va', 'qris', 'cod'], 'payments:validation.method'),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'common:validation.invalid'),
});

/** The card page's "back" link: `from=card` and the checkout's signature (cardReturnSignature); anything else is ignored. */
export const payPageQuerySchema = z.object({
  from: z.literal('card').optional().catch(undefined),
  sig: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional()
    .catch(undefined),
});

export const returnQuerySchema = z.object({ session_id: z.string().regex(/^cs_[A-Za-z0-9_]{1,200}$/) });

const digits = (v: unknown) => (typeof v === 'string' ? v.replace(/[\s.-]/g, '') : v);

export const mbankingSchema = z.object({
  vaNumber: z.preprocess(
    digits,
    z
      .string()
      .min(1, 'common:validation.required')
      .regex(/^\d{10,20}$/, 'payments:mbanking.vaFormat'),
  ),
  amount: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .trim()
            .replace(/^rp\.?\s*/i, '')
            .replace(/[\s.]/g, '')
        : v,
    z
      .string()
      .min(1, 'common:validation.required')
      .regex(/^\d{1,12}$/, 'payments:mbanking.amountFormat')
      .transform(Number),
  ),
});

export const qrisRefSchema = z.object({ ref: z.string().regex(/^QRIS-[A-Z0-9]{10}$/) });

export const ewalletSchema = z.object({
  ref: z.string().regex(/^QRIS-[A-Z0-9]{10}$/),
  pin: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'payments:ewallet.pinFormat'),
});
