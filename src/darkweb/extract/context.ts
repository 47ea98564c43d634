/**
 * Small helpers every extractor shares: context-word windows, entity construction, regex iteration.
 */
import type { EntityType, ExtractedEntity } from './types.js';

/**
 * True when `pattern` matches within `before` characters ahead of [start, end) or `after` characters
 * behind it. Context words are how weak formats (bare 9/10-digit numbers, ICD codes) earn trust,
 * following Presidio's recognizers (hotword near the match).
 */
export function hasContextNear(
  text: string,
  start: number,
  end: number,
  pattern: RegExp,
  before = 40,
  after = 20,
): boolean {
  const window = text.slice(Math.max(0, start - before), Math.min(text.length, end + after));
  pattern.lastIndex = 0;
  return pattern.test(window);
}

/** Builds an entity whose `raw` is the text at [start, end). */
export function entityAt(
  text: string,
  type: EntityType,
  value: string,
  start: number,
  end: number,
  confidence: number,
): ExtractedEntity {
  return { type, value, raw: text.slice(start, end), start, end, confidence };
}

/** Upper bound on candidates one extractor examines per text, so a hostile document cannot pin a worker. */
export const MAX_CANDIDATES = 100_000;

/**
 * Iterates the matches of a global regex over `text`, at most MAX_CANDIDATES of them. The regex must be
 * global; its lastIndex is reset first so shared module-level regexes are safe to reuse.
 */
export function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  let count = 0;
  let match: RegExpExecArray | null;
  while (count < MAX_CANDIDATES && (match = pattern.exec(text)) !== null) {
    count++;
    if (match[0] === '') pattern.lastIndex++;
    yield match;
  }
}

/** Luhn mod-10 check over a digit string (ISO/IEC 7812-1 annex B): true when the sum ends in 0. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** True when every character of `s` is the same (111-11-1111, 0000000000): test/filler values. */
export function allSameChar(s: string): boolean {
  for (let i = 1; i < s.length; i++) if (s[i] !== s[0]) return false;
  return true;
}
