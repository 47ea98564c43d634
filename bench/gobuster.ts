/**
 * Runs `gobuster dns` (Debian package gobuster, 3.x) over the scanner's wordlist for a sample of lab
 * domains, always with an explicit loopback resolver, and times it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assertLoopback, finishedChildrenCpuSeconds, runChild, splitRoundRobin } from './tools.js';

/** What one gobuster measurement found. */
export interface GobusterResult {
  /** Parallel gobuster processes (each works through its share of the domains one after another). */
  processes: number;
  threads: number;
  domains: number;
  words: number;
  seconds: number;
  /**
   * Queries gobuster must send: with a custom resolver it looks every candidate up with Go's
   * resolver, which asks A and AAAA for each name (2 per word), plus the A and AAAA of its random
   * wildcard-test name per domain.
   */
  queries: number;
  queriesPerSecond: number;
  namesPerSecond: number;
  /** "Found:" lines gobuster printed, over all domains. */
  found: number;
  /** Runs that exited with an error status or were killed. */
  failedRuns: number;
  errors: string[];
  /** CPU seconds the gobuster processes used together (null where /proc is missing). */
  cpuSeconds: number | null;
}

/** The command line for one domain (exported for the test). */
export function gobusterArgs(
  domain: string,
  wordlistFile: string,
  resolver: { address: string; port: number },
  threads: number,
): string[] {
  assertLoopback(resolver.address);
  return [
    'dns',
    '--domain',
    domain,
    '--wordlist',
    wordlistFile,
    // gobuster 3.x syntax: "server:port". With it, every look-up goes to this server only.
    '--resolver',
    `${resolver.address}:${resolver.port}`,
    '--threads',
    String(threads),
    '--timeout',
    '2s',
    // Some lab domains have a wildcard (dns.wildcard): gobuster stops there unless forced.
    '--wildcard',
    '--quiet',
    '--no-progress',
    '--no-color',
  ];
}

/** Runs gobuster for every domain, `processes` at a time. */
export async function runGobuster(
  gobusterPath: string,
  domains: readonly string[],
  words: readonly string[],
  resolver: { address: string; port: number },
  options: { processes: number; threads: number },
): Promise<GobusterResult> {
  assertLoopback(resolver.address);
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-gobuster-'));
  try {
    const wordlistFile = join(dir, 'wordlist.txt');
    writeFileSync(wordlistFile, `${words.join('\n')}\n`);
    let found = 0;
    let failedRuns = 0;
    const errors: string[] = [];
    const streams = splitRoundRobin(domains, options.processes);
    const cpuBefore = finishedChildrenCpuSeconds();
    const started = performance.now();
    await Promise.all(
      streams.map(async (stream) => {
        for (const domain of stream) {
          const outcome = await runChild(gobusterPath, gobusterArgs(domain, wordlistFile, resolver, options.threads), {
            timeoutMs: 300_000,
          });
          found += outcome.stdout.split('\n').filter((line) => line.includes('Found: ')).length;
          if (outcome.code !== 0 || outcome.timedOut) {
            failedRuns += 1;
            if (errors.length < 5)
              errors.push(`${domain}: exit ${outcome.code ?? outcome.signal}: ${outcome.stderr.trim().slice(0, 300)}`);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = finishedChildrenCpuSeconds();
    const queries = domains.length * (2 * words.length + 2);
    return {
      processes: streams.length,
      threads: options.threads,
      domains: domains.length,
      words: words.length,
      seconds,
      queries,
      queriesPerSecond: queries / seconds,
      namesPerSecond: (domains.length * words.length) / seconds,
      found,
      failedRuns,
      errors,
      cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** gobuster's version (`gobuster version`), or null. */
export async function gobusterVersion(gobusterPath: string): Promise<string | null> {
  const outcome = await runChild(gobusterPath, ['version'], { timeoutMs: 10_000 });
  const text = outcome.stdout.trim();
  return text === '' ? null : text.split('\n')[0]!;
}
