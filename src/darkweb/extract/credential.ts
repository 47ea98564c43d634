/**
 * Credential pairs as combo lists write them, one per line: `email:password`, `email;password` or
 * `email | password` (more `|` fields may follow). The entity's value is the e-mail; the password is
 * only in `secret`, for the caller to hash (SHA-1 prefix as HIBP does) and mask, never to store; `raw`
 * carries a fixed mask in its place. Passwords with whitespace are not taken: a line such as
 * "bob@clinic.test: please reset my account" is chat, not a combo.
 */
import { matchesOf } from './context.js';
import { EMAIL_SOURCE, isValidEmail, normalizeEmail } from './email.js';
import type { ExtractedEntity } from './types.js';

/** What replaces the password in `raw` (fixed length, so the password's length does not leak either). */
export const SECRET_MASK = '********';
const MAX_SECRET_LENGTH = 256;
const CONFIDENCE = 0.9;

const CREDENTIAL_PATTERN = new RegExp(
  String.raw`^[ \t]*(${EMAIL_SOURCE})([ \t]*(?:[:;]|\|)[ \t]*)([^\s|]{1,${MAX_SECRET_LENGTH}})(?=[ \t]*(?:\||\r?$))`,
  'gim',
);

/** True when `secret` is a plausible password field: 1-256 characters, no whitespace. */
export function isPlausibleSecret(secret: string): boolean {
  return secret.length >= 1 && secret.length <= MAX_SECRET_LENGTH && !/\s/.test(secret);
}

/** Credential pairs; value is the normalized e-mail, `secret` the password, offsets span e-mail to password end. */
export function extractCredentials(text: string): ExtractedEntity[] {
  if (!text.includes('@') || !/[:;|]/.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(CREDENTIAL_PATTERN, text)) {
    const emailRaw = match[1]!;
    const separator = match[2]!;
    const secret = match[3]!;
    const value = normalizeEmail(emailRaw);
    if (!isValidEmail(value) || !isPlausibleSecret(secret)) continue;
    const start = match.index + match[0].indexOf(emailRaw);
    const end = start + emailRaw.length + separator.length + secret.length;
    found.push({
      type: 'credential',
      value,
      raw: `${emailRaw}${separator}${SECRET_MASK}`,
      start,
      end,
      confidence: CONFIDENCE,
      secret,
    });
  }
  return found;
}
