/**
 * The ingesting thread's handle on the preparation worker (prepare-worker.ts): batches go out in
 * order and come back as promises. A crashed or failed worker rejects every outstanding batch, so
 * ingestion fails loudly rather than storing a partial batch.
 */
import { Worker } from 'node:worker_threads';
import type { AnalysisSetup, PendingDocument, PrepareOutcome } from './prepare.js';
import type { PrepareRequest, PrepareResponse } from './prepare-worker.js';

/** A batch prepared by the worker, and how long the worker spent on it (wall clock, ms). */
export interface PreparedInWorker {
  outcomes: PrepareOutcome[];
  busyMs: number;
}

interface Waiting {
  resolve: (prepared: PreparedInWorker) => void;
  reject: (error: Error) => void;
}

/**
 * Start the worker module next to this one. From dist/ that is `prepare-worker.js`. From the TypeScript
 * source (tests under `--import tsx`) the worker does not inherit the parent's tsx loader, so a small
 * bootstrap registers tsx in the worker before importing `prepare-worker.ts`.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./prepare-worker.js', import.meta.url), { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./prepare-worker.ts', import.meta.url).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return ` +
    `import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** One preparation worker thread. */
export class PrepareThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  /** Start the worker; `analysis` undefined means analysis is off. */
  constructor(analysis: AnalysisSetup | undefined) {
    this.worker = startWorker({ analysis });
    // An idle worker must not keep the process alive if a caller forgets close().
    this.worker.unref();
    this.worker.on('message', (response: PrepareResponse) => {
      const waiting = this.waiting.get(response.id);
      if (waiting === undefined) return;
      this.waiting.delete(response.id);
      if ('error' in response) waiting.reject(new Error(`document preparation failed: ${response.error}`));
      else waiting.resolve({ outcomes: response.outcomes, busyMs: response.busyMs });
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the document preparation worker exited (code ${code})`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }

  /** Prepare a batch in the worker; outcomes in input order. */
  prepare(items: PendingDocument[]): Promise<PreparedInWorker> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the document preparation worker is closed'));
    const id = this.nextId++;
    const request: PrepareRequest = { id, items };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // The worker holds the process only while batches are outstanding.
      this.worker.ref();
      this.worker.postMessage(request);
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    }) as Promise<PreparedInWorker>;
  }

  /** Stop the worker; outstanding batches are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('the document preparation worker is closed'));
    await this.worker.terminate();
  }
}
