/**
 * SMB over TCP 445 (MS-SMB2 2.2.3, MS-CIFS 2.2.4.52): an SMB1 NEGOTIATE listing the SMB1 dialect and the
 * SMB2 ones names the service (an SMB2 server answers with an SMB2 NEGOTIATE response). Whether SMBv1 is
 * still accepted: a second NEGOTIATE offering only `NT LM 0.12`; a server with SMBv1 disabled drops the
 * connection, one that accepts it answers with an SMB1 response choosing that dialect.
 */
import { ProtocolMismatch, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, type PortContext, withConversation } from './service-probe.js';

export const SMB1_DIALECT = 'NT LM 0.12';
export const SMB2_DIALECTS = ['SMB 2.002', 'SMB 2.???'];

/** NetBIOS session framing (RFC 1002 4.3.1 as used on 445): type 0, 3-byte length. */
export function sessionMessage(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length & 0xffffff);
  return Buffer.concat([header, body]);
}

export function smb1Negotiate(dialects: readonly string[]): Buffer {
  const header = Buffer.alloc(32);
  Buffer.from([0xff, 0x53, 0x4d, 0x42]).copy(header, 0);
  header[4] = 0x72; // SMB_COM_NEGOTIATE
  header[9] = 0x18; // flags: case-insensitive paths, canonicalized
  header.writeUInt16LE(0xc853, 10); // flags2: unicode, NT status, long names, extended security
  header.writeUInt16LE(0xfeff, 26); // PID
  const names = Buffer.concat(dialects.map((d) => Buffer.from(`\x02${d}\0`, 'latin1')));
  const body = Buffer.alloc(3);
  body[0] = 0; // word count
  body.writeUInt16LE(names.length, 1);
  return sessionMessage(Buffer.concat([header, body, names]));
}

export interface NegotiateReply {
  version: 1 | 2;
  /** SMB1: the index of the chosen dialect (0xFFFF: none). SMB2: the dialect revision (0x02FF: wildcard). */
  dialect: number;
}

export function parseNegotiateReply(data: Buffer): Parsed<NegotiateReply> {
  if (data.length < 4) return undefined;
  if (data[0] !== 0) throw new ProtocolMismatch(`NetBIOS message type ${data[0]}`);
  const length = data.readUInt32BE(0) & 0xffffff;
  if (length < 36 || length > 65536) throw new ProtocolMismatch(`SMB message length ${length}`);
  if (data.length < 4 + length) return undefined;
  const message = data.subarray(4, 4 + length);
  const magic = message.subarray(0, 4).toString('latin1');
  if (magic === '\xffSMB') {
    if (message[4] !== 0x72) throw new ProtocolMismatch('SMB1 reply is not a NEGOTIATE');
    const wordCount = message[32]!;
    const dialect = wordCount >= 1 ? message.readUInt16LE(33) : 0xffff;
    return { value: { version: 1, dialect }, used: 4 + length };
  }
  if (magic === '\xfeSMB') {
    if (message.length < 64 + 6 || message.readUInt16LE(12) !== 0)
      throw new ProtocolMismatch('SMB2 reply is not a NEGOTIATE');
    return { value: { version: 2, dialect: message.readUInt16LE(64 + 4) }, used: 4 + length };
  }
  throw new ProtocolMismatch('no SMB signature');
}

function dialectName(reply: NegotiateReply, offered: readonly string[]): string {
  if (reply.version === 1) return offered[reply.dialect] ?? `SMB1 dialect index ${reply.dialect}`;
  return reply.dialect === 0x02ff
    ? 'SMB 2.???'
    : `SMB ${(reply.dialect >> 8).toString(16)}.${(reply.dialect & 0xff).toString(16).padStart(2, '0')}`;
}

/** Offers SMB1 alone: accepted (an SMB1 reply with the dialect), refused (the server hangs up), or unknown. */
async function smb1Accepted(ctx: PortContext) {
  const outcome = await withConversation(ctx, async (conversation) => {
    conversation.write(smb1Negotiate([SMB1_DIALECT]));
    const reply = await conversation.read(parseNegotiateReply);
    if (reply.ok)
      return reply.value.version === 1 && reply.value.dialect === 0
        ? matched({ name: 'smb', dialect: SMB1_DIALECT, smb1: { assessed: true, value: true } })
        : matched({ name: 'smb', dialect: '', smb1: { assessed: true, value: false } });
    if (reply.why === 'closed' || reply.why === 'reset')
      return matched({ name: 'smb', dialect: '', smb1: { assessed: true, value: false } });
    return mismatch(`${reply.why}: ${reply.detail}`);
  });
  if ('matched' in outcome && outcome.matched.name === 'smb') return outcome.matched.smb1;
  return { assessed: false as const, reason: `SMB1-only negotiate: ${'mismatch' in outcome ? outcome.mismatch : ''}` };
}

export const smbProtocol: ClientFirstProtocol = {
  name: 'smb',
  usualPorts: [445],
  probe: async (ctx) => {
    const offered = [SMB1_DIALECT, ...SMB2_DIALECTS];
    const first = await withConversation(ctx, async (conversation) => {
      conversation.write(smb1Negotiate(offered));
      const reply = await conversation.read(parseNegotiateReply);
      if (!reply.ok) return mismatch(`${reply.why}: ${reply.detail}`);
      const dialect = dialectName(reply.value, offered);
      const smb1 = reply.value.version === 1 && reply.value.dialect === 0;
      return matched({
        name: 'smb',
        dialect,
        smb1: smb1 ? { assessed: true, value: true } : { assessed: false, reason: '' },
      });
    });
    if (!('matched' in first) || first.matched.name !== 'smb') return first;
    if (first.matched.smb1.assessed) return first;
    return matched({ ...first.matched, smb1: await smb1Accepted(ctx) });
  },
};
