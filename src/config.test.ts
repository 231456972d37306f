import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, resolveDatabaseUrl, projectRoot } from './config.js';

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
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
  ])('when %o is set, then the app refuses to start naming %s', (env, setting) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${setting}:`));
  });

  it('when production has a session secret, then demo data is off unless asked for', () => {
    const config = parseConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) });
    expect(config.demoData).toBe(false);
    expect(parseConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it('when TRUST_PROXY is a number or a boolean, then Express gets the same', () => {
    expect(parseConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('when a SQLite path is relative, then it is resolved against the project root', () => {
    expect(resolveDatabaseUrl('file:./x/y.db')).toBe(`file:${projectRoot}/x/y.db`);
    expect(resolveDatabaseUrl('file:/abs/y.db')).toBe('file:/abs/y.db');
    expect(resolveDatabaseUrl('postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });
});

describe('payment keys', () => {
  const prod = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) };

  it('when running on a laptop, then the sandbox keys need no setting', () => {
    expect(parseConfig({}).stripe).toEqual({ secretKey: 'sk_test_pasarlatih_sandbox', webhookSecret: 'whsec_pasarlatih_sandbox' });
  });

  it('when in production with the sandbox, then the keys are secret (derived from SESSION_SECRET), not the ones in the source', () => {
    const { stripe } = parseConfig(prod);
    expect(stripe.secretKey).toMatch(/^sk_test_[0-9a-f]{32}$/);
    expect(stripe.webhookSecret).toMatch(/^whsec_[0-9a-f]{32}$/);
    expect(stripe.webhookSecret).not.toBe('whsec_pasarlatih_sandbox');
    expect(parseConfig({ ...prod, SESSION_SECRET: 't'.repeat(32) }).stripe.webhookSecret).not.toBe(stripe.webhookSecret);
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
