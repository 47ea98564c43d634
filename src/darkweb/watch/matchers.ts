/**
 * Text matchers for term and regular-expression watchlists, and the snippet shown with an alert.
 * Organization watchlists need no matcher: they reuse the organization matcher's stored mentions.
 */
import { compileSafeRegex, WatchPatternError } from './safe-regex.js';

/** Where a watchlist matched in a document's text. */
export interface TextMatch {
  /** The matched text as it appears in the document (at most MAX_MATCHED_LENGTH characters). */
  matched: string;
  start: number;
  end: number;
}

/** Finds the first match of one watchlist pattern in a text, or null. */
export type TextMatcher = (text: string) => TextMatch | null;

/** Longest term accepted. */
export const MAX_TERM_LENGTH = 200;
/** Matched text kept on an alert. */
export const MAX_MATCHED_LENGTH = 200;

// The syntax characters of ECMA-262 (22.2.1): the only ones `u`-mode patterns may escape.
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\/]/g;

/** Normalize and validate a term: trimmed, inner whitespace collapsed, must hold a letter or digit. */
export function normalizeTerm(term: string): string {
  const normalized = term.trim().replace(/\s+/gu, ' ');
  if (normalized === '') throw new WatchPatternError('the term is empty');
  if (normalized.length > MAX_TERM_LENGTH) {
    throw new WatchPatternError(
      `the term is ${normalized.length} characters long; at most ${MAX_TERM_LENGTH} are accepted`,
    );
  }
  if (!/[\p{L}\p{N}]/u.test(normalized)) throw new WatchPatternError(`the term "${normalized}" has no letter or digit`);
  return normalized;
}

/**
 * A case-insensitive matcher for a word or phrase on word boundaries: "st mary" matches "St  Mary's"
 * but not "Stmary" or "st maryland". The pattern is built here from escaped literals joined by `\s+`
 * (no nested quantifier, no alternation), so the backtracking engine runs it in linear time; user
 * text never becomes regex syntax. A boundary is any character that is not a letter, digit or `_`,
 * so terms in any script work.
 */
export function termMatcher(term: string): TextMatcher {
  const words = normalizeTerm(term)
    .split(' ')
    .map((w) => w.replace(REGEX_SPECIALS, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu');
  return (text) => {
    const found = pattern.exec(text);
    return found === null ? null : toMatch(found[0], found.index);
  };
}

/** A matcher for a regular expression, run by RE2 (linear time); throws WatchPatternError if refused. */
export function regexMatcher(source: string, flags: string = ''): TextMatcher {
  const compiled = compileSafeRegex(source, flags);
  return (text) => {
    const found = compiled.exec(text);
    // compileSafeRegex refuses patterns that match the empty string; stay safe if one slips through.
    if (found === null || found[0] === '') return null;
    return toMatch(found[0], found.index);
  };
}

function toMatch(matched: string, start: number): TextMatch {
  return { matched: matched.slice(0, MAX_MATCHED_LENGTH), start, end: start + matched.length };
}

/** The text a watchlist reads: the title, a line break, then the body. */
export function watchedText(title: string | null, text: string): string {
  return title === null || title === '' ? text : `${title}\n${text}`;
}

/**
 * Up to `radius` characters either side of [start, end), whitespace collapsed, with an ellipsis where
 * the text was cut. Never splits a UTF-16 surrogate pair.
 */
export function snippetAround(text: string, start: number, end: number, radius = 80): string {
  let from = Math.max(0, start - radius);
  let to = Math.min(text.length, end + radius);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from -= 1;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to += 1;
  const body = text.slice(from, to).replace(/\s+/gu, ' ').trim();
  return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
