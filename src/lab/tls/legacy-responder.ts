/**
 * A minimal TLS responder for what OpenSSL 3 can no longer serve (SSLv2, SSLv3, export, RC4 and 3DES
 * suites): it reads one ClientHello (SSLv2 CLIENT-HELLO or a TLS record), picks the highest version it has
 * at or below the client's and its first suite the client offered, and answers like a real server's first
 * flight (ServerHello, Certificate, ServerHelloDone; SSLv2 SERVER-HELLO; a TLS 1.3 ServerHello with an
 * X25519 key share), or with the alert a real server sends. It never finishes a legacy handshake: the lab
 * plants what a scanner must detect from the first reply, and nothing more.
 *
 * When the choice lands on a version and suite Node's OpenSSL can serve (TLS 1.0 to 1.3, no RC4, 3DES or
 * export) and the key and certificate are given, the connection goes, hello and all, to a node:tls server
 * holding exactly the profile's modern versions and suites: the handshake completes as on a real weak
 * server, so scanners that enumerate suites by full handshakes (OpenSSL's, sslscan's) see them too.
 */
import { constants, generateKeyPairSync, randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { cipherSuite, VERSION_CODES } from '../../tls/cipher-suites.js';
import type { ResponderServing } from './tls-profiles.js';

type Version = keyof ResponderServing['suites'];

const CODES: Readonly<Record<Version, number>> = VERSION_CODES;
const ORDER: readonly Version[] = ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];
const MAX_HELLO_BYTES = 16 * 1024;
const IDLE_MS = 5000;
const X25519 = 0x001d;

interface ParsedHello {
  sslv2: boolean;
  /** Versions the client accepts (supported_versions, or everything up to client_version). */
  versions: Set<number>;
  suites: number[];
  /** Groups with a key share in key_share; groups in supported_groups. */
  keyShares: number[];
  groups: number[];
}

let x25519Public: Buffer | undefined;
function serverKeyShare(): Buffer {
  if (!x25519Public) {
    const der = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
    x25519Public = Buffer.from(der.subarray(der.length - 32));
  }
  return x25519Public;
}

/** The key and certificate chain (PEM) the modern hand-off serves; the same as `chain`. */
export interface ResponderCredentials {
  key: string;
  cert: string;
}

/**
 * A server answering ClientHellos per `serving`, with `chain` (DER, leaf first); with `credentials`, modern
 * choices complete their handshake in node:tls (see above).
 */
export function createLegacyResponder(
  serving: ResponderServing,
  chain: readonly Buffer[],
  credentials?: ResponderCredentials,
): net.Server {
  const modern = credentials ? modernHandoff(serving, credentials) : undefined;
  return net.createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > MAX_HELLO_BYTES) {
        socket.destroy();
        return;
      }
      const hello = parseClientHello(buffered);
      if (hello === 'incomplete') return;
      socket.removeAllListeners('data');
      if (hello === 'invalid') {
        socket.end(alert(0x0301, 50));
        return;
      }
      if (modern?.takes(hello)) {
        // The hello goes back in front of the stream: node:tls reads what the socket has buffered first.
        socket.pause();
        socket.unshift(buffered);
        modern.server.emit('connection', socket);
        return;
      }
      socket.end(answer(serving, chain, hello));
    });
  });
}

/** What the responder would choose: a version and suite, or nothing (an alert, an SSLv2 or retry reply). */
function choice(serving: ResponderServing, hello: ParsedHello): { version: Version; suite: number } | undefined {
  if (hello.sslv2) return undefined;
  const version = ORDER.find((v) => serving.suites[v] && hello.versions.has(CODES[v]));
  if (version === undefined) return undefined;
  const suite = serving.suites[version]!.find((s) => hello.suites.includes(s));
  if (suite === undefined) return undefined;
  if (version === 'TLSv1.3' && !hello.keyShares.includes(X25519)) return undefined;
  return { version, suite };
}

const MODERN_VERSIONS = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
const NODE_VERSION_NAMES = {
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
} as const;
const NO_VERSION_OPTION = {
  'TLSv1.0': 'SSL_OP_NO_TLSv1',
  'TLSv1.1': 'SSL_OP_NO_TLSv1_1',
  'TLSv1.2': 'SSL_OP_NO_TLSv1_2',
  'TLSv1.3': 'SSL_OP_NO_TLSv1_3',
} as const;

/** OpenSSL's name for a suite this Node.js build can serve, else undefined (RC4, 3DES, export, SSLv2...). */
function servableName(code: number): string | undefined {
  const suite = cipherSuite(code);
  if (!suite) return undefined;
  return tls.getCiphers().includes(suite.openssl.toLowerCase()) ? suite.openssl : undefined;
}

/**
 * A node:tls server with the profile's modern versions and suites (its preference order), and the test of
 * which hellos it takes: those whose choice is one of them, so it chooses what the responder would.
 */
function modernHandoff(
  serving: ResponderServing,
  credentials: ResponderCredentials,
): { server: tls.Server; takes: (hello: ParsedHello) => boolean } | undefined {
  const byVersion = new Map<Version, number[]>();
  for (const version of MODERN_VERSIONS) {
    const codes = (serving.suites[version] ?? []).filter((code) => servableName(code) !== undefined);
    if (codes.length > 0) byVersion.set(version, codes);
  }
  const versions = MODERN_VERSIONS.filter((v) => byVersion.has(v));
  if (versions.length === 0) return undefined;
  const names = (list: readonly Version[]) => [
    ...new Set(list.flatMap((v) => (byVersion.get(v) ?? []).map((code) => servableName(code)!))),
  ];
  const lowest = versions[0]!;
  const highest = versions[versions.length - 1]!;
  // A gap between them (export: TLS 1.0 and 1.2, no 1.1) is switched off, as OpenSSL allows.
  let secureOptions = 0;
  for (const version of MODERN_VERSIONS.slice(MODERN_VERSIONS.indexOf(lowest), MODERN_VERSIONS.indexOf(highest)))
    if (!byVersion.has(version)) secureOptions |= constants[NO_VERSION_OPTION[version]];
  const server = tls.createServer({
    key: credentials.key,
    cert: credentials.cert,
    minVersion: NODE_VERSION_NAMES[lowest],
    maxVersion: NODE_VERSION_NAMES[highest],
    secureOptions,
    // One list for all versions (node:tls sends its TLS_ names to TLS 1.3); security level 0, as the lab's
    // OpenSSL profiles: TLS 1.0 and SHA-1 signatures must be servable.
    ciphers: `${names([...versions].reverse()).join(':')}:@SECLEVEL=0`,
    ecdhCurve: 'X25519',
    honorCipherOrder: true,
    sessionTimeout: 1,
  });
  // The handshake is what scanners come for; the server then closes, as the responder always did.
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => {});
  const takes = (hello: ParsedHello): boolean => {
    const chosen = choice(serving, hello);
    return chosen !== undefined && (byVersion.get(chosen.version) ?? []).includes(chosen.suite);
  };
  return { server, takes };
}

function answer(serving: ResponderServing, chain: readonly Buffer[], hello: ParsedHello): Buffer {
  if (hello.sslv2) {
    const kinds = (serving.suites.SSLv2 ?? []).filter((k) => hello.suites.includes(k));
    if (kinds.length > 0) return sslv2ServerHello(kinds, chain[0]!);
  }
  const version = ORDER.find((v) => serving.suites[v] && hello.versions.has(CODES[v]));
  const recordVersion = hello.sslv2 ? 0x0300 : 0x0301;
  if (version === undefined) return alert(recordVersion, 70);
  const suite = serving.suites[version]!.find((s) => hello.suites.includes(s));
  if (suite === undefined) return alert(recordVersion, 40);
  if (version === 'TLSv1.3') {
    if (hello.keyShares.includes(X25519)) return tls13ServerHello(suite, false);
    if (hello.groups.includes(X25519)) return tls13ServerHello(suite, true);
    return alert(0x0303, 40);
  }
  const code = CODES[version];
  const serverHello = handshake(
    2,
    Buffer.concat([u16(code), randomBytes(32), Buffer.from([0]), u16(suite), Buffer.from([0])]),
  );
  const certificates = Buffer.concat(chain.map((der) => vector24(der)));
  const certificate = handshake(11, vector24(certificates));
  const done = handshake(14, Buffer.alloc(0));
  return record(22, code, Buffer.concat([serverHello, certificate, done]));
}

const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

function tls13ServerHello(suite: number, retry: boolean): Buffer {
  const keyShare = retry ? u16(X25519) : Buffer.concat([u16(X25519), vector16(serverKeyShare())]);
  const extensions = Buffer.concat([extension(43, u16(0x0304)), extension(51, keyShare)]);
  const body = Buffer.concat([
    u16(0x0303),
    retry ? HELLO_RETRY_RANDOM : randomBytes(32),
    Buffer.from([0]),
    u16(suite),
    Buffer.from([0]),
    vector16(extensions),
  ]);
  return record(22, 0x0303, handshake(2, body));
}

function sslv2ServerHello(kinds: readonly number[], certificate: Buffer): Buffer {
  const specs = Buffer.concat(kinds.map((k) => Buffer.from([(k >> 16) & 0xff, (k >> 8) & 0xff, k & 0xff])));
  const connectionId = randomBytes(16);
  const body = Buffer.concat([
    Buffer.from([4, 0, 1]),
    u16(0x0002),
    u16(certificate.length),
    u16(specs.length),
    u16(connectionId.length),
    certificate,
    specs,
    connectionId,
  ]);
  return Buffer.concat([u16(0x8000 | body.length), body]);
}

function alert(version: number, description: number): Buffer {
  return record(21, version, Buffer.from([2, description]));
}

function record(type: number, version: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), u16(version), u16(payload.length), payload]);
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), u24(body.length), body]);
}

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(data.length), data]);
}

function u16(v: number): Buffer {
  return Buffer.from([(v >> 8) & 0xff, v & 0xff]);
}

function u24(v: number): Buffer {
  return Buffer.from([(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
}

function vector16(data: Buffer): Buffer {
  return Buffer.concat([u16(data.length), data]);
}

function vector24(data: Buffer): Buffer {
  return Buffer.concat([u24(data.length), data]);
}

/** Parses one ClientHello; throws nothing (bad input is 'invalid'). */
export function parseClientHello(buf: Buffer): ParsedHello | 'incomplete' | 'invalid' {
  if (buf.length < 2) return 'incomplete';
  if (buf[0]! & 0x80) {
    const length = ((buf[0]! & 0x7f) << 8) | buf[1]!;
    if (buf.length < 2 + length) return 'incomplete';
    return parseSslv2Hello(buf.subarray(2, 2 + length));
  }
  if (buf.length < 5) return 'incomplete';
  if (buf[0] !== 22) return 'invalid';
  const length = buf.readUInt16BE(3);
  if (buf.length < 5 + length) return 'incomplete';
  const fragment = buf.subarray(5, 5 + length);
  if (fragment.length < 4 || fragment[0] !== 1) return 'invalid';
  const bodyLength = fragment.readUIntBE(1, 3);
  // A hello split over records is not something the scanner sends; the responder does not reassemble.
  if (fragment.length < 4 + bodyLength) return 'invalid';
  try {
    return parseTlsHello(fragment.subarray(4, 4 + bodyLength));
  } catch {
    return 'invalid';
  }
}

function parseSslv2Hello(body: Buffer): ParsedHello | 'invalid' {
  if (body.length < 9 || body[0] !== 1) return 'invalid';
  const version = body.readUInt16BE(1);
  const specsLength = body.readUInt16BE(3);
  if (9 + specsLength > body.length || specsLength % 3 !== 0) return 'invalid';
  const kinds: number[] = [];
  for (let i = 0; i < specsLength; i += 3) kinds.push(body.readUIntBE(9 + i, 3));
  // An SSLv2-format hello may still ask for SSLv3 or TLS (version > 2): two-byte codes are kinds 0x00XXYY.
  const versions = new Set<number>();
  if (version >= 0x0300)
    for (const code of Object.values(CODES)) if (code <= version && code !== 0x0304) versions.add(code);
  return {
    sslv2: true,
    versions,
    suites: kinds.map((k) => (version === 0x0002 ? k : k & 0xffff)),
    keyShares: [],
    groups: [],
  };
}

function parseTlsHello(body: Buffer): ParsedHello {
  let at = 0;
  const need = (n: number): void => {
    if (at + n > body.length) throw new Error('truncated');
  };
  const read16 = (): number => {
    need(2);
    const v = body.readUInt16BE(at);
    at += 2;
    return v;
  };
  const clientVersion = read16();
  need(32);
  at += 32;
  need(1);
  at += 1 + body[at]!;
  const suitesLength = read16();
  need(suitesLength);
  const suites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) suites.push(body.readUInt16BE(at + i));
  at += suitesLength;
  need(1);
  at += 1 + body[at]!;
  let supportedVersions: number[] | null = null;
  const keyShares: number[] = [];
  const groups: number[] = [];
  if (at < body.length) {
    const end = at + 2 + read16();
    while (at < end) {
      const type = read16();
      const length = read16();
      need(length);
      const data = body.subarray(at, at + length);
      at += length;
      if (type === 43 && data.length >= 1) {
        supportedVersions = [];
        for (let i = 1; i + 1 < 1 + data[0]! && i + 1 < data.length; i += 2)
          supportedVersions.push(data.readUInt16BE(i));
      } else if (type === 10 && data.length >= 2) {
        for (let i = 2; i + 1 < data.length; i += 2) groups.push(data.readUInt16BE(i));
      } else if (type === 51 && data.length >= 2) {
        let i = 2;
        while (i + 4 <= data.length) {
          keyShares.push(data.readUInt16BE(i));
          i += 4 + data.readUInt16BE(i + 2);
        }
      }
    }
  }
  const versions = new Set<number>(
    supportedVersions ??
      Object.values(CODES).filter((code) => code >= 0x0300 && code <= clientVersion && code !== 0x0304),
  );
  return { sslv2: false, versions, suites, keyShares, groups };
}
