// How guessable a new password is, estimated offline by zxcvbn-ts (maintained, the TypeScript
// successor of Dropbox's zxcvbn) with its common dictionaries (passwords, diceware, keyboards) and
// the Indonesian one (common words, names, Wikipedia). The same estimate answers the page's meter
// (POST /account/password/strength, so phones download no dictionary) and refuses a weak password
// whatever the browser did.
//
// The dictionaries take about 20 MB in memory and a few hundred milliseconds to rank, so they load
// on the first estimate, never on the catalogue's hot path.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/** zxcvbn's score: 0 too guessable ... 4 very unguessable. Below this, a new password is refused. */
export const MIN_SCORE = 2;

export type Strength = {
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's feedback as keys of its translations (warnings.x, suggestions.y), shown through our locales. */
  warning: string | null;
  suggestions: string[];
};

/** Words of this app every trainee hears on the first day: a password made of them is guessed first. */
const APP_WORDS = ['pasarlatih', 'pasar', 'latihan', 'latihan123', 'umkm', 'toko', 'workshop', 'pelatihan', 'sandbox'];

let estimator: Promise<ZxcvbnFactory> | null = null;

async function createEstimator(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, indonesian] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-id'),
  ]);
  // No translations: feedback comes back as keys, translated by src/i18n/locales/*/account.json.
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...indonesian.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: 100,
  });
}

/** The estimate for a password; personal words (her name, username) count as guessable. */
export async function passwordStrength(password: string, personal: readonly string[] = []): Promise<Strength> {
  estimator ??= createEstimator();
  // Each personal text whole, run together ("Siti Aminah" → "sitiaminah") and word by word.
  const personalWords = personal.flatMap((w) => [
    w,
    w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''),
    ...w.toLowerCase().split(/[^\p{L}\p{N}]+/u),
  ]);
  const inputs = [...APP_WORDS, ...personalWords.filter((w) => w.length >= 3)];
  const result = (await estimator).check(password, inputs);
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
