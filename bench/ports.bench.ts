/**
 * Port-scan benchmark (issue #8 section 5): the connect scan of the default port list over 1,000 lab
 * hosts, side by side in the same run with `nmap -sT -Pn -n -T4` on the same hosts and ports. Figures:
 * ports per second for each, their ratio (target: at least 1.0) and whether the open-port sets are
 * identical. The lab's services listen on shifted ports (the bench need not run as root); both scanners
 * get the same shifted list.
 *
 * Fairness: our scan runs in a worker thread (as in a scan thread), so it shares no event loop with the
 * lab's servers, as nmap, a process of its own, does not. One unmeasured pass over every address and port
 * comes first, and a wait until the lab is idle: the lab builds its TLS servers' keys and contexts on
 * their first connection, and whichever scanner came first would pay for that. CPU seconds (Linux) are
 * reported beside wall time: the machine is often shared, and CPU time is what other tenants change least.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labPortList, servicePortsRecord, startLab } from '../src/lab/lab-runner.js';
import { Worker } from 'node:worker_threads';
import { ATTEMPT_IMPLEMENTATION } from '../src/net/tcp-attempt.js';
import { PORT_SCAN_DEFAULTS } from '../src/probes/ports/ports-family.js';
import type { BenchResult } from './bench-result.js';
import { childrenCpuSeconds, threadCpuSeconds } from './cpu-time.js';
import type { ScanReply } from './ports-scan-worker.js';

const exec = promisify(execFile);
const HOSTS = 1000;
/** Enough organizations for 1,000 distinct host addresses (each has 3 to 10). */
const ORGS = 250;

function nmapOpenPorts(xml: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const host of xml.split('<host ').slice(1)) {
    const address = /<address addr="([^"]+)"/.exec(host)?.[1];
    if (!address) continue;
    const open = [...host.matchAll(/portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1]));
    out.set(
      address,
      open.sort((a, b) => a - b),
    );
  }
  return out;
}

/**
 * Waits until the lab's thread is idle (under 20 ms of CPU in 500 ms, at most 60 s): after the warm-up it
 * goes on building the TLS servers the warm-up reached for a few seconds more.
 */
async function labSettled(): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 500) {
    const before = threadCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const used = spent(before, threadCpuSeconds());
    if (used === null || used < 0.02) return;
  }
}

/** A CPU-time difference, or null when either reading is missing. */
function spent(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const lab = await startLab({
    seed: 1,
    orgs: ORGS,
    port: 20000 + Math.floor(Math.random() * 30000),
    servicePortOffset: 20000 + Math.floor(Math.random() * 18000),
  });
  try {
    const ports = labPortList(servicePortsRecord(lab.services));
    const serviceAddresses = lab.world.services.map((h) => h.address);
    const all = lab.world.truth.organizations.flatMap((o) => o.hosts.flatMap((h) => h.addresses));
    const addresses = [...new Set([...serviceAddresses, ...all.filter((a) => a.startsWith('127.16.'))])].slice(
      0,
      HOSTS,
    );
    const attempts = addresses.length * ports.length;

    const worker = new Worker(new URL('./ports-scan-worker.js', import.meta.url), {
      workerData: { addresses, ports, tuning: PORT_SCAN_DEFAULTS },
    });
    const scan = (): Promise<ScanReply> =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage('scan');
      });
    let reply: ScanReply;
    let labCpuOurs: number | null;
    try {
      await scan(); // warm-up, unmeasured (see the header)
      await labSettled();
      const lab0 = threadCpuSeconds();
      reply = await scan();
      labCpuOurs = spent(lab0, threadCpuSeconds());
    } finally {
      await worker.terminate();
    }
    const oursSeconds = reply.seconds;
    const ours = new Map(reply.open);
    if (reply.undecided > 0) notes.push(`${reply.undecided} ports or addresses undecided by our scan`);

    const nmap = ['/usr/bin/nmap', '/usr/local/bin/nmap'].find((p) => existsSync(p));
    let nmapSeconds: number | null = null;
    let nmapCpu: number | null = null;
    let labCpuNmap: number | null = null;
    let identical: boolean | null = null;
    let differences: string[] = [];
    if (!nmap) notes.push('nmap is not installed: no comparison (apt-get install nmap)');
    else {
      const dir = mkdtempSync(join(tmpdir(), 'vitals-ports-bench-'));
      try {
        const list = join(dir, 'targets.txt');
        writeFileSync(list, `${addresses.join('\n')}\n`);
        const [t0, children0, lab0] = [process.hrtime.bigint(), childrenCpuSeconds(), threadCpuSeconds()];
        const { stdout } = await exec(
          nmap,
          ['-sT', '-Pn', '-n', '-T4', '-p', ports.join(','), '-iL', list, '-oX', '-'],
          { maxBuffer: 256 * 1024 * 1024 },
        );
        nmapSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
        nmapCpu = spent(children0, childrenCpuSeconds());
        labCpuNmap = spent(lab0, threadCpuSeconds());
        const theirs = nmapOpenPorts(stdout);
        differences = addresses.filter(
          (a) => JSON.stringify(ours.get(a) ?? []) !== JSON.stringify(theirs.get(a) ?? []),
        );
        identical = differences.length === 0 && theirs.size === addresses.length;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const oursRate = attempts / oursSeconds;
    const nmapRate = nmapSeconds === null ? null : attempts / nmapSeconds;
    const ratio = nmapRate === null ? null : oursRate / nmapRate;
    const open = reply.open.reduce((n, [, p]) => n + p.length, 0);
    return {
      name: 'ports',
      rows: [
        {
          what: `connect scan, ${addresses.length.toLocaleString('en-US')} hosts x ${ports.length} ports`,
          unit: 'ports/s',
          vitals: oursRate,
          other: { tool: 'nmap -sT -T4', value: nmapRate },
          target: 'ratio >= 1.0, same open ports',
          met: ratio === null || identical === null ? null : ratio >= 1 && identical,
        },
      ],
      details: {
        hosts: addresses.length,
        ports: ports.length,
        openPorts: open,
        vitalsSeconds: oursSeconds,
        nmapSeconds,
        // CPU: the scanner's own thread, nmap's process, and the lab's thread meanwhile (its accepts and
        // TLS handshakes: the same work for either scanner).
        vitalsCpuSeconds: reply.cpuSeconds,
        nmapCpuSeconds: nmapCpu,
        labCpuSecondsDuringVitals: labCpuOurs,
        labCpuSecondsDuringNmap: labCpuNmap,
        cpuRatio: reply.cpuSeconds && nmapCpu ? nmapCpu / reply.cpuSeconds : null,
        ratio,
        identicalOpenPorts: identical,
        differingHosts: differences.slice(0, 20),
        tuning: PORT_SCAN_DEFAULTS,
        /** 'handle': bare libuv TCP handles; 'socket': net.Socket (this Node lacks the binding). */
        attempts: ATTEMPT_IMPLEMENTATION,
      },
      notes,
    };
  } finally {
    await lab.stop();
  }
}
