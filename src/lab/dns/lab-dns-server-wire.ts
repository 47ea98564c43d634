/**
 * Wire format of the lab DNS server: a strict, bounded parser for queries (RFC 1035 section 4.1,
 * EDNS(0) per RFC 6891) and a response encoder that echoes the question bytes exactly as received.
 */
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';

/** Header flag bits (RFC 1035 section 4.1.1, RFC 4035 section 3.2 for AD and CD). */
export const FLAG = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** Response codes used by the server (RFC 1035 section 4.1.1, RFC 6891 section 9 for BADVERS). */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

/** The EDNS(0) part of a query (RFC 6891 section 6.1.3). */
export interface QueryEdns {
  payloadSize: number;
  version: number;
  dnssecOk: boolean;
}

/** A query that parsed cleanly. */
export interface ParsedQuery {
  id: number;
  flags: number;
  opcode: number;
  /** Lower-cased, no trailing dot, '' for the root. */
  qname: string;
  /** False when a label holds a dot or a byte outside printable ASCII: no lab name looks like that. */
  qnamePlain: boolean;
  qtype: number;
  qclass: number;
  /** The question section exactly as received (preserves the client's letter case). */
  questionBytes: Buffer;
  edns: QueryEdns | undefined;
}

export type ParseResult =
  | { kind: 'query'; query: ParsedQuery }
  /** Well-framed but not a valid query (no single question, two OPT records...): answer FORMERR. */
  | { kind: 'formerr'; id: number; flags: number }
  /** Not parseable past the header: dropped over UDP, FORMERR over TCP. */
  | { kind: 'malformed'; id: number; flags: number }
  /** Too short to carry an ID, or a response (QR set): never answered, so no reflection loops. */
  | { kind: 'drop' };

const HEADER_LEN = 12;
const MAX_NAME_WIRE_LEN = 255; // RFC 1035 section 3.1
const TYPE_OPT = 41;

/** Parses a query datagram or TCP message; never throws. */
export function parseQuery(buf: Buffer): ParseResult {
  if (buf.length < HEADER_LEN) return { kind: 'drop' };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if ((flags & FLAG.QR) !== 0) return { kind: 'drop' };
  const qdcount = buf.readUInt16BE(4);
  const ancount = buf.readUInt16BE(6);
  const nscount = buf.readUInt16BE(8);
  const arcount = buf.readUInt16BE(10);
  if (qdcount !== 1) return { kind: 'formerr', id, flags };

  const name = readQuestionName(buf, HEADER_LEN);
  if (name === undefined || name.end + 4 > buf.length) return { kind: 'malformed', id, flags };
  const qtype = buf.readUInt16BE(name.end);
  const qclass = buf.readUInt16BE(name.end + 2);
  const questionEnd = name.end + 4;

  let offset = questionEnd;
  // Skip answer and authority records: a query has none, but tolerating them costs nothing.
  for (let i = 0; i < ancount + nscount; i++) {
    const next = skipRecord(buf, offset);
    if (next === undefined) return { kind: 'malformed', id, flags };
    offset = next.end;
  }
  let edns: QueryEdns | undefined;
  for (let i = 0; i < arcount; i++) {
    const next = skipRecord(buf, offset);
    if (next === undefined) return { kind: 'malformed', id, flags };
    if (next.type === TYPE_OPT) {
      // RFC 6891 section 6.1.1: one OPT at most, owned by the root.
      if (edns !== undefined || next.ownerIsRoot === false) return { kind: 'formerr', id, flags };
      const ttl = buf.readUInt32BE(next.fixedStart + 4);
      edns = {
        payloadSize: buf.readUInt16BE(next.fixedStart + 2),
        version: (ttl >>> 16) & 0xff,
        dnssecOk: (ttl & 0x8000) !== 0,
      };
    }
    offset = next.end;
  }

  return {
    kind: 'query',
    query: {
      id,
      flags,
      opcode: (flags >>> 11) & 0xf,
      qname: name.text,
      qnamePlain: name.plain,
      qtype,
      qclass,
      questionBytes: buf.subarray(HEADER_LEN, questionEnd),
      edns,
    },
  };
}

/** Reads an uncompressed question name (a pointer in the question can only point into the header). */
function readQuestionName(buf: Buffer, start: number): { text: string; plain: boolean; end: number } | undefined {
  const labels: string[] = [];
  let plain = true;
  let offset = start;
  for (;;) {
    if (offset >= buf.length) return undefined;
    const len = buf[offset]!;
    if (len === 0) {
      offset += 1;
      break;
    }
    if ((len & 0xc0) !== 0) return undefined;
    if (offset + 1 + len > buf.length || offset + 1 + len - start >= MAX_NAME_WIRE_LEN) return undefined;
    let label = '';
    for (let i = offset + 1; i <= offset + len; i++) {
      let byte = buf[i]!;
      if (byte >= 0x41 && byte <= 0x5a) byte += 0x20; // ASCII-only case folding (RFC 4343 section 3)
      if (byte <= 0x20 || byte >= 0x7f || byte === 0x2e || byte === 0x5c) plain = false;
      label += String.fromCharCode(byte);
    }
    labels.push(label);
    offset += 1 + len;
  }
  return { text: labels.join('.'), plain, end: offset };
}

/** Skips one resource record (owner may be compressed); reports its type and where TYPE starts. */
function skipRecord(
  buf: Buffer,
  start: number,
): { end: number; type: number; fixedStart: number; ownerIsRoot: boolean } | undefined {
  let offset = start;
  let ownerDone = false;
  // 128 labels is more than any legal name (255 octets) can hold: the bound only stops garbage.
  for (let labels = 0; labels < 128 && !ownerDone; labels++) {
    if (offset >= buf.length) return undefined;
    const len = buf[offset]!;
    if (len === 0) {
      offset += 1;
      ownerDone = true;
    } else if ((len & 0xc0) === 0xc0) {
      offset += 2;
      ownerDone = true;
    } else if ((len & 0xc0) !== 0) {
      return undefined;
    } else {
      offset += 1 + len;
    }
  }
  if (!ownerDone || offset + 10 > buf.length) return undefined;
  const type = buf.readUInt16BE(offset);
  const rdlength = buf.readUInt16BE(offset + 8);
  const end = offset + 10 + rdlength;
  if (end > buf.length) return undefined;
  return { end, type, fixedStart: offset, ownerIsRoot: offset === start + 1 };
}

/** Sections of a response. */
export interface ResponseSections {
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

/**
 * Encodes a response: header with `flags` (QR added here; rcode in the low four bits), the question
 * bytes as received (none when `questionBytes` is undefined), then the sections.
 */
export function encodeResponse(
  id: number,
  flags: number,
  questionBytes: Buffer | undefined,
  sections: ResponseSections,
): Buffer {
  const body = dnsPacket.encode({
    type: 'response',
    id,
    flags: flags & 0x7fff,
    questions: [],
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: sections.additionals,
  });
  if (questionBytes === undefined) return body;
  const out = Buffer.allocUnsafe(body.length + questionBytes.length);
  body.copy(out, 0, 0, HEADER_LEN);
  out.writeUInt16BE(1, 4);
  questionBytes.copy(out, HEADER_LEN);
  body.copy(out, HEADER_LEN + questionBytes.length, HEADER_LEN);
  return out;
}
