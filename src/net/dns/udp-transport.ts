/**
 * DNS over UDP: a small pool of sockets per address family, each multiplexing many queries by message
 * id, with one sweep timer for every timeout and retry. A reply counts only if it comes from the
 * queried address and port with the query's id and question (RFC 5452 section 9.1).
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { decodeReply } from './reply-parser.js';
import { encodeQuery, replyMatchesQuery, type RandomIdSource, type ValidQuery } from './codec.js';
import { CLOSED_DETAIL, describeError, type ExchangeOutcome } from './exchange.js';
import type { NetworkGuard } from '../guarded-socket.js';

/** UDP sockets per address family: a few source ports, each multiplexing many ids. */
const UDP_SOCKETS_PER_FAMILY = 4;
/** Large receive buffer so bursts of replies at ~15k queries/s are not dropped by the kernel. */
const UDP_RECV_BUFFER_BYTES = 4 * 1024 * 1024;
/** Granularity of the shared timeout sweep. */
const SWEEP_INTERVAL_MS = 10;
const MAX_GARBAGE_SOURCES = 1024;

interface UdpSocketEntry {
  socket: dgram.Socket;
  family: 4 | 6;
  /** Exchanges waiting on this socket, by message id. */
  pending: Map<number, UdpExchange>;
  /** Last time an undecodable datagram came from "address|port" (to explain a later timeout). */
  garbageFrom: Map<string, number>;
  closed: boolean;
}

interface UdpExchange {
  query: ValidQuery;
  /** Every (socket, id) this exchange was sent with; a late reply to an earlier attempt still counts. */
  registrations: Array<{ entry: UdpSocketEntry; id: number }>;
  attemptsLeft: number;
  deadline: number;
  startedAt: number;
  finish: (outcome: ExchangeOutcome) => void;
}

export class UdpTransport {
  private readonly sockets: { 4: UdpSocketEntry[]; 6: UdpSocketEntry[] } = { 4: [], 6: [] };
  private nextSocket = 0;
  private readonly exchanges = new Set<UdpExchange>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ids: RandomIdSource,
    private readonly guard: NetworkGuard,
  ) {}

  /** Sends `query` (with retries after timeouts) and waits for the matching reply or a failure. */
  exchange(query: ValidQuery): Promise<ExchangeOutcome> {
    return new Promise<ExchangeOutcome>((resolve) => {
      const now = performance.now();
      const exchange: UdpExchange = {
        query,
        registrations: [],
        attemptsLeft: query.attempts,
        deadline: now + query.timeoutMs,
        startedAt: now,
        finish: (outcome) => {
          if (!this.exchanges.delete(exchange)) return;
          for (const { entry, id } of exchange.registrations) {
            if (entry.pending.get(id) === exchange) entry.pending.delete(id);
          }
          if (this.exchanges.size === 0) this.stopSweep();
          resolve(outcome);
        },
      };
      this.exchanges.add(exchange);
      this.startSweep();
      this.sendAttempt(exchange);
    });
  }

  /** Fails every waiting exchange and closes the sockets. */
  async close(): Promise<void> {
    for (const exchange of [...this.exchanges]) {
      exchange.finish({ kind: 'failure', reason: 'network_error', detail: CLOSED_DETAIL });
    }
    this.stopSweep();
    const closing = [...this.sockets[4], ...this.sockets[6]].map((entry) => closeUdpSocket(entry));
    this.sockets[4] = [];
    this.sockets[6] = [];
    await Promise.all(closing);
  }

  /** Sends one attempt with a fresh id (RFC 5452 section 9.2) on the next socket of the pool. */
  private sendAttempt(exchange: UdpExchange): void {
    const entry = this.pickSocket(exchange.query.family);
    if (entry === undefined) {
      exchange.finish({
        kind: 'failure',
        reason: 'network_error',
        detail: `cannot open a UDP socket for IPv${exchange.query.family}`,
      });
      return;
    }
    const id = this.ids.unusedIn(entry.pending);
    if (id === undefined) {
      exchange.finish({ kind: 'failure', reason: 'network_error', detail: 'no free DNS message id' });
      return;
    }
    exchange.attemptsLeft -= 1;
    exchange.deadline = performance.now() + exchange.query.timeoutMs;
    exchange.registrations.push({ entry, id });
    entry.pending.set(id, exchange);
    const message = encodeQuery(exchange.query, id);
    const { address, port } = exchange.query.server;
    try {
      const refusal = this.guard.sendDatagram(entry.socket, message, address, port, (error) => {
        if (error)
          exchange.finish({
            kind: 'failure',
            reason: 'network_error',
            detail: `UDP send failed: ${describeError(error)}`,
          });
      });
      if (refusal !== null) exchange.finish({ kind: 'failure', reason: 'policy_refused', detail: refusal.reason });
    } catch (error) {
      exchange.finish({ kind: 'failure', reason: 'network_error', detail: `UDP send failed: ${describeError(error)}` });
    }
  }

  private pickSocket(family: 4 | 6): UdpSocketEntry | undefined {
    const pool = this.sockets[family];
    if (pool.length < UDP_SOCKETS_PER_FAMILY) {
      const entry = this.openSocket(family);
      if (entry !== undefined) {
        pool.push(entry);
        return entry;
      }
    }
    if (pool.length === 0) return undefined;
    this.nextSocket = (this.nextSocket + 1) % pool.length;
    return pool[this.nextSocket];
  }

  private openSocket(family: 4 | 6): UdpSocketEntry | undefined {
    let socket: dgram.Socket;
    try {
      socket = dgram.createSocket({
        type: family === 4 ? 'udp4' : 'udp6',
        recvBufferSize: UDP_RECV_BUFFER_BYTES,
        // Servers are IP literals, validated before any send: hand them straight back. This never asks
        // the OS resolver, and saves dgram's asynchronous dns.lookup round on every datagram.
        lookup: (address, _options, callback) => callback(null, address, family),
      });
    } catch {
      return undefined;
    }
    const entry: UdpSocketEntry = { socket, family, pending: new Map(), garbageFrom: new Map(), closed: false };
    socket.on('message', (message, remote) => this.onDatagram(entry, message, remote));
    socket.on('error', (error) => this.onSocketError(entry, error));
    // The sweep timer keeps the process alive while queries wait; idle sockets must not.
    socket.unref();
    return entry;
  }

  private onDatagram(entry: UdpSocketEntry, message: Buffer, remote: dgram.RemoteInfo): void {
    const exchange = message.length >= 2 ? entry.pending.get(message.readUInt16BE(0)) : undefined;
    const server = exchange?.query.server;
    if (
      exchange === undefined ||
      server === undefined ||
      remote.port !== server.port ||
      remote.address !== server.address
    ) {
      noteStrayDatagram(entry, message, remote);
      return;
    }
    const packet = decodeReply(message);
    if (packet === null) {
      // Right id from the right address and port, yet undecodable: the server is broken or hostile.
      exchange.finish({
        kind: 'failure',
        reason: 'malformed_reply',
        detail: `undecodable ${message.length}-byte UDP reply`,
      });
      return;
    }
    if (!replyMatchesQuery(packet, exchange.query)) return; // RFC 5452 section 9.1: ignore and keep waiting
    exchange.finish({ kind: 'reply', packet });
  }

  private onSocketError(entry: UdpSocketEntry, error: Error): void {
    const pool = this.sockets[entry.family];
    const index = pool.indexOf(entry);
    if (index >= 0) pool.splice(index, 1);
    for (const exchange of [...entry.pending.values()]) {
      exchange.finish({
        kind: 'failure',
        reason: 'network_error',
        detail: `UDP socket error: ${describeError(error)}`,
      });
    }
    void closeUdpSocket(entry);
  }

  private startSweep(): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
  }

  private stopSweep(): void {
    if (this.sweepTimer === undefined) return;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** One timer for every UDP exchange: retry or fail those past their deadline. */
  private sweep(): void {
    const now = performance.now();
    for (const exchange of this.exchanges) {
      if (now < exchange.deadline) continue;
      if (exchange.attemptsLeft > 0) {
        this.sendAttempt(exchange);
        continue;
      }
      const { server, timeoutMs, attempts } = exchange.query;
      const garbageAt = garbageSince(exchange, `${server.address}|${server.port}`);
      if (garbageAt) {
        exchange.finish({
          kind: 'failure',
          reason: 'malformed_reply',
          detail: 'the server sent only undecodable UDP replies',
        });
      } else {
        exchange.finish({
          kind: 'failure',
          reason: 'timeout',
          detail: `no reply over UDP after ${attempts} attempt(s) of ${timeoutMs} ms`,
        });
      }
    }
  }
}

/** Remembers garbage from a server so a later timeout can say the server did answer, unreadably. */
function noteStrayDatagram(entry: UdpSocketEntry, message: Buffer, remote: dgram.RemoteInfo): void {
  if (message.length >= 12 && decodeReply(message) !== null) return; // a late or foreign reply
  if (entry.garbageFrom.size >= MAX_GARBAGE_SOURCES) entry.garbageFrom.clear();
  entry.garbageFrom.set(`${remote.address}|${remote.port}`, performance.now());
}

function garbageSince(exchange: UdpExchange, sourceKey: string): boolean {
  for (const { entry } of exchange.registrations) {
    const at = entry.garbageFrom.get(sourceKey);
    if (at !== undefined && at >= exchange.startedAt) return true;
  }
  return false;
}

function closeUdpSocket(entry: UdpSocketEntry): Promise<void> {
  if (entry.closed) return Promise.resolve();
  entry.closed = true;
  return new Promise<void>((resolve) => {
    try {
      entry.socket.close(() => resolve());
    } catch {
      resolve(); // never bound, or already closed
    }
  });
}
