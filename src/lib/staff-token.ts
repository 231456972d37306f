// The short-lived signed token with which the app lets a workshop's staff into the payment
// sandbox's dashboard (another process, on another port, with no accounts of its own). The app
// signs it after checking the role; the sandbox checks the signature, the expiry and that it is
// used once. The key is derived from the sandbox's API key, the secret both already share
// (src/secrets.ts), so no new setting is needed and the API key itself never signs a token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface StaffClaims {
  /** The staff member's user id in the app and the name the dashboard shows. */
  sub: number;
  name: string;
  role: string;
  workshopId: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** A random id: the sandbox lets each token in once. */
  jti: string;
}

/** How long the link the app hands out stays valid. */
export const STAFF_TOKEN_TTL_SECONDS = 120;

/** The signing key of one purpose ("staff-link", "dashboard-session", "dashboard-csrf"), derived from the shared secret. */
export function derivedKey(sharedSecret: string, purpose: string): Buffer {
  return createHmac('sha256', sharedSecret).update(`pasarlatih.payment-dashboard.${purpose}.v1`).digest();
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** `<base64url JSON>.<base64url HMAC-SHA256>`. */
export function signValue(key: Buffer, value: object): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The value signed with this key, or null when the signature does not match. */
export function readSignedValue(key: Buffer, token: string): unknown {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export function issueStaffToken(sharedSecret: string, staff: Omit<StaffClaims, 'exp' | 'jti'>, nowMs: number): string {
  const claims: StaffClaims = {
    ...staff,
    exp: Math.floor(nowMs / 1000) + STAFF_TOKEN_TTL_SECONDS,
    jti: randomBytes(16).toString('base64url'),
  };
  return signValue(derivedKey(sharedSecret, 'staff-link'), claims);
}

/** The claims of a token signed with this secret and not yet expired; null otherwise. */
export function readStaffToken(sharedSecret: string, token: string, nowMs: number): StaffClaims | null {
  const value = readSignedValue(derivedKey(sharedSecret, 'staff-link'), token) as Partial<StaffClaims> | null;
  if (!value || typeof value.exp !== 'number' || typeof value.jti !== 'string' || typeof value.name !== 'string') return null;
  if (value.exp * 1000 <= nowMs) return null;
  return value as StaffClaims;
}
