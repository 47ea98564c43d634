/**
 * Hardened decoding of DNS replies. Replies come from servers on the internet, which are hostile:
 * before dns-packet sees a byte we walk the whole message ourselves (RFC 1035 section 4.1) and check
 * that every count, length and compression pointer stays inside the buffer and can only move
 * backwards, so decoding is linear in the message size and cannot loop or read out of bounds.
 */
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';

/** A decoded DNS message whose structure has been validated. */
export interface DnsPacket extends DecodedPacket {
  id: number;
  flags: number;
  /** Header RCODE as dns-packet names it ('NOERROR', 'NXDOMAIN', ... or 'RCODE_n'). */
  rcode: string;
  /** Header OPCODE ('QUERY', 'NOTIFY', ...). */
  opcode: string;
  questions: Question[];
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

const HEADER_BYTES = 12;
/** RFC 1035 section 4.2.2: a message is at most 65535 octets (TCP length prefix). */
const MAX_MESSAGE_BYTES = 65535;
/** RFC 1035 section 2.3.4: a name is at most 255 octets on the wire, a label at most 63. */
const MAX_NAME_BYTES = 255;
const MAX_LABEL_BYTES = 63;
/** A 255-octet name has at most 127 labels, so more jumps than that can only be an attack. */
const MAX_POINTER_JUMPS = 127;
/** Smallest question: root name (1) + QTYPE + QCLASS. */
const MIN_QUESTION_BYTES = 5;
/** Smallest resource record: root name (1) + TYPE, CLASS, TTL, RDLENGTH (10). */
const MIN_RECORD_BYTES = 11;

const INVALID = -1;

/**
 * Decodes a DNS message, or returns null when it is garbage: truncated, inconsistent counts or
 * lengths, a bad label, a name over 255 octets, a compression pointer that is not strictly backwards,
 * or anything dns-packet itself rejects. Never throws.
 */
export function decodeReply(buf: Buffer): DnsPacket | null {
  const end = validateMessageStructure(buf);
  if (end === INVALID) return null;
  try {
    const packet = dnsPacket.decode(buf) as DnsPacket;
    // dns-packet trusts some RDATA contents over RDLENGTH (e.g. SOA, MX); if its idea of where the
    // message ends differs from ours, a record lied about its length and the reply is not trustworthy.
    if (dnsPacket.decode.bytes !== end) return null;
    return packet;
  } catch {
    return null;
  }
}

/**
 * Walks the whole message and returns the offset just after the last record, or -1 when the
 * structure is invalid. Trailing bytes after the last record are tolerated (the offset says where
 * the message really ended).
 */
export function validateMessageStructure(buf: Buffer): number {
  if (buf.length < HEADER_BYTES || buf.length > MAX_MESSAGE_BYTES) return INVALID;
  const questionCount = buf.readUInt16BE(4);
  const recordCount = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10);
  // Cheap rejection of absurd counts before any loop: every entry needs a minimum number of octets.
  if (HEADER_BYTES + questionCount * MIN_QUESTION_BYTES + recordCount * MIN_RECORD_BYTES > buf.length) {
    return INVALID;
  }
  let offset = HEADER_BYTES;
  for (let i = 0; i < questionCount; i++) {
    offset = walkName(buf, offset, buf.length);
    if (offset === INVALID || offset + 4 > buf.length) return INVALID;
    offset += 4;
  }
  for (let i = 0; i < recordCount; i++) {
    offset = walkRecord(buf, offset);
    if (offset === INVALID) return INVALID;
  }
  return offset;
}

/** Walks one resource record (RFC 1035 section 4.1.3); returns the offset after it or -1. */
function walkRecord(buf: Buffer, start: number): number {
  const afterName = walkName(buf, start, buf.length);
  if (afterName === INVALID || afterName + 10 > buf.length) return INVALID;
  const type = buf.readUInt16BE(afterName);
  const rdLength = buf.readUInt16BE(afterName + 8);
  const rdStart = afterName + 10;
  const rdEnd = rdStart + rdLength;
  if (rdEnd > buf.length) return INVALID;
  return rdataIsValid(buf, type, rdStart, rdEnd) ? rdEnd : INVALID;
}

/**
 * Checks the RDATA of the types dns-packet interprets: names inside RDATA must stay inside it (and
 * obey the pointer rules), fixed-size fields must fit, and the fields must fill RDLENGTH exactly so
 * that dns-packet cannot read a neighbouring record. Other types are opaque bytes.
 */
function rdataIsValid(buf: Buffer, type: number, start: number, end: number): boolean {
  const length = end - start;
  switch (type) {
    case 1: // A (RFC 1035 section 3.4.1)
      return length === 4;
    case 28: // AAAA (RFC 3596 section 2.2)
      return length === 16;
    case 2: // NS
    case 5: // CNAME
    case 12: // PTR
    case 39: // DNAME (RFC 6672)
      return walkName(buf, start, end) === end;
    case 15: // MX: preference + exchange
      return length > 2 && walkName(buf, start + 2, end) === end;
    case 33: // SRV (RFC 2782): priority, weight, port + target
      return length > 6 && walkName(buf, start + 6, end) === end;
    case 6: {
      // SOA: MNAME, RNAME, then five 32-bit integers
      const afterMname = walkName(buf, start, end);
      if (afterMname === INVALID) return false;
      const afterRname = walkName(buf, afterMname, end);
      return afterRname !== INVALID && afterRname + 20 === end;
    }
    case 17: {
      // RP (RFC 1183 section 2.2): two names
      const afterMbox = walkName(buf, start, end);
      return afterMbox !== INVALID && walkName(buf, afterMbox, end) === end;
    }
    case 16: // TXT: one or more character-strings filling RDATA
      return walkCharacterStrings(buf, start, end, Infinity) === end;
    case 13: // HINFO: exactly two character-strings
      return walkCharacterStrings(buf, start, end, 2) === end;
    case 35: {
      // NAPTR (RFC 3403 section 4.1): order, preference, three strings, replacement name
      if (length < 4) return false;
      const afterStrings = walkCharacterStrings(buf, start + 4, end, 3);
      return afterStrings !== INVALID && walkName(buf, afterStrings, end) === end;
    }
    case 257: {
      // CAA (RFC 8659 section 4.1): flags, tag length, tag, value
      if (length < 2) return false;
      const tagLength = buf[start + 1] ?? 0;
      return tagLength >= 1 && start + 2 + tagLength <= end;
    }
    case 41: // OPT (RFC 6891 section 6.1.2)
      return walkEdnsOptions(buf, start, end);
    case 46: {
      // RRSIG (RFC 4034 section 3.1): 18 fixed octets, signer's name, signature
      if (length < 19) return false;
      return walkName(buf, start + 18, end) !== INVALID;
    }
    case 47: {
      // NSEC (RFC 4034 section 4.1): next owner name + type bitmap
      const afterNext = walkName(buf, start, end);
      return afterNext !== INVALID && typeBitmapIsValid(buf, afterNext, end);
    }
    case 50: {
      // NSEC3 (RFC 5155 section 3.2): alg, flags, iterations, salt, hash, type bitmap
      if (length < 5) return false;
      const saltEnd = start + 5 + (buf[start + 4] ?? 0);
      if (saltEnd + 1 > end) return false;
      const hashEnd = saltEnd + 1 + (buf[saltEnd] ?? 0);
      return hashEnd <= end && typeBitmapIsValid(buf, hashEnd, end);
    }
    case 48: // DNSKEY (RFC 4034 section 2.1)
    case 43: // DS (RFC 4034 section 5.1)
      return length >= 4;
    case 52: // TLSA (RFC 6698 section 2.1)
      return length >= 3;
    default:
      return true;
  }
}

/**
 * Walks a (possibly compressed) domain name starting at `start` whose own octets must end before
 * `limit`; returns the offset after the name's octets at `start` (after the terminating zero or the
 * first pointer), or -1. RFC 1035 section 4.1.4: a pointer refers to a *prior* occurrence, so each
 * jump must land strictly before the previous one (which rules out loops and forward pointers), never
 * in the header, and the labels reached must end before the pointer that led there.
 */
function walkName(buf: Buffer, start: number, limit: number): number {
  let position = start;
  let readLimit = Math.min(limit, buf.length);
  let lowestTarget = start;
  let endOfName = INVALID;
  let wireLength = 1; // the terminating root label
  let jumps = 0;
  // Each iteration consumes at least one octet or one jump, both bounded, so this terminates.
  for (;;) {
    if (position >= readLimit) return INVALID;
    const lengthOctet = buf[position] ?? 0;
    if (lengthOctet === 0) {
      return endOfName === INVALID ? position + 1 : endOfName;
    }
    const kind = lengthOctet & 0xc0;
    if (kind === 0xc0) {
      if (position + 2 > readLimit) return INVALID;
      const target = ((lengthOctet & 0x3f) << 8) | (buf[position + 1] ?? 0);
      if (target < HEADER_BYTES || target >= lowestTarget) return INVALID;
      if (++jumps > MAX_POINTER_JUMPS) return INVALID;
      if (endOfName === INVALID) endOfName = position + 2;
      readLimit = position;
      lowestTarget = target;
      position = target;
      continue;
    }
    // 0x40 and 0x80 are the retired extended label types (RFC 6891 section 5): reject.
    if (kind !== 0 || lengthOctet > MAX_LABEL_BYTES) return INVALID;
    wireLength += lengthOctet + 1;
    if (wireLength > MAX_NAME_BYTES) return INVALID;
    position += 1 + lengthOctet;
    if (position > readLimit) return INVALID;
  }
}

/** Walks up to `maxCount` character-strings (RFC 1035 section 3.3); returns the end offset or -1. */
function walkCharacterStrings(buf: Buffer, start: number, end: number, maxCount: number): number {
  let position = start;
  let count = 0;
  while (position < end && count < maxCount) {
    position += 1 + (buf[position] ?? 0);
    count++;
  }
  if (position > end) return INVALID;
  if (Number.isFinite(maxCount) && count !== maxCount) return INVALID;
  return position;
}

/** EDNS options are {code, length, data}; they must tile the OPT RDATA exactly. */
function walkEdnsOptions(buf: Buffer, start: number, end: number): boolean {
  let position = start;
  while (position < end) {
    if (position + 4 > end) return false;
    const code = buf.readUInt16BE(position);
    const optionLength = buf.readUInt16BE(position + 2);
    // dns-packet parses ECS (RFC 7871 section 6) fields beyond a shorter option.
    if (code === 8 && optionLength < 4) return false;
    position += 4 + optionLength;
  }
  return position === end;
}

/** NSEC/NSEC3 type bitmap (RFC 4034 section 4.1.2): windows of 1 to 32 octets filling the rest. */
function typeBitmapIsValid(buf: Buffer, start: number, end: number): boolean {
  let position = start;
  while (position < end) {
    if (position + 2 > end) return false;
    const windowLength = buf[position + 1] ?? 0;
    if (windowLength < 1 || windowLength > 32) return false;
    position += 2 + windowLength;
  }
  return position === end;
}
