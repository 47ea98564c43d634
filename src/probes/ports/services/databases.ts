/**
 * Databases that wait for the client: PostgreSQL (SSLRequest, then a StartupMessage for user `postgres`:
 * AuthenticationOk means no password is asked), Redis (PING: `+PONG` without AUTH means no password;
 * INFO server for the version) and MongoDB (OP_MSG `hello`, then `listDatabases`: answered without
 * credentials, or refused with Unauthorized). No password is ever sent or guessed.
 */
import { ProtocolMismatch, printable, type Conversation, type Parsed } from './conversation.js';
import { decodeBson, encodeBson, type BsonValue } from './bson.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

// --- PostgreSQL (https://www.postgresql.org/docs/current/protocol-message-formats.html) ---

export const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

function singleByte(data: Buffer): Parsed<string> {
  const answer = String.fromCharCode(data[0]!);
  if (answer !== 'S' && answer !== 'N') throw new ProtocolMismatch('not an SSLRequest answer');
  return { value: answer, used: 1 };
}

export function startupMessage(user: string, database: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0application_name\0vitals\0\0`, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + params.length, 0);
  header.writeUInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([header, params]);
}

/** One backend message: type byte, int32 length (itself included), body. */
export function parseBackendMessage(data: Buffer): Parsed<{ type: string; body: Buffer }> {
  if (data.length < 5) return undefined;
  const length = data.readUInt32BE(1);
  if (length < 4 || length > 16 * 1024) throw new ProtocolMismatch(`PostgreSQL message length ${length}`);
  if (data.length < 1 + length) return undefined;
  return { value: { type: String.fromCharCode(data[0]!), body: data.subarray(5, 1 + length) }, used: 1 + length };
}

async function postgresNoAuth(conversation: Conversation) {
  conversation.write(startupMessage('postgres', 'postgres'));
  const reply = await conversation.read(parseBackendMessage);
  if (!reply.ok) return { assessed: false as const, reason: `startup: ${reply.why}: ${reply.detail}` };
  const { type, body } = reply.value;
  if (type === 'R' && body.length >= 4) {
    const code = body.readUInt32BE(0);
    // 0 AuthenticationOk: in without a password; 3 cleartext, 5 MD5, 10 SASL: a password is asked.
    if (code === 0) return { assessed: true as const, value: true };
    return { assessed: true as const, value: false };
  }
  // An ErrorResponse (no pg_hba.conf entry, unknown role): the server let nobody in.
  if (type === 'E') return { assessed: true as const, value: false };
  return { assessed: false as const, reason: `unexpected message ${JSON.stringify(type)} after startup` };
}

export const postgresProtocol: ClientFirstProtocol = {
  name: 'postgresql',
  usualPorts: [5432],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(SSL_REQUEST);
      const answer = await conversation.read(singleByte);
      if (!answer.ok) return mismatch(`${answer.why}: ${answer.detail}`);
      // Anything after the one byte means it was not PostgreSQL answering.
      if (conversation.pending.length > 0) return mismatch('more than one byte answered the SSLRequest');
      const ssl = answer.value === 'S';
      if (ssl) {
        const started = await conversation.startTls();
        if (!started.ok)
          return matched({ name: 'postgresql', ssl, noAuth: { assessed: false, reason: started.detail } });
      }
      return matched({ name: 'postgresql', ssl, noAuth: await postgresNoAuth(conversation) });
    }),
};

// --- Redis (RESP, https://redis.io/docs/latest/develop/reference/protocol-spec/) ---

function respLine(data: Buffer): Parsed<string> {
  const first = String.fromCharCode(data[0]!);
  if (!'+-$:*'.includes(first)) throw new ProtocolMismatch('not a RESP reply');
  const end = data.indexOf('\r\n');
  if (end < 0) {
    if (data.length > 1024) throw new ProtocolMismatch('RESP line too long');
    return undefined;
  }
  return { value: data.subarray(0, end).toString('latin1'), used: end + 2 };
}

function respBulk(data: Buffer): Parsed<string | null> {
  const head = respLine(data);
  if (head === undefined) return undefined;
  if (!head.value.startsWith('$')) return { value: null, used: head.used };
  const length = Number(head.value.slice(1));
  if (!Number.isInteger(length) || length > 60_000) throw new ProtocolMismatch('bad RESP bulk length');
  if (length < 0) return { value: null, used: head.used };
  if (data.length < head.used + length + 2) return undefined;
  return { value: data.subarray(head.used, head.used + length).toString('latin1'), used: head.used + length + 2 };
}

export const redisProtocol: ClientFirstProtocol = {
  name: 'redis',
  usualPorts: [6379],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write('PING\r\n');
      const pong = await conversation.read(respLine);
      if (!pong.ok) return mismatch(`${pong.why}: ${pong.detail}`);
      const line = pong.value;
      if (/^-(NOAUTH|WRONGPASS|DENIED)\b/.test(line))
        return matched({ name: 'redis', version: null, noAuth: { assessed: true, value: false } });
      if (line !== '+PONG') return mismatch(`PING answered ${JSON.stringify(printable(line, 40))}`);
      conversation.write('INFO server\r\n');
      const info = await conversation.read(respBulk);
      const version = info.ok && info.value !== null ? /redis_version:([^\r\n]+)/.exec(info.value)?.[1] : undefined;
      conversation.write('QUIT\r\n');
      return matched({
        name: 'redis',
        version: version === undefined ? null : printable(version, 40),
        noAuth: { assessed: true, value: true },
      });
    }),
};

// --- MongoDB (OP_MSG, https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/) ---

const OP_MSG = 2013;

export function opMsg(requestId: number, document: Record<string, BsonValue>, responseTo = 0): Buffer {
  const body = encodeBson(document);
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16); // flag bits
  header[20] = 0; // section kind 0: the body document
  return Buffer.concat([header, body]);
}

/** One OP_MSG reply with a kind-0 section: its document. */
export function parseOpMsg(data: Buffer): Parsed<{ requestId: number; document: Record<string, BsonValue> }> {
  if (data.length < 4) return undefined;
  const length = data.readInt32LE(0);
  if (length < 21 || length > 64 * 1024) throw new ProtocolMismatch(`MongoDB message length ${length}`);
  if (data.length < length) return undefined;
  if (data.readInt32LE(12) !== OP_MSG) throw new ProtocolMismatch('not an OP_MSG reply');
  if (data[20] !== 0) throw new ProtocolMismatch('OP_MSG without a body section first');
  const document = decodeBson(data.subarray(21, length));
  return { value: { requestId: data.readInt32LE(4), document }, used: length };
}

export const mongodbProtocol: ClientFirstProtocol = {
  name: 'mongodb',
  usualPorts: [27017],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(opMsg(1, { hello: 1, $db: 'admin' }));
      const hello = await conversation.read(parseOpMsg);
      if (!hello.ok) return mismatch(`${hello.why}: ${hello.detail}`);
      if (typeof hello.value.document.ok !== 'number' || !('maxWireVersion' in hello.value.document))
        return mismatch('hello reply without ok and maxWireVersion');
      conversation.write(opMsg(2, { buildInfo: 1, $db: 'admin' }));
      const build = await conversation.read(parseOpMsg);
      const rawVersion = build.ok ? build.value.document.version : undefined;
      const version = typeof rawVersion === 'string' ? printable(rawVersion, 40) : null;
      conversation.write(opMsg(3, { listDatabases: 1, nameOnly: true, $db: 'admin' }));
      const list = await conversation.read(parseOpMsg);
      if (!list.ok)
        return matched({ name: 'mongodb', version, noAuth: { assessed: false, reason: `listDatabases: ${list.why}` } });
      const { ok, code } = list.value.document;
      if (ok === 1) return matched({ name: 'mongodb', version, noAuth: { assessed: true, value: true } });
      // 13 Unauthorized, 18 AuthenticationFailed: credentials are demanded.
      if (code === 13 || code === 18)
        return matched({ name: 'mongodb', version, noAuth: { assessed: true, value: false } });
      return matched({
        name: 'mongodb',
        version,
        noAuth: { assessed: false, reason: `listDatabases error code ${String(code)}` },
      });
    }),
};
