/**
 * A hardened, incremental reader of what a server answers to one ClientHello: TLS records (alerts,
 * handshake messages split over records or sharing one: ServerHello, HelloRetryRequest, Certificate,
 * ServerKeyExchange, ServerHelloDone) and SSLv2 SERVER-HELLO. Every length is checked against what is
 * left and against caps; anything that is not well-formed is `malformed` with what was wrong, never a
 * guess. Bytes are fed as they arrive; each is looked at once.
 */
import { cipherSuite, versionOfCode, type TlsVersion } from '../../tls/cipher-suites.js';

/** RFC 5246 6.2.3: a record's fragment is at most 2^14 + 2048 bytes. */
const MAX_RECORD_LENGTH = 16384 + 2048;
/** A Certificate message bigger than this is refused as hostile (real chains are a few kilobytes). */
export const MAX_HANDSHAKE_MESSAGE = 64 * 1024;
/** Certificates read from one chain. */
const MAX_CHAIN_LENGTH = 16;

const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

const RECORD = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
const HS = { serverHello: 2, certificate: 11, serverKeyExchange: 12, serverHelloDone: 14 } as const;

export interface ServerHelloInfo {
  /** The version the server chose (supported_versions when present, else the legacy field). */
  version: TlsVersion | null;
  versionCode: number;
  cipherSuite: number;
  helloRetry: boolean;
  /** key_share's group (TLS 1.3 ServerHello or HelloRetryRequest). */
  keyShareGroup: number | null;
}

export interface KeyExchangeInfo {
  kind: 'ecdhe' | 'dhe' | 'other';
  group?: number;
  dhBits?: number;
}

export type ServerReply =
  | { kind: 'alert'; level: number; description: number }
  | {
      kind: 'server_hello';
      hello: ServerHelloInfo;
      /** DER certificates of a plaintext Certificate message (TLS 1.2 and older). */
      certificates: Buffer[] | null;
      keyExchange: KeyExchangeInfo | null;
      /** The flight ended (ServerHelloDone, or TLS 1.3 where the rest is encrypted). */
      complete: boolean;
    }
  | { kind: 'sslv2_server_hello'; cipherKinds: number[]; certificate: Buffer }
  | { kind: 'sslv2_error'; code: number }
  | { kind: 'malformed'; detail: string };

export interface ReaderOptions {
  /** The hello was SSLv2: an SSLv2 SERVER-HELLO is a valid answer too. */
  sslv2: boolean;
  /** Read past ServerHello up to ServerHelloDone (certificate, key exchange); else stop at ServerHello. */
  wholeFlight: boolean;
  /** Bytes accepted in all before the reply is refused as oversized. */
  maxBytes: number;
}

/** Feed with `push`; a non-null result is final. */
export class ServerReplyReader {
  private pending: Buffer = Buffer.alloc(0);
  private total = 0;
  private handshake: Buffer = Buffer.alloc(0);
  private hello: ServerHelloInfo | null = null;
  private certificates: Buffer[] | null = null;
  private keyExchange: KeyExchangeInfo | null = null;
  private finished: ServerReply | null = null;

  constructor(private readonly options: ReaderOptions) {}

  /** Adds bytes; returns the reply once decided. */
  push(chunk: Buffer): ServerReply | null {
    if (this.finished) return this.finished;
    this.total += chunk.length;
    if (this.total > this.options.maxBytes)
      return this.finish({ kind: 'malformed', detail: `the reply exceeds ${this.options.maxBytes} bytes` });
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return this.drain();
  }

  /** What the bytes so far amount to when the server closed the connection (null: nothing was received). */
  atClose(): ServerReply | null {
    if (this.finished) return this.finished;
    if (this.total === 0) return null;
    if (this.hello) return this.helloReply(false);
    return { kind: 'malformed', detail: `the server closed the connection after ${this.total} bytes of a record` };
  }

  /** What was read so far, when the time ran out after the ServerHello. */
  partial(): ServerReply | null {
    return this.hello ? this.helloReply(false) : null;
  }

  private finish(reply: ServerReply): ServerReply {
    this.finished = reply;
    this.pending = Buffer.alloc(0);
    this.handshake = Buffer.alloc(0);
    return reply;
  }

  private helloReply(complete: boolean): ServerReply {
    return {
      kind: 'server_hello',
      hello: this.hello!,
      certificates: this.certificates,
      keyExchange: this.keyExchange,
      complete,
    };
  }

  private drain(): ServerReply | null {
    for (;;) {
      const buf = this.pending;
      if (buf.length === 0) return null;
      const first = buf[0]!;
      if (this.options.sslv2 && this.total === buf.length && first & 0x80 && this.hello === null) {
        return this.sslv2Record(buf);
      }
      if (buf.length < 5) {
        if (!isRecordType(first)) return this.finish(notTls(buf));
        return null;
      }
      const type = first;
      const major = buf[1]!;
      const length = buf.readUInt16BE(3);
      if (!isRecordType(type) || major !== 3) return this.finish(notTls(buf));
      if (length > MAX_RECORD_LENGTH)
        return this.finish({ kind: 'malformed', detail: `a record of ${length} bytes (more than 2^14 + 2048)` });
      if (buf.length < 5 + length) return null;
      const fragment = buf.subarray(5, 5 + length);
      this.pending = buf.subarray(5 + length);
      const decided = this.record(type, fragment);
      if (decided) return this.finish(decided);
    }
  }

  private record(type: number, fragment: Buffer): ServerReply | null {
    if (type === RECORD.alert) {
      if (fragment.length !== 2) return { kind: 'malformed', detail: `an alert record of ${fragment.length} bytes` };
      // A warning after ServerHello (such as an unrecognized_name) does not end the handshake.
      if (this.hello && fragment[0] === 1) return null;
      if (this.hello) return this.helloReply(false);
      return { kind: 'alert', level: fragment[0]!, description: fragment[1]! };
    }
    if (type !== RECORD.handshake) {
      // ChangeCipherSpec or encrypted data: only after a TLS 1.3 ServerHello (where it ends what is readable).
      if (this.hello) return this.helloReply(true);
      return { kind: 'malformed', detail: `record type ${type} before any ServerHello` };
    }
    if (fragment.length === 0) return { kind: 'malformed', detail: 'an empty handshake record' };
    this.handshake = this.handshake.length === 0 ? fragment : Buffer.concat([this.handshake, fragment]);
    for (;;) {
      if (this.handshake.length < 4) return null;
      const msgType = this.handshake[0]!;
      const length = this.handshake.readUIntBE(1, 3);
      if (length > MAX_HANDSHAKE_MESSAGE)
        return { kind: 'malformed', detail: `a handshake message of ${length} bytes (cap ${MAX_HANDSHAKE_MESSAGE})` };
      if (this.handshake.length < 4 + length) return null;
      const body = this.handshake.subarray(4, 4 + length);
      this.handshake = this.handshake.subarray(4 + length);
      const decided = this.message(msgType, body);
      if (decided) return decided;
    }
  }

  private message(type: number, body: Buffer): ServerReply | null {
    if (this.hello === null) {
      if (type !== HS.serverHello) return { kind: 'malformed', detail: `handshake message ${type} before ServerHello` };
      const hello = parseServerHello(body);
      if (typeof hello === 'string') return { kind: 'malformed', detail: hello };
      this.hello = hello;
      // TLS 1.3: everything after ServerHello is encrypted; a HelloRetryRequest ends the exchange too.
      if (!this.options.wholeFlight || hello.version === 'TLSv1.3' || hello.helloRetry) return this.helloReply(true);
      return null;
    }
    if (type === HS.certificate) {
      const certificates = parseCertificateList(body);
      if (typeof certificates === 'string') return { kind: 'malformed', detail: certificates };
      this.certificates = certificates;
    } else if (type === HS.serverKeyExchange) {
      this.keyExchange = parseServerKeyExchange(body, this.hello.cipherSuite);
    } else if (type === HS.serverHelloDone) {
      if (body.length !== 0) return { kind: 'malformed', detail: 'a ServerHelloDone with a body' };
      return this.helloReply(true);
    }
    // CertificateStatus, CertificateRequest and others are skipped (their length was checked).
    return null;
  }

  private sslv2Record(buf: Buffer): ServerReply | null {
    if (buf.length < 2) return null;
    const length = ((buf[0]! & 0x7f) << 8) | buf[1]!;
    if (buf.length < 2 + length) return null;
    const body = buf.subarray(2, 2 + length);
    return this.finish(parseSslv2Reply(body));
  }
}

function isRecordType(type: number): boolean {
  return type >= RECORD.changeCipherSpec && type <= RECORD.applicationData;
}

function notTls(buf: Buffer): ServerReply {
  return { kind: 'malformed', detail: `not a TLS record (the reply starts ${buf.subarray(0, 8).toString('hex')})` };
}

/** A bounds-checked reader over one message body. */
class Cursor {
  offset = 0;
  constructor(private readonly buf: Buffer) {}
  get left(): number {
    return this.buf.length - this.offset;
  }
  u8(): number {
    if (this.left < 1) throw new Truncated();
    return this.buf[this.offset++]!;
  }
  u16(): number {
    if (this.left < 2) throw new Truncated();
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u24(): number {
    if (this.left < 3) throw new Truncated();
    const v = this.buf.readUIntBE(this.offset, 3);
    this.offset += 3;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.left < n) throw new Truncated();
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
}

class Truncated extends Error {}

function guard<T>(what: string, parse: () => T): T | string {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Truncated) return `a truncated ${what}`;
    throw error;
  }
}

export function parseServerHello(body: Buffer): ServerHelloInfo | string {
  return guard('ServerHello', () => {
    const c = new Cursor(body);
    const legacyVersion = c.u16();
    const random = c.bytes(32);
    const sessionIdLength = c.u8();
    if (sessionIdLength > 32) return `a ServerHello session id of ${sessionIdLength} bytes`;
    c.bytes(sessionIdLength);
    const suite = c.u16();
    const compression = c.u8();
    if (compression !== 0) return `a ServerHello with compression method ${compression}`;
    let selected = legacyVersion;
    let keyShareGroup: number | null = null;
    const helloRetry = random.equals(HELLO_RETRY_RANDOM);
    if (c.left > 0) {
      const extLength = c.u16();
      if (extLength !== c.left) return 'ServerHello extensions whose length does not match the message';
      while (c.left > 0) {
        const type = c.u16();
        const data = new Cursor(c.bytes(c.u16()));
        if (type === 43) {
          selected = data.u16();
        } else if (type === 51) {
          keyShareGroup = data.u16();
        }
      }
    }
    const version = versionOfCode(selected);
    if (version === null || version === 'SSLv2') return `a ServerHello for unknown version 0x${selected.toString(16)}`;
    return { version, versionCode: selected, cipherSuite: suite, helloRetry, keyShareGroup };
  });
}

function parseCertificateList(body: Buffer): Buffer[] | string {
  return guard('Certificate message', () => {
    const c = new Cursor(body);
    const total = c.u24();
    if (total !== c.left) return 'a Certificate message whose list length does not match';
    const certificates: Buffer[] = [];
    while (c.left > 0) {
      const length = c.u24();
      if (length === 0) return 'an empty certificate in the chain';
      const der = c.bytes(length);
      if (certificates.length < MAX_CHAIN_LENGTH) certificates.push(Buffer.from(der));
    }
    return certificates;
  });
}

function parseServerKeyExchange(body: Buffer, suite: number): KeyExchangeInfo {
  const name = cipherSuite(suite)?.name ?? '';
  const parsed = guard('ServerKeyExchange', (): KeyExchangeInfo => {
    const c = new Cursor(body);
    if (/^TLS_ECDHE?_|_ECDH_anon_/.test(name) || name.startsWith('TLS_ECDH')) {
      const curveType = c.u8();
      // 3 = named_curve (RFC 8422 5.4); explicit curves are not judged.
      return curveType === 3 ? { kind: 'ecdhe', group: c.u16() } : { kind: 'other' };
    }
    if (/^TLS_DHE?_/.test(name)) {
      const p = c.bytes(c.u16());
      let first = 0;
      while (first < p.length && p[first] === 0) first++;
      const lead = p[first] ?? 0;
      const bits = (p.length - first) * 8 - (lead === 0 ? 8 : Math.clz32(lead) - 24);
      return { kind: 'dhe', dhBits: Math.max(0, bits) };
    }
    return { kind: 'other' };
  });
  return typeof parsed === 'string' ? { kind: 'other' } : parsed;
}

/** SSLv2 (draft-hickman-netscape-ssl-00): SERVER-HELLO (4) or ERROR (0). */
function parseSslv2Reply(body: Buffer): ServerReply {
  const parsed = guard('SSLv2 SERVER-HELLO', (): ServerReply => {
    const c = new Cursor(body);
    const type = c.u8();
    if (type === 0) return { kind: 'sslv2_error', code: c.u16() };
    if (type !== 4) return { kind: 'malformed', detail: `SSLv2 message type ${type} where SERVER-HELLO was due` };
    c.u8(); // session id hit
    c.u8(); // certificate type
    const version = c.u16();
    if (version !== 0x0002) return { kind: 'malformed', detail: `an SSLv2 SERVER-HELLO for version 0x${version}` };
    const certLength = c.u16();
    const specsLength = c.u16();
    const connectionIdLength = c.u16();
    if (specsLength % 3 !== 0) return { kind: 'malformed', detail: 'SSLv2 cipher specs not a multiple of 3 bytes' };
    const certificate = Buffer.from(c.bytes(certLength));
    const specs = c.bytes(specsLength);
    c.bytes(connectionIdLength);
    const cipherKinds: number[] = [];
    for (let i = 0; i < specs.length; i += 3) cipherKinds.push(specs.readUIntBE(i, 3));
    return { kind: 'sslv2_server_hello', cipherKinds, certificate };
  });
  return typeof parsed === 'string' ? { kind: 'malformed', detail: parsed } : parsed;
}
