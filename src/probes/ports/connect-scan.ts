/**
 * TCP connect scanning through the NetworkGuard, deciding open / closed / filtered as nmap's connect scan
 * (`-sT`) does: an accepted connection is open, a refusal (RST) is closed, silence until the timeout (after
 * the retries) or an ICMP unreachable is filtered. Local failures (no free sockets) are retried and, if
 * they persist, reported as undecided rather than guessed. Concurrency is capped scan-wide and per address;
 * every attempt passes the guard's policy and the scan's rate limit.
 */
import { performance } from 'node:perf_hooks';
import type { Semaphore } from '../../net/concurrency.js';
import type { NetworkGuard } from '../../net/guarded-socket.js';
import type { Attempt, AttemptListener } from '../../net/tcp-attempt.js';
import type { AddressPorts, PortReason, PortState, PortVerdict } from './ports.types.js';

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
 * The deadlines of attempts in flight that share one timeout, on one timer: attempts start in deadline
 * order, so they queue in it, and the timer is set for the oldest. A timer per attempt (tens of thousands
 * a second) cost more than the attempt's own bookkeeping. Answered attempts stay queued until their
 * deadline passes and are skipped then. The timer does not hold the event loop open: an attempt in
 * flight does (its socket), and nothing is due once none is.
 */
class DeadlineQueue {
  private jobs: PortJob[] = [];
  private attempts: number[] = [];
  private deadlines: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly timeoutMs: number) {}

  add(job: PortJob, attempt: number): void {
    const deadline = performance.now() + this.timeoutMs;
    this.jobs.push(job);
    this.attempts.push(attempt);
    this.deadlines.push(deadline);
    if (this.timer === null) this.arm(deadline);
  }

  private arm(deadline: number): void {
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(deadline - performance.now())));
    this.timer.unref();
  }

  private readonly sweep = (): void => {
    this.timer = null;
    const now = performance.now();
    const due: PortJob[] = [];
    const dueAttempts: number[] = [];
    let head = this.head;
    while (head < this.deadlines.length && this.deadlines[head]! <= now) {
      const job = this.jobs[head]!;
      if (job.waitingFor(this.attempts[head]!)) {
        due.push(job);
        dueAttempts.push(this.attempts[head]!);
      }
      head++;
    }
    if (head === this.deadlines.length) {
      this.jobs = [];
      this.attempts = [];
      this.deadlines = [];
      this.head = 0;
    } else {
      this.head = head;
      if (head > 4096 && head * 2 > this.deadlines.length) {
        this.jobs = this.jobs.slice(head);
        this.attempts = this.attempts.slice(head);
        this.deadlines = this.deadlines.slice(head);
        this.head = 0;
      }
      this.arm(this.deadlines[this.head]!);
    }
    // The verdict waits for the poll phase after the timer: libuv runs timers before polling, so on an
    // event loop starved for longer than the timeout an answer already received would lose to the timer.
    if (due.length > 0)
      setImmediate(() => {
        for (let i = 0; i < due.length; i++) due[i]!.timedOut(dueAttempts[i]!);
      });
  };
}

/** One queue per timeout in use in this thread (a scan has one). */
const deadlineQueues = new Map<number, DeadlineQueue>();

function deadlineQueue(timeoutMs: number): DeadlineQueue {
  let queue = deadlineQueues.get(timeoutMs);
  if (queue === undefined) {
    queue = new DeadlineQueue(timeoutMs);
    deadlineQueues.set(timeoutMs, queue);
  }
  return queue;
}

/** What a port job reports to: its address scan, or scanPort's promise. */
interface JobOwner {
  decided(job: PortJob): void;
}

/**
 * One port being decided. Callback-driven rather than a promise per attempt: at tens of thousands of
 * attempts a second, promises, closures, timers and stream objects per attempt were most of the scan's
 * CPU. The job is its attempts' listener, and its outcome stays in its fields.
 */
class PortJob implements AttemptListener {
  /** The verdict once decided; null with `failure` set when the port could not be decided. */
  state: PortState | null = null;
  reason: PortReason = 'no-response';
  failure: string | null = null;
  private tries = 0;
  /** Attempts started, so a late timeout is matched to its own attempt. */
  private attempts = 0;
  private localFailures = 0;
  private attempt: Attempt | null = null;
  private readonly deadlines: DeadlineQueue;

  constructor(
    private readonly guard: NetworkGuard,
    private readonly address: string,
    readonly port: number,
    private readonly tuning: Pick<ConnectScanTuning, 'connectTimeoutMs' | 'retries'>,
    private readonly owner: JobOwner,
  ) {
    this.deadlines = deadlineQueue(tuning.connectTimeoutMs);
  }

  /** Every attempt, retries included, passes the guard: its policy and the scan's rate limit. */
  start(): void {
    const admitted = this.guard.admit(this.address, this.port);
    if (admitted instanceof Promise) void admitted.then(() => this.connect());
    else if (admitted !== null) this.refused(admitted.reason);
    else this.connect();
  }

  private connect(): void {
    const started = this.guard.tryConnect(this.address, this.port, this);
    if ('reason' in started) {
      this.refused(started.reason);
      return;
    }
    this.attempt = started;
    this.deadlines.add(this, ++this.attempts);
  }

  /** Decided later, not inside `start`: a chain of refusals must not grow the stack (see scanAddress). */
  private refused(reason: string): void {
    this.failure = reason;
    queueMicrotask(() => this.owner.decided(this));
  }

  private decide(state: PortState, reason: PortReason): void {
    this.state = state;
    this.reason = reason;
    this.owner.decided(this);
  }

  /** Whether `attempt` is this job's attempt in flight (not answered, not abandoned). */
  waitingFor(attempt: number): boolean {
    return attempt === this.attempts && this.attempt !== null;
  }

  answered(code: string | null): void {
    this.attempt = null;
    if (code === null) this.decide('open', 'syn-ack');
    else if (code === 'ECONNREFUSED') this.decide('closed', 'conn-refused');
    else if (code === 'ETIMEDOUT') this.noAnswer();
    else if (UNREACHABLE[code]) this.decide('filtered', UNREACHABLE[code]!);
    else this.localFailure(code);
  }

  timedOut(attempt: number): void {
    if (!this.waitingFor(attempt)) return; // answered meanwhile
    this.attempt!.abort();
    this.attempt = null;
    this.noAnswer();
  }

  /** Silence: retried (nmap retransmits unanswered probes too), then filtered. */
  private noAnswer(): void {
    if (++this.tries > this.tuning.retries) this.decide('filtered', 'no-response');
    else this.start();
  }

  /** A local failure says nothing about the port; a short pause lets sockets free up. */
  private localFailure(code: string): void {
    if (++this.localFailures > MAX_LOCAL_FAILURES) {
      this.failure = code;
      this.owner.decided(this);
      return;
    }
    setTimeout(() => this.start(), 50 * this.localFailures);
  }

  outcome(): PortOutcome {
    if (this.state === null) return { port: this.port, failed: this.failure ?? 'undecided' };
    return { port: this.port, state: this.state, reason: this.reason };
  }
}

/** Decides one port: retries after timeouts (then filtered), and a few times after local failures. */
export function scanPort(
  guard: NetworkGuard,
  address: string,
  port: number,
  tuning: Pick<ConnectScanTuning, 'connectTimeoutMs' | 'retries'>,
): Promise<PortOutcome> {
  return new Promise((resolve) =>
    new PortJob(guard, address, port, tuning, { decided: (job) => resolve(job.outcome()) }).start(),
  );
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
  const jobs: PortJob[] = [];
  await new Promise<void>((resolve) => {
    if (ports.length === 0) {
      resolve();
      return;
    }
    const lanes = Math.max(1, Math.min(tuning.perHostConcurrency, ports.length));
    let decided = 0;
    // A port decided frees its slot in the scan and starts the next port of this address in its lane.
    const owner: JobOwner = {
      decided: () => {
        global.release();
        if (++decided === ports.length) resolve();
        else lane();
      },
    };
    // A port's job is made when its slot is granted, not when its lane queues for one: a scan queues
    // every lane of every address it scans at once (36 per address with the default ports).
    const startNextPort = (): void => {
      const job = new PortJob(guard, address, ports[jobs.length]!, tuning, owner);
      jobs.push(job);
      job.start();
    };
    let queued = 0;
    const lane = (): void => {
      if (queued >= ports.length) return;
      queued++;
      global.acquireThen(startNextPort);
    };
    for (let i = 0; i < lanes; i++) lane();
  });
  for (const job of jobs) {
    if (job.state === null) result.failed.push({ port: job.port, reason: job.failure ?? 'undecided' });
    else if (job.state === 'open') result.open.push(job.port);
    else if (job.state === 'closed') result.closed++;
    else result.filtered.push({ port: job.port, state: job.state, reason: job.reason });
  }
  return result;
}
