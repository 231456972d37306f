// The only reader of process.env. Parsed once at import; a bad value stops the app with a
// message naming the setting (see formatConfigError).
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';
import { readOrCreateSecrets, SecretsFileError, type InstallSecrets } from './secrets.js';

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
  SECRETS_FILE: z.string().default('data/secrets.json'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => v !== 'true', 'true would believe any X-Forwarded-For a phone sends: give the hop count (1) or the proxy address'),
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
  ROOM_DEVICE_LIMIT: z.coerce.number().int().positive().default(200),
  MARKET_BOTS: z.enum(['on', 'paused']).default('on'),
  PAYMENT_SANDBOX: bool.default(true),
  PAYMENT_SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  PAYMENT_SANDBOX_DB: z.string().default('data/payment-sandbox.db'),
  PAYMENT_SANDBOX_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
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

/**
 * Which proxies Express believes about the client's address: none, a hop count or an address
 * list. Never every proxy (`true`): then any phone could name its own address in X-Forwarded-For
 * and each forged address would start the limits afresh.
 */
function toTrustProxy(value: string): false | number | string {
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

/**
 * The settings in `env`. The secrets not given there come from the install's secrets file
 * (src/secrets.ts), made on the first start: `secretsOf` reads it (tests pass their own).
 */
export function parseConfig(env: NodeJS.ProcessEnv, secretsOf: (file: string) => InstallSecrets = readOrCreateSecrets) {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(formatConfigError(result.error));
  const raw = result.data;
  const isProduction = raw.NODE_ENV === 'production';
  // Against real Stripe the keys are Stripe's: the sandbox's own would only fail later, at a payment.
  if (isProduction && !raw.PAYMENT_SANDBOX) {
    const missing = (['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const).filter((k) => !raw[k]);
    if (missing.length)
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: required when PAYMENT_SANDBOX=off in production`).join('\n')}`,
      );
  }
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(projectRoot, p));
  const secretsFile = abs(raw.SECRETS_FILE);
  let secrets: InstallSecrets;
  try {
    secrets = secretsOf(secretsFile);
  } catch (error) {
    if (error instanceof SecretsFileError) throw new ConfigError(`Invalid configuration:\n  SECRETS_FILE: ${error.message}`);
    throw error;
  }
  return {
    env: raw.NODE_ENV,
    isProduction,
    isTest: raw.NODE_ENV === 'test',
    port: raw.PORT,
    host: raw.HOST,
    publicUrl: raw.PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: resolveDatabaseUrl(raw.DATABASE_URL),
    isSqlite: raw.DATABASE_URL.startsWith('file:'),
    sessionSecret: raw.SESSION_SECRET ?? secrets.sessionSecret,
    secretsFile,
    trustProxy: toTrustProxy(raw.TRUST_PROXY),
    timezone: raw.TIMEZONE,
    defaultLocale: raw.DEFAULT_LOCALE,
    logLevel: raw.NODE_ENV === 'test' ? 'silent' : raw.LOG_LEVEL,
    // The demo workshop on an empty database is what a tutor's first `npm start` needs, whatever
    // NODE_ENV says; a server for real participants sets DEMO_DATA=false.
    demoData: raw.DEMO_DATA ?? true,
    uploadDir: abs(raw.UPLOAD_DIR),
    snapshotDir: abs(raw.SNAPSHOT_DIR),
    paymentWindowHours: raw.PAYMENT_WINDOW_HOURS,
    /** A signed-in session ends after this long unused, and this long after sign-in whatever happens. */
    session: { idleMs: raw.SESSION_IDLE_DAYS * 86_400_000, lifetimeMs: raw.SESSION_LIFETIME_DAYS * 86_400_000 },
    loginRateLimit: raw.LOGIN_RATE_LIMIT,
    joinRateLimit: raw.JOIN_RATE_LIMIT,
    roomDeviceLimit: raw.ROOM_DEVICE_LIMIT,
    /** New workshops (and the demo workshop) start with their market bots paused: the tutor starts them on the Pasar page. */
    marketBotsPausedAtStart: raw.MARKET_BOTS === 'paused',
    paymentSandbox: {
      enabled: raw.PAYMENT_SANDBOX,
      port: raw.PAYMENT_SANDBOX_PORT,
      /** Where the sandbox stores: PostgreSQL when PAYMENT_SANDBOX_DATABASE_URL is set (several sandbox processes share it), else its SQLite file. */
      database: raw.PAYMENT_SANDBOX_DATABASE_URL ?? abs(raw.PAYMENT_SANDBOX_DB),
      publicUrl: raw.PAYMENT_SANDBOX_PUBLIC_URL?.replace(/\/$/, ''),
      /** Where the sandbox delivers its signed events: this app, over loopback. */
      webhookUrl: raw.PAYMENT_WEBHOOK_URL ?? `http://127.0.0.1:${raw.PORT}/payments/webhook`,
    },
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY ?? secrets.sandboxApiKey,
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? secrets.webhookSecret,
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
