/**
 * DNS over TCP (RFC 7766; two-octet length framing, RFC 1035 section 4.2.2): one connection per query
 * or zone transfer, bounded in time and in bytes, every frame decoded by the hardened parser.
 */
import type net from 'node:net';
import dnsPacket from 'dns-packet';
import { decodeReply } from './reply-parser.js';
import { buildQuery, replyMatchesQuery, type RandomIdSource, type ValidQuery } from './codec.js';
import type { DnsFailureReason, DnsServer } from './dns-client.types.js';
import { CLOSED_BEFORE_REPLY, CLOSED_DETAIL, describeError, type ExchangeOutcome } from './exchange.js';
import { isRefusal, type NetworkGuard } from '../guarded-socket.js';
import type { ByteBudget } from '../byte-budget.js';

/** A hostile server must not make us buffer without end: the most one connection may deliver. */
export const TCP_MAX_BYTES_PER_CONNECTION = 64 * 1024 * 1024;
/** Frames on a TCP query connection that do not match before we give up. */
const TCP_MAX_UNMATCHED_FRAMES = 8;

export type TcpSessionOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'failure'; reason: DnsFailureReason; detail: string };

export class TcpTransport {
  private readonly sockets = new Set<net.Socket>();
  private closed = false;

  constructor(
    private readonly ids: RandomIdSource,
    private readonly guard: NetworkGuard,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** One query over TCP, retried after timeouts like UDP. */
  async exchange(query: ValidQuery): Promise<ExchangeOutcome> {
    let last: ExchangeOutcome = { kind: 'failure', reason: 'timeout', detail: 'no TCP attempt made' };
    for (let attempt = 0; attempt < query.attempts && !this.closed; attempt++) {
      const id = this.ids.next();
      let unmatched = 0;
      const session = await this.session<ExchangeOutcome>(
        query.server,
        dnsPacket.streamEncode(buildQuery(query, id)),
        query.timeoutMs,
        (frame) => {
          const packet = decodeReply(frame);
          if (packet === null)
            return { kind: 'failure', reason: 'malformed_reply', detail: `undecodable ${frame.length}-byte TCP reply` };
          if (packet.id === id && replyMatchesQuery(packet, query)) {
            // TCP has no size limit to truncate for (RFC 7766 section 8): TC here is a broken or hostile
            // server, and its partial answer must not be taken for the whole one.
            if (packet.flag_tc)
              return {
                kind: 'failure',
                reason: 'malformed_reply',
                detail: 'the reply over TCP is still truncated (TC)',
              };
            return { kind: 'reply', packet };
          }
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

  /**
   * Connects, sends `payload`, and feeds each length-prefixed frame to `onFrame` until it returns a
   * value, the deadline passes, the peer closes, TCP_MAX_BYTES_PER_CONNECTION arrive, or `budget`
   * (shared with other connections) is spent. The guard may refuse the destination: then nothing is sent.
   */
  session<T>(
    server: DnsServer,
    payload: Buffer,
    timeoutMs: number,
    onFrame: (frame: Buffer) => T | undefined,
    budget?: ByteBudget,
  ): Promise<TcpSessionOutcome<T>> {
    const maxBytes = TCP_MAX_BYTES_PER_CONNECTION;
    const connected = this.guard.connect(server.address, server.port);
    if (isRefusal(connected))
      return Promise.resolve({ kind: 'failure', reason: 'policy_refused', detail: connected.reason });
    return new Promise<TcpSessionOutcome<T>>((resolve) => {
      let settled = false;
      let received = 0;
      const frames = new FrameReader();
      const socket = connected;
      this.sockets.add(socket);
      const settle = (outcome: TcpSessionOutcome<T>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.sockets.delete(socket);
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
        if (received > maxBytes) {
          settle({ kind: 'failure', reason: 'malformed_reply', detail: `reply exceeds ${maxBytes} bytes` });
          return;
        }
        if (budget !== undefined && !budget.spend(chunk.length)) {
          const mib = Math.round(budget.spec.totalBytes / 1024 / 1024);
          settle({ kind: 'failure', reason: 'policy_refused', detail: `the scan-wide budget of ${mib} MiB is spent` });
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

  close(): void {
    this.closed = true;
    for (const socket of this.sockets) socket.destroy(new Error(CLOSED_DETAIL));
    this.sockets.clear();
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
