// This install's own secrets: the session cookie's signing key, the payment sandbox's API key and
// its webhook signing secret. Made at random on the first start into one file in the data folder
// (mode 0600, readable by the laptop's user only) and read again on every later start, by the app
// and by the payment sandbox alike, so both sign and check with the same values. There is no
// constant to fall back on: anything written in the source is public, and a known webhook secret
// would let anyone on the room's Wi-Fi sign "paid" events. Settings (SESSION_SECRET,
// STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET) still take precedence; src/config.ts applies them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  sessionSecret: z.string().min(32),
  sandboxApiKey: z.string().regex(/^sk_test_[A-Za-z0-9]{32,}$/),
  webhookSecret: z.string().regex(/^whsec_[A-Za-z0-9]{32,}$/),
});

export type InstallSecrets = z.infer<typeof secretsSchema>;

export class SecretsFileError extends Error {}

function newSecrets(): InstallSecrets {
  const random = () => randomBytes(24).toString('hex');
  return { sessionSecret: random(), sandboxApiKey: `sk_test_${random()}`, webhookSecret: `whsec_${random()}` };
}

function parse(file: string, text: string): InstallSecrets {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SecretsFileError(`${file} is not JSON: delete it to make new secrets (signed-in people then sign in again)`);
  }
  const result = secretsSchema.safeParse(data);
  if (!result.success)
    throw new SecretsFileError(`${file} is damaged: delete it to make new secrets (signed-in people then sign in again)`);
  return result.data;
}

/**
 * The install's secrets from `file`, made on the first call. Two processes starting at once (the
 * app and the sandbox) agree: the file appears whole or not at all (written aside, then linked),
 * and the loser of the race reads the winner's.
 */
export function readOrCreateSecrets(file: string): InstallSecrets {
  try {
    const text = fs.readFileSync(file, 'utf8');
    // A copy restored from a backup may have lost its mode: others on the machine must not read it.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return parse(file, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(aside, `${JSON.stringify(newSecrets(), null, 2)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(aside, { force: true });
  }
  return parse(file, fs.readFileSync(file, 'utf8'));
}
