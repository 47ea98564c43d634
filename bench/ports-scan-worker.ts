/**
 * Worker side of the port-scan benchmark (ports.bench.ts): one scan thread, set up as `vitals scan` sets
 * up each of its threads (the ports family's `prepare`: the thread's NetworkGuard with the scan's policy,
 * its cap on connections in flight, the default tuning), and working as its scan does: `lanes` targets
 * at a time, each lane claiming the next organization from the cursor every thread shares (as runScan
 * claims targets) and scanning all of its addresses at once with the ports probe's connect scan. The
 * scanner and the lab's servers never share an event loop (nmap, the other side, is a process of its
 * own). Answers each `scan` message with the wall time, this thread's CPU time and the open ports per
 * address it scanned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DnsServer } from '../src/net/dns/dns-client.types.js';
import { scanAddress } from '../src/probes/ports/connect-scan.js';
import { portsFamily } from '../src/probes/ports/ports-family.js';
import { claimFrom } from '../src/scanner/parallel-scan.js';
import { threadCpuSeconds } from './cpu-time.js';

export interface ScanWorkerData {
  /** The targets: each organization's addresses. */
  organizations: string[][];
  /** One Int32 shared by the threads: the next unclaimed organization (reset by the main thread per pass). */
  cursor: SharedArrayBuffer;
  /** Organizations scanned at once by this thread. */
  lanes: number;
  ports: number[];
  /** The lab's resolver (the scan's settings name one; the policy always allows it). */
  resolver: DnsServer;
}

export interface ScanReply {
  seconds: number;
  cpuSeconds: number | null;
  open: Array<[string, number[]]>;
  undecided: number;
}

const { organizations, cursor, lanes, ports, resolver } = workerData as ScanWorkerData;
const claim = claimFrom(cursor);

parentPort?.on('message', async () => {
  // A fresh context per pass, as each scan gets (`vitals scan --lab`: private addresses allowed, no rate limit).
  const ctx = portsFamily.prepare({ allowPrivate: true, resolver, ports }, []).forTarget('');
  const cpu0 = threadCpuSeconds();
  const started = process.hrtime.bigint();
  const scanned: Awaited<ReturnType<typeof scanAddress>>[] = [];
  const lane = async (): Promise<void> => {
    for (let i = claim(); i < organizations.length; i = claim())
      scanned.push(
        ...(await Promise.all(
          organizations[i]!.map((a) => scanAddress(ctx.guard, a, [], ctx.ports, ctx.tuning, ctx.connections)),
        )),
      );
  };
  await Promise.all(Array.from({ length: lanes }, lane));
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
