/**
 * HTTP/1.1 requests to one origin through undici, with every TCP connection opened by the scan's
 * NetworkGuard (so the address policy and the rate apply) to an address the scanner resolved itself:
 * undici never resolves a name. HTTPS sends the host name as SNI and completes the handshake even when
 * the certificate does not verify (judging certificates is the TLS probe's job); whether it verified is
 * recorded. Every request is bounded: connect time, header size, body size and one overall deadline, so
 * a stalling, trickling or endless server costs a known amount of time and memory.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'undici';
import type { ProbeErrorReason } from '../../core/types.js';
import { isRefusal, type NetworkGuard } from '../../net/guarded-socket.js';
import type { HeaderPair, WebScheme, WebTlsFacts } from './web.types.js';

/** Bounds of one request. */
export interface FetchLimits {
  /** TCP connect and TLS handshake, in milliseconds. */
  connectTimeoutMs: number;
  /** Whole request, from sending to the last body byte kept. */
  requestTimeoutMs: number;
  /** Largest body kept; more is an error for pages (`overflow: 'fail'`), cut for files read by their head. */
  maxBodyBytes: number;
  /** Largest response header block. */
  maxHeaderBytes: number;
}

export interface OriginTarget {
  scheme: WebScheme;
  /** Host name: the Host header and the TLS SNI. */
  host: string;
  /** IP address to connect to (resolved by the scanner). */
  address: string;
  port: number;
  /** The TLS context (trust anchors, versions, ciphers): `webSecureContext`, made once per scan. */
  secureContext?: tls.SecureContext;
}

/**
 * The client TLS context of web fetches: old versions and ciphers allowed (pages behind old servers are
 * still judged; the TLS probe reports the old protocol), and the trust anchors the certificate check is
 * recorded against: Node's Mozilla roots, plus `extraCa` (`--ca`). Made once: building a context parses
 * every root certificate, far too costly per connection.
 */
export function webSecureContext(extraCa?: string): tls.SecureContext {
  if (extraCa === undefined) {
    defaultContext ??= tls.createSecureContext({ minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    return defaultContext;
  }
  return tls.createSecureContext({
    minVersion: 'TLSv1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
    ca: [...tls.rootCertificates, extraCa],
  });
}
let defaultContext: tls.SecureContext | undefined;

export interface RawResponse {
  ok: true;
  status: number;
  headers: HeaderPair[];
  body: Buffer;
  /** True when the body was cut at the cap (`overflow: 'truncate'`). */
  truncated: boolean;
}

export interface FetchFailure {
  ok: false;
  /** `closed`: the port refused the connection (nothing listens there); the rest are failures to observe. */
  reason: ProbeErrorReason | 'closed';
  detail: string;
}

export interface RequestOptions {
  method?: 'GET' | 'OPTIONS';
  headers?: Record<string, string>;
  /** What a body over the cap does: fail the request (pages) or keep its head (files read by their banner). */
  overflow?: 'fail' | 'truncate';
  maxBodyBytes?: number;
}

/** What Vitals says it is: honest, so operators can recognise (and rate-limit) the scanner. */
export const WEB_USER_AGENT = 'Mozilla/5.0 (compatible; Vitals security ratings; +https://github.com/vitals)';

/** One origin's connection (kept alive between its requests), opened through the guard. */
export class GuardedOrigin {
  /** How the certificate check went, once a TLS handshake completed. */
  tls: WebTlsFacts | undefined;
  private readonly client: Client;

  constructor(
    private readonly guard: NetworkGuard,
    readonly target: OriginTarget,
    private readonly limits: FetchLimits,
  ) {
    const hostPart = net.isIPv6(target.host) ? `[${target.host}]` : target.host;
    this.client = new Client(`${target.scheme}://${hostPart}:${target.port}`, {
      connect: (_options, callback) => this.connect(callback),
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.requestTimeoutMs,
      bodyTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: 2000,
      pipelining: 1,
    });
  }

  /** One request; never throws for what the server does. */
  async request(path: string, options: RequestOptions = {}): Promise<RawResponse | FetchFailure> {
    const cap = options.maxBodyBytes ?? this.limits.maxBodyBytes;
    const signal = AbortSignal.timeout(this.limits.requestTimeoutMs);
    try {
      const response = await this.client.request({
        path,
        method: options.method ?? 'GET',
        headers: { 'user-agent': WEB_USER_AGENT, accept: '*/*', ...options.headers },
        signal,
      });
      const headers = headerPairs(response.headers);
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (size + chunk.length > cap) {
          response.body.destroy();
          if (options.overflow !== 'truncate')
            return { ok: false, reason: 'malformed_reply', detail: `body larger than ${cap} bytes` };
          chunks.push(chunk.subarray(0, cap - size));
          size = cap;
          truncated = true;
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
      return { ok: true, status: response.statusCode, headers, body: Buffer.concat(chunks, size), truncated };
    } catch (error) {
      return failureOf(error, signal.aborted, this.limits.requestTimeoutMs);
    }
  }

  async close(): Promise<void> {
    await this.client.destroy().catch(() => undefined);
  }

  private connect(callback: (...args: [null, net.Socket] | [Error, null]) => void): void {
    const { address, port, scheme, host } = this.target;
    let done = false;
    const finish = (error: Error | null, socket?: net.Socket): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) callback(error, null);
      else callback(null, socket!);
    };
    const timer = setTimeout(() => {
      socket?.destroy();
      finish(codedError('UND_ERR_CONNECT_TIMEOUT', `no connection within ${this.limits.connectTimeoutMs} ms`));
    }, this.limits.connectTimeoutMs);
    let socket: net.Socket | undefined;
    const start = (): void => {
      const opened = this.guard.connect(address, port);
      if (isRefusal(opened)) {
        finish(codedError('VITALS_POLICY_REFUSED', opened.reason));
        return;
      }
      socket = opened;
      opened.once('error', (error) => finish(error));
      opened.once('connect', () => {
        if (scheme === 'http') {
          finish(null, opened);
          return;
        }
        const secure = tls.connect({
          socket: opened,
          ...(net.isIP(host) === 0 ? { servername: host } : {}),
          // Fetch whatever the certificate: whether it verified is recorded, judged by the TLS checks.
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
          secureContext: this.target.secureContext ?? webSecureContext(),
        });
        socket = secure;
        secure.once('error', (error) => finish(error));
        secure.once('secureConnect', () => {
          const error = secure.authorizationError;
          this.tls = {
            verified: secure.authorized,
            ...(error ? { error: String(error) } : {}),
            ...(secure.getProtocol() ? { protocol: secure.getProtocol()! } : {}),
          };
          finish(null, secure);
        });
      });
    };
    const admitted = this.guard.admit(address, port);
    if (admitted instanceof Promise) void admitted.then(start);
    else if (admitted !== null) finish(codedError('VITALS_POLICY_REFUSED', admitted.reason));
    else start();
  }
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** undici's header object as pairs: lower-case names, a repeated header one pair per value. */
export function headerPairs(headers: Record<string, string | string[] | undefined>): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name.toLowerCase(), v]);
  }
  return pairs;
}

function failureOf(error: unknown, deadlinePassed: boolean, deadlineMs: number): FetchFailure {
  const code = String((error as { code?: unknown }).code ?? '');
  const name = (error as { name?: unknown }).name;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return { ok: false, reason: 'closed', detail: 'connection refused' };
  if (code === 'VITALS_POLICY_REFUSED') return { ok: false, reason: 'policy_refused', detail: message };
  if (deadlinePassed) return { ok: false, reason: 'timeout', detail: `no complete answer within ${deadlineMs} ms` };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return { ok: false, reason: 'timeout', detail: message };
  // undici's HTTPParserError (not HTTP at all, a bad status line, a broken chunk) carries no code.
  if (
    code === 'UND_ERR_HEADERS_OVERFLOW' ||
    code.startsWith('HPE_') ||
    name === 'HTTPParserError' ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
  )
    return { ok: false, reason: 'malformed_reply', detail: code ? `${code}: ${message}` : message };
  return { ok: false, reason: 'network_error', detail: code ? `${code}: ${message}` : message };
}
