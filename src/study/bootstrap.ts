/**
 * A seeded, stratified nonparametric bootstrap over organizations. Each organization is one row of
 * sparse values (most organizations have no finding of most types, so a row holds only its non-zero
 * columns); a replicate draws, within each stratum, as many rows as the stratum has, with replacement,
 * and sums the columns. Whole rows are drawn, so everything measured on one organization (its first
 * and its last period) stays together: the pairing survives resampling. Pure and deterministic: the
 * same rows, seed and replicate count give the same replicates.
 */
import { seededRandom } from '../core/seeded-random.js';

/** Rows of sparse non-negative values, built row by row, then frozen into typed arrays. */
export class SparseRows {
  private readonly offsets: number[] = [0];
  private readonly columnsOf: number[] = [];
  private readonly valuesOf: number[] = [];
  private frozen: { offsets: Int32Array; columns: Int32Array; values: Float64Array } | undefined;

  /** Adds one row; zero values are dropped. */
  addRow(entries: Iterable<readonly [column: number, value: number]>): void {
    if (this.frozen !== undefined) throw new Error('SparseRows: rows cannot be added after freezing');
    for (const [column, value] of entries) {
      if (value === 0) continue;
      this.columnsOf.push(column);
      this.valuesOf.push(value);
    }
    this.offsets.push(this.columnsOf.length);
  }

  get rowCount(): number {
    return this.offsets.length - 1;
  }

  /** The rows as typed arrays (compressed sparse rows), for the resampling loop. */
  freeze(): { offsets: Int32Array; columns: Int32Array; values: Float64Array } {
    this.frozen ??= {
      offsets: Int32Array.from(this.offsets),
      columns: Int32Array.from(this.columnsOf),
      values: Float64Array.from(this.valuesOf),
    };
    return this.frozen;
  }

  /** Column sums over every row once (the point estimate's sums). */
  sums(columnCount: number): Float64Array {
    const { columns, values } = this.freeze();
    const out = new Float64Array(columnCount);
    for (let k = 0; k < columns.length; k++) out[columns[k]!]! += values[k]!;
    return out;
  }
}

/** Options of `stratifiedBootstrap`. */
export interface BootstrapOptions {
  /** Number of replicates (B). */
  resamples: number;
  /** Seed of the resampling stream. */
  seed: number;
}

/**
 * Runs `resamples` replicates. For replicate `b`, `onReplicate(b, sums)` receives one Float64Array of
 * column sums per stratum (reused between calls: read it, do not keep it). Strata are resampled
 * independently, in order, from one seeded stream.
 */
export function stratifiedBootstrap(
  strata: readonly SparseRows[],
  columnCount: number,
  options: BootstrapOptions,
  onReplicate: (replicate: number, sums: readonly Float64Array[]) => void,
): void {
  if (!Number.isInteger(options.resamples) || options.resamples < 1)
    throw new Error(`resamples must be a positive integer, got ${options.resamples}`);
  const random = seededRandom(options.seed);
  const frozen = strata.map((s) => s.freeze());
  const sums = strata.map(() => new Float64Array(columnCount));
  const draws = strata.map((s) => new Int32Array(s.rowCount));
  for (let b = 0; b < options.resamples; b++) {
    for (let s = 0; s < frozen.length; s++) {
      const { offsets, columns, values } = frozen[s]!;
      const out = sums[s]!;
      out.fill(0);
      // How often each row is drawn (n draws with replacement), then each drawn row added that many
      // times: the same replicate as adding row by row, with a third of the rows (never drawn) skipped.
      const times = draws[s]!;
      times.fill(0);
      const n = times.length;
      for (let draw = 0; draw < n; draw++) times[Math.floor(random() * n)]! += 1;
      for (let row = 0; row < n; row++) {
        const count = times[row]!;
        if (count === 0) continue;
        const end = offsets[row + 1]!;
        for (let k = offsets[row]!; k < end; k++) out[columns[k]!]! += count * values[k]!;
      }
    }
    onReplicate(b, sums);
  }
}

/**
 * The p-quantile of ascending `sorted` values by linear interpolation between order statistics
 * (Hyndman and Fan type 7, R's default). Infinite neighbours give the infinite value, not NaN.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const a = sorted[lower]!;
  if (lower + 1 >= sorted.length || h === lower) return a;
  const b = sorted[lower + 1]!;
  if (a === b || !Number.isFinite(a) || !Number.isFinite(b)) return h - lower < 0.5 ? a : b;
  return a + (h - lower) * (b - a);
}

/** The central percentile interval of `values` at `level` (0.95: the 2.5th and 97.5th percentiles). */
export function percentileInterval(values: Float64Array, level: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const tail = (1 - level) / 2;
  return [quantileOfSorted(sorted, tail), quantileOfSorted(sorted, 1 - tail)];
}
