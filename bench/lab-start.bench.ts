/**
 * Lab start-up benchmark: time to build the world and bind every lab address, for 25 and 1,000
 * organizations, in a child process as `vitals lab up` starts it, measured until state.json appears.
 */
import type { BenchResult, BenchRow } from './bench-result.js';
import { startLabProcess } from './lab-process.js';

/** Sizes measured, with the targets in seconds. */
export const LAB_START_TARGETS: ReadonlyArray<{ orgs: number; targetSeconds: number }> = [
  { orgs: 25, targetSeconds: 5 },
  { orgs: 1000, targetSeconds: 60 },
];
/** Start-ups per size; the median is reported (the first start also pays for cold file caches). */
const REPEATS = 3;

/** Runs the lab start-up benchmark (exported for bench/run.ts). */
export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const { orgs, targetSeconds } of LAB_START_TARGETS) {
    const samples: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const lab = await startLabProcess(orgs);
      samples.push(lab.startupSeconds);
      await lab.stop();
    }
    const median = medianOf(samples);
    rows.push({
      what: `lab start-up, ${orgs.toLocaleString('en-US')} orgs (median of ${REPEATS})`,
      unit: 's',
      vitals: median,
      other: null,
      target: `< ${targetSeconds} s`,
      met: median < targetSeconds,
    });
    details[`orgs_${orgs}`] = { samplesSeconds: samples, medianSeconds: median, targetSeconds };
  }
  return { name: 'lab-start', rows, details, notes: [] };
}

/** The median of a non-empty list. */
export function medianOf(values: readonly number[]): number {
  if (values.length === 0) throw new Error('medianOf: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
