import { z } from 'zod';
import { passwordSchema } from '../auth/auth.schemas.js';

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().max(200).optional(),
    newPassword: passwordSchema,
    confirmPassword: z.string().max(200),
  })
  .refine((form) => form.newPassword === form.confirmPassword, { path: ['confirmPassword'], message: 'account:password.mismatch' });

/** The meter's question: only the password (at most what the estimator reads). */
export const strengthSchema = z.object({ password: z.string().max(200) });

export const deviceSchema = z.object({ device: z.string().regex(/^[A-Za-z0-9_-]{16}$/) });
