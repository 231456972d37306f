// Stripe's public test card numbers and what each one does in test mode. Pure functions: the
// hosted page and the tests both read this table.

export type CardOutcome = { kind: 'succeed' } | { kind: 'decline'; code: DeclineCode; declineCode: string } | { kind: 'three_d_secure' };

export type DeclineCode = 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error';

export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard';
  outcome: CardOutcome;
}

const declined = (code: DeclineCode, declineCode: string): CardOutcome => ({ kind: 'decline', code, declineCode });

export const testCards: readonly TestCard[] = [
  { number: '4242424242424242', brand: 'visa', outcome: { kind: 'succeed' } },
  { number: '5555555555554444', brand: 'mastercard', outcome: { kind: 'succeed' } },
  { number: '4000000000000002', brand: 'visa', outcome: declined('card_declined', 'generic_decline') },
  { number: '4000000000009995', brand: 'visa', outcome: declined('card_declined', 'insufficient_funds') },
  { number: '4000000000000069', brand: 'visa', outcome: declined('expired_card', 'expired_card') },
  { number: '4000000000000127', brand: 'visa', outcome: declined('incorrect_cvc', 'incorrect_cvc') },
  { number: '4000000000000119', brand: 'visa', outcome: declined('processing_error', 'processing_error') },
  { number: '4000002760003184', brand: 'visa', outcome: { kind: 'three_d_secure' } },
  { number: '4000002500003155', brand: 'visa', outcome: { kind: 'three_d_secure' } },
];

/** Stripe's test PaymentMethods for the API (`payment_method: 'pm_card_visa'`), each standing for a test card. */
const testPaymentMethods: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_authenticationRequired: '4000002760003184',
};

export function testCardOfPaymentMethod(paymentMethod: string): TestCard | null {
  if (!Object.hasOwn(testPaymentMethods, paymentMethod)) return null;
  return testCards.find((c) => c.number === testPaymentMethods[paymentMethod]) ?? null;
}

/** Stripe's English messages for the decline codes, used in API errors and events. */
export const declineMessages: Record<string, string> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
  authentication_failed: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
};

export function digitsOnly(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Luhn-valid and no part of a public test card number, which belongs to nobody. */
function looksLikeRealCard(digits: string): boolean {
  return passesLuhn(digits) && !testCards.some((c) => c.number.includes(digits));
}

// Digits as people type a number: one run, spaces or dashes allowed between them.
const digitRun = /\d(?:[\s-]*\d)*/g;

/**
 * Whether a text holds what looks like a real card number: a run of 12 to 19 digits (spaces and
 * dashes allowed between them) that passes Luhn and is not a test card. A run of more than 19
 * digits is not one number, so each 12 to 19 digit stretch of it is tried. A shorter run is only
 * tried whole: Luhn catches any one mistyped digit of a test card, and a typo then reads as
 * "invalid", where stretches of it would often pass Luhn and read as a real card.
 */
export function holdsRealCardNumber(text: string): boolean {
  // NFKC turns full-width digits (some phone keyboards type them) into ASCII ones.
  for (const [run] of text.normalize('NFKC').matchAll(digitRun)) {
    const digits = digitsOnly(run);
    if (digits.length < 12) continue;
    if (digits.length <= 19) {
      if (looksLikeRealCard(digits)) return true;
      continue;
    }
    for (let start = 0; start + 12 <= digits.length; start++) {
      for (let end = start + 12; end <= Math.min(start + 19, digits.length); end++) {
        if (looksLikeRealCard(digits.slice(start, end))) return true;
      }
    }
  }
  return false;
}

export type CardNumberCheck = { kind: 'invalid' } | { kind: 'real_card' } | { kind: 'test_card'; card: TestCard; last4: string };

/**
 * Classifies a typed card number. A number that passes Luhn but is not one of the test cards
 * is treated as a real card: the caller refuses it and must keep nothing of it.
 */
export function checkCardNumber(input: string): CardNumberCheck {
  const digits = digitsOnly(input);
  if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) return { kind: 'invalid' };
  const card = testCards.find((c) => c.number === digits);
  if (!card) return { kind: 'real_card' };
  return { kind: 'test_card', card, last4: digits.slice(-4) };
}

export type ExpiryCheck = { kind: 'ok'; month: number; year: number } | { kind: 'invalid' } | { kind: 'past' };

/** Accepts "MM/YY", "MM / YY", "MM/YYYY" or "MMYY". */
export function checkExpiry(input: string, now: Date): ExpiryCheck {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!match) return { kind: 'invalid' };
  const month = Number(match[1]);
  let year = Number(match[2]);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) return { kind: 'invalid' };
  const endOfMonth = new Date(Date.UTC(year, month, 1));
  if (endOfMonth.getTime() <= now.getTime()) return { kind: 'past' };
  if (year > now.getUTCFullYear() + 50) return { kind: 'invalid' };
  return { kind: 'ok', month, year };
}

export function checkCvc(input: string): boolean {
  return /^\d{3,4}$/.test(input.trim());
}
