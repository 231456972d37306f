// The listing coach: what would make a listing sell better, in the words a first-time seller
// understands. A pure function over a draft, so the edit page and "my shop" show the same hints.

export type ListingDraft = {
  title: string;
  description: string;
  price: number;
  stock: number;
  weightGrams: number;
  photoCount: number;
};

export type CoachHint = {
  /** A locale key under listings:coach. */
  key: string;
  /** "fix" keeps buyers away or breaks shipping; "tip" makes the listing better. */
  level: 'fix' | 'tip';
  params?: Record<string, number>;
};

export const TITLE_MIN = 15;
export const TITLE_MAX = 70;
export const DESCRIPTION_MIN = 60;
export const GOOD_PHOTO_COUNT = 3;

// Privacy: what a stranger could use against her (module a). Ethics: claims a buyer cannot check
// and a platform would take down (module d). Patterns, not proof: each hint says why it is flagged.
const privacyChecks: [key: string, pattern: RegExp][] = [
  // 08…, 628… or +62 8…, with spaces, dots or dashes between the digits
  ['listings:coach.privacyPhone', /(?:\+62|\b62|\b0)[\s.-]?8(?:[\s.-]?\d){7,11}\b/],
  ['listings:coach.privacyNik', /(?<!\d)\d{16}(?!\d)/],
  ['listings:coach.privacyAddress', /\b(?:jl|jln|jalan|gg|gang)\.?\s+\S+|\brt\s*\.?\s*\d{1,3}\s*\/\s*rw\s*\.?\s*\d{1,3}/i],
];
const ethicsChecks: [key: string, pattern: RegExp][] = [
  ['listings:coach.ethicsGenuine', /\b100\s*%\s*(?:asli|ori|original|orisinil)\b/i],
  ['listings:coach.ethicsCure', /\bobat\s+(?:segala|semua)\s+penyakit\b|\b(?:pasti|dijamin)\s+sembuh\b/i],
];

export function coachListing(draft: ListingDraft): CoachHint[] {
  const hints: CoachHint[] = [];
  const title = draft.title.trim();
  if (title.length < TITLE_MIN) hints.push({ key: 'listings:coach.titleShort', level: 'fix', params: { min: TITLE_MIN } });
  else if (title.length > TITLE_MAX) hints.push({ key: 'listings:coach.titleLong', level: 'tip', params: { max: TITLE_MAX } });
  if (draft.photoCount === 0) hints.push({ key: 'listings:coach.noPhoto', level: 'fix' });
  else if (draft.photoCount < GOOD_PHOTO_COUNT)
    hints.push({ key: 'listings:coach.fewPhotos', level: 'tip', params: { count: GOOD_PHOTO_COUNT } });
  if (draft.weightGrams <= 0) hints.push({ key: 'listings:coach.noWeight', level: 'fix' });
  if (draft.price <= 0) hints.push({ key: 'listings:coach.noPrice', level: 'fix' });
  if (draft.description.trim().length < DESCRIPTION_MIN)
    hints.push({ key: 'listings:coach.descriptionShort', level: 'tip', params: { min: DESCRIPTION_MIN } });
  if (draft.stock <= 0) hints.push({ key: 'listings:coach.noStock', level: 'tip' });
  const text = `${title}\n${draft.description}`;
  for (const [key, pattern] of [...privacyChecks, ...ethicsChecks]) if (pattern.test(text)) hints.push({ key, level: 'fix' });
  return hints;
}
