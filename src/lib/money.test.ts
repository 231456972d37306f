import { describe, expect, it } from 'vitest';
import { formatRupiah, parseRupiah } from './money.js';

describe('formatRupiah', () => {
  it.each([
    [0, 'Rp 0'],
    [500, 'Rp 500'],
    [1000, 'Rp 1.000'],
    [150000, 'Rp 150.000'],
    [1250000, 'Rp 1.250.000'],
    [-25000, '-Rp 25.000'],
  ])('when the amount is %i, then it reads %s', (amount, expected) => {
    expect(formatRupiah(amount)).toBe(expected);
  });

  it('when an amount has decimals, then it is refused (IDR has none)', () => {
    expect(() => formatRupiah(1.5)).toThrow(RangeError);
  });
});

describe('parseRupiah', () => {
  it.each([
    ['150000', 150000],
    ['150.000', 150000],
    ['Rp 150.000', 150000],
    ['rp150000', 150000],
    [' 1 250 000 ', 1250000],
    ['', null],
    ['abc', null],
    ['12,5', null],
    ['-5', null],
  ])('when a person types %j, then it means %s', (input, expected) => {
    expect(parseRupiah(input)).toBe(expected);
  });
});
