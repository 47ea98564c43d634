/**
 * Port-scan benchmark (issue #8 section 5): the connect scan of the default port list over 1,000 lab
 * hosts, side by side in the same run with `nmap -sT -Pn -n -T4` on the same hosts and ports. Figures:
 * ports per second for each, their ratio (target: at least 1.0) and whether the open-port sets are
 * identical. The lab's services listen on shifted ports (the bench need not run as root); both scanners
 * get the same shifted list.
 *
 * Our scan is measured as `vitals scan` runs it for these hosts' 250 organizations: on the scanner's
 * default number of threads for that many targets (one per core, up to 4), each with its share of the
 * scan's concurrency, claiming the next organization from the cursor the threads share and scanning its
 * addresses with a ports-family context of its own (see ports-scan-worker.ts). The same scan on one thread
 * is measured too (a scan of fewer than 200 targets, or `--workers 1`). Neither shares an event loop with
 * the lab's servers, as nmap, a process of its own, does not. One unmeasured pass over every address and
 * port comes first, and a wait until the lab is idle before every pass: the lab builds its TLS servers'
 * keys and contexts on their first connection, and whichever scanner came first would pay for that. Then
 * five rounds taking turns, and the median pass of each scanner: a pass lasts about 0.3 s. CPU seconds
 * (Linux) are reported beside wall time: the machine is often shared, and CPU time is what other tenants
 * change least.
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
import { claimCursor, defaultWorkerCount, WORKER_YOUNG_GENERATION_MB } from '../src/scanner/parallel-scan.js';
import { SCAN_DEFAULTS } from '../src/scanner/scan-defaults.js';
import type { BenchResult } from './bench-result.js';
import { childrenCpuSeconds, threadCpuSeconds } from './cpu-time.js';
import type { ScanReply, ScanWorkerData } from './ports-scan-worker.js';

const exec = promisify(execFile);
const HOSTS = 1000;
/** Measured passes of each scanner, taking turns; the medians are reported. */
const ROUNDS = 5;
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

interface OurPass {
  seconds: number;
  cpuSeconds: number | null;
  replies: ScanReply[];
  labCpuSeconds: number | null;
}

interface NmapPass {
  seconds: number;
  cpuSeconds: number | null;
  labCpuSeconds: number | null;
  open: Map<string, number[]>;
}

/** The pass of median wall time (the upper one of an even count). */
function median<T extends { seconds: number }>(passes: T[]): T {
  return [...passes].sort((a, b) => a.seconds - b.seconds)[Math.floor(passes.length / 2)]!;
}

/** A CPU-time difference, or null when either reading is missing. */
function spent(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

/**
 * Scan threads sharing one claim cursor, as `vitals scan`'s threads share theirs; `scan` resets it and runs
 * one pass on every thread at once.
 */
class ScanThreads {
  private readonly workers: Worker[];
  private readonly cursor = claimCursor();

  constructor(count: number, organizations: string[][], ports: number[], resolver: ScanWorkerData['resolver']) {
    // As the scanner divides its concurrency among its threads (parallel-scan.ts).
    const lanes = Math.max(1, Math.ceil(SCAN_DEFAULTS.concurrency / count));
    this.workers = Array.from(
      { length: count },
      () =>
        new Worker(new URL('./ports-scan-worker.js', import.meta.url), {
          workerData: { organizations, cursor: this.cursor.buffer, lanes, ports, resolver } satisfies ScanWorkerData,
          // As the scanner starts its threads (parallel-scan.ts).
          resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
        }),
    );
  }

  /** One pass: wall time from the first request to the last answer, CPU summed over the threads. */
  async scan(): Promise<{ seconds: number; cpuSeconds: number | null; replies: ScanReply[] }> {
    this.cursor.reset();
    const started = process.hrtime.bigint();
    const replies = await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<ScanReply>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage('scan');
          }),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = replies.map((r) => r.cpuSeconds);
    const cpuSeconds = cpu.includes(null) ? null : cpu.reduce((n: number, c) => n + c!, 0);
    return { seconds, cpuSeconds, replies };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
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

    // The organizations as scan targets, in the lab's order, each with its addresses among the measured ones;
    // the scan threads claim them one by one as the scanner's threads claim targets.
    const organizations = lab.world.truth.organizations;
    const organizationOf = new Map<string, string>();
    for (const o of organizations)
      for (const h of o.hosts) for (const a of h.addresses) if (!organizationOf.has(a)) organizationOf.set(a, o.domain);
    for (const s of lab.world.services)
      if (!organizationOf.has(s.address)) organizationOf.set(s.address, s.organization);
    const addressesOf = new Map<string, string[]>();
    for (const a of addresses) {
      const key = organizationOf.get(a) ?? a;
      addressesOf.set(key, [...(addressesOf.get(key) ?? []), a]);
    }
    const targets = [...addressesOf.values()];
    const threadCount = defaultWorkerCount(organizations.length);

    const resolver = { address: lab.resolverAddress, port: lab.port };
    const threads = new ScanThreads(threadCount, targets, ports, resolver);
    const oneThread = new ScanThreads(1, targets, ports, resolver);
    const nmap = ['/usr/bin/nmap', '/usr/local/bin/nmap'].find((p) => existsSync(p));
    if (!nmap) notes.push('nmap is not installed: no comparison (apt-get install nmap)');
    const dir = mkdtempSync(join(tmpdir(), 'vitals-ports-bench-'));
    const list = join(dir, 'targets.txt');
    writeFileSync(list, `${addresses.join('\n')}\n`);
    /** One nmap pass: wall and CPU seconds, the lab's CPU meanwhile, the open ports it reports. */
    const runNmap = async (path: string): Promise<NmapPass> => {
      await labSettled();
      const [t0, children0, lab0] = [process.hrtime.bigint(), childrenCpuSeconds(), threadCpuSeconds()];
      const { stdout } = await exec(path, ['-sT', '-Pn', '-n', '-T4', '-p', ports.join(','), '-iL', list, '-oX', '-'], {
        maxBuffer: 256 * 1024 * 1024,
      });
      return {
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        cpuSeconds: spent(children0, childrenCpuSeconds()),
        labCpuSeconds: spent(lab0, threadCpuSeconds()),
        open: nmapOpenPorts(stdout),
      };
    };
    /** One pass of our scan on `scanThreads`, with the lab's CPU meanwhile. */
    const runOurs = async (scanThreads: ScanThreads): Promise<OurPass> => {
      await labSettled();
      const lab0 = threadCpuSeconds();
      const pass = await scanThreads.scan();
      return { ...pass, labCpuSeconds: spent(lab0, threadCpuSeconds()) };
    };
    const oursPasses: OurPass[] = [];
    const onePasses: OurPass[] = [];
    const nmapPasses: NmapPass[] = [];
    try {
      // Warm-up, unmeasured (see the header): every address and port once, and each thread's code once.
      await oneThread.scan();
      await threads.scan();
      // Rounds taking turns, each scanner's median reported: one pass lasts a fraction of a second, where a
      // single pass measures the other tenants of the machine as much as the scanner.
      for (let round = 0; round < ROUNDS; round++) {
        oursPasses.push(await runOurs(threads));
        if (nmap) nmapPasses.push(await runNmap(nmap));
        onePasses.push(await runOurs(oneThread));
      }
    } finally {
      await Promise.all([threads.stop(), oneThread.stop()]);
      rmSync(dir, { recursive: true, force: true });
    }
    const ours = median(oursPasses);
    const oursOne = median(onePasses);
    const theirsPass = nmapPasses.length > 0 ? median(nmapPasses) : null;
    const theirs = theirsPass?.open ?? null;
    const nmapSeconds = theirsPass?.seconds ?? null;
    const nmapCpu = theirsPass?.cpuSeconds ?? null;
    const labCpuOurs = ours.labCpuSeconds;
    const labCpuOne = oursOne.labCpuSeconds;
    const labCpuNmap = theirsPass?.labCpuSeconds ?? null;
    const openOf = (replies: ScanReply[]): Map<string, number[]> => new Map(replies.flatMap((r) => r.open));
    const undecided = ours.replies.reduce((n, r) => n + r.undecided, 0);
    if (undecided > 0) notes.push(`${undecided} ports or addresses undecided by our scan`);
    /** Addresses whose open ports differ from nmap's (null without nmap). */
    const differing = (open: Map<string, number[]>): string[] | null =>
      theirs === null
        ? null
        : addresses.filter((a) => JSON.stringify(open.get(a) ?? []) !== JSON.stringify(theirs!.get(a) ?? []));
    // Every pass of ours against nmap's (whose passes must agree among themselves too).
    const nmapStable = nmapPasses.every(
      (p) =>
        theirs !== null &&
        addresses.every((a) => JSON.stringify(p.open.get(a) ?? []) === JSON.stringify(theirs.get(a) ?? [])),
    );
    if (!nmapStable) notes.push('nmap reported different open ports in different rounds');
    const differingIn = (passes: OurPass[]): string[] | null => {
      if (theirs === null) return null;
      const hosts = new Set<string>();
      for (const p of passes) for (const a of differing(openOf(p.replies)) ?? []) hosts.add(a);
      return [...hosts];
    };
    const differences = differingIn(oursPasses);
    const differencesOne = differingIn(onePasses);
    const identical =
      differences === null ? null : differences.length === 0 && nmapStable && theirs!.size === addresses.length;
    const identicalOne =
      differencesOne === null ? null : differencesOne.length === 0 && nmapStable && theirs!.size === addresses.length;
    const nmapRate = nmapSeconds === null ? null : attempts / nmapSeconds;
    const oursRate = attempts / ours.seconds;
    const oneRate = attempts / oursOne.seconds;
    const ratio = nmapRate === null ? null : oursRate / nmapRate;
    const ratioOne = nmapRate === null ? null : oneRate / nmapRate;
    const open = ours.replies.reduce((n, r) => n + r.open.reduce((m, [, p]) => m + p.length, 0), 0);
    const what = `connect scan, ${addresses.length.toLocaleString('en-US')} hosts x ${ports.length} ports`;
    return {
      name: 'ports',
      rows: [
        {
          what: `${what}, as \`vitals scan\` runs it (${threadCount} thread${threadCount === 1 ? '' : 's'})`,
          unit: 'ports/s',
          vitals: oursRate,
          other: { tool: 'nmap -sT -T4', value: nmapRate },
          target: 'ratio >= 1.0, same open ports',
          met: ratio === null || identical === null ? null : ratio >= 1 && identical,
        },
        {
          what: `${what}, one thread`,
          unit: 'ports/s',
          vitals: oneRate,
          other: { tool: 'nmap -sT -T4', value: nmapRate },
          target: null,
          met: null,
        },
      ],
      details: {
        rounds: ROUNDS,
        secondsPerRound: {
          vitals: oursPasses.map((p) => p.seconds),
          vitalsOneThread: onePasses.map((p) => p.seconds),
          nmap: nmapPasses.map((p) => p.seconds),
        },
        hosts: addresses.length,
        ports: ports.length,
        organizations: organizations.length,
        threads: threadCount,
        targets: targets.length,
        lanesPerThread: Math.ceil(SCAN_DEFAULTS.concurrency / threadCount),
        addressesPerThread: ours.replies.map((r) => r.open.length),
        openPorts: open,
        vitalsSeconds: ours.seconds,
        nmapSeconds,
        // CPU: the scan threads' own (summed), nmap's process, and the lab's thread meanwhile (its accepts and
        // TLS handshakes: the same work for either scanner).
        vitalsCpuSeconds: ours.cpuSeconds,
        vitalsThreadSeconds: ours.replies.map((r) => r.seconds),
        vitalsThreadCpuSeconds: ours.replies.map((r) => r.cpuSeconds),
        nmapCpuSeconds: nmapCpu,
        labCpuSecondsDuringVitals: labCpuOurs,
        labCpuSecondsDuringNmap: labCpuNmap,
        cpuRatio: ours.cpuSeconds && nmapCpu ? nmapCpu / ours.cpuSeconds : null,
        ratio,
        identicalOpenPorts: identical,
        differingHosts: differences?.slice(0, 20) ?? [],
        oneThread: {
          seconds: oursOne.seconds,
          cpuSeconds: oursOne.cpuSeconds,
          labCpuSeconds: labCpuOne,
          ratio: ratioOne,
          identicalOpenPorts: identicalOne,
        },
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
