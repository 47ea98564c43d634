/**
 * Worker thread of the ingestion pipeline: prepares batch N+1 (prepare.ts) while the ingesting thread
 * writes batch N to the store. Messages are handled in arrival order, one batch at a time.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzerFor, prepareBatch } from './prepare.js';
import type { AnalysisSetup, PendingDocument, PrepareOutcome } from './prepare.js';

/** Sent to the worker: one batch to prepare. */
export interface PrepareRequest {
  id: number;
  items: PendingDocument[];
}

/**
 * Sent back: the outcomes of a batch in input order and the time they took, or the error that stopped it.
 * A document's text crosses once: the ingesting thread stores `storedText`, so `text` and `analysis.text`
 * (copies of it, or its unmasked form) come back empty once it is set.
 */
export type PrepareResponse =
  | { id: number; outcomes: PrepareOutcome[]; busyMs: number }
  | { id: number; error: string };

const port = parentPort;
if (port !== null) {
  // The portfolio and credential key arrive once, as workerData; the analyzer is built here, once.
  const analyzer = analyzerFor((workerData as { analysis?: AnalysisSetup } | null)?.analysis);
  port.on('message', (request: PrepareRequest) => {
    let response: PrepareResponse;
    try {
      const started = performance.now();
      const outcomes = prepareBatch(request.items, analyzer);
      // Structured cloning copies every string: the text once instead of three times (a third of the
      // ingesting thread's cost of receiving a batch).
      for (const outcome of outcomes) {
        if (!('ok' in outcome) || outcome.ok.storedText === undefined) continue;
        outcome.ok.text = '';
        if (outcome.ok.analysis !== undefined) outcome.ok.analysis.text = '';
      }
      response = { id: request.id, outcomes, busyMs: performance.now() - started };
    } catch (error) {
      response = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(response);
  });
}
