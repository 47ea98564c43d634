/**
 * A minimal SOCKS5 client (RFC 1928): no authentication, CONNECT only, and the destination always sent as
 * a host name (ATYP 0x03). That is the "socks5h" model Tor needs: the proxy resolves the name, so no
 * DNS query for a .onion (or any crawled host) ever leaves this machine (Tor's SOCKS guidance).
 */
import { connect, isIP, type Socket } from 'node:net';

/** Where the SOCKS5 proxy listens; `host` is always an IP literal so reaching it needs no DNS either. */
export interface Socks5Proxy {
  host: string;
  port: number;
}

/** A SOCKS5 failure, with the proxy's reply code when it sent one (RFC 1928 section 6). */
export class Socks5Error extends Error {
  override readonly name = 'Socks5Error';
  constructor(
    message: string,
    readonly replyCode?: number,
  ) {
    super(message);
  }
}

/** RFC 1928 section 6 reply field meanings. */
const REPLY_MESSAGES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

const SOCKS_VERSION = 0x05;
const METHOD_NO_AUTH = 0x00;
const CMD_CONNECT = 0x01;
const ATYP_IPV4 = 0x01;
const ATYP_DOMAIN = 0x03;
const ATYP_IPV6 = 0x04;

/**
 * Parses `socks5h://HOST:PORT`. Plain `socks5://` is refused: by convention it means "resolve locally",
 * which would leak every crawled name to the system resolver. HOST must be an IP address literal.
 */
export function parseSocks5hUrl(text: string): Socks5Proxy {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`proxy "${text}" is not a URL; expected socks5h://HOST:PORT`);
  }
  if (url.protocol === 'socks5:')
    throw new Error(
      `proxy "${text}": use socks5h:// so the proxy resolves host names (socks5:// would resolve them locally)`,
    );
  if (url.protocol !== 'socks5h:') throw new Error(`proxy "${text}": only socks5h://HOST:PORT is supported`);
  if (url.username || url.password) throw new Error(`proxy "${text}": proxy authentication is not supported`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0)
    throw new Error(
      `proxy "${text}": HOST must be an IP address (resolving the proxy's own name would use the system resolver)`,
    );
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`proxy "${text}": PORT must be 1..65535`);
  return { host, port };
}

/** Options of socks5Connect. */
export interface Socks5ConnectOptions {
  proxy: Socks5Proxy;
  /** Destination host name, sent to the proxy as is (ATYP domain name). */
  host: string;
  port: number;
  /** Whole handshake deadline (TCP connect to the proxy + negotiation + CONNECT reply). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Opens a TCP stream to `host:port` through the proxy. Resolves with the connected socket once the
 * proxy replied "succeeded"; rejects with Socks5Error otherwise.
 */
export function socks5Connect(options: Socks5ConnectOptions): Promise<Socket> {
  const { proxy, host, port, timeoutMs, signal } = options;
  const name = Buffer.from(host, 'ascii');
  // RFC 1928 section 5: the domain name is one length octet followed by at most 255 octets.
  if (name.length === 0 || name.length > 255 || !/^[\x21-\x7e]+$/.test(host))
    return Promise.reject(new Socks5Error(`cannot send host name "${host}" through SOCKS5`));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return Promise.reject(new Socks5Error(`bad destination port ${port}`));
  // Reaching the proxy by name would be a local DNS query, the very leak socks5h exists to avoid.
  if (isIP(proxy.host) === 0)
    return Promise.reject(new Socks5Error(`the proxy address must be an IP address, not "${proxy.host}"`));

  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    let received = Buffer.alloc(0);
    let stage: 'greeting' | 'connect' | 'done' = 'greeting';

    const fail = (error: Error): void => {
      if (stage === 'done') return;
      stage = 'done';
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(new Socks5Error('aborted'));
    const timer = setTimeout(
      () => fail(new Socks5Error(`SOCKS5 handshake with ${proxy.host}:${proxy.port} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Removing the last 'readable' listener hands the stream back (Node resets flowing to null),
      // so the HTTP client that takes the socket next sees every byte.
      socket.off('readable', onReadable);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onError = (error: Error): void =>
      fail(new Socks5Error(`SOCKS5 proxy ${proxy.host}:${proxy.port}: ${error.message}`));
    const onClose = (): void =>
      fail(new Socks5Error(`SOCKS5 proxy ${proxy.host}:${proxy.port} closed the connection during the handshake`));

    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (stage !== 'done' && (chunk = socket.read() as Buffer | null) !== null) onData(chunk);
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      // The longest valid reply is 4 + 1 + 255 + 2 octets; anything more before we are done is hostile.
      if (received.length > 262) return fail(new Socks5Error('oversized SOCKS5 reply'));
      if (stage === 'greeting') {
        if (received.length < 2) return;
        // RFC 1928 section 3: VER, METHOD.
        if (received[0] !== SOCKS_VERSION) return fail(new Socks5Error(`not a SOCKS5 proxy (version ${received[0]})`));
        if (received[1] !== METHOD_NO_AUTH)
          return fail(new Socks5Error('the proxy requires authentication, which is not supported'));
        received = received.subarray(2);
        stage = 'connect';
        const portBytes = Buffer.alloc(2);
        portBytes.writeUInt16BE(port);
        // RFC 1928 section 4: VER CMD RSV ATYP DST.ADDR DST.PORT, DST.ADDR = len + name.
        socket.write(
          Buffer.concat([Uint8Array.of(SOCKS_VERSION, CMD_CONNECT, 0x00, ATYP_DOMAIN, name.length), name, portBytes]),
        );
      }
      if (stage === 'connect') {
        if (received.length < 5) return;
        if (received[0] !== SOCKS_VERSION) return fail(new Socks5Error(`bad SOCKS5 reply version ${received[0]}`));
        const code = received[1]!;
        if (code !== 0x00)
          return fail(
            new Socks5Error(
              `SOCKS5 proxy refused ${host}:${port}: ${REPLY_MESSAGES[code] ?? `reply code ${code}`}`,
              code,
            ),
          );
        const atyp = received[3];
        const addressLength =
          atyp === ATYP_IPV4 ? 4 : atyp === ATYP_IPV6 ? 16 : atyp === ATYP_DOMAIN ? 1 + received[4]! : -1;
        if (addressLength < 0) return fail(new Socks5Error(`bad SOCKS5 reply address type ${atyp}`));
        const total = 4 + addressLength + 2;
        if (received.length < total) return;
        // Bytes after the reply already belong to the tunnelled stream; give them back to the socket.
        const rest = received.subarray(total);
        stage = 'done';
        cleanup();
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
      }
    };

    if (signal?.aborted) return fail(new Socks5Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('readable', onReadable);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('connect', () => {
      if (stage !== 'done') socket.write(Uint8Array.of(SOCKS_VERSION, 1, METHOD_NO_AUTH));
    });
  });
}
