import { z } from 'zod';
import { textLine } from '../../http/validation.js';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'auth:validation.usernameShort')
  .max(30, 'auth:validation.usernameLong')
  .regex(/^[a-z0-9._-]+$/, 'auth:validation.usernameChars');

export const passwordSchema = z.string().min(8, 'auth:validation.passwordShort').max(200, 'common:validation.tooLong');

export const displayNameSchema = textLine().min(2, 'common:validation.tooShort').max(60, 'common:validation.tooLong');

export const loginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'common:validation.required').max(100),
  password: z.string().min(1, 'common:validation.required').max(200),
  next: z.string().optional(),
});

export const newAccountSchema = z.object({
  displayName: displayNameSchema,
  username: usernameSchema,
  password: passwordSchema,
  role: z.enum(['organizer', 'tutor'], 'common:validation.choose'),
});
