import { z } from 'zod';

const id = z.coerce.number({ message: 'common:validation.invalid' }).int().positive('common:validation.invalid');

export const quantitySchema = z.coerce
  .number({ message: 'common:validation.number' })
  .int('common:validation.number')
  .positive('common:validation.positive')
  .max(9999, 'common:validation.tooLong');

export const addToCartSchema = z.object({ listingId: id, quantity: quantitySchema });
export const updateCartItemSchema = z.object({ quantity: quantitySchema });

export type AddToCartInput = z.output<typeof addToCartSchema>;
