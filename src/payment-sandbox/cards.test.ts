import { describe, expect, it } from 'vitest';
import { checkCardNumber, checkCvc, checkExpiry, passesLuhn, testCards } from './cards.js';

describe('card numbers', () => {
  it('when every test card is checked, then each passes Luhn and is recognised as a test card', () => {
    for (const card of testCards) {
      expect(passesLuhn(card.number)).toBe(true);
      expect(checkCardNumber(card.number)).toMatchObject({ kind: 'test_card', last4: card.number.slice(-4) });
    }
  });

  it.each([
    ['4242 4242 4242 4242', 'test_card'],
    ['4242-4242-4242-4242', 'test_card'],
    ['4000 0027 6000 3184', 'test_card'],
    ['4111 1111 4555 1142', 'real_card'],
    ['5425 2334 3010 9903', 'real_card'],
    ['4242 4242 4242 4241', 'invalid'],
    ['1234', 'invalid'],
    ['abcd efgh ijkl mnop', 'invalid'],
    ['', 'invalid'],
  ])('when %s is typed, then it is %s', (input, kind) => {
    expect(checkCardNumber(input).kind).toBe(kind);
  });
});

describe('expiry and CVC', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  it.each([
    ['12/30', { kind: 'ok', month: 12, year: 2030 }],
    ['1/2031', { kind: 'ok', month: 1, year: 2031 }],
    ['11/26', { kind: 'ok', month: 11, year: 2026 }],
    ['1130', { kind: 'ok', month: 11, year: 2030 }],
    ['10/26', { kind: 'past' }],
    ['13/30', { kind: 'invalid' }],
    ['00/30', { kind: 'invalid' }],
    ['soon', { kind: 'invalid' }],
  ])('when the expiry is %s, then %o', (input, expected) => {
    expect(checkExpiry(input, now)).toEqual(expected);
  });

  it('when the CVC has 3 or 4 digits, then it is accepted', () => {
    expect(checkCvc('123')).toBe(true);
    expect(checkCvc('1234')).toBe(true);
    expect(checkCvc('12')).toBe(false);
    expect(checkCvc('12a')).toBe(false);
  });
});
