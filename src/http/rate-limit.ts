// Limits on failed attempts only: a workshop room shares one public address behind its Wi-Fi,
// so forty people signing in at once must not lock each other out, but guessing must stop.
import type { Request, Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { prisma } from '../db.js';
import { PrismaRateLimitStore } from './rate-limit-store.js';

/** `name` keeps each limiter's counters apart (sign-in, join…). */
export function failedAttemptLimiter(options: { name: string; limit: number; windowMs?: number; key?: (req: Request) => string }) {
  return rateLimit({
    store: new PrismaRateLimitStore(prisma, `${options.name}:`),
    windowMs: options.windowMs ?? 15 * 60 * 1000,
    limit: options.limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => `${ipKeyGenerator(req.ip ?? '')}|${options.key?.(req) ?? ''}`,
    handler: (_req: Request, res: Response) => {
      res.status(429).render('errors/error', { titleKey: 'errors:tooMany.title', messageKey: 'errors:tooMany.message' });
    },
  });
}
