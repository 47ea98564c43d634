/**
 * One bare TCP connection attempt, for the connect scan: did the handshake complete, and if not, what
 * error did the stack report (ECONNREFUSED for an RST, EHOSTUNREACH for an ICMP answer...). Nothing is
 * read or written, so the stream machinery of net.Socket (its Duplex state, an Error object with a stack
 * per refusal, nextTick bookkeeping) is pure overhead here: it cost about five times the CPU of the
 * handshake itself. Node's own libuv TCP handle (the tcp_wrap binding that net.Socket wraps) is used
 * directly where this Node exposes it, and net.Socket otherwise, with identical results.
 *
 * Per attempt the handle path makes two objects (the libuv handle's wrapper and the connect request,
 * which is also the attempt) and no closure: the answer arrives as a method call on the request and goes
 * to the listener's `answered`; closing the handle calls nothing back into JavaScript.
 *
 * Faster still, where it was built (Linux, `npm install` builds it with node-gyp): the attempt engine in
 * native/connect-engine, bare non-blocking sockets on an epoll set of its own whose answers reach
 * JavaScript in batches, with no object per attempt beyond the attempt itself. It closes the gap to nmap
 * that libuv's per-handle bookkeeping left (docs/network.md, "Attempt engine"). Set
 * VITALS_CONNECT_ENGINE=off to use the handle path.
 *
 * Callers pass destinations the NetworkGuard has already judged; use `NetworkGuard.tryConnect`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';

/** Told the outcome of an attempt: null when the connection was accepted, else the error code (ECONNREFUSED...). */
export interface AttemptListener {
  answered(code: string | null): void;
}

/** An attempt in flight. `abort` abandons it (e.g. its timeout passed): closed, and the listener never told. */
export interface Attempt {
  abort(): void;
}

interface TcpHandle {
  connect(req: object, address: string, port: number): number;
  connect6(req: object, address: string, port: number): number;
  close(callback?: () => void): void;
  /** Closes with an RST (SO_LINGER 0); non-zero when it could not (then `close` is still needed). */
  reset?(callback?: () => void): number;
}
interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => object;
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

/** The native attempt engine's functions (native/connect-engine/connect_engine.c). */
interface NativeEngine {
  init(results: Int32Array, onBatch: (count: number) => void): void;
  /** A slot (>= 0) for an attempt in flight, or -errno when it failed before any packet was sent. */
  connect(address: string, family: 4 | 6, port: number): number;
  abort(slot: number): void;
}

/** The built engine, from the source tree (src/net) or the compiled one (dist/src/net); null when absent. */
function loadEngine(): NativeEngine | null {
  if (process.platform !== 'linux' || process.env.VITALS_CONNECT_ENGINE === 'off') return null;
  const require = createRequire(import.meta.url);
  for (const up of ['../../', '../../../']) {
    const path = fileURLToPath(
      new URL(`${up}native/connect-engine/build/Release/connect_engine.node`, import.meta.url),
    );
    if (!existsSync(path)) continue;
    try {
      return require(path) as NativeEngine;
    } catch {
      return null; // built for another Node: the handle path below
    }
  }
  return null;
}

const ENGINE = loadEngine();

/** Attempt implementations: the native engine, a bare libuv handle, or net.Socket. */
export type AttemptImplementation = 'engine' | 'handle' | 'socket';

/** Which implementation attempts use by default: the best this installation has. */
export const ATTEMPT_IMPLEMENTATION: AttemptImplementation = ENGINE ? 'engine' : BINDING ? 'handle' : 'socket';

/** The implementations this installation can run (tests run each). */
export const AVAILABLE_IMPLEMENTATIONS: readonly AttemptImplementation[] = [
  ...(ENGINE ? (['engine'] as const) : []),
  ...(BINDING ? (['handle'] as const) : []),
  'socket',
];

type HandleAttemptClass = new (
  handle: TcpHandle,
  listener: AttemptListener,
) => Attempt & { oncomplete(status: number): void };

/**
 * The connect request, subclassed so that it carries its handle and listener: libuv's answer calls its
 * `oncomplete` (Node calls the request object's method of that name), so no closure is made per attempt.
 */
function handleAttemptClass(binding: TcpBinding): HandleAttemptClass {
  return class HandleAttempt extends binding.TCPConnectWrap {
    private open = true;

    constructor(
      private readonly handle: TcpHandle,
      private readonly listener: AttemptListener,
    ) {
      super();
    }

    oncomplete(status: number): void {
      if (!this.open) return; // aborted: closing the handle cancels the request (ECANCELED), unreported
      this.open = false;
      if (status === 0) {
        // Accepted: closed with an RST, as nmap's connect scan closes (SO_LINGER 0). The service is not left
        // answering a FIN, and no TIME_WAIT entry holds the local port for a minute per open port.
        if (this.handle.reset?.() !== 0) this.handle.close();
        this.listener.answered(null);
        return;
      }
      this.handle.close();
      this.listener.answered(errorName(status));
    }

    abort(): void {
      if (!this.open) return;
      this.open = false;
      this.handle.close();
    }
  };
}

const HandleAttempt = BINDING ? handleAttemptClass(BINDING) : null;

/**
 * Starts one attempt to `address` (an IP literal of `family` 4 or 6) at `port`. The listener is always
 * told asynchronously, exactly once, unless the attempt is aborted first.
 */
export function startAttempt(
  address: string,
  family: 4 | 6,
  port: number,
  listener: AttemptListener,
  implementation: AttemptImplementation = ATTEMPT_IMPLEMENTATION,
): Attempt {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`port ${port} is not 1-65535`);
  if (implementation === 'engine' && ENGINE) {
    const thread = threadEngine(ENGINE);
    if (thread !== null) return engineAttempt(thread, address, family, port, listener);
  }
  if ((implementation === 'handle' || implementation === 'engine') && BINDING && HandleAttempt)
    return handleAttempt(BINDING, HandleAttempt, address, family, port, listener);
  return socketAttempt(address, family, port, listener);
}

function handleAttempt(
  binding: TcpBinding,
  Request: HandleAttemptClass,
  address: string,
  family: 4 | 6,
  port: number,
  listener: AttemptListener,
): Attempt {
  const handle = new binding.TCP(binding.constants.SOCKET);
  const request = new Request(handle, listener);
  const status = family === 6 ? handle.connect6(request, address, port) : handle.connect(request, address, port);
  if (status !== 0) {
    // Refused before any packet (no free ports or descriptors): reported like a late error.
    request.abort();
    const code = errorName(status);
    setImmediate(() => listener.answered(code));
  }
  return request;
}

/**
 * This thread's side of the native engine: the attempts in flight by slot, and the buffer the engine
 * writes a batch of answers into ([slot, status] pairs) before calling `onBatch`.
 */
class EngineThread {
  private readonly results = new Int32Array(2 * 1024);
  private readonly inFlight: (EngineAttempt | undefined)[] = [];

  constructor(readonly engine: NativeEngine) {
    engine.init(this.results, this.onBatch);
  }

  track(attempt: EngineAttempt): void {
    this.inFlight[attempt.slot] = attempt;
  }

  /** Forgets the attempt in `slot` if it is `attempt`; true when it was still in flight. */
  untrack(attempt: EngineAttempt): boolean {
    if (this.inFlight[attempt.slot] !== attempt) return false;
    this.inFlight[attempt.slot] = undefined;
    return true;
  }

  /** Every answer of the batch reaches its listener, even if one listener throws (rethrown afterwards). */
  private readonly onBatch = (count: number): void => {
    const results = this.results;
    let failure: { error: unknown } | null = null;
    for (let i = 0; i < count; i++) {
      const slot = results[2 * i]!;
      const attempt = this.inFlight[slot];
      if (attempt === undefined) continue; // aborted meanwhile
      this.inFlight[slot] = undefined;
      const status = results[2 * i + 1]!;
      try {
        attempt.listener.answered(status === 0 ? null : errorName(status));
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  };
}

/** This thread's engine; 'unavailable' once starting it failed (no descriptor for its epoll set, say). */
let engineThread: EngineThread | null | 'unavailable' = null;

/** This thread's engine, started on first use; null when it cannot start (libuv handles are used then). */
function threadEngine(engine: NativeEngine): EngineThread | null {
  if (engineThread === null) {
    try {
      engineThread = new EngineThread(engine);
    } catch {
      engineThread = 'unavailable';
    }
  }
  return engineThread === 'unavailable' ? null : engineThread;
}

class EngineAttempt implements Attempt {
  constructor(
    private readonly thread: EngineThread,
    readonly slot: number,
    readonly listener: AttemptListener,
  ) {}

  abort(): void {
    if (this.thread.untrack(this)) this.thread.engine.abort(this.slot);
  }
}

/** Reported asynchronously, like every answer; `abort` does not stop it, as with the handle path. */
const FAILED_AT_ONCE: Attempt = { abort: () => undefined };

function engineAttempt(
  thread: EngineThread,
  address: string,
  family: 4 | 6,
  port: number,
  listener: AttemptListener,
): Attempt {
  const slot = thread.engine.connect(address, family, port);
  if (slot < 0) {
    // Refused before any packet (no free ports or descriptors), or at once: reported like a late answer.
    const code = errorName(slot);
    setImmediate(() => listener.answered(code));
    return FAILED_AT_ONCE;
  }
  const attempt = new EngineAttempt(thread, slot, listener);
  thread.track(attempt);
  return attempt;
}

function socketAttempt(address: string, family: 4 | 6, port: number, listener: AttemptListener): Attempt {
  const socket = net.connect({ host: address, port, family });
  let open = true;
  socket.once('connect', () => {
    if (!open) return;
    open = false;
    socket.resetAndDestroy(); // an RST, as above
    listener.answered(null);
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (!open) return;
    open = false;
    socket.destroy();
    listener.answered(error.code ?? 'error');
  });
  return {
    abort: () => {
      if (!open) return;
      open = false;
      socket.destroy();
    },
  };
}

/** libuv status -> error name; a handful of codes recur thousands of times in a scan. */
const ERROR_NAMES = new Map<number, string>();

function errorName(status: number): string {
  let name = ERROR_NAMES.get(status);
  if (name === undefined) {
    try {
      name = getSystemErrorName(status);
    } catch {
      name = `error ${status}`;
    }
    ERROR_NAMES.set(status, name);
  }
  return name;
}
