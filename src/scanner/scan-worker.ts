/**
 * Worker-thread side of a parallel scan (parallel-scan.ts): runs the ordinary pipeline over its share
 * of the targets with its own DNS client, and posts each target's result back as it finishes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createScanDnsClient, scanNetworkSpec } from '../net/scan-network.js';
import type { TrustAnchor } from '../dnssec/trust-anchor.js';
import { runScan, type ScanTarget } from './scan.js';
import type { WorkerScanSettings } from './parallel-scan.js';

interface WorkerInput {
  targets: ScanTarget[];
  settings: WorkerScanSettings;
}

const { targets, settings } = workerData as WorkerInput;
// Structured cloning turns Buffers into plain Uint8Arrays; the DNSSEC code wants Buffers back.
const trustAnchors = settings.trustAnchors.map(
  (a): TrustAnchor =>
    a.type === 'DS' ? { ...a, digest: Buffer.from(a.digest) } : { ...a, publicKey: Buffer.from(a.publicKey) },
);
const client = createScanDnsClient(
  settings.network ?? scanNetworkSpec({ allowPrivate: settings.allowPrivate, resolver: settings.resolver }),
);
try {
  await runScan(targets, {
    ...settings,
    trustAnchors,
    client,
    onTargetDone: (result) => parentPort!.postMessage({ kind: 'result', result }),
  });
} finally {
  await client.close();
}
