/**
 * Bearer tokens, session cookies and CSRF tokens: 256 random bits each, shown to their holder once and
 * stored as their SHA-256. A slow hash buys nothing for values this random; a fast one keeps every request's
 * check a single index lookup.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The prefix of API tokens: secret scanners (and people) can tell a Vitals token when one leaks. */
export const TOKEN_PREFIX = 'vitals_';

/** A new random secret: `prefix` followed by 43 base64url characters (32 bytes). */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a secret: hex SHA-256. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
