// Short random codes people read and type (join codes, simulated bank numbers), from the crypto RNG.
import { randomInt } from 'node:crypto';

/** `length` characters, each drawn uniformly from `alphabet`. */
export function randomString(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
