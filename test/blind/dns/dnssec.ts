/**
 * DNSSEC signing for the blind world: ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605) with node:crypto,
 * RRSIGs over canonical RRsets (RFC 4034 §3.1.8.1, §6), NSEC chains for denial (RFC 4034 §4), DS digests
 * (SHA-256, RFC 4509). Written from the RFCs for this test set; it shares no code with the scanner.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Rr, SignMode } from './world.js';

/** The parts of dns-packet its type declarations leave out: the per-name and per-record encoders. */
const wire = dnsPacket as unknown as {
  name: { encode(name: string): Buffer };
  answer: { encode(rr: object): Buffer };
};

const ALGORITHM = 13;
const DAY = 86_400;

export interface ZoneKey {
  flags: number;
  privateKey: KeyObject;
  /** 64 bytes: x || y of the P-256 point (RFC 6605 §4). */
  publicKey: Buffer;
  keyTag: number;
}

export function makeKey(flags: number): ZoneKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const key: ZoneKey = { flags, privateKey, publicKey: point, keyTag: 0 };
  key.keyTag = keyTag(dnskeyRdata(key));
  return key;
}

function dnskeyRdata(key: ZoneKey): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(key.flags, 0);
  head.writeUInt8(3, 2);
  head.writeUInt8(ALGORITHM, 3);
  return Buffer.concat([head, key.publicKey]);
}

/** RFC 4034 Appendix B. */
function keyTag(rdata: Buffer): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

function nameWire(name: string): Buffer {
  return wire.name.encode(name === '' ? '.' : name.toLowerCase());
}

export function dnskeyRecord(origin: string, key: ZoneKey, ttl = 3600): Rr {
  return { name: origin, type: 'DNSKEY', ttl, data: { flags: key.flags, algorithm: ALGORITHM, key: key.publicKey } };
}

export function dsRecord(origin: string, key: ZoneKey, ttl = 3600): Rr {
  const digest = createHash('sha256')
    .update(Buffer.concat([nameWire(origin), dnskeyRdata(key)]))
    .digest();
  return { name: origin, type: 'DS', ttl, data: { keyTag: key.keyTag, algorithm: ALGORITHM, digestType: 2, digest } };
}

/** The trust anchor in zone-file presentation format, as unbound's trust-anchor-file takes it. */
export function dsPresentation(origin: string, key: ZoneKey): string {
  const ds = dsRecord(origin, key).data as { keyTag: number; digest: Buffer };
  return `${origin}. 3600 IN DS ${ds.keyTag} ${ALGORITHM} 2 ${ds.digest.toString('hex').toUpperCase()}`;
}

/** The RDATA of one record, in canonical form (names lower-case, uncompressed: dns-packet never compresses). */
function canonicalRdata(rr: Rr, ttl: number): { head: Buffer; rdata: Buffer } {
  const encoded = wire.answer.encode({ ...rr, name: rr.name === '' ? '.' : rr.name, ttl });
  const nameLength = nameWire(rr.name).length;
  return { head: encoded.subarray(0, nameLength + 10), rdata: encoded.subarray(nameLength + 10) };
}

function labelCount(name: string): number {
  if (name === '') return 0;
  const labels = name.split('.');
  return labels[0] === '*' ? labels.length - 1 : labels.length;
}

export interface SignOptions {
  signer: string;
  key: ZoneKey;
  inception: number;
  expiration: number;
  corrupt: boolean;
}

/** One RRSIG over an RRset (all records share owner and type). */
export function signRrset(rrset: Rr[], options: SignOptions): Rr {
  const first = rrset[0]!;
  const ttl = first.ttl;
  const signersName = options.signer === '' ? '.' : options.signer;
  const fixed = Buffer.alloc(18);
  fixed.writeUInt16BE(wire.answer.encode({ ...first, name: 'x', ttl }).readUInt16BE(3), 0);
  fixed.writeUInt8(ALGORITHM, 2);
  fixed.writeUInt8(labelCount(first.name), 3);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt32BE(options.expiration >>> 0, 8);
  fixed.writeUInt32BE(options.inception >>> 0, 12);
  fixed.writeUInt16BE(options.key.keyTag, 16);
  const parts = rrset
    .map((rr) => canonicalRdata(rr, ttl))
    .sort((a, b) => Buffer.compare(a.rdata, b.rdata))
    .map(({ head, rdata }) => Buffer.concat([head, rdata]));
  const data = Buffer.concat([fixed, nameWire(options.signer), ...parts]);
  const signature = sign('sha256', data, { key: options.key.privateKey, dsaEncoding: 'ieee-p1363' });
  if (options.corrupt) signature.writeUInt8(signature.readUInt8(10) ^ 0x5a, 10);
  return {
    name: first.name,
    type: 'RRSIG',
    ttl,
    data: {
      typeCovered: first.type,
      algorithm: ALGORITHM,
      labels: labelCount(first.name),
      originalTTL: ttl,
      expiration: options.expiration >>> 0,
      inception: options.inception >>> 0,
      keyTag: options.key.keyTag,
      signersName,
      signature,
    },
  };
}

/** RFC 4034 §6.1 canonical order: labels compared right to left as lower-case octet strings. */
export function compareCanonical(a: string, b: string): number {
  const la = a === '' ? [] : a.split('.').reverse();
  const lb = b === '' ? [] : b.split('.').reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const c = Buffer.compare(Buffer.from(la[i]!), Buffer.from(lb[i]!));
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}

export interface SignedZone {
  keys: ZoneKey[];
  /** The key the parent's DS is made from (for ds-mismatch: a key the zone does not publish). */
  dsKey: ZoneKey;
  /** DNSKEY, NSEC and RRSIG records to add to the zone. */
  added: Rr[];
}

/**
 * Signs a zone's records. `delegations` are names below the origin that are cut points (their NS is not
 * signed, names below them are glue and are neither signed nor in the NSEC chain).
 */
export function signZone(origin: string, records: Rr[], mode: SignMode, delegations: Set<string>): SignedZone {
  const now = Math.floor(Date.now() / 1000);
  const ksk = makeKey(257);
  const zsk = mode === 'split' ? makeKey(256) : ksk;
  const keys = mode === 'split' ? [ksk, zsk] : [ksk];
  const dsKey = mode === 'ds-mismatch' ? makeKey(257) : ksk;
  const window =
    mode === 'expired'
      ? { inception: now - 60 * DAY, expiration: now - 30 * DAY }
      : { inception: now - DAY, expiration: now + 30 * DAY };
  const corrupt = mode === 'badsig';
  const below = (name: string) => [...delegations].some((cut) => name !== cut && name.endsWith(`.${cut}`));
  const all = [...records.filter((rr) => !below(rr.name)), ...keys.map((k) => dnskeyRecord(origin, k))];

  const byOwner = new Map<string, Map<string, Rr[]>>();
  for (const rr of all) {
    const types = byOwner.get(rr.name) ?? new Map<string, Rr[]>();
    byOwner.set(rr.name, types);
    types.set(rr.type, [...(types.get(rr.type) ?? []), rr]);
  }
  const owners = [...byOwner.keys()].sort(compareCanonical);
  const added: Rr[] = keys.map((k) => dnskeyRecord(origin, k));
  const soaMinimum = 300;
  owners.forEach((owner, i) => {
    const types = [...byOwner.get(owner)!.keys()];
    const next = owners[(i + 1) % owners.length]!;
    const nsec: Rr = {
      name: owner,
      type: 'NSEC',
      ttl: soaMinimum,
      data: { nextDomain: next === '' ? '.' : next, rrtypes: [...types, 'RRSIG', 'NSEC'] },
    };
    added.push(nsec);
    byOwner.get(owner)!.set('NSEC', [nsec]);
  });
  for (const owner of owners) {
    const cut = delegations.has(owner);
    for (const [type, rrset] of byOwner.get(owner)!) {
      if (cut && type === 'NS') continue;
      const key = type === 'DNSKEY' ? ksk : zsk;
      added.push(signRrset(rrset, { signer: origin, key, ...window, corrupt }));
    }
  }
  return { keys, dsKey, added };
}
