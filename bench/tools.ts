/**
 * Shared helpers for the benchmarks: finding external tools on PATH without running a shell, the
 * loopback guard every external tool's target goes through, and running a child process to completion.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';

/** Absolute path of `name` on PATH, or null when it is not installed. */
export function findExecutable(name: string, path = process.env['PATH'] ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/**
 * Throws unless `address` is an IPv4 literal in 127.0.0.0/8. The benchmarks hand addresses to dig
 * and gobuster; this guard is what keeps every byte they send on loopback (never a name, never the
 * system resolver).
 */
export function assertLoopback(address: string): void {
  if (net.isIPv4(address) && address.startsWith('127.')) return;
  throw new Error(`benchmark safety: ${JSON.stringify(address)} is not an IPv4 loopback address (127.0.0.0/8)`);
}

/** What a finished child process produced. */
export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs `file` with `args` (no shell) and resolves when it exits; `onStdout` sees output as it comes
 * (so large outputs need not be kept: pass keepStdout false). Killed after `timeoutMs`.
 */
export function runChild(
  file: string,
  args: readonly string[],
  options: { timeoutMs: number; keepStdout?: boolean; onStdout?: (chunk: string) => void },
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      options.onStdout?.(chunk);
      if (options.keepStdout !== false && stdout.length < 1_000_000) stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 100_000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Splits `items` into `parts` interleaved slices (round robin), dropping empty ones. */
export function splitRoundRobin<T>(items: readonly T[], parts: number): T[][] {
  const slices: T[][] = Array.from({ length: Math.max(1, parts) }, () => []);
  for (const [i, item] of items.entries()) slices[i % slices.length]!.push(item);
  return slices.filter((s) => s.length > 0);
}

/**
 * User + system CPU seconds of this process's finished (waited-for) children, from /proc/self/stat
 * (cutime and cstime, fields 16 and 17, in USER_HZ ticks of 1/100 s on Linux); null elsewhere. The
 * difference around a run of dig or gobuster is the CPU those tools used, whatever else the machine did.
 */
export function finishedChildrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / 100 : null;
  } catch {
    return null;
  }
}
