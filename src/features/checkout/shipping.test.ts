import { describe, expect, it } from 'vitest';
import { chargeableKg, courierOptions, findCourier, parcelWeight, quoteAll, shippingFee } from './shipping.js';

describe('chargeableKg', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [2000, 2],
    [2500, 3],
    [10_000, 10],
  ])('when a parcel weighs %i g, then %i kg are charged', (grams, kg) => {
    expect(chargeableKg(grams)).toBe(kg);
  });

  it('when the weight is negative or not whole grams, then it is refused', () => {
    expect(() => chargeableKg(-1)).toThrow(RangeError);
    expect(() => chargeableKg(1.5)).toThrow(RangeError);
  });
});

describe('shippingFee', () => {
  it.each([
    ['jne-reg', 300, 10_000],
    ['jne-reg', 1000, 10_000],
    ['jne-reg', 1001, 18_000],
    ['jne-reg', 3200, 34_000],
    ['jne-yes', 500, 18_000],
    ['jne-yes', 2000, 33_000],
    ['jnt-ez', 1500, 16_000],
    ['sicepat-reg', 4000, 32_000],
    ['pos-kilat', 999, 8_000],
    ['pos-kilat', 5001, 38_000],
  ])('when %s carries %i g, then the fee is Rp %i', (code, grams, fee) => {
    expect(shippingFee(findCourier(code)!, grams)).toBe(fee);
  });

  it('when a courier code is unknown, then no courier is found', () => {
    expect(findCourier('gojek-instant')).toBeUndefined();
  });

  it('when every courier is quoted, then each fee is a whole rupiah amount, cheapest first', () => {
    const quotes = quoteAll(2300);
    expect(quotes).toHaveLength(courierOptions.length);
    for (const q of quotes) expect(Number.isInteger(q.fee)).toBe(true);
    expect(quotes.map((q) => q.fee)).toEqual([...quotes.map((q) => q.fee)].sort((a, b) => a - b));
  });
});

describe('parcelWeight', () => {
  it('when a shop sends several items, then the weight is the sum of weight × quantity', () => {
    expect(
      parcelWeight([
        { weightGrams: 250, quantity: 3 },
        { weightGrams: 400, quantity: 1 },
      ]),
    ).toBe(1150);
    expect(parcelWeight([])).toBe(0);
  });
});
