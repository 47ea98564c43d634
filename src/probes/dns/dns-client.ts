/**
 * DNS wire client (contract: dns-client.types.ts). Speaks DNS itself with dns-packet over UDP and
 * TCP so probes can ask any server (the lab's, a test's, the user's) without the OS resolver.
 *
 * Performance: UDP queries share a small pool of sockets per address family and are multiplexed by
 * message id; in-flight work is capped by a FIFO semaphore; one sweep timer handles every UDP
 * timeout. Safety: every reply goes through the hardened decodeReply and must match the query's id,
 * question and source address/port (RFC 5452 section 9.1) or it is ignored.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';
import type { Answer, Packet, RecordType, TxtAnswer } from 'dns-packet';
import { decodeReply } from './dns-reply-parser.js';
import type { DnsPacket } from './dns-reply-parser.js';
import type {
  AxfrResult,
  DnsClient,
  DnsFailureReason,
  DnsQueryOptions,
  DnsQueryResult,
  DnsResponse,
  DnsServer,
} from './dns-client.types.js';

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_RETRIES = 1;
const DEFAULT_AXFR_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_IN_FLIGHT = 512;
/** RFC 9715 / DNS Flag Day 2020: 1232 octets avoids IP fragmentation on almost every path. */
const EDNS_UDP_PAYLOAD_SIZE = 1232;
/** UDP sockets per address family: a few source ports, each multiplexing many ids. */
const UDP_SOCKETS_PER_FAMILY = 4;
/** Large receive buffer so bursts of replies at ~15k queries/s are not dropped by the kernel. */
const UDP_RECV_BUFFER_BYTES = 4 * 1024 * 1024;
/** Granularity of the shared timeout sweep. */
const SWEEP_INTERVAL_MS = 10;
/** AXFR bounds: a hostile server must not make us buffer without end. */
const AXFR_MAX_RECORDS = 200_000;
const AXFR_MAX_BYTES = 64 * 1024 * 1024;
/** Frames on a TCP query connection that do not match before we give up. */
const TCP_MAX_UNMATCHED_FRAMES = 8;
/** RFC 1035 section 2.3.4 limits. */
const MAX_LABEL_BYTES = 63;
const MAX_NAME_WIRE_BYTES = 255;

type QueryClass = 'IN' | 'CH';

/** Parses 'a.b.c.d', 'a.b.c.d:port', '::1', '[::1]' or '[::1]:port' into a DnsServer; throws on bad input. */
export function parseServer(text: string, defaultPort = 53): DnsServer {
  const input = text.trim();
  let address = input;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(input);
  if (bracketed) {
    address = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (net.isIP(input) === 0) {
    const lastColon = input.lastIndexOf(':');
    if (lastColon > 0 && input.indexOf(':') === lastColon) {
      address = input.slice(0, lastColon);
      portText = input.slice(lastColon + 1);
    }
  }
  if (net.isIP(address) === 0) {
    throw new Error(
      `invalid DNS server "${text}": expected an IP address (e.g. 127.0.0.1, 127.0.0.1:5300, [::1]:53), not a host name`,
    );
  }
  const port = portText === undefined ? defaultPort : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`invalid DNS server "${text}": port must be an integer from 1 to 65535`);
  }
  return { address: canonicalAddress(address), port };
}

/** Joins the character-strings of one TXT record (RFC 7208 section 3.3: no separator); throws for other types. */
export function txtToString(answer: Answer): string {
  if (answer.type !== 'TXT') throw new TypeError(`txtToString: expected a TXT record, got ${answer.type}`);
  const data = (answer as TxtAnswer).data;
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
}

/** The TXT records among `answers` (optionally only those owned by `owner`), each joined with txtToString. */
export function txtStrings(answers: readonly Answer[], owner?: string): string[] {
  const wanted = owner === undefined ? undefined : normalizeName(owner);
  return answers
    .filter((a) => a.type === 'TXT' && (wanted === undefined || normalizeName(a.name) === wanted))
    .map(txtToString);
}

/** Creates a DNS client; `maxInFlight` caps concurrent queries and transfers (default 512), the rest wait in FIFO order. */
export function createDnsClient(options: { maxInFlight?: number } = {}): DnsClient {
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
  return new WireDnsClient(maxInFlight);
}

// ---------------------------------------------------------------------------------------------
// Internals

/** What one UDP or TCP exchange produced before it is turned into a DnsQueryResult. */
type ExchangeOutcome =
  | { kind: 'reply'; packet: DnsPacket }
  | { kind: 'failure'; reason: DnsFailureReason; detail: string };

export interface ValidQuery {
  server: DnsServer;
  family: 4 | 6;
  /** Lower case, no trailing dot ('.' for the root). */
  name: string;
  type: RecordType;
  qclass: QueryClass;
  timeoutMs: number;
  attempts: number;
  dnssecOk: boolean;
  recursionDesired: boolean;
  checkingDisabled: boolean;
  tcp: boolean;
}

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

const CLOSED_DETAIL = 'DNS client closed';
const CLOSED_BEFORE_REPLY = 'connection closed before any reply';
const MAX_GARBAGE_SOURCES = 1024;

class WireDnsClient implements DnsClient {
  private readonly sockets: { 4: UdpSocketEntry[]; 6: UdpSocketEntry[] } = { 4: [], 6: [] };
  private nextSocket = 0;
  private readonly udpExchanges = new Set<UdpExchange>();
  private readonly tcpSockets = new Set<net.Socket>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly ids = new RandomIdSource();
  private readonly slots: Semaphore;

  constructor(maxInFlight: number) {
    this.slots = new Semaphore(maxInFlight);
  }

  async query(
    server: DnsServer,
    name: string,
    type: RecordType,
    options: DnsQueryOptions = {},
  ): Promise<DnsQueryResult> {
    const validated = validateQuery(server, name, type, options);
    if (typeof validated === 'string') {
      return { ok: false, reason: 'network_error', detail: `query not sent: ${validated}`, server: { ...server } };
    }
    await this.slots.acquire();
    try {
      if (this.closed) return failure(validated.server, 'network_error', CLOSED_DETAIL);
      return await this.resolveQuery(validated);
    } catch (error) {
      // Defensive: nothing below should throw, but a query must never reject for network trouble.
      return failure(validated.server, 'network_error', `unexpected error: ${describeError(error)}`);
    } finally {
      this.slots.release();
    }
  }

  async axfr(server: DnsServer, zone: string, options: { timeoutMs?: number } = {}): Promise<AxfrResult> {
    const validated = validateQuery(server, zone, 'AXFR', {
      timeoutMs: options.timeoutMs ?? DEFAULT_AXFR_TIMEOUT_MS,
      retries: 0,
    });
    if (typeof validated === 'string') {
      return {
        ok: false,
        reason: 'network_error',
        detail: `transfer not requested: ${validated}`,
        server: { ...server },
      };
    }
    await this.slots.acquire();
    try {
      if (this.closed) return { ok: false, reason: 'network_error', detail: CLOSED_DETAIL, server: validated.server };
      return await this.transferZone(validated);
    } catch (error) {
      return {
        ok: false,
        reason: 'network_error',
        detail: `unexpected error: ${describeError(error)}`,
        server: validated.server,
      };
    } finally {
      this.slots.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.slots.releaseAllWaiters();
    for (const exchange of [...this.udpExchanges]) {
      exchange.finish({ kind: 'failure', reason: 'network_error', detail: CLOSED_DETAIL });
    }
    for (const socket of this.tcpSockets) socket.destroy(new Error(CLOSED_DETAIL));
    this.tcpSockets.clear();
    this.stopSweep();
    const closing = [...this.sockets[4], ...this.sockets[6]].map((entry) => closeUdpSocket(entry));
    this.sockets[4] = [];
    this.sockets[6] = [];
    await Promise.all(closing);
  }

  // --- one query: UDP, then TCP when truncated (RFC 7766 section 5) ----------------------------

  private async resolveQuery(query: ValidQuery): Promise<DnsQueryResult> {
    let transport: 'udp' | 'tcp' = query.tcp ? 'tcp' : 'udp';
    let outcome = query.tcp ? await this.tcpQuery(query) : await this.udpQuery(query);
    if (outcome.kind === 'reply' && transport === 'udp' && outcome.packet.flag_tc) {
      transport = 'tcp';
      const overTcp = await this.tcpQuery(query);
      outcome =
        overTcp.kind === 'failure'
          ? { ...overTcp, detail: `UDP reply was truncated and the TCP retry failed: ${overTcp.detail}` }
          : overTcp;
    }
    if (outcome.kind === 'failure') return failure(query.server, outcome.reason, outcome.detail);
    return { ok: true, response: toResponse(outcome.packet, transport, query.server) };
  }

  private udpQuery(query: ValidQuery): Promise<ExchangeOutcome> {
    return new Promise<ExchangeOutcome>((resolve) => {
      const now = performance.now();
      const exchange: UdpExchange = {
        query,
        registrations: [],
        attemptsLeft: query.attempts,
        deadline: now + query.timeoutMs,
        startedAt: now,
        finish: (outcome) => {
          if (!this.udpExchanges.delete(exchange)) return;
          for (const { entry, id } of exchange.registrations) {
            if (entry.pending.get(id) === exchange) entry.pending.delete(id);
          }
          if (this.udpExchanges.size === 0) this.stopSweep();
          resolve(outcome);
        },
      };
      this.udpExchanges.add(exchange);
      this.startSweep();
      this.sendUdpAttempt(exchange);
    });
  }

  /** Sends one attempt with a fresh id (RFC 5452 section 9.2) on the next socket of the pool. */
  private sendUdpAttempt(exchange: UdpExchange): void {
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
      entry.socket.send(message, port, address, (error) => {
        if (error)
          exchange.finish({
            kind: 'failure',
            reason: 'network_error',
            detail: `UDP send failed: ${describeError(error)}`,
          });
      });
    } catch (error) {
      exchange.finish({ kind: 'failure', reason: 'network_error', detail: `UDP send failed: ${describeError(error)}` });
    }
  }

  private pickSocket(family: 4 | 6): UdpSocketEntry | undefined {
    const pool = this.sockets[family];
    if (pool.length < UDP_SOCKETS_PER_FAMILY) {
      const entry = this.openUdpSocket(family);
      if (entry !== undefined) {
        pool.push(entry);
        return entry;
      }
    }
    if (pool.length === 0) return undefined;
    this.nextSocket = (this.nextSocket + 1) % pool.length;
    return pool[this.nextSocket];
  }

  private openUdpSocket(family: 4 | 6): UdpSocketEntry | undefined {
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
      this.noteStrayDatagram(entry, message, remote);
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

  /** Remembers garbage from a server so a later timeout can say the server did answer, unreadably. */
  private noteStrayDatagram(entry: UdpSocketEntry, message: Buffer, remote: dgram.RemoteInfo): void {
    if (message.length >= 12 && decodeReply(message) !== null) return; // a late or foreign reply
    if (entry.garbageFrom.size >= MAX_GARBAGE_SOURCES) entry.garbageFrom.clear();
    entry.garbageFrom.set(`${remote.address}|${remote.port}`, performance.now());
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
    for (const exchange of this.udpExchanges) {
      if (now < exchange.deadline) continue;
      if (exchange.attemptsLeft > 0) {
        this.sendUdpAttempt(exchange);
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

  // --- TCP (RFC 7766; RFC 1035 section 4.2.2 two-octet length framing) ------------------------

  private async tcpQuery(query: ValidQuery): Promise<ExchangeOutcome> {
    let last: ExchangeOutcome = { kind: 'failure', reason: 'timeout', detail: 'no TCP attempt made' };
    for (let attempt = 0; attempt < query.attempts && !this.closed; attempt++) {
      const id = this.ids.next();
      let unmatched = 0;
      const session = await this.runTcpSession<ExchangeOutcome>(
        query.server,
        dnsPacket.streamEncode(buildQuery(query, id)),
        query.timeoutMs,
        (frame) => {
          const packet = decodeReply(frame);
          if (packet === null)
            return { kind: 'failure', reason: 'malformed_reply', detail: `undecodable ${frame.length}-byte TCP reply` };
          if (packet.id === id && replyMatchesQuery(packet, query)) return { kind: 'reply', packet };
          unmatched += 1;
          if (unmatched >= TCP_MAX_UNMATCHED_FRAMES) {
            return { kind: 'failure', reason: 'malformed_reply', detail: 'TCP replies did not match the query' };
          }
          return undefined;
        },
      );
      if (session.kind === 'done') return session.value;
      last = { kind: 'failure', reason: session.reason, detail: `${session.detail} (TCP)` };
      if (session.reason !== 'timeout') break; // retries are for timeouts, like UDP
    }
    return last;
  }

  private async transferZone(query: ValidQuery): Promise<AxfrResult> {
    const id = this.ids.next();
    const server = query.server;
    const transfer = new AxfrAccumulator(query.name, id);
    const session = await this.runTcpSession<AxfrResult>(
      server,
      dnsPacket.streamEncode(buildQuery(query, id)),
      query.timeoutMs,
      (frame) => transfer.accept(frame, server),
    );
    if (session.kind === 'done') return session.value;
    if (this.closed) return { ok: false, reason: 'network_error', detail: CLOSED_DETAIL, server };
    if (session.reason === 'network_error' && session.detail === CLOSED_BEFORE_REPLY && transfer.messages === 0) {
      // Declining a transfer by closing the connection is common practice (instead of REFUSED).
      return {
        ok: false,
        reason: 'refused',
        detail: 'the server closed the connection without answering the AXFR query',
        server,
      };
    }
    const progress = transfer.records.length > 0 ? ` after ${transfer.records.length} record(s)` : '';
    return { ok: false, reason: session.reason, detail: `${session.detail}${progress}`, server };
  }

  /**
   * Connects, sends `payload`, and feeds each length-prefixed frame to `onFrame` until it returns a
   * value, the deadline passes, the peer closes, or AXFR_MAX_BYTES arrive.
   */
  private runTcpSession<T>(
    server: DnsServer,
    payload: Buffer,
    timeoutMs: number,
    onFrame: (frame: Buffer) => T | undefined,
  ): Promise<TcpSessionOutcome<T>> {
    return new Promise<TcpSessionOutcome<T>>((resolve) => {
      let settled = false;
      let received = 0;
      const frames = new FrameReader();
      const socket = net.connect({ host: server.address, port: server.port, family: net.isIP(server.address) });
      this.tcpSockets.add(socket);
      const settle = (outcome: TcpSessionOutcome<T>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.tcpSockets.delete(socket);
        socket.destroy();
        resolve(outcome);
      };
      const timer = setTimeout(
        () => settle({ kind: 'failure', reason: 'timeout', detail: `no complete reply within ${timeoutMs} ms` }),
        timeoutMs,
      );
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(payload));
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > AXFR_MAX_BYTES) {
          settle({ kind: 'failure', reason: 'malformed_reply', detail: `reply exceeds ${AXFR_MAX_BYTES} bytes` });
          return;
        }
        frames.push(chunk);
        // Bounded: each iteration consumes one complete frame from the bytes received so far.
        for (let frame = frames.next(); frame !== undefined && !settled; frame = frames.next()) {
          const value = onFrame(frame);
          if (value !== undefined) settle({ kind: 'done', value });
        }
      });
      socket.on('error', (error) =>
        settle({ kind: 'failure', reason: 'network_error', detail: `TCP error: ${describeError(error)}` }),
      );
      socket.on('close', () =>
        settle({
          kind: 'failure',
          reason: 'network_error',
          detail: received === 0 ? CLOSED_BEFORE_REPLY : 'connection closed mid-reply',
        }),
      );
      if (this.closed) settle({ kind: 'failure', reason: 'network_error', detail: CLOSED_DETAIL });
    });
  }
}

type TcpSessionOutcome<T> = { kind: 'done'; value: T } | { kind: 'failure'; reason: DnsFailureReason; detail: string };

/**
 * Collects an AXFR (RFC 5936 section 2.2): the first record is the zone's SOA, the transfer ends at
 * the next SOA, and it may span many messages, each with the query's id.
 */
class AxfrAccumulator {
  readonly records: Answer[] = [];
  messages = 0;

  constructor(
    private readonly zone: string,
    private readonly id: number,
  ) {}

  accept(frame: Buffer, server: DnsServer): AxfrResult | undefined {
    const packet = decodeReply(frame);
    const fail = (reason: DnsFailureReason | 'refused', detail: string): AxfrResult => ({
      ok: false,
      reason,
      detail,
      server,
    });
    if (packet === null) return fail('malformed_reply', `undecodable ${frame.length}-byte message in the transfer`);
    if (packet.id !== this.id || packet.type !== 'response')
      return fail('malformed_reply', 'transfer message with a foreign id');
    // RFC 5936 section 2.2.1: later messages may omit the question; when present it must match.
    const question = packet.questions[0];
    if (
      packet.questions.length > 1 ||
      (question !== undefined && (normalizeName(question.name) !== this.zone || question.type !== 'AXFR'))
    ) {
      return fail('malformed_reply', 'transfer message for another question');
    }
    this.messages += 1;
    if (packet.rcode !== 'NOERROR') {
      return this.records.length === 0
        ? fail('refused', `the server answered ${packet.rcode}`)
        : fail('malformed_reply', `transfer aborted with ${packet.rcode} after ${this.records.length} record(s)`);
    }
    for (const record of packet.answers) {
      if (this.records.length === 0) {
        if (record.type !== 'SOA' || normalizeName(record.name) !== this.zone) {
          return fail('malformed_reply', `transfer does not start with the SOA of ${this.zone}`);
        }
      } else if (record.type === 'SOA') {
        return { ok: true, records: this.records }; // the closing SOA repeats the first; not kept twice
      }
      if (this.records.length >= AXFR_MAX_RECORDS) {
        return fail('malformed_reply', `transfer exceeds ${AXFR_MAX_RECORDS} records`);
      }
      this.records.push(record);
    }
    if (this.records.length === 0) return fail('refused', 'the server answered with no records');
    return undefined;
  }
}

/**
 * Splits a TCP byte stream into DNS messages (two-octet length prefix, RFC 1035 section 4.2.2).
 * Chunks are joined only when a whole frame is present, so a peer trickling single bytes costs
 * linear, not quadratic, copying.
 */
class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  next(): Buffer | undefined {
    if (this.buffered < 2) return undefined;
    const first = this.chunks[0];
    if (first === undefined) return undefined;
    const length = first.length >= 2 ? first.readUInt16BE(0) : this.joined().readUInt16BE(0);
    if (this.buffered < 2 + length) return undefined;
    const all = this.joined();
    const frame = all.subarray(2, 2 + length);
    const rest = all.subarray(2 + length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }
}

/** A FIFO counting semaphore: at most `capacity` holders; the rest wait in arrival order. */
class Semaphore {
  private active = 0;
  private waiters: Array<() => void> = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  acquire(): Promise<void> {
    if (this.active < this.capacity) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters[this.head];
    if (next === undefined) {
      this.active = Math.max(0, this.active - 1);
      return;
    }
    // Hand the slot straight to the next waiter (active stays the same).
    this.waiters[this.head] = noop;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    next();
  }

  /** Wakes every waiter (used by close(): they see the client closed and return at once). */
  releaseAllWaiters(): void {
    const waiting = this.waiters.slice(this.head);
    this.waiters = [];
    this.head = 0;
    this.active += waiting.length;
    for (const wake of waiting) wake();
  }
}

function noop(): void {}

/** Unpredictable 16-bit message ids from the CSPRNG (RFC 5452 section 9.2), drawn in batches. */
class RandomIdSource {
  private pool = randomBytes(0);
  private offset = 0;

  next(): number {
    if (this.offset + 2 > this.pool.length) {
      this.pool = randomBytes(4096);
      this.offset = 0;
    }
    const id = this.pool.readUInt16BE(this.offset);
    this.offset += 2;
    return id;
  }

  /** A random id not already waiting in `inUse` (a bounded number of tries). */
  unusedIn(inUse: ReadonlyMap<number, unknown>): number | undefined {
    for (let tries = 0; tries < 64; tries++) {
      const id = this.next();
      if (!inUse.has(id)) return id;
    }
    return undefined;
  }
}

// --- helpers -----------------------------------------------------------------------------------

function failure(server: DnsServer, reason: DnsFailureReason, detail: string): DnsQueryResult {
  return { ok: false, reason, detail, server };
}

function garbageSince(exchange: UdpExchange, sourceKey: string): boolean {
  for (const { entry } of exchange.registrations) {
    const at = entry.garbageFrom.get(sourceKey);
    if (at !== undefined && at >= exchange.startedAt) return true;
  }
  return false;
}

/** Returns a ValidQuery, or a string saying why the query cannot be sent. Never resolves names. */
function validateQuery(
  server: DnsServer,
  name: string,
  type: RecordType,
  options: DnsQueryOptions,
): ValidQuery | string {
  if (typeof server?.address !== 'string' || net.isIP(server.address) === 0) {
    return `server address ${JSON.stringify(server?.address)} is not an IP literal`;
  }
  if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65535) {
    return `server port ${JSON.stringify(server.port)} is out of range`;
  }
  const normalized = normalizeName(typeof name === 'string' ? name : '');
  const nameProblem = nameEncodingProblem(normalized);
  if (nameProblem !== undefined) return nameProblem;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return `timeoutMs ${timeoutMs} must be positive`;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10)
    return `retries ${retries} must be an integer from 0 to 10`;
  return {
    server: { address: canonicalAddress(server.address), port: server.port },
    family: net.isIP(server.address) === 6 ? 6 : 4,
    name: normalized,
    type,
    qclass: options.qclass ?? 'IN',
    timeoutMs,
    attempts: 1 + retries,
    dnssecOk: options.dnssecOk ?? false,
    recursionDesired: options.recursionDesired ?? true,
    checkingDisabled: options.checkingDisabled ?? false,
    tcp: options.tcp ?? false,
  };
}

/** Why `name` cannot be put on the wire (RFC 1035 section 2.3.4), or undefined if it can. */
function nameEncodingProblem(name: string): string | undefined {
  if (name === '.') return undefined;
  let wireBytes = 1;
  for (const label of name.split('.')) {
    const labelBytes = Buffer.byteLength(label);
    if (labelBytes === 0) return `name ${JSON.stringify(name)} has an empty label`;
    if (labelBytes > MAX_LABEL_BYTES) return `name ${JSON.stringify(name)} has a label over ${MAX_LABEL_BYTES} octets`;
    wireBytes += labelBytes + 1;
  }
  if (wireBytes > MAX_NAME_WIRE_BYTES)
    return `name ${JSON.stringify(name.slice(0, 64))}... is over ${MAX_NAME_WIRE_BYTES} octets`;
  return undefined;
}

/** Lower case, without the trailing dot; the root is '.'. DNS names compare case-insensitively (RFC 4343). */
function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  const trimmed = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  return trimmed === '' ? '.' : trimmed;
}

/** One spelling per address, so it compares equal to the source address the kernel reports. */
function canonicalAddress(address: string): string {
  if (net.isIP(address) !== 6) return address;
  try {
    return new net.SocketAddress({ address, family: 'ipv6' }).address;
  } catch {
    return address;
  }
}

export function buildQuery(query: ValidQuery, id: number): Packet {
  let flags = dnsPacket.AUTHENTIC_DATA; // RFC 6840 section 5.7: ask for the AD bit in the answer
  if (query.recursionDesired) flags |= dnsPacket.RECURSION_DESIRED;
  if (query.checkingDisabled) flags |= dnsPacket.CHECKING_DISABLED;
  return {
    type: 'query',
    id,
    flags,
    questions: [{ name: query.name, type: query.type, class: query.qclass }],
    // RFC 6891 section 6.1: EDNS0 OPT pseudo-record; the DO bit (RFC 3225) asks for DNSSEC records.
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: EDNS_UDP_PAYLOAD_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: query.dnssecOk ? dnsPacket.DNSSEC_OK : 0,
        flag_do: query.dnssecOk,
        options: [],
      },
    ],
  };
}

/**
 * The query message, written directly (RFC 1035 4.1, RFC 6891 6.1.2 for the OPT record): the same
 * bytes as `dnsPacket.encode(buildQuery(...))` (a test holds them equal), without building and walking
 * a packet object for each of the tens of thousands of queries a portfolio scan sends.
 */
export function encodeQuery(query: ValidQuery, id: number): Buffer {
  const typeCode = QTYPE_CODES.get(query.type);
  if (typeCode === undefined) return dnsPacket.encode(buildQuery(query, id));
  const labels = query.name === '.' ? [] : query.name.split('.');
  let nameLength = 1;
  for (const label of labels) nameLength += 1 + Buffer.byteLength(label);
  const buf = Buffer.allocUnsafe(12 + nameLength + 4 + 11);
  let flags = dnsPacket.AUTHENTIC_DATA;
  if (query.recursionDesired) flags |= dnsPacket.RECURSION_DESIRED;
  if (query.checkingDisabled) flags |= dnsPacket.CHECKING_DISABLED;
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(flags & 0x7fff, 2);
  buf.writeUInt16BE(1, 4); // QDCOUNT
  buf.writeUInt16BE(0, 6);
  buf.writeUInt16BE(0, 8);
  buf.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  let offset = 12;
  for (const label of labels) {
    const length = buf.write(label, offset + 1);
    buf.writeUInt8(length, offset);
    offset += 1 + length;
  }
  buf.writeUInt8(0, offset++);
  buf.writeUInt16BE(typeCode, offset);
  buf.writeUInt16BE(query.qclass === 'CH' ? 3 : 1, offset + 2);
  offset += 4;
  buf.writeUInt8(0, offset); // OPT owner: the root
  buf.writeUInt16BE(41, offset + 1); // TYPE OPT
  buf.writeUInt16BE(EDNS_UDP_PAYLOAD_SIZE, offset + 3); // CLASS: requestor's UDP payload size
  buf.writeUInt32BE(query.dnssecOk ? dnsPacket.DNSSEC_OK : 0, offset + 5); // TTL: ext. RCODE, version 0, DO bit
  buf.writeUInt16BE(0, offset + 9); // RDLENGTH
  return buf;
}

/** Numeric codes of the query types Vitals asks (RFC 1035, 3596, 4034, 5936, 8659). */
const QTYPE_CODES: ReadonlyMap<string, number> = new Map([
  ['A', 1],
  ['NS', 2],
  ['CNAME', 5],
  ['SOA', 6],
  ['PTR', 12],
  ['MX', 15],
  ['TXT', 16],
  ['AAAA', 28],
  ['SRV', 33],
  ['DS', 43],
  ['RRSIG', 46],
  ['NSEC', 47],
  ['DNSKEY', 48],
  ['NSEC3', 50],
  ['TLSA', 52],
  ['ANY', 255],
  ['AXFR', 252],
  ['CAA', 257],
]);

/** RFC 5452 section 9.1: a reply counts only if it is a response to exactly our question. */
function replyMatchesQuery(packet: DnsPacket, query: ValidQuery): boolean {
  if (packet.type !== 'response' || packet.opcode !== 'QUERY' || packet.questions.length !== 1) return false;
  const question = packet.questions[0];
  return (
    question !== undefined &&
    question.type === query.type &&
    (question.class ?? 'IN') === query.qclass &&
    normalizeName(question.name) === query.name
  );
}

function toResponse(packet: DnsPacket, transport: 'udp' | 'tcp', server: DnsServer): DnsResponse {
  return {
    rcode: fullRcode(packet),
    flags: {
      aa: packet.flag_aa,
      tc: packet.flag_tc,
      rd: packet.flag_rd,
      ra: packet.flag_ra,
      ad: packet.flag_ad,
      cd: packet.flag_cd,
    },
    answers: packet.answers,
    authorities: packet.authorities,
    additionals: packet.additionals,
    transport,
    server,
  };
}

/** RFC 6891 section 6.1.3: the OPT record carries the upper 8 bits of a 12-bit RCODE. */
function fullRcode(packet: DnsPacket): string {
  const opt = packet.additionals.find((a) => a.type === 'OPT');
  const upper = opt !== undefined && 'extendedRcode' in opt ? opt.extendedRcode : 0;
  if (!upper) return packet.rcode;
  const low = packet.flags & 0x0f;
  const value = (upper << 4) | low;
  return value === 16 ? 'BADVERS' : `RCODE_${value}`;
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

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
