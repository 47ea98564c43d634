/**
 * Payment card numbers (PANs): Luhn check (ISO/IEC 7812-1) plus issuer IIN ranges and the lengths each
 * network issues. Digits may be grouped by spaces or dashes the way cards are printed (4-4-4-4,
 * 4-6-5 for Amex, 4-4-4-4-3 for 19 digits); one separator kind per number.
 */
import { entityAt, hasContextNear, luhnValid, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

/** Card networks this module recognizes. */
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb';

interface IinRule {
  brand: CardBrand;
  /** Inclusive prefix range, compared on the first `low.length` digits. */
  low: string;
  high: string;
  lengths: readonly number[];
}

const IIN_RULES: readonly IinRule[] = [
  { brand: 'visa', low: '4', high: '4', lengths: [13, 16, 19] },
  { brand: 'mastercard', low: '51', high: '55', lengths: [16] },
  { brand: 'mastercard', low: '2221', high: '2720', lengths: [16] },
  { brand: 'amex', low: '34', high: '34', lengths: [15] },
  { brand: 'amex', low: '37', high: '37', lengths: [15] },
  { brand: 'discover', low: '6011', high: '6011', lengths: [16, 17, 18, 19] },
  { brand: 'discover', low: '644', high: '649', lengths: [16, 17, 18, 19] },
  { brand: 'discover', low: '65', high: '65', lengths: [16, 17, 18, 19] },
  { brand: 'jcb', low: '3528', high: '3589', lengths: [16, 17, 18, 19] },
];

/**
 * Published test PANs (Stripe/Braintree/PayPal sandbox numbers, AIL samples). Luhn-valid and in range,
 * but a leak of one of these is not a leak: reported at low confidence only.
 */
const KNOWN_TEST_PANS: ReadonlySet<string> = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4222222222222',
  '4000056655665556',
  '5555555555554444',
  '5105105105105100',
  '2223003122003222',
  '5200828282828210',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '6011111111111117',
  '6011000990139424',
  '6011000400000000',
  '3530111333300000',
  '3566002020360505',
]);

const CONFIDENCE = 0.8;
const CONTEXT_CONFIDENCE = 0.95;
const TEST_PAN_CONFIDENCE = 0.2;
const CONTEXT_WORDS = new RegExp(
  String.raw`\b(?:card|cc|ccn|cvv2?|cvc|exp(?:iry|iration)?|visa|master ?card|amex|` +
    String.raw`discover|jcb|credit|debit|fullz|dumps?|track ?[12]|bin|pan)\b`,
  'i',
);

// Contiguous 13-19 digits, or grouped: 4-4-4 then up to two more groups (1-4, then 3), or Amex 4-6-5.
const CARD_PATTERN =
  /(?<![\d-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,4}(?:\1\d{3})?)?|\d{4}([ -])\d{6}\2\d{5})(?![\d]|-\d)/g;
const PREFILTER = /\d{4}[ -]?\d{4}/;

/** The brand of a digit string that has a length that brand issues, or undefined. Does not check Luhn. */
export function cardBrand(digits: string): CardBrand | undefined {
  for (const rule of IIN_RULES) {
    const prefix = digits.slice(0, rule.low.length);
    if (prefix >= rule.low && prefix <= rule.high && rule.lengths.includes(digits.length)) return rule.brand;
  }
  return undefined;
}

/**
 * True when `number` (digits, optionally with spaces or dashes) is Luhn-valid, in a known IIN range and of that brand's
 * length.
 */
export function isValidCardNumber(number: string): boolean {
  const digits = number.replace(/[ -]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return false;
  return cardBrand(digits) !== undefined && luhnValid(digits);
}

/** Card numbers; value is the bare digits. Context words such as "cvv" or "exp" raise confidence. */
export function extractCards(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(CARD_PATTERN, text)) {
    const raw = match[0];
    if (!isValidCardNumber(raw)) continue;
    const digits = raw.replace(/[ -]/g, '');
    const start = match.index;
    const end = start + raw.length;
    const confidence = KNOWN_TEST_PANS.has(digits)
      ? TEST_PAN_CONFIDENCE
      : hasContextNear(text, start, end, CONTEXT_WORDS, 40, 40)
        ? CONTEXT_CONFIDENCE
        : CONFIDENCE;
    found.push(entityAt(text, 'card', digits, start, end, confidence));
  }
  return found;
}
