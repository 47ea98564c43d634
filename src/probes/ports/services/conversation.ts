/**
 * One bounded TCP exchange with a service, through the NetworkGuard: every read has a deadline and every
 * connection a byte cap, so a banner that never ends, a tarpit that accepts and never speaks, a reset or
 * garbage costs bounded time and memory and ends as a reason (never a throw). Protocol modules hand `read`
 * a parser that says whether the bytes so far hold a complete message.
 */
import tls from 'node:tls';
import type net from 'node:net';
import { isRefusal, type NetworkGuard } from '../../../net/guarded-socket.js';

/** Bytes one connection may receive in all: banners and greetings are small, garbage is cut here. */
export const MAX_RECEIVED_BYTES = 64 * 1024;

export type ExchangeFailure = 'timeout' | 'closed' | 'reset' | 'too_large' | 'malformed' | 'refused' | 'error';

export type ReadResult<T> = { ok: true; value: T } | { ok: false; why: ExchangeFailure; detail: string };

/** A parser's answer: incomplete (undefined), or a message and how many bytes it used. */
export type Parsed<T> = { value: T; used: number } | undefined;

/**
 * Like setTimeout, but `fire` runs only after the event loop has polled for I/O twice past the deadline.
 * libuv runs due timers before it polls, so on a loop starved for longer than the timeout (a loaded
 * machine, a long synchronous task) a reply already waiting in the socket would lose to the timer. Two
 * polls, not one: a peer in the same process (the lab) reads the request in the first and its reply is
 * read in the second. Returns the cancel function.
 */
export function timeoutAfterPolls(ms: number, fire: () => void): () => void {
  let cancelled = false;
  const timer = setTimeout(() => setImmediate(() => setImmediate(() => cancelled || fire())), ms);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

/** A parser rejects bytes that cannot be its protocol by throwing this. */
export class ProtocolMismatch extends Error {}

export interface ConversationOptions {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  maxBytes?: number;
}

export class Conversation {
  private buffer: Buffer = Buffer.alloc(0);
  private received = 0;
  private ended: { why: ExchangeFailure; detail: string } | null = null;
  private wake: (() => void) | null = null;

  private constructor(
    private socket: net.Socket | tls.TLSSocket,
    readonly options: ConversationOptions,
  ) {
    this.attach(socket);
  }

  /** Connects through the guard (policy and rate limit); a failure is a reason, never a throw. */
  static async open(
    guard: NetworkGuard,
    address: string,
    port: number,
    options: ConversationOptions,
  ): Promise<Conversation | { why: ExchangeFailure; detail: string }> {
    const admitted = guard.admit(address, port);
    const refusal = admitted instanceof Promise ? await admitted : admitted;
    if (refusal !== null) return { why: 'refused', detail: refusal.reason };
    const socket = guard.connect(address, port);
    if (isRefusal(socket)) return { why: 'refused', detail: socket.reason };
    return new Promise((resolve) => {
      const cancel = timeoutAfterPolls(options.connectTimeoutMs, () => {
        socket.destroy();
        resolve({ why: 'timeout', detail: `no connection within ${options.connectTimeoutMs} ms` });
      });
      socket.once('connect', () => {
        cancel();
        socket.removeAllListeners('error');
        resolve(new Conversation(socket, options));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        cancel();
        socket.destroy();
        resolve({ why: 'error', detail: error.code ?? error.message });
      });
    });
  }

  private attach(socket: net.Socket | tls.TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > (this.options.maxBytes ?? MAX_RECEIVED_BYTES)) {
        this.stop('too_large', `more than ${this.options.maxBytes ?? MAX_RECEIVED_BYTES} bytes received`);
        return;
      }
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.poke();
    });
    socket.on('end', () => this.stop('closed', 'the service closed the connection'));
    socket.on('close', () => this.stop('closed', 'the connection closed'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.stop(error.code === 'ECONNRESET' ? 'reset' : 'error', error.code ?? error.message),
    );
  }

  private stop(why: ExchangeFailure, detail: string): void {
    this.ended ??= { why, detail };
    if (why !== 'closed') this.socket.destroy();
    this.poke();
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  write(data: Buffer | string): void {
    if (!this.ended && this.socket.writable) this.socket.write(data);
  }

  /** Bytes received and not yet used by a parser. */
  get pending(): Buffer {
    return this.buffer;
  }

  /**
   * Waits until `parse` finds a complete message in the bytes received (it is called again on every new
   * chunk), the peer closes, the byte cap is passed, or `timeoutMs` (default: the read timeout) runs out.
   */
  async read<T>(parse: (data: Buffer) => Parsed<T>, timeoutMs = this.options.readTimeoutMs): Promise<ReadResult<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffer.length > 0) {
        let parsed: Parsed<T>;
        try {
          parsed = parse(this.buffer);
        } catch (error) {
          return { ok: false, why: 'malformed', detail: error instanceof Error ? error.message : String(error) };
        }
        if (parsed !== undefined) {
          this.buffer = this.buffer.subarray(parsed.used);
          return { ok: true, value: parsed.value };
        }
      }
      if (this.ended) return { ok: false, ...this.ended };
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, why: 'timeout', detail: `no complete reply within ${timeoutMs} ms` };
      // The deadline is re-checked after the loop has read what had arrived (see timeoutAfterPolls).
      await new Promise<void>((resolve) => {
        const cancel = timeoutAfterPolls(left, resolve);
        this.wake = () => {
          cancel();
          resolve();
        };
      });
    }
  }

  /** Starts TLS on this connection (PostgreSQL after 'S'); certificates are not judged here. */
  async startTls(): Promise<ReadResult<true>> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('end');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    return new Promise((resolve) => {
      const cancel = timeoutAfterPolls(this.options.readTimeoutMs, () => {
        secure.destroy();
        resolve({ ok: false, why: 'timeout', detail: 'TLS handshake timed out' });
      });
      secure.once('secureConnect', () => {
        cancel();
        secure.removeAllListeners('error');
        this.socket = secure;
        this.buffer = Buffer.alloc(0);
        this.attach(secure);
        resolve({ ok: true, value: true });
      });
      secure.once('error', (error) => {
        cancel();
        secure.destroy();
        resolve({ ok: false, why: 'error', detail: `TLS: ${error.message}` });
      });
    });
  }

  close(): void {
    this.ended ??= { why: 'closed', detail: 'closed by the prober' };
    this.socket.destroy();
  }
}

/** Parser of one CRLF- (or LF-) terminated text line, at most `max` bytes. */
export function lineParser(max = 4096): (data: Buffer) => Parsed<string> {
  return (data) => {
    const end = data.indexOf(0x0a);
    if (end < 0) {
      if (data.length > max) throw new ProtocolMismatch(`no line end within ${max} bytes`);
      return undefined;
    }
    if (end > max) throw new ProtocolMismatch(`line longer than ${max} bytes`);
    return { value: data.subarray(0, end).toString('latin1').replace(/\r$/, ''), used: end + 1 };
  };
}

/** Parser that takes whatever has arrived (a banner's first bytes). */
export function anyBytes(data: Buffer): Parsed<Buffer> {
  return { value: Buffer.from(data), used: data.length };
}

/** Printable text of untrusted bytes, cut to `max` characters (evidence, never markup). */
export function printable(text: string, max = 200): string {
  const clean = text
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '?')
    .replace(/[\r\n]+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
