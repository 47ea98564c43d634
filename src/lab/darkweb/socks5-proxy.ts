/**
 * The lab's SOCKS5 proxy (RFC 1928, no authentication, CONNECT with ATYP 0x03 only). It plays Tor's
 * part: it maps the lab's `<56 chars>.onion` names to local hidden-service web servers and refuses
 * everything else with reply 0x02 "connection not allowed by ruleset". It never connects outside
 * 127.0.0.0/8, whatever it is asked, and records every request so tests can check that clients sent
 * host names (ATYP domain) rather than resolving them locally.
 */
import { createServer, connect, isIPv4, type Server, type Socket } from 'node:net';

/** One CONNECT request as the proxy saw it. */
export interface ProxyRequestRecord {
  /** RFC 1928 ATYP: 1 IPv4, 3 domain name, 4 IPv6. */
  atyp: number;
  /** The destination as sent (name, or the address in text form). */
  host: string;
  port: number;
  /** Whether the proxy connected it. */
  allowed: boolean;
  /** The reply code sent (0 = succeeded). */
  reply: number;
}

/** A running lab SOCKS5 proxy. */
export interface LabSocks5Proxy {
  host: string;
  port: number;
  /** Every CONNECT request received, in order. */
  readonly requests: readonly ProxyRequestRecord[];
  close(): Promise<void>;
}

/** Options of startLabSocks5Proxy. */
export interface LabSocks5ProxyOptions {
  /** Address to listen on (in 127.0.0.0/8). */
  host: string;
  /** Port (0 = ephemeral). */
  port?: number;
  /** Maps a lower-cased host name and port to a loopback target, or undefined to refuse. */
  route(host: string, port: number): { address: string; port: number } | undefined;
  /** Handshake deadline per client connection (default 10 s). */
  handshakeTimeoutMs?: number;
}

const VERSION = 0x05;
const REPLY_SUCCEEDED = 0x00;
const REPLY_GENERAL_FAILURE = 0x01;
const REPLY_NOT_ALLOWED = 0x02;
const REPLY_CONNECTION_REFUSED = 0x05;
const REPLY_COMMAND_NOT_SUPPORTED = 0x07;
const REPLY_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

/** True for an IPv4 literal in 127.0.0.0/8: the only place the lab proxy may ever connect to. */
export function isLoopbackV4(address: string): boolean {
  return isIPv4(address) && address.startsWith('127.');
}

/** Starts the proxy; resolves once it listens. */
export async function startLabSocks5Proxy(options: LabSocks5ProxyOptions): Promise<LabSocks5Proxy> {
  if (!isLoopbackV4(options.host)) throw new Error(`the lab proxy listens on 127.0.0.0/8 only, not ${options.host}`);
  const requests: ProxyRequestRecord[] = [];
  const sockets = new Set<Socket>();
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    handleClient(client, options, requests, sockets, handshakeTimeoutMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the lab proxy has no TCP address');
  return {
    host: options.host,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function reply(client: Socket, code: number): void {
  // RFC 1928 section 6: VER REP RSV ATYP BND.ADDR BND.PORT; the bound address is not meaningful here.
  client.end(Uint8Array.of(VERSION, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0));
}

function handleClient(
  client: Socket,
  options: LabSocks5ProxyOptions,
  requests: ProxyRequestRecord[],
  sockets: Set<Socket>,
  timeoutMs: number,
): void {
  let buffer = Buffer.alloc(0);
  let stage: 'greeting' | 'request' | 'connecting' = 'greeting';
  const timer = setTimeout(() => client.destroy(), timeoutMs);
  client.once('close', () => clearTimeout(timer));

  const onData = (chunk: Buffer): void => {
    buffer = Buffer.concat([buffer, chunk]);
    // Greeting <= 257 octets, request <= 262: anything longer before the tunnel exists is garbage.
    if (buffer.length > 600) return void client.destroy();
    if (stage === 'greeting') {
      if (buffer.length < 2) return;
      if (buffer[0] !== VERSION) return void client.destroy();
      const methodCount = buffer[1]!;
      if (buffer.length < 2 + methodCount) return;
      const methods = buffer.subarray(2, 2 + methodCount);
      buffer = buffer.subarray(2 + methodCount);
      if (!methods.includes(0x00)) return void client.end(Uint8Array.of(VERSION, 0xff));
      client.write(Uint8Array.of(VERSION, 0x00));
      stage = 'request';
    }
    if (stage === 'request') {
      if (buffer.length < 5) return;
      if (buffer[0] !== VERSION) return void client.destroy();
      const command = buffer[1]!;
      const atyp = buffer[3]!;
      let host: string;
      let end: number;
      if (atyp === 0x01) {
        end = 4 + 4;
        if (buffer.length < end + 2) return;
        host = Array.from(buffer.subarray(4, end)).join('.');
      } else if (atyp === 0x03) {
        end = 5 + buffer[4]!;
        if (buffer.length < end + 2) return;
        host = buffer.subarray(5, end).toString('latin1');
      } else if (atyp === 0x04) {
        end = 4 + 16;
        if (buffer.length < end + 2) return;
        host = buffer
          .subarray(4, end)
          .toString('hex')
          .replace(/(.{4})(?!$)/g, '$1:');
      } else {
        stage = 'connecting';
        return reply(client, REPLY_ADDRESS_TYPE_NOT_SUPPORTED);
      }
      const port = buffer.readUInt16BE(end);
      const rest = buffer.subarray(end + 2);
      stage = 'connecting';
      client.off('data', onData);
      // Hold early tunnel bytes in the socket until pipe() below resumes it.
      client.pause();
      const record: ProxyRequestRecord = { atyp, host, port, allowed: false, reply: REPLY_NOT_ALLOWED };
      requests.push(record);
      if (command !== 0x01) {
        record.reply = REPLY_COMMAND_NOT_SUPPORTED;
        return reply(client, REPLY_COMMAND_NOT_SUPPORTED);
      }
      // Only names: an address literal would mean the client resolved something itself.
      const target = atyp === 0x03 ? options.route(host.toLowerCase(), port) : undefined;
      if (!target) return reply(client, REPLY_NOT_ALLOWED);
      // Defence in depth: whatever the routing table says, never leave the loopback network.
      if (!isLoopbackV4(target.address)) {
        record.reply = REPLY_GENERAL_FAILURE;
        return reply(client, REPLY_GENERAL_FAILURE);
      }
      const upstream = connect({ host: target.address, port: target.port });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.once('error', () => {
        if (!record.allowed) {
          record.reply = REPLY_CONNECTION_REFUSED;
          reply(client, REPLY_CONNECTION_REFUSED);
        } else client.destroy();
      });
      upstream.once('connect', () => {
        clearTimeout(timer);
        record.allowed = true;
        record.reply = REPLY_SUCCEEDED;
        const bound = Buffer.alloc(10);
        bound.set([VERSION, REPLY_SUCCEEDED, 0x00, 0x01, ...target.address.split('.').map(Number)]);
        bound.writeUInt16BE(upstream.localPort ?? 0, 8);
        client.write(bound);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    }
  };
  client.on('data', onData);
}
