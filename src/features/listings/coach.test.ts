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

describe('privacy and ethics prompts', () => {
  it.each([
    ['a phone number', { description: 'Pesan lewat WA 0812-3456-7890 saja' }, 'privacyPhone'],
    ['a +62 phone number', { description: 'Hubungi +62 812 3456 7890' }, 'privacyPhone'],
    ['a 16-digit NIK', { description: 'Penjual: Sari, NIK 5171234567890001' }, 'privacyNik'],
    ['a street address', { description: 'Ambil di rumah, Jl. Teuku Umar No. 88 Denpasar' }, 'privacyAddress'],
    ['an RT/RW address', { description: 'Gang Mawar RT 02/RW 05' }, 'privacyAddress'],
    ['"100% asli"', { title: 'Tas Kulit 100% Asli Garut Premium' }, 'ethicsGenuine'],
    ['"obat segala penyakit"', { description: 'Madu hutan, obat segala penyakit, diminum tiap pagi' }, 'ethicsCure'],
    ['"dijamin sembuh"', { description: 'Minyak urut dijamin sembuh dalam 3 hari pemakaian' }, 'ethicsCure'],
  ])('when the listing contains %s, then the coach flags it with why', (_what, draft, key) => {
    expect(keys(draft)).toContain(key);
    expect(coachListing({ ...good, ...draft }).find((h) => h.key.endsWith(key))?.level).toBe('fix');
  });

  it.each([
    ['a price and a size', { description: 'Ukuran 200 x 100 cm, harga 150000, berat 1200 gram, kirim 2-3 hari kerja.' }],
    ['a 15-digit code', { description: 'Kode produksi 123456789012345 tertera di label kemasan, kain tenun asli Bali.' }],
    ['a city only', { description: 'Dikirim dari Denpasar, Bali. Kain tenun ikat tangan, bahan katun, cuci tangan.' }],
  ])('when the listing contains %s and nothing private or misleading, then no privacy or ethics prompt', (_what, draft) => {
    expect(keys(draft).filter((k) => /^(privacy|ethics)/.test(k))).toEqual([]);
  });
});
