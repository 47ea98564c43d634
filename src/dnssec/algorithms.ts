/**
 * DNSSEC signature algorithms backed by node:crypto: public keys in DNSKEY format turned into
 * KeyObjects, and signature checks. Algorithms node:crypto cannot do are reported as unsupported.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

interface AlgorithmSpec {
  name: string;
  /** Digest for crypto.verify; null for EdDSA (pure). */
  hash: string | null;
  publicKey(raw: Buffer): KeyObject;
  /** ECDSA signatures are raw r || s (RFC 6605 section 4), not DER. */
  ecdsa: boolean;
}

/**
 * Algorithms this library validates (RFC 8624 section 3.1 lists what validators MUST do). SHA-1
 * algorithms (5, 7) are left out on purpose: SHA-1 signatures are forgeable and OpenSSL policies may
 * refuse them; a zone signed only with them is reported by the validator as indeterminate.
 */
const ALGORITHMS: Readonly<Record<number, AlgorithmSpec>> = {
  8: { name: 'RSASHA256', hash: 'sha256', publicKey: rsaKey, ecdsa: false },
  10: { name: 'RSASHA512', hash: 'sha512', publicKey: rsaKey, ecdsa: false },
  13: { name: 'ECDSAP256SHA256', hash: 'sha256', publicKey: (raw) => ecKey(raw, 'P-256', 32), ecdsa: true },
  14: { name: 'ECDSAP384SHA384', hash: 'sha384', publicKey: (raw) => ecKey(raw, 'P-384', 48), ecdsa: true },
  15: { name: 'ED25519', hash: null, publicKey: ed25519Key, ecdsa: false },
};

/** Whether signatures of this DNSSEC algorithm number can be checked here. */
export function isSupportedAlgorithm(algorithm: number): boolean {
  return ALGORITHMS[algorithm] !== undefined;
}

/** Mnemonic of a DNSSEC algorithm number (for messages). */
export function algorithmName(algorithm: number): string {
  return ALGORITHMS[algorithm]?.name ?? `algorithm ${algorithm}`;
}

export type SignatureCheck = 'valid' | 'invalid' | 'malformed_key' | 'unsupported';

/**
 * Results of signature checks, keyed by a digest of everything checked (algorithm, key, signed data,
 * signature): a pure function's memo. A portfolio scan verifies the parent zone's DNSKEY RRset once per
 * organization; the digest costs a microsecond where a verification costs a hundred. Bounded.
 */
const CHECK_CACHE = new Map<string, SignatureCheck>();
const CHECK_CACHE_LIMIT = 8192;

/** Checks `signature` over `data` with a DNSKEY public key of the given algorithm. */
export function checkSignature(algorithm: number, publicKey: Buffer, data: Buffer, signature: Buffer): SignatureCheck {
  const lengths = Buffer.alloc(13);
  lengths.writeUInt8(algorithm & 0xff, 0);
  lengths.writeUInt32BE(publicKey.length, 1);
  lengths.writeUInt32BE(data.length, 5);
  lengths.writeUInt32BE(signature.length, 9);
  const id = createHash('sha256').update(lengths).update(publicKey).update(data).update(signature).digest('base64');
  const known = CHECK_CACHE.get(id);
  if (known !== undefined) return known;
  const result = uncachedCheckSignature(algorithm, publicKey, data, signature);
  if (CHECK_CACHE.size >= CHECK_CACHE_LIMIT) CHECK_CACHE.clear();
  CHECK_CACHE.set(id, result);
  return result;
}

function uncachedCheckSignature(algorithm: number, publicKey: Buffer, data: Buffer, signature: Buffer): SignatureCheck {
  const spec = ALGORITHMS[algorithm];
  if (spec === undefined) return 'unsupported';
  let key: KeyObject;
  try {
    key = cachedKey(algorithm, publicKey, spec.publicKey);
  } catch {
    return 'malformed_key';
  }
  try {
    const ok = spec.ecdsa
      ? verify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify(spec.hash, data, key, signature);
    return ok ? 'valid' : 'invalid';
  } catch {
    // A signature of the wrong size or shape makes OpenSSL throw rather than return false.
    return 'invalid';
  }
}

/**
 * Parsed public keys by algorithm and key bytes. A portfolio scan verifies the same parent-zone keys
 * (the TLD's, the root's) once per organization; building a KeyObject from JWK each time was a tenth of
 * the scan's CPU. Bounded so hostile servers cannot grow it without limit.
 */
const KEY_CACHE = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 4096;

function cachedKey(algorithm: number, raw: Buffer, build: (raw: Buffer) => KeyObject): KeyObject {
  const id = `${algorithm}:${raw.toString('base64')}`;
  const hit = KEY_CACHE.get(id);
  if (hit) return hit;
  const key = build(raw);
  if (KEY_CACHE.size >= KEY_CACHE_LIMIT) KEY_CACHE.clear();
  KEY_CACHE.set(id, key);
  return key;
}

/** RFC 3110 section 2: exponent length (1 octet, or 0 then 2 octets), exponent, modulus. */
function rsaKey(raw: Buffer): KeyObject {
  if (raw.length < 3) throw new Error('RSA key too short');
  let expLen = raw[0]!;
  let offset = 1;
  if (expLen === 0) {
    expLen = raw.readUInt16BE(1);
    offset = 3;
  }
  const exponent = raw.subarray(offset, offset + expLen);
  const modulus = stripLeadingZeros(raw.subarray(offset + expLen));
  if (exponent.length !== expLen || expLen === 0 || modulus.length < 64) throw new Error('malformed RSA key');
  return createPublicKey({
    format: 'jwk',
    key: { kty: 'RSA', n: modulus.toString('base64url'), e: stripLeadingZeros(exponent).toString('base64url') },
  });
}

function ecKey(raw: Buffer, crv: 'P-256' | 'P-384', size: number): KeyObject {
  if (raw.length !== size * 2) throw new Error(`${crv} key must be ${size * 2} bytes`);
  return createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv,
      x: raw.subarray(0, size).toString('base64url'),
      y: raw.subarray(size).toString('base64url'),
    },
  });
}

/** RFC 8080 section 3: the 32-byte public key as in RFC 8032. */
function ed25519Key(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error('Ed25519 key must be 32 bytes');
  return createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') } });
}

function stripLeadingZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
