/**
 * A scan-wide byte budget (zone transfers): one counter in a SharedArrayBuffer that every scan thread
 * spends from, so many name servers times many domains cannot add up to unbounded memory and traffic.
 */

export interface ByteBudgetSpec {
  totalBytes: number;
  state: SharedArrayBuffer;
}

/**
 * Zone-transfer bytes one scan may receive in all: 256 MiB, four transfers at the 64 MiB cap of a
 * single connection (TCP_MAX_BYTES_PER_CONNECTION). Real zones that allow AXFR are far smaller (the
 * lab's are a few KB); a portfolio with hundreds of open transfers still fits, a hostile one does not
 * grow the scan without end.
 */
export const DEFAULT_AXFR_BUDGET_BYTES = 256 * 1024 * 1024;

export function createByteBudget(totalBytes = DEFAULT_AXFR_BUDGET_BYTES): ByteBudgetSpec {
  const state = new SharedArrayBuffer(8);
  new BigInt64Array(state)[0] = BigInt(totalBytes);
  return { totalBytes, state };
}

export class ByteBudget {
  private readonly word: BigInt64Array;

  constructor(readonly spec: ByteBudgetSpec) {
    this.word = new BigInt64Array(spec.state);
  }

  /** Spends `bytes`; false when the budget was already too small for them (the caller stops). */
  spend(bytes: number): boolean {
    const before = Atomics.sub(this.word, 0, BigInt(bytes));
    return before >= BigInt(bytes);
  }

  remaining(): number {
    const left = Atomics.load(this.word, 0);
    return left > 0n ? Number(left) : 0;
  }
}
