import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig as parseConfigWith, resolveDatabaseUrl, projectRoot } from './config.js';
import { readOrCreateSecrets, type InstallSecrets } from './secrets.js';

const fileSecrets: InstallSecrets = {
  sessionSecret: 'f'.repeat(48),
  sandboxApiKey: `sk_test_${'a'.repeat(48)}`,
  webhookSecret: `whsec_${'b'.repeat(48)}`,
};
/** The settings in env, with this install's secrets file played by fileSecrets. */
const parseConfig = (env: NodeJS.ProcessEnv) => parseConfigWith(env, () => fileSecrets);
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pl-secrets-'));

describe('config', () => {
  it('when nothing is set, then the defaults serve a laptop: port 3000, SQLite under data/, Makassar time', () => {
    const config = parseConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.databaseUrl).toBe(`file:${projectRoot}/data/pasarlatih.db`);
    expect(config.timezone).toBe('Asia/Makassar');
    expect(config.defaultLocale).toBe('id');
    expect(config.demoData).toBe(true);
    expect(config.paymentSandbox.port).toBe(3001);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TIMEZONE: 'Mars/Olympus' }, 'TIMEZONE'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE'],
    [{ STRIPE_SECRET_KEY: 'sk_live_123' }, 'STRIPE_SECRET_KEY'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
  ])('when %o is set, then the app refuses to start naming %s', (env, setting) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${setting}:`));
  });

  it('when NODE_ENV is production, then demo data still loads on the first start unless DEMO_DATA=false', () => {
    expect(parseConfig({ NODE_ENV: 'production' }).demoData).toBe(true);
    expect(parseConfig({ NODE_ENV: 'production', DEMO_DATA: 'false' }).demoData).toBe(false);
  });

  it('when TRUST_PROXY is a hop count or an address list, then Express gets the same; never "every proxy"', () => {
    expect(parseConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.1' }).trustProxy).toBe('loopback, 10.0.0.1');
    expect(() => parseConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would believe any X-Forwarded-For/);
  });

  it('when a SQLite path is relative, then it is resolved against the project root', () => {
    expect(resolveDatabaseUrl('file:./x/y.db')).toBe(`file:${projectRoot}/x/y.db`);
    expect(resolveDatabaseUrl('file:/abs/y.db')).toBe('file:/abs/y.db');
    expect(resolveDatabaseUrl('postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });
});

describe('per-install secrets', () => {
  it('when the app starts for the first time, then it makes random secrets into a file only its user can read, and reuses them afterwards', () => {
    const file = path.join(tempDir(), 'data', 'secrets.json');
    const first = parseConfigWith({ SECRETS_FILE: file });
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{48}$/);
    expect(first.stripe.secretKey).toMatch(/^sk_test_[0-9a-f]{48}$/);
    expect(first.stripe.webhookSecret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const again = parseConfigWith({ SECRETS_FILE: file, NODE_ENV: 'production' });
    expect([again.sessionSecret, again.stripe.secretKey, again.stripe.webhookSecret]).toEqual([
      first.sessionSecret,
      first.stripe.secretKey,
      first.stripe.webhookSecret,
    ]);
    const otherInstall = parseConfigWith({ SECRETS_FILE: path.join(tempDir(), 'secrets.json') });
    expect(otherInstall.stripe.webhookSecret).not.toBe(first.stripe.webhookSecret);
    expect(otherInstall.sessionSecret).not.toBe(first.sessionSecret);
  });

  it('when the app and the payment sandbox start at the same moment, then both get the same secrets', async () => {
    const file = path.join(tempDir(), 'secrets.json');
    const read = await Promise.all(Array.from({ length: 8 }, () => Promise.resolve().then(() => readOrCreateSecrets(file))));
    expect(new Set(read.map((s) => s.webhookSecret)).size).toBe(1);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
  });

  it('when the secrets file was copied with loose permissions, then it is made private again; a damaged one stops the app naming it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify(fileSecrets), { mode: 0o644 });
    expect(parseConfigWith({ SECRETS_FILE: file }).stripe.secretKey).toBe(fileSecrets.sandboxApiKey);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    fs.writeFileSync(file, '{"sessionSecret": "short"}');
    expect(() => parseConfigWith({ SECRETS_FILE: file })).toThrow(/^Invalid configuration:\n {2}SECRETS_FILE: .*secrets.json is damaged/);
  });

  it('when no secret is given anywhere, then none of them is a value written in the source', () => {
    const source = ['src/config.ts', 'src/secrets.ts', 'src/payment-sandbox/server.ts', '.env.example']
      .map((f) => fs.readFileSync(path.join(projectRoot, f), 'utf8'))
      .join('\n');
    expect(source).not.toMatch(/sk_test_pasarlatih|whsec_pasarlatih|development-secret/);
    const config = parseConfigWith({ SECRETS_FILE: path.join(tempDir(), 'secrets.json'), NODE_ENV: 'production' });
    expect(source).not.toContain(config.stripe.webhookSecret);
  });
});

describe('payment keys', () => {
  const prod = { NODE_ENV: 'production' };

  it("when running with the sandbox, then its keys need no setting: they are the install's own; settings override them", () => {
    expect(parseConfig({}).stripe).toEqual({ secretKey: fileSecrets.sandboxApiKey, webhookSecret: fileSecrets.webhookSecret });
    expect(parseConfig({ SESSION_SECRET: 's'.repeat(32) }).sessionSecret).toBe('s'.repeat(32));
    expect(parseConfig({}).sessionSecret).toBe(fileSecrets.sessionSecret);
    expect(parseConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_given' }).stripe.webhookSecret).toBe('whsec_given');
  });

  it('when in production against real Stripe, then both keys must be given', () => {
    expect(() => parseConfig({ ...prod, PAYMENT_SANDBOX: 'off' })).toThrow(
      /STRIPE_SECRET_KEY: required when PAYMENT_SANDBOX=off in production\n {2}STRIPE_WEBHOOK_SECRET: required/,
    );
    expect(
      parseConfig({ ...prod, PAYMENT_SANDBOX: 'off', STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).stripe,
    ).toEqual({ secretKey: 'sk_test_abc', webhookSecret: 'whsec_x' });
  });
});

describe('payment sandbox store', () => {
  it('when PAYMENT_SANDBOX_DATABASE_URL names a PostgreSQL database, then the sandbox stores there, otherwise in its SQLite file', () => {
    expect(parseConfig({ PAYMENT_SANDBOX_DB: 'data/pay.db' }).paymentSandbox.database).toBe(path.join(projectRoot, 'data/pay.db'));
    const url = 'postgresql://pasarlatih:pw@localhost:5432/pasarlatih_payments';
    expect(parseConfig({ PAYMENT_SANDBOX_DB: 'data/pay.db', PAYMENT_SANDBOX_DATABASE_URL: url }).paymentSandbox.database).toBe(url);
    expect(() => parseConfig({ PAYMENT_SANDBOX_DATABASE_URL: 'mysql://localhost/pay' })).toThrow(
      /PAYMENT_SANDBOX_DATABASE_URL: must be a postgresql:\/\/ URL/,
    );
  });
});
