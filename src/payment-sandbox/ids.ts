import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i]!;
    // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
    if (byte < 248) out += alphabet[byte % 62];
  }
  return out.length === length ? out : out + randomBase62(length - out.length);
}

/** Stripe-looking ids: `cs_test_…`, `pi_…`, `ch_…`, `re_…`, `evt_…`, `pm_…`, `req_…`, `li_…`, `price_…`, `prod_…`, `we_…`. */
export function newId(prefix: 'cs_test' | 'pi' | 'ch' | 're' | 'evt' | 'pm' | 'req' | 'li' | 'price' | 'prod' | 'we' | 'src'): string {
  return `${prefix}_${randomBase62(prefix === 'cs_test' ? 58 : 24)}`;
}

/** A webhook endpoint's signing secret, shaped like Stripe's. */
export function newWebhookSecret(): string {
  return `whsec_${randomBase62(32)}`;
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
