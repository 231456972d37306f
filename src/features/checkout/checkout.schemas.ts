import { z } from 'zod';
import { textLine } from '../../http/validation.js';

const text = (min: number, max: number) =>
  textLine().min(1, 'common:validation.required').min(min, 'common:validation.tooShort').max(max, 'common:validation.tooLong');

export const addressSchema = z.object({
  name: text(2, 80),
  phone: z
    .string()
    .trim()
    .transform((v) => v.replace(/[\s.-]/g, ''))
    .pipe(z.string().regex(/^(\+62|62|0)8\d{7,12}$/, 'checkout:validation.phone')),
  line: text(5, 200),
  city: text(2, 60),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/, 'checkout:validation.postalCode'),
});

export type AddressInput = z.output<typeof addressSchema>;

/** courier_<shopId>=<courier code> fields of the checkout forms, as { shopId: code }. */
export function courierChoices(input: Record<string, unknown>): Record<number, string> {
  const choices: Record<number, string> = {};
  for (const [key, value] of Object.entries(input)) {
    const match = /^courier_(\d{1,9})$/.exec(key);
    if (match && typeof value === 'string' && value.length <= 40) choices[Number(match[1])] = value;
  }
  return choices;
}

export const placeOrderSchema = z.object({
  idempotencyKey: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'common:validation.invalid'),
  expectedTotal: z.coerce.number().int().nonnegative(),
});
