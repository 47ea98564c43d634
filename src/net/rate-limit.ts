/**
 * `--rate N`: a scan-wide limit on queries and connection attempts per second, shared by every scan
 * thread. The state is one 64-bit word in a SharedArrayBuffer (the theoretical arrival time of the
 * generic cell rate algorithm, in microseconds of wall-clock time), updated with compare-and-swap, so
 * worker threads draw from the same budget without asking the main thread.
 */
import { performance } from 'node:perf_hooks';

/** A rate limit as plain data: the SharedArrayBuffer is shared (not copied) when sent to a worker. */
export interface RateLimitSpec {
  perSecond: number;
  /** How many may start at once after an idle period. */
  burst: number;
  state: SharedArrayBuffer;
}

/**
 * The default for public targets: 500 queries or connection attempts per second. A third of the
 * 1,500 queries per second per client that Google Public DNS documents as its limit, so a scan through
 * a public resolver is not throttled by it, and well below what name servers' response-rate limiting
 * treats as abuse; a portfolio of a few hundred domains still finishes in minutes.
 */
export const DEFAULT_PUBLIC_RATE = 500;
/** Bursts allowed at the start and after idle periods (a tenth of a second at the default rate). */
export const DEFAULT_BURST = 50;

export function createRateLimit(
  perSecond: number,
  burst = Math.min(DEFAULT_BURST, Math.ceil(perSecond)),
): RateLimitSpec {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate ${perSecond} must be positive`);
  return { perSecond, burst: Math.max(1, Math.floor(burst)), state: new SharedArrayBuffer(8) };
}

export class RateLimiter {
  private readonly word: BigInt64Array;
  private readonly intervalUs: bigint;
  private readonly toleranceUs: bigint;

  constructor(spec: RateLimitSpec) {
    this.word = new BigInt64Array(spec.state);
    this.intervalUs = BigInt(Math.max(1, Math.round(1_000_000 / spec.perSecond)));
    this.toleranceUs = this.intervalUs * BigInt(spec.burst - 1);
  }

  /** Reserves the next slot; returns how many milliseconds to wait before using it (0: go now). */
  reserve(): number {
    for (;;) {
      const now = nowUs();
      const tat = Atomics.load(this.word, 0);
      const earliest = now - this.toleranceUs;
      const start = tat > earliest ? tat : earliest;
      if (Atomics.compareExchange(this.word, 0, tat, start + this.intervalUs) === tat) {
        const waitUs = start - now;
        return waitUs > 0n ? Number(waitUs) / 1000 : 0;
      }
    }
  }

  /** Resolves when one query or connection attempt may start. */
  async take(): Promise<void> {
    const waitMs = this.reserve();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitMs)));
  }
}

function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}
