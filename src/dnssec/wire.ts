/**
 * Canonical wire forms for DNSSEC (RFC 4034 section 6): names, RDATA and the data an RRSIG signs.
 * Shared by the signer and the verifier so both build byte-identical input.
 */
import * as dnsPacket from 'dns-packet';
import type { Answer, RrsigData } from 'dns-packet';

/** Lower-case, no trailing dot; the root is '.'. */
export function normalizeName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed === '' ? '.' : asciiLower(trimmed);
}

/** Labels of a name, leftmost first; the root has none. */
export function labelsOf(name: string): string[] {
  const n = normalizeName(name);
  return n === '.' ? [] : n.split('.');
}

/** True when `name` equals `ancestor` or lies below it. */
export function isAtOrBelow(name: string, ancestor: string): boolean {
  const n = normalizeName(name);
  const a = normalizeName(ancestor);
  return a === '.' || n === a || n.endsWith(`.${a}`);
}

/** The parent of a name (the root's parent is the root). */
export function parentOf(name: string): string {
  const labels = labelsOf(name);
  return labels.length <= 1 ? '.' : labels.slice(1).join('.');
}

/**
 * RFC 4034 section 6.2: only US-ASCII upper-case letters are lowered; String#toLowerCase would also
 * fold non-ASCII characters and change the octets.
 */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Uncompressed wire form of a name with lower-cased letters (RFC 4034 section 6.2, item 1-2). */
export function canonicalNameWire(name: string): Buffer {
  const parts: Buffer[] = [];
  let total = 1;
  for (const label of labelsOf(name)) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`invalid label in name ${JSON.stringify(name)}`);
    parts.push(Buffer.from([bytes.length]), bytes);
    total += bytes.length + 1;
  }
  // RFC 1035 section 2.3.4: a name is at most 255 octets on the wire.
  if (total > 255) throw new Error(`name too long: ${JSON.stringify(name)}`);
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Type code, class code and RDATA of a record, as dns-packet encodes them (no name compression). */
export interface RecordWire {
  typeCode: number;
  classCode: number;
  rdata: Buffer;
}

/** Encodes one record through dns-packet, under the root name so the offsets are fixed. */
export function recordWire(rr: Answer): RecordWire {
  const copy = { ...rr, name: '.', data: shallowCopy((rr as { data?: unknown }).data) } as Answer;
  const buf = dnsPacket.encode({ type: 'response', answers: [copy] });
  // 12-byte header, 1-byte root name, then type(2) class(2) ttl(4) rdlength(2) rdata.
  const base = 13;
  if (buf.length < base + 10) throw new Error('record did not encode');
  const rdlength = buf.readUInt16BE(base + 8);
  if (buf.length < base + 10 + rdlength) throw new Error('record did not encode');
  return {
    typeCode: buf.readUInt16BE(base),
    classCode: buf.readUInt16BE(base + 2),
    rdata: Buffer.from(buf.subarray(base + 10, base + 10 + rdlength)),
  };
}

/**
 * dns-packet's TXT encoder converts string elements of the array it is given into Buffers in place;
 * copy one level so encoding never mutates the caller's records.
 */
function shallowCopy(data: unknown): unknown {
  if (Array.isArray(data)) return [...data];
  if (data !== null && typeof data === 'object' && !Buffer.isBuffer(data)) return { ...data };
  return data;
}

/**
 * The record with the domain names inside its RDATA lower-cased, for the types RFC 4034 section 6.2
 * item 3 lists (as corrected by RFC 6840 section 5.1: NSEC's next name keeps its case, RRSIG's
 * signer name is lowered).
 */
export function withCanonicalRdata(rr: Answer): Answer {
  switch (rr.type) {
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return { ...rr, data: asciiLower(rr.data) };
    case 'MX':
      return { ...rr, data: { ...rr.data, exchange: asciiLower(rr.data.exchange) } };
    case 'SOA':
      return { ...rr, data: { ...rr.data, mname: asciiLower(rr.data.mname), rname: asciiLower(rr.data.rname) } };
    case 'SRV':
      return { ...rr, data: { ...rr.data, target: asciiLower(rr.data.target) } };
    case 'RP':
      return { ...rr, data: { mbox: asciiLower(rr.data.mbox), txt: asciiLower(rr.data.txt) } };
    case 'NAPTR':
      return { ...rr, data: { ...rr.data, replacement: asciiLower(rr.data.replacement) } };
    case 'RRSIG':
      return { ...rr, data: { ...rr.data, signersName: asciiLower(rr.data.signersName) } };
    default:
      return rr;
  }
}

/** Canonical RDATA of a record (RFC 4034 section 6.2). */
export function canonicalRdata(rr: Answer): Buffer {
  return recordWire(withCanonicalRdata(rr)).rdata;
}

/** Number of labels of an owner name, not counting a leading wildcard `*` (RFC 4034 section 3.1.3). */
export function rrsigLabelCount(owner: string): number {
  const labels = labelsOf(owner);
  return labels[0] === '*' ? labels.length - 1 : labels.length;
}

/**
 * The octets an RRSIG signs (RFC 4034 section 3.1.8.1): the RRSIG RDATA without the signature, then
 * every RR of the set in canonical form (RFC 4034 section 6.2), with the original TTL, sorted by
 * canonical RDATA and without duplicates (section 6.3). When the labels field is smaller than the
 * owner's label count the RRset was synthesized from a wildcard, and the owner is rebuilt as
 * `*.<rightmost labels>` (RFC 4035 section 5.3.2).
 */
export function rrsigSignedData(rrsig: RrsigData, rrset: Answer[]): Buffer {
  const first = rrset[0];
  if (first === undefined) throw new Error('empty RRset');
  const unsigned: Answer = {
    type: 'RRSIG',
    name: '.',
    data: { ...rrsig, signersName: asciiLower(rrsig.signersName), signature: Buffer.alloc(0) },
  };
  const prefix = recordWire(unsigned).rdata;

  const ownerLabels = labelsOf(first.name);
  if (rrsig.labels > ownerLabels.length) throw new Error('RRSIG labels field exceeds the owner name');
  const signedOwner =
    rrsig.labels < ownerLabels.length
      ? ['*', ...ownerLabels.slice(ownerLabels.length - rrsig.labels)].join('.')
      : normalizeName(first.name);
  const ownerWire = canonicalNameWire(signedOwner);

  const seen = new Set<string>();
  const rdatas: Array<{ rdata: Buffer; typeCode: number; classCode: number }> = [];
  for (const rr of rrset) {
    const wire = recordWire(withCanonicalRdata(rr));
    const key = wire.rdata.toString('hex');
    if (seen.has(key)) continue;
    seen.add(key);
    rdatas.push(wire);
  }
  rdatas.sort((a, b) => Buffer.compare(a.rdata, b.rdata));

  const parts: Buffer[] = [prefix];
  for (const { rdata, typeCode, classCode } of rdatas) {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(typeCode, 0);
    fixed.writeUInt16BE(classCode, 2);
    fixed.writeUInt32BE(rrsig.originalTTL >>> 0, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    parts.push(ownerWire, fixed, rdata);
  }
  return Buffer.concat(parts);
}

/** Class of a record ('IN' when absent, as dns-packet encodes it). */
export function classOf(rr: Answer): string {
  return 'class' in rr && typeof rr.class === 'string' ? rr.class : 'IN';
}
