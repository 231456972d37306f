import { z } from 'zod';
import { textBlock } from '../../http/validation.js';
import { reportReasons } from './safety.service.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);

/** A chat (threadId) or a listing (listingId): exactly one. */
const targetSchema = z.union([z.object({ threadId: id }), z.object({ listingId: id })], 'common:validation.invalid');

export const blockSchema = targetSchema;

export const reportSchema = z.intersection(
  targetSchema,
  z.object({
    reason: z.enum(reportReasons, 'safety:validation.reason'),
    note: textBlock().max(500, 'common:validation.tooLong').default(''),
  }),
);
