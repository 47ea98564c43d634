/**
 * Oracle TNS listener: a TNS CONNECT packet (type 1) carrying the minimal connect descriptor
 * `(CONNECT_DATA=(COMMAND=version))`. A listener answers ACCEPT (2), REFUSE (4), REDIRECT (5) or RESEND (11);
 * any well-formed TNS reply of those types names the service. A REFUSE's data usually carries
 * `(VSNNUM=...)`, the listener's version as one number (major in bits 24-31, then 4, 8, 4 and 8 bits): it
 * is read when present.
 *
 * The packet header is 8 bytes: big-endian length (the whole packet), packet checksum, type, a reserved
 * byte, header checksum. Every length inside the reply is checked against the packet before it is read.
 */
import { ProtocolMismatch, printable, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

export const TNS_TYPE = { connect: 1, accept: 2, refuse: 4, redirect: 5, resend: 11 } as const;
/** TNS version 310 (0x136) keeps the 16-bit length field in every reply header (315 and later may not). */
const TNS_VERSION = 0x136;
const TNS_COMPATIBLE = 0x12c;
const HEADER = 8;
/** Where the connect data starts in our CONNECT (the fixed CONNECT fields end here). */
const CONNECT_DATA_OFFSET = 58;
/** The listener's replies to a version request are small; a session data unit is at most 8 KiB here. */
export const MAX_TNS_PACKET = 8192;

export const VERSION_DESCRIPTOR = '(CONNECT_DATA=(COMMAND=version))';

/** A TNS CONNECT with `descriptor` as its connect data (fields as a version-310 client sends them). */
export function tnsConnect(descriptor = VERSION_DESCRIPTOR): Buffer {
  const data = Buffer.from(descriptor, 'latin1');
  const packet = Buffer.alloc(CONNECT_DATA_OFFSET + data.length);
  packet.writeUInt16BE(packet.length, 0);
  packet[4] = TNS_TYPE.connect;
  packet.writeUInt16BE(TNS_VERSION, 8);
  packet.writeUInt16BE(TNS_COMPATIBLE, 10);
  packet.writeUInt16BE(0, 12); // service options
  packet.writeUInt16BE(0x0800, 14); // session data unit
  packet.writeUInt16BE(0x7fff, 16); // maximum transmission data unit
  packet.writeUInt16BE(0x7f08, 18); // NT protocol characteristics
  packet.writeUInt16BE(0, 20); // line turnaround
  packet.writeUInt16BE(1, 22); // the value 1 in the client's byte order
  packet.writeUInt16BE(data.length, 24);
  packet.writeUInt16BE(CONNECT_DATA_OFFSET, 26);
  data.copy(packet, CONNECT_DATA_OFFSET);
  return packet;
}

export type TnsReplyKind = 'accept' | 'refuse' | 'redirect' | 'resend';

export interface TnsReply {
  kind: TnsReplyKind;
  /** The reply's connect data (REFUSE and REDIRECT), printable and cut; empty when none. */
  data: string;
  /** From `(VSNNUM=n)` in the data: `19.0.0.0.0`; null when absent. */
  version: string | null;
}

/** VSNNUM: 0x13000000 is 19.0.0.0.0, 0x0B200400 is 11.2.0.4.0. */
export function vsnnumVersion(vsnnum: number): string {
  return [vsnnum >>> 24, (vsnnum >>> 20) & 0xf, (vsnnum >>> 12) & 0xff, (vsnnum >>> 8) & 0xf, vsnnum & 0xff].join('.');
}

const KINDS: Readonly<Record<number, TnsReplyKind>> = { 2: 'accept', 4: 'refuse', 5: 'redirect', 11: 'resend' };

/** Where the data of a REFUSE (after user and system reason) or a REDIRECT starts: its 16-bit length first. */
const DATA_LENGTH_AT: Readonly<Partial<Record<TnsReplyKind, number>>> = { refuse: HEADER + 2, redirect: HEADER };

/** One TNS reply packet. Throws ProtocolMismatch for a length outside 8..8192, another type, or data past the end. */
export function parseTnsReply(data: Buffer): Parsed<TnsReply> {
  if (data.length < HEADER) return undefined;
  const length = data.readUInt16BE(0);
  if (length < HEADER || length > MAX_TNS_PACKET) throw new ProtocolMismatch(`TNS packet length ${length}`);
  const kind = KINDS[data[4]!];
  if (kind === undefined) throw new ProtocolMismatch(`TNS packet type ${data[4]}`);
  // The reserved byte and the header checksum are zero in every listener's replies.
  if (data[5] !== 0 || data.readUInt16BE(6) !== 0) throw new ProtocolMismatch('not a TNS packet header');
  if (data.length < length) return undefined;
  const packet = data.subarray(0, length);
  let text = '';
  const at = DATA_LENGTH_AT[kind];
  if (at !== undefined) {
    if (at + 2 > packet.length) throw new ProtocolMismatch(`TNS ${kind} cut short`);
    const size = packet.readUInt16BE(at);
    if (at + 2 + size > packet.length) throw new ProtocolMismatch(`TNS ${kind} data past the packet`);
    text = packet.subarray(at + 2, at + 2 + size).toString('latin1');
  }
  const vsnnum = /\(VSNNUM=(\d{1,10})\)/.exec(text)?.[1];
  const number = vsnnum === undefined ? Number.NaN : Number(vsnnum);
  const version = Number.isInteger(number) && number <= 0xffffffff ? vsnnumVersion(number) : null;
  return { value: { kind, data: printable(text, 200), version }, used: length };
}

export const oracleProtocol: ClientFirstProtocol = {
  name: 'oracle',
  usualPorts: [1521],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(tnsConnect());
      const reply = await conversation.read(parseTnsReply);
      if (!reply.ok) return mismatch(`${reply.why}: ${reply.detail}`);
      return matched({ name: 'oracle', version: reply.value.version, reply: reply.value.kind });
    }),
};
