/**
 * E-mail addresses: the subset of RFC 5322 section 3.4.1 dot-atoms that real mailboxes use
 * (letters, digits, `._%+-`), also the defanged
 * `user[@]host` / `user[at]host` forms. The domain must be a valid name under a known TLD; file-like
 * TLDs are allowed here because the `@` already says "mailbox".
 */
import { entityAt, matchesOf } from './context.js';
import { DOMAIN_SOURCE, isValidDomain, normalizeDomainText } from './domain.js';
import type { ExtractedEntity } from './types.js';

const LOCAL_SOURCE = String.raw`[a-z0-9._%+-]{1,64}`;
const AT_SOURCE = String.raw`(?:@|\[@\]|\[at\]|\(at\))`;
/** Source of the e-mail regex (no flags), shared with the credential extractor. */
export const EMAIL_SOURCE = String.raw`${LOCAL_SOURCE}${AT_SOURCE}${DOMAIN_SOURCE}`;
const EMAIL_PATTERN = new RegExp(
  String.raw`(?<![a-z0-9._%+-])(${LOCAL_SOURCE})${AT_SOURCE}(${DOMAIN_SOURCE})(?![\w-])`,
  'gi',
);
const PREFILTER = /@|\[at\]|\(at\)/i;

const CONFIDENCE = 0.95;

/**
 * Normalized form of an address as written: defanging undone, lower case (mailboxes match case-insensitively in
 * practice).
 */
export function normalizeEmail(raw: string): string {
  return normalizeDomainText(raw.replace(/\[@\]|\[at\]|\(at\)/i, '@'));
}

/** True when `address` (normalized) has a valid local part (no leading, trailing or double dot) and a valid domain. */
export function isValidEmail(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (!/^[a-z0-9._%+-]+$/i.test(local)) return false;
  return isValidDomain(domain.toLowerCase());
}

/** E-mail addresses; value is lower case with defanging undone. */
export function extractEmails(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(EMAIL_PATTERN, text)) {
    let raw = match[0];
    // Sentence punctuation glued to the local part's start ("(alice@…") is excluded by the lookbehind;
    // a leading dot can only come from text like "...bob@x.test", so drop it rather than reject.
    let start = match.index;
    while (raw.startsWith('.')) {
      raw = raw.slice(1);
      start++;
    }
    const value = normalizeEmail(raw);
    if (!isValidEmail(value)) continue;
    found.push(entityAt(text, 'email', value, start, start + raw.length, CONFIDENCE));
  }
  return found;
}
