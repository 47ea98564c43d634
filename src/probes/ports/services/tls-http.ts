/**
 * TLS and HTTP naming. TLS: a ClientHello (TLS 1.2 record, common suites and extensions) answered by a
 * handshake or alert record; the certificate and versions are the TLS probe's business. HTTP: `GET /` with
 * `Connection: close`; an Elasticsearch node says so in its JSON (`version.number`, `tagline`) or in its
 * security realm when it demands credentials.
 */
import { randomBytes } from 'node:crypto';
import { ProtocolMismatch, printable, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(body.length), body]);
}

/** A TLS 1.2 ClientHello most servers answer (ECDHE suites, groups, signature algorithms). */
export function clientHello(): Buffer {
  const suites = [0xc02f, 0xc02b, 0xc030, 0xc02c, 0xcca8, 0x009c, 0x002f, 0x0035, 0x1301, 0x1302];
  const suiteBytes = Buffer.concat(suites.map(u16));
  const groups = Buffer.concat([0x001d, 0x0017, 0x0018].map(u16));
  const sigalgs = Buffer.concat([0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201].map(u16));
  const extensions = Buffer.concat([
    extension(0x000a, Buffer.concat([u16(groups.length), groups])),
    extension(0x000b, Buffer.from([1, 0])),
    extension(0x000d, Buffer.concat([u16(sigalgs.length), sigalgs])),
    extension(0xff01, Buffer.from([0])),
  ]);
  const hello = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    randomBytes(32),
    Buffer.from([0]),
    u16(suiteBytes.length),
    suiteBytes,
    Buffer.from([1, 0]),
    u16(extensions.length),
    extensions,
  ]);
  const handshake = Buffer.concat([Buffer.from([0x01, 0, 0, 0]), hello]);
  handshake.writeUIntBE(hello.length, 1, 3);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(handshake.length), handshake]);
}

function tlsRecord(data: Buffer): Parsed<string> {
  if (data.length < 5) return undefined;
  const type = data[0]!;
  if ((type !== 0x16 && type !== 0x15) || data[1] !== 0x03 || data[2]! > 0x04)
    throw new ProtocolMismatch('not a TLS record');
  return { value: type === 0x16 ? 'handshake' : 'alert', used: 5 };
}

export const tlsProtocol: ClientFirstProtocol = {
  name: 'tls',
  usualPorts: [443, 465, 636, 993, 995, 5986, 8443],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(clientHello());
      const record = await conversation.read(tlsRecord);
      return record.ok ? matched({ name: 'tls', record: record.value }) : mismatch(`${record.why}: ${record.detail}`);
    }),
};

interface HttpResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 32 * 1024;

/** One HTTP/1.x response (Content-Length, or until close — the read ends at the cap or the close). */
export function parseHttpResponse(data: Buffer, closed: boolean): Parsed<HttpResponse> {
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') !== 'HTTP/')
    throw new ProtocolMismatch('not an HTTP response');
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) {
    if (data.length > MAX_HEAD) throw new ProtocolMismatch('HTTP head too long');
    return undefined;
  }
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) throw new ProtocolMismatch('bad HTTP status line');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1, 100)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const bodyStart = headEnd + 4;
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
    const body = dechunk(data.subarray(bodyStart));
    if (body === undefined && !closed) return undefined;
    return { value: { status: Number(status[1]), headers, body: body ?? '' }, used: data.length };
  }
  const declared = Number(headers.get('content-length') ?? Number.NaN);
  const want = Number.isInteger(declared) && declared >= 0 ? Math.min(declared, MAX_BODY) : MAX_BODY;
  if (data.length - bodyStart < want && !closed) return undefined;
  const body = data.subarray(bodyStart, bodyStart + want).toString('utf8');
  return { value: { status: Number(status[1]), headers, body }, used: data.length };
}

/** A chunked body (RFC 9112 section 7.1) up to MAX_BODY bytes, or undefined while incomplete. */
function dechunk(data: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let size = 0;
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const length = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isInteger(length) || length < 0) throw new ProtocolMismatch('bad chunk size');
    if (length === 0 || size + length > MAX_BODY) return Buffer.concat(parts).toString('utf8');
    if (data.length < lineEnd + 2 + length + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + length));
    size += length;
    offset = lineEnd + 2 + length + 2;
  }
}

function elasticsearchVersion(body: string): string | null | undefined {
  try {
    const json = JSON.parse(body) as { version?: { number?: unknown }; tagline?: unknown; cluster_name?: unknown };
    const isElastic = typeof json.tagline === 'string' || typeof json.cluster_name === 'string';
    if (!isElastic || typeof json.version !== 'object') return undefined;
    return typeof json.version.number === 'string' ? printable(json.version.number, 40) : null;
  } catch {
    return undefined;
  }
}

export const httpProtocol: ClientFirstProtocol = {
  name: 'http',
  usualPorts: [80, 8080, 9200, 5985],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      const host = ctx.address.includes(':') ? `[${ctx.address}]` : ctx.address;
      conversation.write(
        `GET / HTTP/1.1\r\nHost: ${host}:${ctx.port}\r\nUser-Agent: Vitals\r\nAccept: application/json, */*\r\n` +
          'Connection: close\r\n\r\n',
      );
      let closed = false;
      let response = await conversation.read((data) => parseHttpResponse(data, false));
      if (!response.ok && (response.why === 'closed' || response.why === 'reset') && conversation.pending.length > 0) {
        closed = true;
        response = await conversation.read((data) => parseHttpResponse(data, closed));
      }
      if (!response.ok) return mismatch(`${response.why}: ${response.detail}`);
      const { status, headers, body } = response.value;
      const server = headers.get('server') ?? null;
      const version = elasticsearchVersion(body);
      if (version !== undefined)
        return matched({ name: 'elasticsearch', version, noAuth: { assessed: true, value: true } });
      const realm = headers.get('www-authenticate') ?? '';
      if (status === 401 && (/realm="security"/i.test(realm) || body.includes('security_exception')))
        return matched({ name: 'elasticsearch', version: null, noAuth: { assessed: true, value: false } });
      return matched({ name: 'http', status, server: server === null ? null : printable(server, 100) });
    }),
};
