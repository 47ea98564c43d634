/**
 * One bare TCP connection attempt, for the connect scan: did the handshake complete, and if not, what
 * error did the stack report (ECONNREFUSED for an RST, EHOSTUNREACH for an ICMP answer...). Nothing is
 * read or written, so the stream machinery of net.Socket (its Duplex state, an Error object with a stack
 * per refusal, nextTick bookkeeping) is pure overhead here: it cost about five times the CPU of the
 * handshake itself. Node's own libuv TCP handle (the tcp_wrap binding that net.Socket wraps) is used
 * directly where this Node exposes it, and net.Socket otherwise, with identical results.
 *
 * Callers pass destinations the NetworkGuard has already judged; use `NetworkGuard.tryConnect`.
 */
import net from 'node:net';
import { getSystemErrorName } from 'node:util';

/** null: the connection was accepted; else the error code (e.g. ECONNREFUSED). */
export type AttemptDone = (code: string | null) => void;
/** Abandons an attempt (e.g. its timeout passed): the socket is closed and `done` is never called. */
export type AbortAttempt = () => void;

interface TcpHandle {
  connect(req: object, address: string, port: number): number;
  connect6(req: object, address: string, port: number): number;
  close(callback?: () => void): void;
  /** Closes with an RST (SO_LINGER 0); non-zero when it could not (then `close` is still needed). */
  reset?(callback: () => void): number;
}
interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete: (status: number) => void };
  constants: { SOCKET: number };
}

/** The binding, when this Node has it with the shape relied on here; else null (net.Socket is used). */
function loadBinding(): TcpBinding | null {
  try {
    const legacy = (process as unknown as { binding?: (name: string) => unknown }).binding;
    const binding = legacy?.call(process, 'tcp_wrap') as Partial<TcpBinding> | undefined;
    if (
      typeof binding?.TCP === 'function' &&
      typeof binding.TCPConnectWrap === 'function' &&
      typeof binding.constants?.SOCKET === 'number'
    )
      return binding as TcpBinding;
  } catch {
    // not exposed (a future Node, or --no-deprecation policies): net.Socket below
  }
  return null;
}

const BINDING = loadBinding();

/** Which implementation attempts use: 'handle' (bare libuv handle) or 'socket' (net.Socket). */
export const ATTEMPT_IMPLEMENTATION: 'handle' | 'socket' = BINDING ? 'handle' : 'socket';

/**
 * Starts one attempt to `address` (an IP literal of `family` 4 or 6) at `port`. `done` is always called
 * asynchronously, exactly once, unless the returned abort is called first.
 */
export function startAttempt(
  address: string,
  family: 4 | 6,
  port: number,
  done: AttemptDone,
  implementation: 'handle' | 'socket' = ATTEMPT_IMPLEMENTATION,
): AbortAttempt {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`port ${port} is not 1-65535`);
  if (implementation === 'handle' && BINDING) return handleAttempt(BINDING, address, family, port, done);
  return socketAttempt(address, family, port, done);
}

function handleAttempt(binding: TcpBinding, address: string, family: 4 | 6, port: number, done: AttemptDone) {
  const handle = new binding.TCP(binding.constants.SOCKET);
  const request = new binding.TCPConnectWrap();
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    handle.close();
  };
  request.oncomplete = (status: number) => {
    if (!open) return; // aborted: closing the handle cancels the request (ECANCELED), unreported
    if (status === 0) {
      // Accepted: closed with an RST, as nmap's connect scan closes (SO_LINGER 0). The service is not left
      // answering a FIN, and no TIME_WAIT entry holds the local port for a minute per open port.
      open = false;
      if (handle.reset?.(noop) !== 0) handle.close();
      done(null);
      return;
    }
    close();
    done(errorName(status));
  };
  const status = family === 6 ? handle.connect6(request, address, port) : handle.connect(request, address, port);
  if (status !== 0) {
    // Refused before any packet (no free ports or descriptors): reported like a late error.
    close();
    const code = errorName(status);
    setImmediate(() => done(code));
    return noop;
  }
  return close;
}

function socketAttempt(address: string, family: 4 | 6, port: number, done: AttemptDone): AbortAttempt {
  const socket = net.connect({ host: address, port, family });
  let open = true;
  const finish = (code: string | null): void => {
    if (!open) return;
    open = false;
    socket.destroy();
    done(code);
  };
  socket.once('connect', () => {
    if (!open) return;
    open = false;
    socket.resetAndDestroy(); // an RST, as above
    done(null);
  });
  socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
  return () => {
    if (!open) return;
    open = false;
    socket.destroy();
  };
}

function errorName(status: number): string {
  try {
    return getSystemErrorName(status);
  } catch {
    return `error ${status}`;
  }
}

function noop(): void {}
