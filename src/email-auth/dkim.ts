/**
 * DKIM key record parser (RFC 6376 3.6.1, RFC 8463 for Ed25519). Pure: takes the text of one TXT record
 * at `<selector>._domainkey.<domain>` and says what key it publishes. Neutral ground: probes and checks
 * both read key records through it.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** What one TXT record at `<selector>._domainkey` publishes. */
export type DkimKey =
  | { kind: 'rsa'; bits: number }
  | { kind: 'ed25519' }
  /** `p=` empty: the key was revoked (RFC 6376 3.6.1). */
  | { kind: 'revoked' }
  /** A key type this check does not know (`k=` other than rsa or ed25519). */
  | { kind: 'unsupported'; keyType: string }
  | { kind: 'malformed'; reason: string };

/**
 * Parses a DKIM key record (RFC 6376 3.6.1, tag-list syntax of 3.2). Returns null when the TXT record
 * is not a DKIM key record at all (no `p=` tag, or a `v=` other than DKIM1, which 3.6.1 says to discard).
 */
export function parseDkimKey(record: string): DkimKey | null {
  const tags = new Map<string, string>();
  const problems: string[] = [];
  const segments = record
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const [index, segment] of segments.entries()) {
    const eq = segment.indexOf('=');
    if (eq <= 0) {
      problems.push(`malformed tag "${segment}"`);
      continue;
    }
    const name = segment.slice(0, eq).trim().toLowerCase();
    const value = segment.slice(eq + 1).trim();
    if (name === 'v') {
      if (value !== 'DKIM1') return null; // RFC 6376 3.6.1: records with another version MUST be discarded
      if (index !== 0) problems.push('v= is not the first tag');
    }
    if (tags.has(name)) problems.push(`tag "${name}" appears more than once`);
    else tags.set(name, value);
  }
  const p = tags.get('p');
  if (p === undefined) return tags.has('v') ? { kind: 'malformed', reason: 'no p= tag' } : null;
  if (problems.length > 0) return { kind: 'malformed', reason: problems.join('; ') };
  // Base64 in a tag value may contain folding whitespace (RFC 6376 3.6.1).
  const base64 = p.replace(/\s+/g, '');
  if (base64 === '') return { kind: 'revoked' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { kind: 'malformed', reason: 'p= is not base64' };
  const der = Buffer.from(base64, 'base64');
  const keyType = (tags.get('k') ?? 'rsa').toLowerCase();
  if (keyType === 'ed25519') {
    // RFC 8463 4.2: p= is the raw 32-byte Ed25519 public key, not a SubjectPublicKeyInfo.
    if (der.length !== 32) return { kind: 'malformed', reason: `Ed25519 key is ${der.length} bytes, not 32` };
    return importKey(() =>
      createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: der.toString('base64url') }, format: 'jwk' }),
    );
  }
  if (keyType !== 'rsa') return { kind: 'unsupported', keyType };
  // RFC 6376 3.6.1 / 3.3.1: an RSA key is a DER SubjectPublicKeyInfo; some signers publish the bare
  // PKCS#1 RSAPublicKey, which verifiers such as OpenDKIM also accept.
  const spki = importKey(() => createPublicKey({ key: der, format: 'der', type: 'spki' }));
  if (spki.kind !== 'malformed') return spki;
  const pkcs1 = importKey(() => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }));
  return pkcs1.kind !== 'malformed' ? pkcs1 : spki;
}

function importKey(load: () => KeyObject): DkimKey {
  let key: KeyObject;
  try {
    key = load();
  } catch (error) {
    return { kind: 'malformed', reason: `key does not parse: ${(error as Error).message}` };
  }
  if (key.asymmetricKeyType === 'ed25519') return { kind: 'ed25519' };
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    return typeof bits === 'number'
      ? { kind: 'rsa', bits }
      : { kind: 'malformed', reason: 'RSA key without modulus length' };
  }
  return { kind: 'unsupported', keyType: key.asymmetricKeyType ?? 'unknown' };
}
