/**
 * Zone signing keys (ECDSA P-256, DNSSEC algorithm 13, RFC 6605), key tags (RFC 4034 Appendix B)
 * and DS records (RFC 4034 section 5.1.4).
 */
import { createECDH, createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Answer, DnskeyAnswer, DnskeyData, DSAnswer } from 'dns-packet';
import { canonicalNameWire, normalizeName, recordWire } from './wire.js';

/** A signing key of a zone: the private half and the DNSKEY record publishing the public half. */
export interface ZoneKey {
  /** Zone apex, lower case, without trailing dot. */
  owner: string;
  /** 257 = zone key + secure entry point (KSK), 256 = zone key (ZSK) (RFC 4034 section 2.1.1). */
  flags: 257 | 256;
  algorithm: 13;
  /** RFC 6605 section 4: the raw point x || y, 64 bytes. */
  publicKey: Buffer;
  privateKey: KeyObject;
  keyTag: number;
  dnskey: DnskeyAnswer;
}

/** DNSKEY TTL used for generated keys (one hour). */
export const DEFAULT_DNSKEY_TTL = 3600;

/** Order of the P-256 group (SEC 2 section 2.4.2), the bound on private scalars. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** A fresh random algorithm-13 key for a zone. */
export function generateZoneKey(owner: string, kind: 'ksk' | 'zsk'): ZoneKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) throw new Error('P-256 key export lacks x/y');
  const publicKey = Buffer.concat([Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return buildZoneKey(owner, kind, publicKey, privateKey);
}

/**
 * A deterministic algorithm-13 key: the private scalar is SHA-256(seed) reduced into [1, n-1].
 * Use a distinct seed per zone and per kind (e.g. `${worldSeed}/${zone}/ksk`).
 */
export function zoneKeyFromSeed(owner: string, kind: 'ksk' | 'zsk', seed: string): ZoneKey {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  const scalar = (BigInt(`0x${digest.toString('hex')}`) % (P256_ORDER - 1n)) + 1n;
  return zoneKeyFromPrivateScalar(owner, kind, Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex'));
}

/** An algorithm-13 key from a raw 32-byte private scalar (as in a BIND `PrivateKey:` field). */
export function zoneKeyFromPrivateScalar(owner: string, kind: 'ksk' | 'zsk', scalar: Buffer): ZoneKey {
  if (scalar.length !== 32) throw new Error('a P-256 private scalar is 32 bytes');
  const value = BigInt(`0x${scalar.toString('hex')}`);
  if (value === 0n || value >= P256_ORDER) throw new Error('P-256 private scalar out of range');
  // ECDH derives the public point d·G for us; the JWK then carries d, x and y together.
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey(); // 0x04 || x || y
  const publicKey = Buffer.from(point.subarray(1));
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: scalar.toString('base64url'),
      x: publicKey.subarray(0, 32).toString('base64url'),
      y: publicKey.subarray(32).toString('base64url'),
    },
  });
  return buildZoneKey(owner, kind, publicKey, privateKey);
}

function buildZoneKey(owner: string, kind: 'ksk' | 'zsk', publicKey: Buffer, privateKey: KeyObject): ZoneKey {
  const zone = normalizeName(owner);
  const flags = kind === 'ksk' ? 257 : 256;
  const data: DnskeyData = { flags, algorithm: 13, key: publicKey };
  return {
    owner: zone,
    flags,
    algorithm: 13,
    publicKey,
    privateKey,
    keyTag: computeKeyTag(data),
    dnskey: { name: zone, type: 'DNSKEY', ttl: DEFAULT_DNSKEY_TTL, class: 'IN', data },
  };
}

/** DNSKEY RDATA: flags, protocol 3, algorithm, public key (RFC 4034 section 2.1). */
export function dnskeyRdata(data: DnskeyData): Buffer {
  return recordWire({ name: '.', type: 'DNSKEY', data }).rdata;
}

/** Key tag of a DNSKEY (RFC 4034 Appendix B), from its RDATA or its fields. */
export function computeKeyTag(dnskey: Buffer | DnskeyData): number {
  const rdata = Buffer.isBuffer(dnskey) ? dnskey : dnskeyRdata(dnskey);
  if (rdata.length < 4) throw new Error('DNSKEY RDATA too short');
  // Appendix B.1: algorithm 1 (RSA/MD5) uses the low 16 bits of the modulus instead.
  if (rdata[3] === 1) {
    if (rdata.length < 7) throw new Error('DNSKEY RDATA too short');
    return rdata.readUInt16BE(rdata.length - 3);
  }
  let acc = 0;
  for (let i = 0; i < rdata.length; i++) acc += i & 1 ? rdata[i]! : rdata[i]! << 8;
  acc += (acc >>> 16) & 0xffff;
  return acc & 0xffff;
}

/** DS digest algorithms this library computes (RFC 4034 5.1.3, RFC 4509, RFC 6605 section 2). */
export const DS_DIGESTS: Readonly<Record<number, { hash: string; length: number }>> = {
  1: { hash: 'sha1', length: 20 },
  2: { hash: 'sha256', length: 32 },
  4: { hash: 'sha384', length: 48 },
};

/** The DS digest of a DNSKEY: hash(owner wire name || DNSKEY RDATA) (RFC 4034 section 5.1.4). */
export function dsDigest(owner: string, dnskey: DnskeyData, digestType: number): Buffer {
  const spec = DS_DIGESTS[digestType];
  if (spec === undefined) throw new Error(`unsupported DS digest type ${digestType}`);
  return createHash(spec.hash).update(canonicalNameWire(owner)).update(dnskeyRdata(dnskey)).digest();
}

/** The DS record a parent publishes for a child's DNSKEY (RFC 4034 section 5). */
export function dsForKey(owner: string, dnskey: Answer, digestType = 2): DSAnswer {
  if (dnskey.type !== 'DNSKEY') throw new Error(`dsForKey needs a DNSKEY record, got ${dnskey.type}`);
  const data = dnskey.data;
  return {
    name: normalizeName(owner),
    type: 'DS',
    ttl: dnskey.ttl ?? DEFAULT_DNSKEY_TTL,
    class: 'IN',
    data: {
      keyTag: computeKeyTag(data),
      algorithm: data.algorithm,
      digestType,
      digest: dsDigest(owner, data, digestType),
    },
  };
}
