/**
 * Runs a scan on several worker threads. Against a fast network (the lab, a nearby resolver) the
 * assessment is CPU-bound, and one event loop uses one core. Every worker gets the whole target list and
 * claims the next target from one cursor they share (an Int32 in shared memory, advanced atomically)
 * whenever it has room, so a thread that drew small organizations or a faster core takes more, and none
 * waits while another still has a queue (dealt in advance, one of two threads often finished a sixth of
 * the time before the other in the port-scan benchmark). Each keeps its own DNS client and caches;
 * results come back to this thread by index in completion order, where progress and storage happen
 * exactly as in a single-threaded scan.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { runScan, type ScanSettings, type ScanTarget, type TargetResult } from './scan.js';
import type { WorkerInput } from './scan-worker.js';
import { SCAN_DEFAULTS } from './scan-defaults.js';

/** What a worker receives: the settings without functions or sockets (workers use the built-in registry). */
export type WorkerScanSettings = Omit<ScanSettings, 'client' | 'onTargetDone' | 'now' | 'registry' | 'clock'>;

/** Young-generation size of a scan thread's heap, in MiB (allocated as used). */
export const WORKER_YOUNG_GENERATION_MB = 128;

/** Below this many targets, starting threads costs more than it saves. */
export const PARALLEL_MIN_TARGETS = SCAN_DEFAULTS.parallelMinTargets;

/** The default number of scan threads for `targets` targets on this machine. */
export function defaultWorkerCount(targets: number): number {
  return targets < PARALLEL_MIN_TARGETS ? 1 : Math.max(1, Math.min(SCAN_DEFAULTS.maxWorkers, availableParallelism()));
}

/** The shared cursor of a parallel scan's threads: one Int32, the index of the next unclaimed target. */
export function claimCursor(): { buffer: SharedArrayBuffer; claim: () => number; reset: () => void } {
  const buffer = new SharedArrayBuffer(4);
  const view = new Int32Array(buffer);
  return { buffer, claim: claimFrom(buffer), reset: () => Atomics.store(view, 0, 0) };
}

/** Claims from a cursor made by `claimCursor` (in any thread): the next index nobody has taken. */
export function claimFrom(cursor: SharedArrayBuffer): () => number {
  const view = new Int32Array(cursor);
  return () => Atomics.add(view, 0, 1);
}

/** Like runScan, on `workers` threads (1: in this thread, with `settings.client`). */
export async function runScanParallel(
  targets: ScanTarget[],
  settings: ScanSettings,
  workers: number,
): Promise<TargetResult[]> {
  // A registry of the caller's own (a test's) cannot be sent to another thread.
  if (workers <= 1 || targets.length < 2 || settings.registry) return runScan(targets, settings);
  const count = Math.min(workers, targets.length);
  const cursor = claimCursor();
  const { client: _client, onTargetDone, now: _now, registry: _registry, clock, ...plain } = settings;
  const perWorker: WorkerScanSettings = { ...plain, concurrency: Math.max(1, Math.ceil(settings.concurrency / count)) };
  const results: TargetResult[] = new Array(targets.length);
  let done = 0;
  await Promise.all(
    Array.from(
      { length: count },
      (_, w) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./scan-worker.js', import.meta.url), {
            workerData: { targets, cursor: cursor.buffer, settings: perWorker } satisfies WorkerInput,
            // A scan allocates many short-lived objects per query; a larger young generation means fewer
            // scavenges (measured: about 7% more queries per second on the lab's wordlist scan).
            resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
          });
          worker.on('message', (message: { kind: 'result'; index: number; result: TargetResult }) => {
            const index = message.index;
            if (!Number.isInteger(index) || index < 0 || index >= targets.length || results[index] !== undefined)
              return;
            // The caller's own target object (it may carry more than a worker was sent, e.g. organization ids).
            const merged: TargetResult = { ...message.result, target: targets[index]! };
            // A clock cannot cross to a thread: a worker stamps real times, restated here on the scan's clock
            // (finished now on that clock, started as long before as the target took).
            if (clock !== undefined) {
              const took = Date.parse(merged.finishedAt) - Date.parse(merged.startedAt);
              const finished = clock().getTime();
              merged.finishedAt = new Date(finished).toISOString();
              merged.startedAt = new Date(finished - took).toISOString();
            }
            results[index] = merged;
            done++;
            onTargetDone?.(merged, done, targets.length, index);
          });
          worker.on('error', reject);
          worker.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`scan worker ${w} exited with code ${code}`)),
          );
        }),
    ),
  );
  // findIndex, not indexOf: indexOf skips the holes of a sparse array, which are exactly what is sought.
  const missing = results.findIndex((r) => r === undefined);
  if (missing >= 0 || results.length !== targets.length)
    throw new Error(`scan workers returned no result for ${targets[missing]?.domain ?? 'a target'}`);
  return results;
}
