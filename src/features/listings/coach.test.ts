import { describe, expect, it } from 'vitest';
import { coachListing, type ListingDraft } from './coach.js';

const good: ListingDraft = {
  title: 'Kain Endek Bali Motif Bunga 2 m',
  description: 'Kain endek tenun tangan dari Gianyar, panjang 2 meter, lebar 110 cm, pewarna alami.',
  price: 150_000,
  stock: 5,
  weightGrams: 400,
  photoCount: 3,
};

const keys = (draft: Partial<ListingDraft>) => coachListing({ ...good, ...draft }).map((h) => h.key.replace('listings:coach.', ''));

describe('coachListing', () => {
  it.each([
    ['a complete listing', {}, []],
    ['a title under 15 characters', { title: 'Kain endek' }, ['titleShort']],
    ['a title of exactly 15 characters', { title: 'Kain endek bali' }, []],
    ['a title over 70 characters', { title: 'K'.repeat(71) }, ['titleLong']],
    ['a title of spaces around a short word', { title: '   Kopi          ' }, ['titleShort']],
    ['no photo', { photoCount: 0 }, ['noPhoto']],
    ['one photo', { photoCount: 1 }, ['fewPhotos']],
    ['no weight', { weightGrams: 0 }, ['noWeight']],
    ['a price of 0', { price: 0 }, ['noPrice']],
    ['a short description', { description: 'Kain bagus.' }, ['descriptionShort']],
    ['no stock', { stock: 0 }, ['noStock']],
    [
      'an empty draft',
      { title: '', description: '', price: 0, stock: 0, weightGrams: 0, photoCount: 0 },
      ['titleShort', 'noPhoto', 'noWeight', 'noPrice', 'descriptionShort', 'noStock'],
    ],
  ] as const)('when the draft has %s, then the hints are %j', (_name, draft, expected) => {
    expect(keys(draft)).toEqual(expected);
  });

  it('when a hint keeps buyers away, then it is a "fix", otherwise a "tip"', () => {
    const hints = coachListing({ ...good, photoCount: 0, description: '' });
    expect(hints.find((h) => h.key.endsWith('noPhoto'))?.level).toBe('fix');
    expect(hints.find((h) => h.key.endsWith('descriptionShort'))?.level).toBe('tip');
  });
});
