/**
 * One HTTP/1.1 GET through a SOCKS5 proxy: node:http speaks the protocol over a socket that
 * socks5Connect opened (`createConnection`), so no local name resolution and no experimental APIs.
 * Every reply is bounded: a whole-request deadline and a body size cap.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { socks5Connect, Socks5Error, type Socks5Proxy } from './socks5-client.js';

/** What came back from one GET. */
export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A failed GET; `retryable` is true for transient network trouble (timeouts, resets, proxy errors). */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Options of httpGetViaSocks. */
export interface HttpGetOptions {
  proxy: Socks5Proxy;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  signal?: AbortSignal;
}

/** A `lookup` that never resolves anything: every name must go to the proxy. */
const refuseLookup: LookupFunction = (hostname, _options, callback) => {
  callback(new Error(`refusing to resolve ${hostname} locally: names are resolved by the SOCKS5 proxy`), '', 4);
};

/** GETs `url` (http: or https:) through the proxy; rejects with FetchError. */
export async function httpGetViaSocks(url: URL, options: HttpGetOptions): Promise<HttpReply> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchError(`unsupported scheme ${url.protocol}`, false);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;

  let socket: Socket;
  try {
    socket = await socks5Connect({ proxy: options.proxy, host, port, timeoutMs: options.timeoutMs, signal });
  } catch (error) {
    if (options.signal?.aborted) throw new FetchError('aborted', false);
    // 0x02 "not allowed" is the proxy's policy: asking again will not change it.
    const retryable = !(error instanceof Socks5Error && error.replyCode === 0x02);
    throw new FetchError((error as Error).message, retryable);
  }
  if (url.protocol === 'https:') {
    // SNI only for names (RFC 6066 section 3 forbids literal addresses); certificates are verified.
    socket = tlsConnect({ socket, servername: isIP(host) === 0 ? host : undefined, ALPNProtocols: ['http/1.1'] });
  }
  const tunnel = socket;

  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const finish = (error: FetchError | undefined, reply?: HttpReply): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      tunnel.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const onAbort = (): void =>
      finish(
        options.signal?.aborted
          ? new FetchError('aborted', false)
          : new FetchError(`timed out after ${options.timeoutMs} ms`, true),
      );

    const req = request({
      host,
      port,
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      // No `agent` (agent: false would make node:http build its own Agent, ignore createConnection and
      // resolve the host name locally); `lookup` refuses, as a second guard against a DNS leak.
      createConnection: () => tunnel,
      lookup: refuseLookup,
      headers: {
        Host: url.host,
        'User-Agent': options.userAgent,
        Accept: 'text/html, text/plain;q=0.9, */*;q=0.1',
        'Accept-Encoding': 'identity',
        Connection: 'close',
      },
    });
    req.on('error', (error) => finish(new FetchError(error.message, true)));
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        return finish(new FetchError(`response of ${declared} bytes exceeds the ${options.maxBytes}-byte cap`, false));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes)
          return finish(new FetchError(`response exceeds the ${options.maxBytes}-byte cap`, false));
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(new FetchError(error.message, true)));
      res.on('aborted', () => finish(new FetchError('connection closed mid-response', true)));
      res.on('end', () =>
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}
