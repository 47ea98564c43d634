/**
 * DNS benchmark: the full DNS and e-mail assessment of 1,000 lab organizations, without and with the
 * wordlist, side by side with `dig` answering the very same queries and `gobuster dns` running the same
 * wordlist. The lab runs in a child process so its DNS server and the scanner never share an event loop.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createDnsClient } from '../src/net/dns/dns-client.js';
import { parseServer } from '../src/net/dns/server-address.js';
import { parseCtLog } from '../src/probes/dns/discovery.probe.js';
import { DEFAULT_WORDLIST } from '../src/probes/dns/wordlist.js';
import { parseTrustAnchors } from '../src/dnssec/trust-anchor.js';
import {
  assertResolverReachable,
  runScan,
  type ScanSettings,
  type ScanTarget,
  type TargetResult,
} from '../src/scanner/scan.js';
import { defaultWorkerCount, runScanParallel } from '../src/scanner/parallel-scan.js';
import { SCAN_DEFAULTS } from '../src/scanner/scan-defaults.js';
import type { LabTruth } from '../src/lab/world/truth.js';
import type { BenchResult, BenchRow } from './bench-result.js';
import { digVersion, replayWithDig, type DigReplayResult } from './dig.js';
import { gobusterVersion, runGobuster, type GobusterResult } from './gobuster.js';
import { startLabProcess, type LabProcess } from './lab-process.js';
import { createRecordingDnsClient, type QueryTally, type RecordedQuery } from './recording-client.js';
import { assertLoopback, findExecutable } from './tools.js';

/** Organizations in the benchmark lab (the issue's figure). */
export const DNS_BENCH_ORGS = 1000;
/** Target of the issue: organizations assessed per second without the wordlist, on a 2-core machine. */
export const TARGET_ORGS_PER_SECOND = 300;
/** Domains gobuster enumerates (every n-th lab organization, so the sample mixes all kinds). */
const GOBUSTER_SAMPLE = 40;
const GOBUSTER_THREADS = 50;
/** As `vitals scan` runs by default (src/scanner/scan-defaults.ts). */
const SCAN_CONCURRENCY = SCAN_DEFAULTS.concurrency;
const SCAN_TIMEOUT_MS = SCAN_DEFAULTS.timeoutMs;
const SCAN_RETRIES = SCAN_DEFAULTS.retries;

/** One timed scan pass. */
interface ScanPass {
  seconds: number;
  tally: QueryTally;
  recorded: RecordedQuery[];
  statuses: Record<string, number>;
  notAssessed: number;
  accuracy: Accuracy;
  /** CPU seconds used meanwhile by the scanner (this process) and by the lab's process. */
  scannerCpuSeconds: number;
  labCpuSeconds: number | null;
}

interface Accuracy {
  expectedFindings: number;
  reportedFindings: number;
  precision: number;
  recall: number;
}

/** Runs the DNS benchmark (exported for bench/run.ts). */
export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const cores = availableParallelism();
  const digPath = findExecutable('dig');
  const gobusterPath = findExecutable('gobuster');
  if (!digPath) notes.push('dig is not installed (Debian package bind9-dnsutils): the dig comparison was skipped.');
  if (!gobusterPath)
    notes.push('gobuster is not installed (Debian package gobuster): the gobuster comparison was skipped.');

  const lab = await startLabProcess(DNS_BENCH_ORGS);
  try {
    const resolver = parseServer(lab.state.resolver);
    assertLoopback(resolver.address);
    const truth = JSON.parse(readFileSync(lab.state.files.truth, 'utf8')) as LabTruth;
    const targets: ScanTarget[] = truth.organizations.map((o) => ({ domain: o.domain, organization: o.name }));
    const base = {
      resolver,
      nameServerPort: lab.state.port,
      trustAnchors: parseTrustAnchors(readFileSync(lab.state.files.trustAnchor, 'utf8')),
      allowPrivate: true,
      concurrency: SCAN_CONCURRENCY,
      timeoutMs: SCAN_TIMEOUT_MS,
      retries: SCAN_RETRIES,
      ctNames: parseCtLog(JSON.parse(readFileSync(lab.state.files.ct, 'utf8'))),
      // The DNS and e-mail factor only: TLS has its own benchmark (tls.bench.ts).
      only: ['dns_health'],
    } satisfies Omit<ScanSettings, 'client' | 'wordlist'>;

    // (a) Full assessment without the wordlist; every query recorded for the dig replay.
    const plain = await timedScan(targets, truth, lab, { ...base, wordlist: null }, true);
    for (const server of new Set(plain.recorded.map((q) => q.server.address))) assertLoopback(server);
    // (a2) The same as `vitals scan` runs a portfolio of this size by default: on worker threads.
    const workers = defaultWorkerCount(targets.length);
    const threaded = await timedParallelScan(targets, truth, { ...base, wordlist: null }, workers);
    if (threaded.accuracy.precision < 1 || threaded.accuracy.recall < plain.accuracy.recall)
      notes.push(`the ${workers}-thread scan disagreed with the ground truth: the figure is suspect.`);
    // (b) The same with the default wordlist (the published top 5,000 labels and the healthcare ones).
    const withWordlist = await timedScan(targets, truth, lab, { ...base, wordlist: DEFAULT_WORDLIST }, false);
    // (b2) And as `vitals scan` runs it: on worker threads. Each thread has its own client, so the query
    // count is the single-threaded pass's (the same questions; no query of either pass went unanswered).
    const threadedWordlist = await timedParallelScan(targets, truth, { ...base, wordlist: DEFAULT_WORDLIST }, workers);
    for (const pass of [plain, withWordlist]) {
      const failures = Object.entries(pass.tally.failures);
      if (failures.length > 0)
        notes.push(
          `scan queries without a reply: ${failures.map(([r, n]) => `${n} ${r}`).join(', ')}; the figures are suspect.`,
        );
    }

    // (c) dig answers the very queries of (a): 2 processes per core, each working through a batch file.
    let dig: DigReplayResult | null = null;
    let digVersionText: string | null = null;
    if (digPath) {
      digVersionText = await digVersion(digPath);
      dig = await replayWithDig(digPath, plain.recorded, resolver, 2 * cores);
      if (dig.failed > 0) notes.push(`dig got no reply to ${dig.failed} of ${dig.queries} queries.`);
    }

    // (d) gobuster dns over the same wordlist, for a sample of the lab's domains: one process (as a user
    // runs it) and 2 per core; the faster is the bar Vitals must reach.
    const gobuster: GobusterResult[] = [];
    let gobusterVersionText: string | null = null;
    if (gobusterPath) {
      gobusterVersionText = await gobusterVersion(gobusterPath);
      const step = Math.max(1, Math.floor(targets.length / GOBUSTER_SAMPLE));
      const sample = targets
        .filter((_, i) => i % step === 0)
        .slice(0, GOBUSTER_SAMPLE)
        .map((t) => t.domain);
      for (const processes of [1, 2 * cores]) {
        const result = await runGobuster(gobusterPath, sample, DEFAULT_WORDLIST, resolver, {
          processes,
          threads: GOBUSTER_THREADS,
        });
        gobuster.push(result);
        if (result.failedRuns > 0)
          notes.push(`gobuster failed on ${result.failedRuns} domain(s): ${result.errors.join(' | ')}`);
      }
    }
    const leanestGobuster = gobuster
      .filter((g) => g.cpuSeconds !== null && g.cpuSeconds > 0)
      .reduce<GobusterResult | null>(
        (best, g) => (best === null || g.queries / g.cpuSeconds! > best.queries / best.cpuSeconds! ? g : best),
        null,
      );
    const bestGobuster = gobuster.reduce<GobusterResult | null>(
      (best, g) => (best === null || g.queriesPerSecond > best.queriesPerSecond ? g : best),
      null,
    );

    const orgs = targets.length;
    const plainOrgsPerSecond = orgs / plain.seconds;
    const wordlistQueries = withWordlist.tally.queries - plain.tally.queries;
    if (threadedWordlist.accuracy.precision < 1 || threadedWordlist.accuracy.recall < 1)
      notes.push(`the ${workers}-thread wordlist scan disagreed with the ground truth: the figure is suspect.`);
    const wordlistQueriesPerSecond = withWordlist.tally.queries / threadedWordlist.seconds;
    const wordlistNamesPerSecond = (orgs * DEFAULT_WORDLIST.length) / threadedWordlist.seconds;
    const threadedOrgsPerSecond = orgs / threaded.seconds;
    const rows: BenchRow[] = [
      {
        what:
          `DNS + e-mail assessment, ${orgs.toLocaleString('en-US')} orgs, no wordlist, as \`vitals scan\` ` +
          `runs it (${workers} threads)`,
        unit: 'orgs/s',
        vitals: threadedOrgsPerSecond,
        other: dig
          ? {
              tool: `dig (same ${plain.recorded.length.toLocaleString('en-US')} queries, ${dig.processes} procs)`,
              value: orgs / dig.seconds,
            }
          : null,
        target: `>= ${TARGET_ORGS_PER_SECOND}`,
        met: threadedOrgsPerSecond >= TARGET_ORGS_PER_SECOND,
      },
      {
        what: `same, on one thread`,
        unit: 'orgs/s',
        vitals: plainOrgsPerSecond,
        other: null,
        target: null,
        met: null,
      },
      {
        what: 'queries/s, no wordlist',
        unit: 'queries/s',
        vitals: plain.tally.queries / plain.seconds,
        other: dig ? { tool: 'dig', value: dig.queriesPerSecond } : null,
        target: null,
        met: null,
      },
      {
        what:
          `DNS + e-mail assessment, ${orgs.toLocaleString('en-US')} orgs, with the default wordlist ` +
          `(published top 5,000 + healthcare: ${DEFAULT_WORDLIST.length.toLocaleString('en-US')} labels), ` +
          `${workers} threads`,
        unit: 'orgs/s',
        vitals: orgs / threadedWordlist.seconds,
        other: null,
        target: null,
        met: null,
      },
      {
        what:
          `wordlist scan: queries/s (${workers} threads; one thread: ` +
          `${Math.round(withWordlist.tally.queries / withWordlist.seconds).toLocaleString('en-US')})`,
        unit: 'queries/s',
        vitals: wordlistQueriesPerSecond,
        other: bestGobuster
          ? {
              tool: `gobuster dns (${bestGobuster.processes} proc x ${bestGobuster.threads} threads)`,
              value: bestGobuster.queriesPerSecond,
            }
          : null,
        target: '>= gobuster',
        met: bestGobuster ? wordlistQueriesPerSecond >= bestGobuster.queriesPerSecond : null,
      },
      {
        what: 'wordlist scan: candidate names/s',
        unit: 'names/s',
        vitals: wordlistNamesPerSecond,
        other: bestGobuster ? { tool: 'gobuster dns', value: bestGobuster.namesPerSecond } : null,
        target: null,
        met: null,
      },
      // Wall-clock figures move with whatever else the machine runs; CPU time much less so.
      {
        what: 'CPU efficiency, no wordlist: queries per CPU second',
        unit: 'queries/CPU-s',
        vitals: plain.tally.queries / plain.scannerCpuSeconds,
        other: dig ? { tool: 'dig', value: dig.cpuSeconds ? dig.queries / dig.cpuSeconds : null } : null,
        target: null,
        met: null,
      },
      {
        what: 'CPU efficiency, wordlist scan: queries per CPU second',
        unit: 'queries/CPU-s',
        vitals: withWordlist.tally.queries / withWordlist.scannerCpuSeconds,
        other: leanestGobuster
          ? {
              tool: `gobuster dns (${leanestGobuster.processes} proc)`,
              value: leanestGobuster.queries / leanestGobuster.cpuSeconds!,
            }
          : null,
        target: null,
        met: null,
      },
    ];
    if (plain.accuracy.recall < 1 || withWordlist.accuracy.precision < 1 || withWordlist.accuracy.recall < 1) {
      notes.push(
        `accuracy against the lab's ground truth: without wordlist precision ` +
          `${plain.accuracy.precision.toFixed(3)} recall ${plain.accuracy.recall.toFixed(3)}; ` +
          `with wordlist precision ${withWordlist.accuracy.precision.toFixed(3)} recall ` +
          `${withWordlist.accuracy.recall.toFixed(3)}.`,
      );
    }
    return {
      name: 'dns',
      rows,
      notes,
      details: {
        machine: { cores },
        lab: {
          orgs,
          startupSeconds: lab.startupSeconds,
          resolver: lab.state.resolver,
          process: 'child (node bin/vitals.js lab serve)',
        },
        scanSettings: {
          concurrency: SCAN_CONCURRENCY,
          timeoutMs: SCAN_TIMEOUT_MS,
          retries: SCAN_RETRIES,
          ctNames: base.ctNames.length,
        },
        withoutWordlist: { ...passDetails(plain, orgs), ...repeatedQueries(plain.recorded) },
        withWordlist: {
          ...passDetails(withWordlist, orgs),
          wordlistLabels: DEFAULT_WORDLIST.length,
          queriesAddedByWordlist: wordlistQueries,
          marginalWordlistQueriesPerSecond: wordlistQueries / Math.max(1e-9, withWordlist.seconds - plain.seconds),
        },
        dig: dig
          ? { version: digVersionText, ...dig, equivalentOrgsPerSecond: orgs / dig.seconds }
          : { skipped: 'dig not installed' },
        gobuster:
          gobuster.length > 0
            ? { version: gobusterVersionText, runs: gobuster }
            : { skipped: 'gobuster not installed' },
      },
    };
  } finally {
    await lab.stop();
  }
}

/** One timed pass of runScan over every target, with a counting (and optionally recording) client. */
async function timedScan(
  targets: ScanTarget[],
  truth: LabTruth,
  lab: LabProcess,
  settings: Omit<ScanSettings, 'client'>,
  record: boolean,
): Promise<ScanPass> {
  const client = createRecordingDnsClient(createDnsClient(), { record });
  try {
    // As `vitals scan` does first; not counted in the timing nor in the recorded queries.
    const probe = createDnsClient();
    await assertResolverReachable(probe, settings.resolver, 2000).finally(() => probe.close());
    const labCpuBefore = processCpuSeconds(lab.state.pid);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const results = await runScan(targets, { ...settings, client });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const labCpuAfter = processCpuSeconds(lab.state.pid);
    const statuses: Record<string, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    return {
      seconds,
      tally: client.tally,
      recorded: client.recorded,
      statuses,
      notAssessed: results.reduce((n, r) => n + r.outcome.notAssessed.length, 0),
      accuracy: accuracyAgainstTruth(results, truth),
      scannerCpuSeconds: (cpu.user + cpu.system) / 1e6,
      labCpuSeconds: labCpuBefore === null || labCpuAfter === null ? null : labCpuAfter - labCpuBefore,
    };
  } finally {
    await client.close();
  }
}

/**
 * One timed pass on worker threads, as `vitals scan` runs a large portfolio (no query recording: each thread has its
 * own client).
 */
async function timedParallelScan(
  targets: ScanTarget[],
  truth: LabTruth,
  settings: Omit<ScanSettings, 'client'>,
  workers: number,
): Promise<{ seconds: number; accuracy: Accuracy }> {
  const client = createDnsClient();
  try {
    const started = performance.now();
    const results = await runScanParallel(targets, { ...settings, client }, workers);
    return { seconds: (performance.now() - started) / 1000, accuracy: accuracyAgainstTruth(results, truth) };
  } finally {
    await client.close();
  }
}

/** Findings compared with the lab's ground truth, as the end-to-end test does (organization | type | host). */
export function accuracyAgainstTruth(results: readonly TargetResult[], truth: LabTruth): Accuracy {
  const expected = new Set(truth.weaknesses.map((w) => `${w.organization} | ${w.type} | ${w.host}`));
  const reported = new Set(
    results.flatMap((r) => r.outcome.findings.map((f) => `${r.target.organization} | ${f.type} | ${f.asset.host}`)),
  );
  const truePositives = [...reported].filter((k) => expected.has(k)).length;
  return {
    expectedFindings: expected.size,
    reportedFindings: reported.size,
    precision: reported.size === 0 ? 0 : truePositives / reported.size,
    recall: expected.size === 0 ? 1 : truePositives / expected.size,
  };
}

/** How many recorded queries asked exactly what an earlier one asked (same server, question and flags), by type. */
export function repeatedQueries(recorded: readonly RecordedQuery[]): {
  distinctQueries: number;
  repeatedByType: Record<string, number>;
} {
  const seen = new Set<string>();
  const repeatedByType: Record<string, number> = {};
  for (const q of recorded) {
    const key =
      `${q.server.address}|${q.server.port}|${q.name.toLowerCase()}|${q.type}|${q.qclass}|` +
      `${q.recursionDesired}|${q.dnssecOk}|${q.checkingDisabled}|${q.tcp}`;
    if (seen.has(key)) repeatedByType[q.type] = (repeatedByType[q.type] ?? 0) + 1;
    else seen.add(key);
  }
  return { distinctQueries: seen.size, repeatedByType };
}

function passDetails(pass: ScanPass, orgs: number): Record<string, unknown> {
  return {
    seconds: pass.seconds,
    orgsPerSecond: orgs / pass.seconds,
    queries: pass.tally.queries,
    axfr: pass.tally.axfr,
    queriesPerSecond: pass.tally.queries / pass.seconds,
    queriesPerOrg: pass.tally.queries / orgs,
    queryFailures: pass.tally.failures,
    statuses: pass.statuses,
    notAssessed: pass.notAssessed,
    accuracy: pass.accuracy,
    scannerCpuSeconds: pass.scannerCpuSeconds,
    // Load-independent bound: one event loop cannot assess more organizations per second than this.
    scannerCpuMsPerOrg: (1000 * pass.scannerCpuSeconds) / orgs,
    orgsPerScannerCpuSecond: orgs / pass.scannerCpuSeconds,
    labCpuSeconds: pass.labCpuSeconds,
  };
}

/** User + system CPU seconds of a process, from /proc/PID/stat (Linux); null elsewhere. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; utime and stime
    // are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / 100 : null;
  } catch {
    return null;
  }
}
