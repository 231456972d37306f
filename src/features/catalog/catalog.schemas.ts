import { z } from 'zod';
import { categories } from '../listings/categories.js';

export const sorts = ['newest', 'price-asc', 'price-desc'] as const;
export type Sort = (typeof sorts)[number];

/** Query-string filters: anything odd falls back to the default instead of an error page. */
export const catalogQuerySchema = z.object({
  q: z
    .string()
    .max(100)
    .catch('')
    .default('')
    .transform((q) => q.trim()),
  category: z.enum(categories).optional().catch(undefined),
  sort: z.enum(sorts).catch('newest').default('newest'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type CatalogQuery = z.output<typeof catalogQuerySchema>;
