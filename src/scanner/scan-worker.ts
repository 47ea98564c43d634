/**
 * Worker-thread side of a parallel scan (parallel-scan.ts): runs the ordinary pipeline with its own DNS
 * client over the targets it claims from the cursor shared by every thread, and posts each target's
 * result back, with the target's index, as it finishes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createScanDnsClient, scanNetworkSpec } from '../net/scan-network.js';
import type { TrustAnchor } from '../dnssec/trust-anchor.js';
import { runScan, type ScanTarget } from './scan.js';
import { claimFrom, type WorkerScanSettings } from './parallel-scan.js';

export interface WorkerInput {
  /** Every target of the scan; this thread scans those it claims. */
  targets: ScanTarget[];
  /** One Int32: the index of the next target nobody has claimed yet. */
  cursor: SharedArrayBuffer;
  settings: WorkerScanSettings;
}

const { targets, cursor, settings } = workerData as WorkerInput;
// Structured cloning turns Buffers into plain Uint8Arrays; the DNSSEC code wants Buffers back.
const trustAnchors = settings.trustAnchors.map(
  (a): TrustAnchor =>
    a.type === 'DS' ? { ...a, digest: Buffer.from(a.digest) } : { ...a, publicKey: Buffer.from(a.publicKey) },
);
const client = createScanDnsClient(
  settings.network ?? scanNetworkSpec({ allowPrivate: settings.allowPrivate, resolver: settings.resolver }),
);
try {
  await runScan(
    targets,
    {
      ...settings,
      trustAnchors,
      client,
      onTargetDone: (result, _done, _total, index) => parentPort!.postMessage({ kind: 'result', index, result }),
    },
    claimFrom(cursor),
  );
} finally {
  await client.close();
}
