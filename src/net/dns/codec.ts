/**
 * DNS message codec for queries: validation of what is asked (RFC 1035 section 2.3.4 limits), the query
 * bytes (EDNS0, DO, RD and CD bits), unpredictable message ids (RFC 5452 section 9.2), the check that a
 * reply answers exactly the question asked (RFC 5452 section 9.1), and the reply's public shape. Replies
 * themselves are decoded by the hardened parser in reply-parser.ts.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Packet, RecordType } from 'dns-packet';
import type { DnsPacket } from './reply-parser.js';
import type { DnsQueryOptions, DnsResponse, DnsServer } from './dns-client.types.js';
import { canonicalAddress } from './server-address.js';
import { canonicalName } from '../../core/names.js';

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_RETRIES = 1;
/** RFC 9715 / DNS Flag Day 2020: 1232 octets avoids IP fragmentation on almost every path. */
const EDNS_UDP_PAYLOAD_SIZE = 1232;
/** RFC 1035 section 2.3.4 limits. */
const MAX_LABEL_BYTES = 63;
const MAX_NAME_WIRE_BYTES = 255;

type QueryClass = 'IN' | 'CH';

/** A query that passed validation: ready to be encoded and sent. */
export interface ValidQuery {
  server: DnsServer;
  family: 4 | 6;
  /** Lower case, no trailing dot ('.' for the root). */
  name: string;
  type: RecordType;
  qclass: QueryClass;
  timeoutMs: number;
  attempts: number;
  dnssecOk: boolean;
  recursionDesired: boolean;
  checkingDisabled: boolean;
  tcp: boolean;
}

/** Returns a ValidQuery, or a string saying why the query cannot be sent. Never resolves names. */
export function validateQuery(
  server: DnsServer,
  name: string,
  type: RecordType,
  options: DnsQueryOptions,
): ValidQuery | string {
  if (typeof server?.address !== 'string' || net.isIP(server.address) === 0) {
    return `server address ${JSON.stringify(server?.address)} is not an IP literal`;
  }
  if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65535) {
    return `server port ${JSON.stringify(server.port)} is out of range`;
  }
  const normalized = normalizeName(typeof name === 'string' ? name : '');
  const nameProblem = nameEncodingProblem(normalized);
  if (nameProblem !== undefined) return nameProblem;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return `timeoutMs ${timeoutMs} must be positive`;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10)
    return `retries ${retries} must be an integer from 0 to 10`;
  return {
    server: { address: canonicalAddress(server.address), port: server.port },
    family: net.isIP(server.address) === 6 ? 6 : 4,
    name: normalized,
    type,
    qclass: options.qclass ?? 'IN',
    timeoutMs,
    attempts: 1 + retries,
    dnssecOk: options.dnssecOk ?? false,
    recursionDesired: options.recursionDesired ?? true,
    checkingDisabled: options.checkingDisabled ?? false,
    tcp: options.tcp ?? false,
  };
}

/** Why `name` cannot be put on the wire (RFC 1035 section 2.3.4), or undefined if it can. */
function nameEncodingProblem(name: string): string | undefined {
  if (name === '.') return undefined;
  let wireBytes = 1;
  for (const label of name.split('.')) {
    const labelBytes = Buffer.byteLength(label);
    if (labelBytes === 0) return `name ${JSON.stringify(name)} has an empty label`;
    if (labelBytes > MAX_LABEL_BYTES) return `name ${JSON.stringify(name)} has a label over ${MAX_LABEL_BYTES} octets`;
    wireBytes += labelBytes + 1;
  }
  if (wireBytes > MAX_NAME_WIRE_BYTES)
    return `name ${JSON.stringify(name.slice(0, 64))}... is over ${MAX_NAME_WIRE_BYTES} octets`;
  return undefined;
}

/** `canonicalName` as the wire client writes questions: the root is '.' rather than ''. */
export function normalizeName(name: string): string {
  const canonical = canonicalName(name);
  return canonical === '' ? '.' : canonical;
}

export function buildQuery(query: ValidQuery, id: number): Packet {
  let flags = dnsPacket.AUTHENTIC_DATA; // RFC 6840 section 5.7: ask for the AD bit in the answer
  if (query.recursionDesired) flags |= dnsPacket.RECURSION_DESIRED;
  if (query.checkingDisabled) flags |= dnsPacket.CHECKING_DISABLED;
  return {
    type: 'query',
    id,
    flags,
    questions: [{ name: query.name, type: query.type, class: query.qclass }],
    // RFC 6891 section 6.1: EDNS0 OPT pseudo-record; the DO bit (RFC 3225) asks for DNSSEC records.
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: EDNS_UDP_PAYLOAD_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: query.dnssecOk ? dnsPacket.DNSSEC_OK : 0,
        flag_do: query.dnssecOk,
        options: [],
      },
    ],
  };
}

/**
 * The query message, written directly (RFC 1035 4.1, RFC 6891 6.1.2 for the OPT record): the same
 * bytes as `dnsPacket.encode(buildQuery(...))` (a test holds them equal), without building and walking
 * a packet object for each of the tens of thousands of queries a portfolio scan sends.
 */
export function encodeQuery(query: ValidQuery, id: number): Buffer {
  const typeCode = QTYPE_CODES.get(query.type);
  if (typeCode === undefined) return dnsPacket.encode(buildQuery(query, id));
  const labels = query.name === '.' ? [] : query.name.split('.');
  let nameLength = 1;
  for (const label of labels) nameLength += 1 + Buffer.byteLength(label);
  const buf = Buffer.allocUnsafe(12 + nameLength + 4 + 11);
  let flags = dnsPacket.AUTHENTIC_DATA;
  if (query.recursionDesired) flags |= dnsPacket.RECURSION_DESIRED;
  if (query.checkingDisabled) flags |= dnsPacket.CHECKING_DISABLED;
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(flags & 0x7fff, 2);
  buf.writeUInt16BE(1, 4); // QDCOUNT
  buf.writeUInt16BE(0, 6);
  buf.writeUInt16BE(0, 8);
  buf.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  let offset = 12;
  for (const label of labels) {
    const length = buf.write(label, offset + 1);
    buf.writeUInt8(length, offset);
    offset += 1 + length;
  }
  buf.writeUInt8(0, offset++);
  buf.writeUInt16BE(typeCode, offset);
  buf.writeUInt16BE(query.qclass === 'CH' ? 3 : 1, offset + 2);
  offset += 4;
  buf.writeUInt8(0, offset); // OPT owner: the root
  buf.writeUInt16BE(41, offset + 1); // TYPE OPT
  buf.writeUInt16BE(EDNS_UDP_PAYLOAD_SIZE, offset + 3); // CLASS: requestor's UDP payload size
  buf.writeUInt32BE(query.dnssecOk ? dnsPacket.DNSSEC_OK : 0, offset + 5); // TTL: ext. RCODE, version 0, DO bit
  buf.writeUInt16BE(0, offset + 9); // RDLENGTH
  return buf;
}

/** Numeric codes of the query types Vitals asks (RFC 1035, 3596, 4034, 5936, 8659). */
const QTYPE_CODES: ReadonlyMap<string, number> = new Map([
  ['A', 1],
  ['NS', 2],
  ['CNAME', 5],
  ['SOA', 6],
  ['PTR', 12],
  ['MX', 15],
  ['TXT', 16],
  ['AAAA', 28],
  ['SRV', 33],
  ['DS', 43],
  ['RRSIG', 46],
  ['NSEC', 47],
  ['DNSKEY', 48],
  ['NSEC3', 50],
  ['TLSA', 52],
  ['ANY', 255],
  ['AXFR', 252],
  ['CAA', 257],
]);

/** RFC 5452 section 9.1: a reply counts only if it is a response to exactly our question. */
export function replyMatchesQuery(packet: DnsPacket, query: ValidQuery): boolean {
  if (packet.type !== 'response' || packet.opcode !== 'QUERY' || packet.questions.length !== 1) return false;
  const question = packet.questions[0];
  return (
    question !== undefined &&
    question.type === query.type &&
    (question.class ?? 'IN') === query.qclass &&
    normalizeName(question.name) === query.name
  );
}

export function toResponse(packet: DnsPacket, transport: 'udp' | 'tcp', server: DnsServer): DnsResponse {
  return {
    rcode: fullRcode(packet),
    flags: {
      aa: packet.flag_aa,
      tc: packet.flag_tc,
      rd: packet.flag_rd,
      ra: packet.flag_ra,
      ad: packet.flag_ad,
      cd: packet.flag_cd,
    },
    answers: packet.answers,
    authorities: packet.authorities,
    additionals: packet.additionals,
    transport,
    server,
  };
}

/** RFC 6891 section 6.1.3: the OPT record carries the upper 8 bits of a 12-bit RCODE. */
function fullRcode(packet: DnsPacket): string {
  const opt = packet.additionals.find((a) => a.type === 'OPT');
  const upper = opt !== undefined && 'extendedRcode' in opt ? opt.extendedRcode : 0;
  if (!upper) return packet.rcode;
  const low = packet.flags & 0x0f;
  const value = (upper << 4) | low;
  return value === 16 ? 'BADVERS' : `RCODE_${value}`;
}

/** Unpredictable 16-bit message ids from the CSPRNG (RFC 5452 section 9.2), drawn in batches. */
export class RandomIdSource {
  private pool = randomBytes(0);
  private offset = 0;

  next(): number {
    if (this.offset + 2 > this.pool.length) {
      this.pool = randomBytes(4096);
      this.offset = 0;
    }
    const id = this.pool.readUInt16BE(this.offset);
    this.offset += 2;
    return id;
  }

  /** A random id not already waiting in `inUse` (a bounded number of tries). */
  unusedIn(inUse: ReadonlyMap<number, unknown>): number | undefined {
    for (let tries = 0; tries < 64; tries++) {
      const id = this.next();
      if (!inUse.has(id)) return id;
    }
    return undefined;
  }
}
