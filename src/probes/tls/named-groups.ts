/**
 * Key-exchange groups the probe tests (RFC 8446 4.2.7, RFC 7919 for the finite-field ones): code, name,
 * strength, and for those TLS 1.3 can offer a key share with, a valid public value made once per process
 * (a server checks the share is a point on the curve; Vitals never finishes the handshake).
 */
import { createECDH, generateKeyPairSync } from 'node:crypto';

export interface NamedGroup {
  code: number;
  name: string;
  /** Key-exchange strength in RSA-equivalent bits (NIST SP 800-57 part 1, table 2), for the grade. */
  rsaEquivalentBits: number;
  keyShare?: () => Buffer;
}

function memo(make: () => Buffer): () => Buffer {
  let value: Buffer | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** The raw public key of an X25519 or X448 key pair (RFC 8446 4.2.8.2): the end of its SubjectPublicKeyInfo. */
function montgomeryShare(type: 'x25519' | 'x448', bytes: number): () => Buffer {
  return memo(() => {
    const der = generateKeyPairSync(type as 'x25519').publicKey.export({ format: 'der', type: 'spki' });
    return Buffer.from(der.subarray(der.length - bytes));
  });
}

function ecdhShare(curve: string): () => Buffer {
  return memo(() => {
    const ecdh = createECDH(curve);
    return ecdh.generateKeys();
  });
}

export const NAMED_GROUPS: readonly NamedGroup[] = [
  { code: 0x001d, name: 'x25519', rsaEquivalentBits: 3072, keyShare: montgomeryShare('x25519', 32) },
  { code: 0x0017, name: 'secp256r1', rsaEquivalentBits: 3072, keyShare: ecdhShare('prime256v1') },
  { code: 0x0018, name: 'secp384r1', rsaEquivalentBits: 7680, keyShare: ecdhShare('secp384r1') },
  { code: 0x0019, name: 'secp521r1', rsaEquivalentBits: 15360, keyShare: ecdhShare('secp521r1') },
  { code: 0x001e, name: 'x448', rsaEquivalentBits: 7680, keyShare: montgomeryShare('x448', 56) },
  { code: 0x0100, name: 'ffdhe2048', rsaEquivalentBits: 2048 },
  { code: 0x0101, name: 'ffdhe3072', rsaEquivalentBits: 3072 },
  { code: 0x0102, name: 'ffdhe4096', rsaEquivalentBits: 4096 },
  { code: 0x0103, name: 'ffdhe6144', rsaEquivalentBits: 6144 },
  { code: 0x0104, name: 'ffdhe8192', rsaEquivalentBits: 8192 },
];

export function namedGroup(code: number): NamedGroup | undefined {
  return NAMED_GROUPS.find((g) => g.code === code);
}

/** A group's name, or its code for one Vitals does not know. */
export function groupName(code: number): string {
  return namedGroup(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
}
