/**
 * One ClientHello over one TCP connection opened through the NetworkGuard: send it, read the reply with
 * ServerReplyReader until it decides, then drop the connection (Vitals never finishes a handshake). Time
 * (connect, then the whole exchange) and bytes are bounded; the outcome is a value, never a throw.
 */
import type { Socket } from 'node:net';
import { isRefusal, type NetworkGuard } from '../../net/guarded-socket.js';
import { type ReaderOptions, type ServerReply, ServerReplyReader } from './server-reply.js';

export interface ExchangeLimits {
  connectTimeoutMs: number;
  /** From the moment the hello is sent to a decided reply. */
  replyTimeoutMs: number;
  maxBytes: number;
}

export type ExchangeOutcome =
  | { kind: 'reply'; reply: ServerReply }
  /** The connection was refused (nothing listens). */
  | { kind: 'refused'; detail: string }
  /** The TCP connection could not be made in time, or the network said unreachable. */
  | { kind: 'unreachable'; detail: string }
  /** The policy refused the address: nothing was sent. */
  | { kind: 'policy_refused'; detail: string }
  /** Connected and sent, then the server closed or reset without a byte. */
  | { kind: 'closed'; detail: string }
  /** Connected and sent, then no decided reply in time (a stall, a trickle). */
  | { kind: 'timeout'; detail: string; partial: ServerReply | null };

export async function exchangeHello(
  guard: NetworkGuard,
  address: string,
  port: number,
  hello: Buffer,
  reader: ReaderOptions,
  limits: ExchangeLimits,
): Promise<ExchangeOutcome> {
  const admitted = guard.admit(address, port);
  const refusal = admitted instanceof Promise ? await admitted : admitted;
  if (refusal) return { kind: 'policy_refused', detail: refusal.reason };
  const socket = guard.connect(address, port);
  if (isRefusal(socket)) return { kind: 'policy_refused', detail: socket.reason };
  return talk(socket, hello, new ServerReplyReader(reader), limits);
}

function talk(socket: Socket, hello: Buffer, reader: ServerReplyReader, limits: ExchangeLimits) {
  return new Promise<ExchangeOutcome>((resolve) => {
    let connected = false;
    let settled = false;
    const done = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      // A late error after destroy must not become an uncaught exception.
      socket.on('error', () => {});
      socket.destroy();
      resolve(outcome);
    };
    let timer = setTimeout(
      () => done({ kind: 'unreachable', detail: `no TCP connection within ${limits.connectTimeoutMs} ms` }),
      limits.connectTimeoutMs,
    );
    socket.setNoDelay(true);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          done({
            kind: 'timeout',
            detail: `no complete reply within ${limits.replyTimeoutMs} ms`,
            partial: reader.partial(),
          }),
        limits.replyTimeoutMs,
      );
      socket.write(hello);
    });
    socket.on('data', (chunk: Buffer) => {
      const reply = reader.push(chunk);
      if (reply) done({ kind: 'reply', reply });
    });
    socket.on('end', () => {
      const reply = reader.atClose();
      done(reply ? { kind: 'reply', reply } : { kind: 'closed', detail: 'the server closed the connection' });
    });
    socket.on('close', () => {
      const reply = reader.atClose();
      done(reply ? { kind: 'reply', reply } : { kind: 'closed', detail: 'the connection closed' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) {
        if (error.code === 'ECONNREFUSED') done({ kind: 'refused', detail: 'connection refused' });
        else done({ kind: 'unreachable', detail: `${error.code ?? 'error'}: ${error.message}` });
        return;
      }
      const reply = reader.atClose();
      done(reply ? { kind: 'reply', reply } : { kind: 'closed', detail: `${error.code ?? 'error'} after the hello` });
    });
  });
}
