/**
 * Healthcare and voice messaging: HL7 v2 over MLLP (a framed NMQ network-management query with processing
 * id T; an ACK, whatever its code, means the interface takes messages from anyone who connects), SIP
 * (OPTIONS over TCP, RFC 3261 section 11), STUN (Binding request over TCP, RFC 8489) and DNS over TCP.
 */
import { randomBytes } from 'node:crypto';
import { ProtocolMismatch, printable, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

export const MLLP_START = 0x0b;
export const MLLP_END = Buffer.from([0x1c, 0x0d]);

/** One MLLP frame (VT ... FS CR) of at most 32 KiB. */
export function parseMllpFrame(data: Buffer): Parsed<string> {
  if (data[0] !== MLLP_START) throw new ProtocolMismatch('not an MLLP frame');
  const end = data.indexOf(MLLP_END);
  if (end < 0) {
    if (data.length > 32 * 1024) throw new ProtocolMismatch('MLLP frame too long');
    return undefined;
  }
  return { value: data.subarray(1, end).toString('latin1'), used: end + 2 };
}

export function hl7Timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export const hl7Protocol: ClientFirstProtocol = {
  name: 'hl7',
  usualPorts: [2575],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      const control = `VITALS${randomBytes(4).toString('hex').toUpperCase()}`;
      const message = `MSH|^~\\&|VITALS|VITALS|||${hl7Timestamp()}||NMQ^N01|${control}|T|2.5\r`;
      conversation.write(Buffer.concat([Buffer.from([MLLP_START]), Buffer.from(message, 'latin1'), MLLP_END]));
      const frame = await conversation.read(parseMllpFrame);
      if (!frame.ok) return mismatch(`${frame.why}: ${frame.detail}`);
      const segments = frame.value.split(/\r\n?|\n/);
      const msa = segments.find((s) => s.startsWith('MSA|'));
      if (!segments[0]?.startsWith('MSH|') || !msa) return mismatch('MLLP reply without MSH and MSA');
      return matched({ name: 'hl7', acknowledgment: printable(msa.split('|')[1] ?? '', 4) });
    }),
};

/** A SIP response head (status line and headers), at most 8 KiB. */
export function parseSipResponse(data: Buffer): Parsed<{ status: string; headers: Map<string, string> }> {
  if (data.length >= 8 && data.subarray(0, 8).toString('latin1') !== 'SIP/2.0 ') throw new ProtocolMismatch('not SIP');
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) {
    if (data.length > 8192) throw new ProtocolMismatch('SIP head too long');
    return undefined;
  }
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1, 64)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const length = Number(headers.get('content-length') ?? headers.get('l') ?? 0);
  const total = end + 4 + (Number.isInteger(length) && length > 0 ? Math.min(length, 8192) : 0);
  if (data.length < total) return undefined;
  return { value: { status: printable(lines[0]!.slice(8), 60), headers }, used: total };
}

export const sipProtocol: ClientFirstProtocol = {
  name: 'sip',
  usualPorts: [5060],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      const host = ctx.address.includes(':') ? `[${ctx.address}]` : ctx.address;
      const tag = randomBytes(6).toString('hex');
      conversation.write(
        `OPTIONS sip:${host}:${ctx.port} SIP/2.0\r\n` +
          `Via: SIP/2.0/TCP vitals-scanner.invalid;branch=z9hG4bK${tag}\r\n` +
          'Max-Forwards: 70\r\n' +
          `From: <sip:vitals@vitals-scanner.invalid>;tag=${tag}\r\n` +
          `To: <sip:${host}:${ctx.port}>\r\n` +
          `Call-ID: ${tag}@vitals-scanner.invalid\r\n` +
          'CSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n',
      );
      const response = await conversation.read(parseSipResponse);
      if (!response.ok) return mismatch(`${response.why}: ${response.detail}`);
      const server = response.value.headers.get('server') ?? response.value.headers.get('user-agent') ?? null;
      return matched({
        name: 'sip',
        status: response.value.status,
        server: server === null ? null : printable(server, 100),
      });
    }),
};

export const STUN_MAGIC_COOKIE = 0x2112a442;

export function stunBindingRequest(transaction: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt16BE(0, 2);
  header.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  transaction.copy(header, 8);
  return header;
}

function stunResponse(transaction: Buffer): (data: Buffer) => Parsed<string | null> {
  return (data) => {
    if (data.length < 20) return undefined;
    const type = data.readUInt16BE(0);
    if ((type !== 0x0101 && type !== 0x0111) || data.readUInt32BE(4) !== STUN_MAGIC_COOKIE)
      throw new ProtocolMismatch('not a STUN Binding response');
    if (!data.subarray(8, 20).equals(transaction)) throw new ProtocolMismatch('STUN transaction id differs');
    const length = data.readUInt16BE(2);
    if (length > 2048) throw new ProtocolMismatch('STUN message too long');
    if (data.length < 20 + length) return undefined;
    let software: string | null = null;
    for (let offset = 20; offset + 4 <= 20 + length; ) {
      const attrType = data.readUInt16BE(offset);
      const attrLength = data.readUInt16BE(offset + 2);
      if (offset + 4 + attrLength > 20 + length) break;
      if (attrType === 0x8022)
        software = printable(data.subarray(offset + 4, offset + 4 + attrLength).toString('utf8'), 100);
      offset += 4 + Math.ceil(attrLength / 4) * 4;
    }
    return { value: software, used: 20 + length };
  };
}

export const stunProtocol: ClientFirstProtocol = {
  name: 'stun',
  usualPorts: [3478],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      const transaction = randomBytes(12);
      conversation.write(stunBindingRequest(transaction));
      const response = await conversation.read(stunResponse(transaction));
      return response.ok
        ? matched({ name: 'stun', software: response.value })
        : mismatch(`${response.why}: ${response.detail}`);
    }),
};

/** DNS over TCP (RFC 7766): a query for `. NS`; an answer with the same id and QR set is DNS. */
export const dnsProtocol: ClientFirstProtocol = {
  name: 'dns',
  usualPorts: [53],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      const id = randomBytes(2);
      const query = Buffer.concat([id, Buffer.from([0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1])]);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      conversation.write(Buffer.concat([length, query]));
      const reply = await conversation.read((data) => {
        if (data.length < 2) return undefined;
        const n = data.readUInt16BE(0);
        if (n < 12) throw new ProtocolMismatch('DNS message too short');
        if (data.length < 4) return undefined;
        if (!data.subarray(2, 4).equals(id)) throw new ProtocolMismatch('DNS id differs');
        if (data.length < 2 + 12) return undefined;
        if ((data[4]! & 0x80) === 0) throw new ProtocolMismatch('not a DNS response');
        return { value: true, used: data.length };
      });
      return reply.ok ? matched({ name: 'dns' }) : mismatch(`${reply.why}: ${reply.detail}`);
    }),
};
