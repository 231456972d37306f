import { describe, expect, it } from 'vitest';
import { checkCardNumber, checkCvc, checkExpiry, holdsRealCardNumber, passesLuhn, testCards } from './cards.js';

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

describe('a real-looking card number anywhere in a text', () => {
  it.each([
    ['4111 1111 4555 1142', true],
    ['Siti 4111-1111-4555-1142 Aminah', true],
    ['4111111145551142', true],
    ['５１０５１０５１０５１０５１００', true], // full-width digits, as some phone keyboards type them
    ['378282246310005', true], // 15 digits
    ['4111 1111 4555 1142 1234', true], // a card glued to more digits is still found
    ['1234 4111111145551142 99 88', true],
    ['4242 4242 4242 4242', false], // a test card belongs to nobody
    ['424242424242', false], // part of a test card
    ['4111 1111 4555 1143', false], // fails Luhn
    ['0812-3456-789', false], // 11 digits
    ['Siti Aminah', false],
    ['12/34 123', false],
    ['', false],
  ])('when the text is "%s", then it holds a real-looking number: %s', (text, expected) => {
    expect(holdsRealCardNumber(text)).toBe(expected);
  });

  it('when any one digit of a test card is mistyped, then it does not read as a real card', () => {
    for (const { number } of testCards) {
      for (let i = 0; i < number.length; i++) {
        for (const digit of '0123456789') {
          const typo = number.slice(0, i) + digit + number.slice(i + 1);
          if (typo !== number) expect(holdsRealCardNumber(typo)).toBe(false);
        }
      }
    }
  });
});
