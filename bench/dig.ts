/**
 * Replays recorded scanner queries with ISC `dig` (bind9-dnsutils) in batch mode, several processes
 * in parallel, and times how long dig needs to get the same answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RecordedQuery } from './recording-client.js';
import { assertLoopback, finishedChildrenCpuSeconds, runChild, splitRoundRobin } from './tools.js';

/** What one dig replay measured. */
export interface DigReplayResult {
  processes: number;
  queries: number;
  seconds: number;
  queriesPerSecond: number;
  /** Replies dig printed a header for (any rcode), and queries it gave up on. */
  answered: number;
  failed: number;
  rcodes: Record<string, number>;
  /** dig processes that exited with an error status (dig exits 9 when a server did not answer). */
  failedProcesses: number;
  /** CPU seconds the dig processes used together (null where /proc is missing). */
  cpuSeconds: number | null;
}

/** Options every dig process gets: one try, 2 s per try, print the header line and the answer only. */
export const DIG_COMMON_OPTIONS = ['+tries=1', '+time=2', '+noall', '+answer', '+comments'] as const;

/**
 * One line of a `dig -f` batch file reproducing `query`: explicit server and port, name, class, type,
 * and the flags the scanner used (RD cleared for direct questions to name servers, DO and CD for
 * DNSSEC, TCP when asked). Throws for a server outside 127.0.0.0/8.
 */
export function digBatchLine(query: RecordedQuery): string {
  assertLoopback(query.server.address);
  if (!/^[a-z0-9._-]+$/i.test(query.name))
    throw new Error(`unexpected characters in query name ${JSON.stringify(query.name)}`);
  const name = query.name.endsWith('.') ? query.name : `${query.name}.`;
  const parts = [`@${query.server.address}`, '-p', String(query.server.port), name];
  if (query.qclass !== 'IN') parts.push(query.qclass);
  parts.push(query.type);
  if (!query.recursionDesired) parts.push('+norecurse');
  if (query.dnssecOk) parts.push('+dnssec');
  if (query.checkingDisabled) parts.push('+cdflag');
  if (query.tcp && query.type !== 'AXFR') parts.push('+tcp');
  return parts.join(' ');
}

/** Counts what dig printed: one `->>HEADER<<-` line per reply, one "no servers could be reached" per give-up. */
export class DigOutputTally {
  answered = 0;
  failed = 0;
  readonly rcodes: Record<string, number> = {};
  private carry = '';

  push(chunk: string): void {
    const text = this.carry + chunk;
    const lines = text.split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.carry !== '') this.line(this.carry);
    this.carry = '';
  }

  private line(line: string): void {
    const header = /->>HEADER<<- opcode: \w+, status: (\w+)/.exec(line);
    if (header) {
      this.answered += 1;
      const rcode = header[1]!;
      this.rcodes[rcode] = (this.rcodes[rcode] ?? 0) + 1;
    } else if (line.includes('no servers could be reached')) {
      this.failed += 1;
    }
  }
}

/**
 * Replays `queries` with `processes` dig processes in parallel (each `dig -f` works through its batch
 * file one query at a time). `defaultServer` is also given on the command line so dig never falls back
 * to /etc/resolv.conf.
 */
export async function replayWithDig(
  digPath: string,
  queries: readonly RecordedQuery[],
  defaultServer: { address: string; port: number },
  processes: number,
): Promise<DigReplayResult> {
  assertLoopback(defaultServer.address);
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-dig-'));
  try {
    const files = splitRoundRobin(queries, processes).map((slice, i) => {
      const file = join(dir, `batch-${i}.txt`);
      writeFileSync(file, `${slice.map(digBatchLine).join('\n')}\n`);
      return file;
    });
    const tally = new DigOutputTally();
    // Generous bound: a query costs dig at most 2 s (+time=2, +tries=1); a stuck process is killed.
    const timeoutMs = 600_000;
    const cpuBefore = finishedChildrenCpuSeconds();
    const started = performance.now();
    const outcomes = await Promise.all(
      files.map((file) =>
        runChild(
          digPath,
          ['-f', file, `@${defaultServer.address}`, '-p', String(defaultServer.port), ...DIG_COMMON_OPTIONS],
          { timeoutMs, keepStdout: false, onStdout: (chunk) => tally.push(chunk) },
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = finishedChildrenCpuSeconds();
    tally.end();
    return {
      processes: files.length,
      queries: queries.length,
      seconds,
      queriesPerSecond: queries.length / seconds,
      answered: tally.answered,
      failed: tally.failed,
      rcodes: tally.rcodes,
      failedProcesses: outcomes.filter((o) => o.code !== 0 || o.timedOut).length,
      cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** dig's version line (`DiG 9.18...`), or null. */
export async function digVersion(digPath: string): Promise<string | null> {
  const outcome = await runChild(digPath, ['-v'], { timeoutMs: 10_000 });
  const text = `${outcome.stdout}${outcome.stderr}`.trim();
  return text === '' ? null : text.split('\n')[0]!;
}
