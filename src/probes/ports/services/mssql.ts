/**
 * Microsoft SQL Server (MS-TDS 2.2.6.5 PRELOGIN): the client sends a PRELOGIN packet (type 0x12) of option
 * tokens (VERSION, ENCRYPTION, INSTOPT, THREADID, MARS, then the 0xFF terminator) and the server answers
 * with a tabular-result packet (type 0x04) in the same layout: its version (major.minor.build) and its
 * encryption setting. No LOGIN7 follows: nothing is ever logged in to.
 *
 * Every offset and length in the reply comes from the server and is checked against the packet before it
 * is read: a hostile server can name option data past the end, lengths that overflow, or no terminator.
 */
import { ProtocolMismatch, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

export const TDS_PRELOGIN = 0x12;
export const TDS_TABULAR_RESULT = 0x04;
/** A PRELOGIN reply fits one default-size packet (4096 bytes); anything longer is not one. */
export const MAX_TDS_PACKET = 4096;
const HEADER = 8;

export const PRELOGIN_OPTION = { version: 0x00, encryption: 0x01, instopt: 0x02, threadid: 0x03, mars: 0x04 } as const;
const TERMINATOR = 0xff;

/** ENCRYPTION values (MS-TDS 2.2.6.5): what the server will do about TLS inside TDS. */
export const TDS_ENCRYPTION = { off: 0, on: 1, not_supported: 2, required: 3 } as const;
export type TdsEncryption = keyof typeof TDS_ENCRYPTION | 'unknown';

/** An 8-byte TDS packet header: type, status (0x01: end of message), big-endian length, SPID, id, window. */
export function tdsPacket(type: number, payload: Buffer, packetId = 1): Buffer {
  const header = Buffer.alloc(HEADER);
  header[0] = type;
  header[1] = 0x01;
  header.writeUInt16BE(HEADER + payload.length, 2);
  header[6] = packetId;
  return Buffer.concat([header, payload]);
}

/** PRELOGIN option tokens and their data: each token is 5 bytes (type, offset, length), offsets from the payload. */
export function preloginPayload(options: ReadonlyArray<readonly [number, Buffer]>): Buffer {
  const tableLength = options.length * 5 + 1;
  const table = Buffer.alloc(tableLength);
  let offset = tableLength;
  options.forEach(([token, data], i) => {
    table[i * 5] = token;
    table.writeUInt16BE(offset, i * 5 + 1);
    table.writeUInt16BE(data.length, i * 5 + 3);
    offset += data.length;
  });
  table[tableLength - 1] = TERMINATOR;
  return Buffer.concat([table, ...options.map(([, data]) => data)]);
}

/** The client's PRELOGIN: version 0.0.0, encryption off (the server says what it does), no instance, no MARS. */
export function preloginRequest(): Buffer {
  return tdsPacket(
    TDS_PRELOGIN,
    preloginPayload([
      [PRELOGIN_OPTION.version, Buffer.alloc(6)],
      [PRELOGIN_OPTION.encryption, Buffer.from([TDS_ENCRYPTION.off])],
      [PRELOGIN_OPTION.instopt, Buffer.from([0])],
      [PRELOGIN_OPTION.threadid, Buffer.alloc(4)],
      [PRELOGIN_OPTION.mars, Buffer.from([0])],
    ]),
  );
}

export interface PreloginReply {
  /** major.minor.build, e.g. 15.0.2000 (SQL Server 2019 RTM); null when the reply carries no VERSION. */
  version: string | null;
  encryption: TdsEncryption;
}

/**
 * One TDS packet holding a PRELOGIN reply. Throws ProtocolMismatch for anything that is not one: another
 * packet type, a length outside 8..4096, a token table without terminator, or option data outside the packet.
 */
export function parsePreloginReply(data: Buffer): Parsed<PreloginReply> {
  if (data.length < 1) return undefined;
  if (data[0] !== TDS_TABULAR_RESULT) throw new ProtocolMismatch(`TDS packet type 0x${data[0]!.toString(16)}`);
  if (data.length < HEADER) return undefined;
  const length = data.readUInt16BE(2);
  // The smallest reply is a header and a lone terminator.
  if (length < HEADER + 1 || length > MAX_TDS_PACKET) throw new ProtocolMismatch(`TDS packet length ${length}`);
  if (data.length < length) return undefined;
  const payload = data.subarray(HEADER, length);
  const options = new Map<number, Buffer>();
  for (let at = 0; ; at += 5) {
    if (at >= payload.length) throw new ProtocolMismatch('PRELOGIN option list without terminator');
    const token = payload[at]!;
    if (token === TERMINATOR) break;
    if (at + 5 > payload.length) throw new ProtocolMismatch('PRELOGIN option token cut short');
    const offset = payload.readUInt16BE(at + 1);
    const size = payload.readUInt16BE(at + 3);
    if (offset + size > payload.length) throw new ProtocolMismatch(`PRELOGIN option ${token} outside the packet`);
    if (!options.has(token)) options.set(token, payload.subarray(offset, offset + size));
  }
  const version = options.get(PRELOGIN_OPTION.version);
  const encryption = options.get(PRELOGIN_OPTION.encryption);
  // VERSION is the server's UL_VERSION (major, minor, big-endian build) then US_SUBBUILD.
  const named =
    version !== undefined && version.length >= 4 ? `${version[0]}.${version[1]}.${version.readUInt16BE(2)}` : null;
  const setting = encryption?.length === 1 ? encryption[0]! : -1;
  const encryptionName =
    (Object.keys(TDS_ENCRYPTION) as Array<keyof typeof TDS_ENCRYPTION>).find((k) => TDS_ENCRYPTION[k] === setting) ??
    'unknown';
  return { value: { version: named, encryption: encryptionName }, used: length };
}

export const mssqlProtocol: ClientFirstProtocol = {
  name: 'mssql',
  usualPorts: [1433],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(preloginRequest());
      const reply = await conversation.read(parsePreloginReply);
      if (!reply.ok) return mismatch(`${reply.why}: ${reply.detail}`);
      // A reply with neither VERSION nor ENCRYPTION is a well-formed packet that says nothing of SQL Server.
      if (reply.value.version === null && reply.value.encryption === 'unknown')
        return mismatch('a TDS packet without the PRELOGIN VERSION and ENCRYPTION options');
      return matched({ name: 'mssql', version: reply.value.version, encryption: reply.value.encryption });
    }),
};
