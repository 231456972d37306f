import { z } from 'zod';
import { parseRupiah } from '../../lib/money.js';

/** Banks a seller can pick; the accounts are as simulated as the money. */
export const banks = ['BCA', 'BRI', 'BNI', 'Mandiri', 'BSI', 'BPD Bali', 'CIMB Niaga', 'Bank Latihan'] as const;

export const withdrawalSchema = z.object({
  amount: z
    .string('common:validation.required')
    .trim()
    .min(1, 'common:validation.required')
    .transform((text, ctx) => {
      const value = parseRupiah(text);
      if (value === null) {
        ctx.addIssue({ code: 'custom', message: 'withdrawals:validation.amount' });
        return z.NEVER;
      }
      return value;
    })
    .pipe(z.number().min(10_000, 'withdrawals:validation.minimum')),
  bankName: z.enum(banks, 'common:validation.choose'),
  // People type account numbers with spaces or dashes, as printed on the passbook.
  accountNumber: z
    .string('common:validation.required')
    .transform((text) => text.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{6,20}$/, 'withdrawals:validation.accountNumber')),
  accountHolder: z.string('common:validation.required').trim().min(2, 'common:validation.tooShort').max(60, 'common:validation.tooLong'),
});

export type WithdrawalInput = z.output<typeof withdrawalSchema>;
