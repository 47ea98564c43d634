/**
 * TCP connect scanning through the NetworkGuard, deciding open / closed / filtered as nmap's connect scan
 * (`-sT`) does: an accepted connection is open, a refusal (RST) is closed, silence until the timeout (after
 * the retries) or an ICMP unreachable is filtered. Local failures (no free sockets) are retried and, if
 * they persist, reported as undecided rather than guessed. Concurrency is capped scan-wide and per address;
 * every attempt passes the guard's policy and the scan's rate limit.
 */
import type { Semaphore } from '../../net/concurrency.js';
import type { NetworkGuard } from '../../net/guarded-socket.js';
import type { AddressPorts, PortReason, PortVerdict } from './ports.types.js';

export interface ConnectScanTuning {
  /** How long one connection attempt may wait for an answer. */
  connectTimeoutMs: number;
  /** Further attempts after a timeout (nmap retransmits unanswered probes too). */
  retries: number;
  /** Connection attempts in flight to one address at once. */
  perHostConcurrency: number;
}

/** Errors that mean an ICMP (or local route) answer: filtered, as nmap says. */
const UNREACHABLE: Readonly<Record<string, PortReason>> = {
  EHOSTUNREACH: 'host-unreach',
  EHOSTDOWN: 'host-unreach',
  ENETUNREACH: 'net-unreach',
  ENETDOWN: 'net-unreach',
  EACCES: 'admin-prohibited',
  EPERM: 'admin-prohibited',
};

export type PortOutcome = PortVerdict | { port: number; failed: string };

/** Local failures (no free ports or descriptors) retried per port before it is reported undecided. */
const MAX_LOCAL_FAILURES = 3;

/**
 * One port being decided. Callback-driven rather than a promise per attempt: at tens of thousands of
 * attempts a second, promises, closures and stream objects per attempt were most of the scan's CPU.
 */
class PortJob {
  private tries = 0;
  /** Attempts started, so a late timeout is matched to its own attempt. */
  private attempts = 0;
  private localFailures = 0;
  private abort: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly guard: NetworkGuard,
    private readonly address: string,
    readonly port: number,
    private readonly tuning: Pick<ConnectScanTuning, 'connectTimeoutMs' | 'retries'>,
    private readonly decided: (outcome: PortOutcome) => void,
  ) {}

  /** Every attempt, retries included, passes the guard: its policy and the scan's rate limit. */
  start(): void {
    const admitted = this.guard.admit(this.address, this.port);
    if (admitted instanceof Promise) void admitted.then(() => this.connect());
    else if (admitted !== null) this.refused(admitted.reason);
    else this.connect();
  }

  private connect(): void {
    const started = this.guard.tryConnect(this.address, this.port, (code) => this.answered(code));
    if (typeof started !== 'function') {
      this.refused(started.reason);
      return;
    }
    this.abort = started;
    // The verdict waits for the poll phase after the timer: libuv runs timers before polling, so on an
    // event loop starved for longer than the timeout an answer already received would lose to the timer.
    const attempt = ++this.attempts;
    this.timer = setTimeout(() => setImmediate(() => this.timedOut(attempt)), this.tuning.connectTimeoutMs);
  }

  /** Decided later, not inside `start`: a chain of refusals must not grow the stack (see scanAddress). */
  private refused(reason: string): void {
    queueMicrotask(() => this.decided({ port: this.port, failed: reason }));
  }

  private answered(code: string | null): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.abort = null;
    if (code === null) this.decided({ port: this.port, state: 'open', reason: 'syn-ack' });
    else if (code === 'ECONNREFUSED') this.decided({ port: this.port, state: 'closed', reason: 'conn-refused' });
    else if (code === 'ETIMEDOUT') this.noAnswer();
    else if (UNREACHABLE[code]) this.decided({ port: this.port, state: 'filtered', reason: UNREACHABLE[code]! });
    else this.localFailure(code);
  }

  private timedOut(attempt: number): void {
    if (attempt !== this.attempts || this.timer === null) return; // answered meanwhile
    this.timer = null;
    this.abort?.();
    this.abort = null;
    this.noAnswer();
  }

  /** Silence: retried (nmap retransmits unanswered probes too), then filtered. */
  private noAnswer(): void {
    if (++this.tries > this.tuning.retries) this.decided({ port: this.port, state: 'filtered', reason: 'no-response' });
    else this.start();
  }

  /** A local failure says nothing about the port; a short pause lets sockets free up. */
  private localFailure(code: string): void {
    if (++this.localFailures > MAX_LOCAL_FAILURES) {
      this.decided({ port: this.port, failed: code });
      return;
    }
    setTimeout(() => this.start(), 50 * this.localFailures);
  }
}

/** Decides one port: retries after timeouts (then filtered), and a few times after local failures. */
export function scanPort(
  guard: NetworkGuard,
  address: string,
  port: number,
  tuning: Pick<ConnectScanTuning, 'connectTimeoutMs' | 'retries'>,
): Promise<PortOutcome> {
  return new Promise((resolve) => new PortJob(guard, address, port, tuning, resolve).start());
}

/**
 * Scans `ports` on `address` with at most `tuning.perHostConcurrency` attempts at once here and the
 * `global` semaphore's capacity across the scan (a port holds its slot through its retries).
 */
export async function scanAddress(
  guard: NetworkGuard,
  address: string,
  hosts: string[],
  ports: readonly number[],
  tuning: ConnectScanTuning,
  global: Semaphore,
): Promise<AddressPorts> {
  const result: AddressPorts = { address, hosts, refused: null, open: [], filtered: [], closed: 0, failed: [] };
  const refusal = guard.check(address, ports[0] ?? 0);
  if (refusal !== null) {
    result.refused = refusal.reason;
    return result;
  }
  const outcomes = await new Promise<PortOutcome[]>((resolve) => {
    const outcomes: PortOutcome[] = new Array(ports.length);
    if (ports.length === 0) resolve(outcomes);
    const lanes = Math.max(1, Math.min(tuning.perHostConcurrency, ports.length));
    let next = 0;
    let decided = 0;
    const lane = (): void => {
      if (next >= ports.length) return;
      const index = next++;
      const job = new PortJob(guard, address, ports[index]!, tuning, (outcome) => {
        outcomes[index] = outcome;
        global.release();
        if (++decided === ports.length) resolve(outcomes);
        else lane();
      });
      global.acquireThen(() => job.start());
    };
    for (let i = 0; i < lanes; i++) lane();
  });
  for (const outcome of outcomes) {
    if ('failed' in outcome) result.failed.push({ port: outcome.port, reason: outcome.failed });
    else if (outcome.state === 'open') result.open.push(outcome.port);
    else if (outcome.state === 'closed') result.closed++;
    else result.filtered.push(outcome);
  }
  return result;
}
