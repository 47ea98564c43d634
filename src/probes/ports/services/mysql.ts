/**
 * MySQL / MariaDB: the server speaks first with an Initial Handshake packet (protocol 10, the server
 * version, capabilities, the auth plugin). Is anonymous login accepted? A HandshakeResponse41 with an
 * empty user name and an empty password: an OK packet says yes, an ERR packet no. No password is guessed.
 */
import { ProtocolMismatch, printable, type Conversation, type Parsed } from './conversation.js';
import { matched, mismatch, type ProbeOutcome } from './service-probe.js';

const MAX_PACKET = 16 * 1024;

interface MysqlPacket {
  sequence: number;
  payload: Buffer;
}

export function parseMysqlPacket(data: Buffer): Parsed<MysqlPacket> {
  if (data.length < 4) return undefined;
  const length = data.readUIntLE(0, 3);
  if (length === 0 || length > MAX_PACKET) throw new ProtocolMismatch(`MySQL packet length ${length}`);
  if (data.length < 4 + length) return undefined;
  return { value: { sequence: data[3]!, payload: data.subarray(4, 4 + length) }, used: 4 + length };
}

/** A greeting's first bytes: a 3-byte length that fits, sequence 0, protocol 10 (or an ERR packet). */
export function isMysqlGreeting(banner: Buffer): boolean {
  if (banner.length < 5) return false;
  const length = banner.readUIntLE(0, 3);
  return length > 0 && length <= MAX_PACKET && banner[3] === 0 && (banner[4] === 0x0a || banner[4] === 0xff);
}

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;

export async function assessMysql(conversation: Conversation): Promise<ProbeOutcome> {
  const greeting = await conversation.read(parseMysqlPacket);
  if (!greeting.ok) return mismatch(`greeting: ${greeting.why}: ${greeting.detail}`);
  const payload = greeting.value.payload;
  if (payload[0] === 0xff) {
    // The server refuses this client outright (e.g. "Host ... is not allowed to connect"): still MySQL.
    const message = printable(payload.subarray(3).toString('utf8'));
    return matched({ name: 'mysql', version: `(refused: ${message})`, noAuth: { assessed: true, value: false } });
  }
  const end = payload.indexOf(0, 1);
  if (payload[0] !== 0x0a || end < 0 || end > 80) return mismatch('not a protocol-10 handshake');
  const version = printable(payload.subarray(1, end).toString('latin1'), 80);
  const plugin = /([a-z_0-9]+)\0?$/.exec(payload.subarray(end + 1).toString('latin1'))?.[1] ?? 'mysql_native_password';
  const capabilities = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;
  const body = Buffer.concat([
    u32(capabilities),
    u32(MAX_PACKET),
    Buffer.from([0x21]),
    Buffer.alloc(23),
    Buffer.from([0]), // empty user name
    Buffer.from([0]), // empty auth response
    Buffer.from(`${plugin}\0`, 'latin1'),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(body.length, 0, 3);
  header[3] = 1;
  conversation.write(Buffer.concat([header, body]));
  const answer = await conversation.read(parseMysqlPacket);
  if (!answer.ok)
    return matched({
      name: 'mysql',
      version,
      noAuth: { assessed: false, reason: `login: ${answer.why}: ${answer.detail}` },
    });
  const kind = answer.value.payload[0];
  if (kind === 0x00) return matched({ name: 'mysql', version, noAuth: { assessed: true, value: true } });
  if (kind === 0xff) return matched({ name: 'mysql', version, noAuth: { assessed: true, value: false } });
  return matched({
    name: 'mysql',
    version,
    noAuth: {
      assessed: false,
      reason: `the server asked for more authentication (packet 0x${(kind ?? 0).toString(16)})`,
    },
  });
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}
