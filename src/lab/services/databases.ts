/**
 * The lab's databases, each with or without credentials: MySQL (greeting; an anonymous login gets OK or
 * "Access denied"), PostgreSQL (SSLRequest answered 'N'; trust or MD5 authentication), Redis (PING and
 * INFO, or NOAUTH), MongoDB (OP_MSG hello, buildInfo, listDatabases or Unauthorized) and Elasticsearch
 * (GET / with the node's JSON, or 401 from the security realm).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { decodeBson, encodeBson, type BsonValue } from '../../probes/ports/services/bson.js';
import type { LabService } from './plan.js';
import { isText, session, takeLine } from './session.js';

function mysqlPacket(sequence: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence;
  return Buffer.concat([header, payload]);
}

export function serveMysql(socket: net.Socket, service: LabService): void {
  const scramble = randomBytes(20).map((b) => (b % 94) + 33);
  const caps = Buffer.alloc(4);
  caps.writeUInt32LE(0x000ff7ff | 0x80000);
  const greeting = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${service.version}\0`, 'latin1'),
    Buffer.from([7, 0, 0, 0]),
    scramble.subarray(0, 8),
    Buffer.from([0]),
    caps.subarray(0, 2),
    Buffer.from([0x21, 0x02, 0x00]),
    caps.subarray(2, 4),
    Buffer.from([21]),
    Buffer.alloc(10),
    scramble.subarray(8, 20),
    Buffer.from([0]),
    Buffer.from('mysql_native_password\0', 'latin1'),
  ]);
  socket.write(mysqlPacket(0, greeting));
  session(socket, (data) => {
    if (data.length < 4) return 0;
    const length = data.readUIntLE(0, 3);
    if (length < 32 || length > 4096) return 'close';
    if (data.length < 4 + length) return 0;
    const payload = data.subarray(4, 4 + length);
    const userEnd = payload.indexOf(0, 32);
    const user = userEnd < 0 ? null : payload.subarray(32, userEnd).toString('utf8');
    const passwordLength = userEnd < 0 ? 0 : (payload[userEnd + 1] ?? 0);
    if (service.weak && user === '' && passwordLength === 0)
      socket.write(mysqlPacket(2, Buffer.from([0, 0, 0, 2, 0, 0, 0])));
    else {
      const used = passwordLength > 0 ? 'YES' : 'NO';
      const message = `Access denied for user '${user ?? ''}'@'scanner' (using password: ${used})`;
      socket.write(
        mysqlPacket(2, Buffer.concat([Buffer.from([0xff, 0x15, 0x04]), Buffer.from(`#28000${message}`, 'utf8')])),
      );
    }
    return 'close';
  });
}

function pgMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

export function servePostgres(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    if (data.length < 8) return 0;
    const length = data.readUInt32BE(0);
    if (length < 8 || length > 4096) return 'close';
    if (data.length < length) return 0;
    const code = data.readUInt32BE(4);
    if (code === 80877103) {
      socket.write('N');
      return 8;
    }
    if (code !== 196608) return 'close';
    if (service.weak) {
      const version = Buffer.from(`server_version\0${service.version}\0`, 'latin1');
      socket.write(
        Buffer.concat([pgMessage('R', Buffer.alloc(4)), pgMessage('S', version), pgMessage('Z', Buffer.from('I'))]),
      );
    } else {
      const md5 = Buffer.alloc(8);
      md5.writeUInt32BE(5, 0);
      randomBytes(4).copy(md5, 4);
      socket.write(pgMessage('R', md5));
    }
    return 'close';
  });
}

/** Redis commands: inline (`PING\r\n`) or RESP arrays (`*1\r\n$4\r\nPING\r\n`). */
function redisCommand(data: Buffer): { words: string[]; used: number } | null | 'bad' {
  if (data[0] === 0x2a) {
    const head = takeLine(data);
    if (head === null) return null;
    const count = Number(head.line.slice(1));
    if (!Number.isInteger(count) || count < 1 || count > 16) return 'bad';
    const words: string[] = [];
    let offset = head.used;
    for (let i = 0; i < count; i++) {
      const size = takeLine(data.subarray(offset));
      if (size === null) return null;
      const n = Number(size.line.slice(1));
      if (!size.line.startsWith('$') || !Number.isInteger(n) || n < 0 || n > 1024) return 'bad';
      offset += size.used;
      if (data.length < offset + n + 2) return null;
      words.push(data.subarray(offset, offset + n).toString('latin1'));
      offset += n + 2;
    }
    return { words, used: offset };
  }
  // Binary that is not RESP (a TLS hello, an RDP request) is refused at once, as Redis does.
  if (!isText(data.subarray(0, 64).toString('latin1'))) return 'bad';
  const line = takeLine(data);
  if (line === null) return null;
  return { words: line.line.trim().split(/\s+/), used: line.used };
}

export function serveRedis(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    const command = redisCommand(data);
    if (command === null) return 0;
    if (command === 'bad') {
      socket.write("-ERR Protocol error: expected '$', got something else\r\n");
      return 'close';
    }
    const verb = (command.words[0] ?? '').toUpperCase();
    if (verb === 'QUIT') {
      socket.write('+OK\r\n');
      return 'close';
    }
    if (!service.weak && verb !== 'AUTH') socket.write('-NOAUTH Authentication required.\r\n');
    else if (verb === 'PING') socket.write('+PONG\r\n');
    else if (verb === 'INFO') {
      const info = `# Server\r\nredis_version:${service.version}\r\nredis_mode:standalone\r\nos:Linux\r\n`;
      socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
    } else if (verb === 'AUTH') socket.write('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    else if (verb === 'GET' || verb === 'POST' || verb.startsWith('HOST:')) {
      // Redis drops connections that look like HTTP (a cross-protocol defence since 3.2.7).
      return 'close';
    } else socket.write(`-ERR unknown command '${verb.slice(0, 40)}'\r\n`);
    return command.used;
  });
}

function opMsgReply(requestId: number, responseTo: number, document: Record<string, BsonValue>): Buffer {
  const body = encodeBson(document);
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, body]);
}

export function serveMongodb(socket: net.Socket, service: LabService): void {
  let replies = 100;
  const wire = service.version.startsWith('3.') ? 6 : 21;
  session(socket, (data) => {
    if (data.length < 16) return 0;
    const length = data.readInt32LE(0);
    if (length < 21 || length > 48 * 1024 * 1024) return 'close';
    if (data.length < length) return 0;
    if (data.readInt32LE(12) !== 2013 || data[20] !== 0) return 'close';
    const requestId = data.readInt32LE(4);
    const command = decodeBson(data.subarray(21, length));
    const name = Object.keys(command)[0] ?? '';
    let answer: Record<string, BsonValue>;
    if (name === 'hello' || name === 'isMaster' || name === 'ismaster')
      answer = { isWritablePrimary: true, maxBsonObjectSize: 16777216, maxWireVersion: wire, minWireVersion: 0, ok: 1 };
    else if (name === 'buildInfo' || name === 'buildinfo') answer = { version: service.version, ok: 1 };
    else if (!service.weak)
      answer = { ok: 0, errmsg: `command ${name} requires authentication`, code: 13, codeName: 'Unauthorized' };
    else if (name === 'listDatabases')
      answer = { databases: [{ name: 'admin' }, { name: 'patients' }], totalSize: 40960, ok: 1 };
    else answer = { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
    socket.write(opMsgReply(replies++, requestId, answer));
    return length;
  });
}

/** An Elasticsearch node's HTTP API (only `GET /` matters to the scanner). */
export function elasticsearchServer(service: LabService): http.Server {
  return http.createServer((request, response) => {
    request.resume();
    if (!service.weak) {
      const body = JSON.stringify({
        error: {
          root_cause: [
            { type: 'security_exception', reason: 'missing authentication credentials for REST request [/]' },
          ],
          type: 'security_exception',
        },
        status: 401,
      });
      response.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="security" charset="UTF-8"',
        'Content-Type': 'application/json; charset=UTF-8',
      });
      response.end(body);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
    response.end(
      JSON.stringify({
        name: 'es-node-1',
        cluster_name: 'clinical-search',
        cluster_uuid: 'x0Xy2kZ9Q2mJ8c7b6a5d4e',
        version: { number: service.version, build_flavor: 'default', lucene_version: '7.7.0' },
        tagline: 'You Know, for Search',
      }),
    );
  });
}
