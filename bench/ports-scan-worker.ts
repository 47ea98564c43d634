/**
 * Worker side of the port-scan benchmark (ports.bench.ts): runs the connect scan in its own thread, as a
 * scan thread does, so the scanner and the lab's servers never share one event loop (nmap, the other
 * side, is a process of its own). Answers each `scan` message with the wall time, this thread's CPU time
 * and the open ports per address.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Semaphore } from '../src/net/concurrency.js';
import { NetworkGuard } from '../src/net/guarded-socket.js';
import { scanAddress } from '../src/probes/ports/connect-scan.js';
import type { PortScanTuning } from '../src/probes/ports/ports-family.js';
import { threadCpuSeconds } from './cpu-time.js';

export interface ScanReply {
  seconds: number;
  cpuSeconds: number | null;
  open: Array<[string, number[]]>;
  undecided: number;
}

const { addresses, ports, tuning } = workerData as { addresses: string[]; ports: number[]; tuning: PortScanTuning };

parentPort?.on('message', async () => {
  const guard = new NetworkGuard();
  const global = new Semaphore(tuning.globalConcurrency);
  const cpu0 = threadCpuSeconds();
  const started = process.hrtime.bigint();
  const scanned = await Promise.all(addresses.map((a) => scanAddress(guard, a, [], ports, tuning, global)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu1 = threadCpuSeconds();
  const reply: ScanReply = {
    seconds,
    cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
    open: scanned.map((s) => [s.address, s.open]),
    undecided: scanned.reduce((n, s) => n + s.failed.length + (s.refused === null ? 0 : 1), 0),
  };
  parentPort?.postMessage(reply);
});
