// The only reader of process.env. Parsed once at import; a bad value stops the app with a
// message naming the setting (see formatConfigError).
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

export { projectRoot };

const bool = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => v === 'true' || v === '1' || v === 'on');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql://')
    .default('file:./data/pasarlatih.db'),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TRUST_PROXY: z.string().default('false'),
  TIMEZONE: z
    .string()
    .default('Asia/Makassar')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'is not a known time zone (e.g. Asia/Makassar)'),
  DEFAULT_LOCALE: z.enum(['id', 'en']).default('id'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: bool.optional(),
  UPLOAD_DIR: z.string().default('data/uploads'),
  SNAPSHOT_DIR: z.string().default('data/snapshots'),
  PAYMENT_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  SESSION_IDLE_DAYS: z.coerce.number().positive().max(90).default(7),
  SESSION_LIFETIME_DAYS: z.coerce.number().positive().max(365).default(14),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  JOIN_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  PAYMENT_SANDBOX: bool.default(true),
  PAYMENT_SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  PAYMENT_SANDBOX_DB: z.string().default('data/payment-sandbox.db'),
  PAYMENT_SANDBOX_PUBLIC_URL: z.url().optional(),
  PAYMENT_WEBHOOK_URL: z.url().optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^sk_test_/, 'must be a test key (sk_test_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
});

export class ConfigError extends Error {}

export function formatConfigError(error: z.ZodError): string {
  const lines = error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  return `Invalid configuration:\n${lines.join('\n')}`;
}

function toTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // an address list, as Express understands it
}

/** Turns a relative SQLite URL into an absolute one, resolved against the project root. */
export function resolveDatabaseUrl(url: string): string {
  if (!url.startsWith('file:')) return url;
  const file = url.slice('file:'.length);
  return path.isAbsolute(file) ? url : `file:${path.resolve(projectRoot, file)}`;
}

export function parseConfig(env: NodeJS.ProcessEnv) {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(formatConfigError(result.error));
  const raw = result.data;
  const isProduction = raw.NODE_ENV === 'production';
  if (isProduction && !raw.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production');
  }
  // The sandbox's keys need no setting on a laptop. In production they must not be values
  // anyone can read in this file: a known webhook secret lets anyone sign "paid" events. With
  // the sandbox, they are derived from SESSION_SECRET; with real Stripe, they must be given.
  if (isProduction && !raw.PAYMENT_SANDBOX) {
    const missing = (['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const).filter((k) => !raw[k]);
    if (missing.length)
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: required when PAYMENT_SANDBOX=off in production`).join('\n')}`,
      );
  }
  const derived = (label: string) =>
    createHmac('sha256', raw.SESSION_SECRET ?? '')
      .update(label)
      .digest('hex')
      .slice(0, 32);
  const sandboxKey = isProduction ? `sk_test_${derived('payment-sandbox-key')}` : 'sk_test_pasarlatih_sandbox';
  const sandboxWebhookSecret = isProduction ? `whsec_${derived('payment-sandbox-webhook')}` : 'whsec_pasarlatih_sandbox';
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(projectRoot, p));
  return {
    env: raw.NODE_ENV,
    isProduction,
    isTest: raw.NODE_ENV === 'test',
    port: raw.PORT,
    host: raw.HOST,
    publicUrl: raw.PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: resolveDatabaseUrl(raw.DATABASE_URL),
    isSqlite: raw.DATABASE_URL.startsWith('file:'),
    sessionSecret: raw.SESSION_SECRET ?? 'pasarlatih-development-secret-not-for-production',
    trustProxy: toTrustProxy(raw.TRUST_PROXY),
    timezone: raw.TIMEZONE,
    defaultLocale: raw.DEFAULT_LOCALE,
    logLevel: raw.NODE_ENV === 'test' ? 'silent' : raw.LOG_LEVEL,
    demoData: raw.DEMO_DATA ?? !isProduction,
    uploadDir: abs(raw.UPLOAD_DIR),
    snapshotDir: abs(raw.SNAPSHOT_DIR),
    paymentWindowHours: raw.PAYMENT_WINDOW_HOURS,
    /** A signed-in session ends after this long unused, and this long after sign-in whatever happens. */
    session: { idleMs: raw.SESSION_IDLE_DAYS * 86_400_000, lifetimeMs: raw.SESSION_LIFETIME_DAYS * 86_400_000 },
    loginRateLimit: raw.LOGIN_RATE_LIMIT,
    joinRateLimit: raw.JOIN_RATE_LIMIT,
    paymentSandbox: {
      enabled: raw.PAYMENT_SANDBOX,
      port: raw.PAYMENT_SANDBOX_PORT,
      dbFile: abs(raw.PAYMENT_SANDBOX_DB),
      publicUrl: raw.PAYMENT_SANDBOX_PUBLIC_URL?.replace(/\/$/, ''),
      /** Where the sandbox delivers its signed events: this app, over loopback. */
      webhookUrl: raw.PAYMENT_WEBHOOK_URL ?? `http://127.0.0.1:${raw.PORT}/payments/webhook`,
    },
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY ?? sandboxKey,
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? sandboxWebhookSecret,
    },
  };
}

export type Config = ReturnType<typeof parseConfig>;

function load(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export const config: Config = load();
