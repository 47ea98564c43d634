/** DKIM key records with freshly generated keys, for tests of the parser, the probe and the check. */
import { generateKeyPairSync } from 'node:crypto';

const rsaKeys = new Map<number, string>();

/** Base64 SubjectPublicKeyInfo of a freshly generated RSA key (cached per size: generation is slow). */
export function rsaPublicKeyBase64(bits: number): string {
  let key = rsaKeys.get(bits);
  if (!key) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    key = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    rsaKeys.set(bits, key);
  }
  return key;
}

/** A DKIM key record for an RSA key of `bits` (RFC 6376 3.6.1). */
export function dkimRsaRecord(bits: number): string {
  return `v=DKIM1; k=rsa; p=${rsaPublicKeyBase64(bits)}`;
}

/** A DKIM key record for an Ed25519 key (RFC 8463: raw 32-byte key). */
export function dkimEd25519Record(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return `v=DKIM1; k=ed25519; p=${Buffer.from(x, 'base64url').toString('base64')}`;
}
