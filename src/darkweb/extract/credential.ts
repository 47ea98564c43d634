/**
 * Credential pairs as entities, in every dump layout credential-layouts.ts knows (combo lines with any
 * separator, ULP lists, URL user info, tables with a password column, labelled pairs, stealer-log
 * blocks, a pair inside a sentence). The entity's value is the login (an e-mail normalized to lower
 * case, or a user name as written); the password is only in `secret`, for the caller to hash and mask,
 * never to store; `raw` carries a fixed mask in its place. The entity spans the login through the
 * secret when they stand together on one line, else the secret alone.
 */
import { normalizeEmail } from './email.js';
import { isEmailLogin, scanCredentials } from './credential-layouts.js';
import type { CredentialPair } from './credential-layouts.js';
import type { ExtractedEntity } from './types.js';

export { isPlausibleSecret } from './credential-layouts.js';

/** What replaces the password in `raw` (fixed length, so the password's length does not leak either). */
export const SECRET_MASK = '********';
const CONFIDENCE = 0.9;

/** The entity of one pair (see the module comment for its span). */
export function credentialEntity(text: string, pair: CredentialPair): ExtractedEntity {
  const together =
    pair.login !== '' &&
    pair.loginStart < pair.secretStart &&
    !text.slice(pair.loginStart, pair.secretStart).includes('\n');
  const start = together ? pair.loginStart : pair.secretStart;
  const value = isEmailLogin(pair.login) ? normalizeEmail(pair.login) : pair.login;
  return {
    type: 'credential',
    value,
    raw: `${text.slice(start, pair.secretStart)}${SECRET_MASK}`,
    start,
    end: pair.secretEnd,
    confidence: CONFIDENCE,
    secret: pair.secret,
  };
}

/** Credential pairs; value is the login, `secret` the password (see the module comment). */
export function extractCredentials(text: string): ExtractedEntity[] {
  return credentialEntities(text, scanCredentials(text).pairs);
}

/** The entities of `pairs` in `text`; a secret without a login (a lone `Password:` line) is masked, not a pair. */
export function credentialEntities(text: string, pairs: readonly CredentialPair[]): ExtractedEntity[] {
  return pairs.filter((pair) => pair.login !== '').map((pair) => credentialEntity(text, pair));
}

/** True when the pair's login is an e-mail address. */
export function hasEmailLogin(entity: ExtractedEntity): boolean {
  return entity.type === 'credential' && entity.value.includes('@') && isEmailLogin(entity.value);
}
