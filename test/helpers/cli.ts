/** Test helpers: run the built CLI (dist/) in a child process with a private VITALS_HOME. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VITALS_BIN = fileURLToPath(new URL('../../../bin/vitals.js', import.meta.url));

export interface CliRun {
  code: number | null;
  /** The signal that ended the child, if one did (Ctrl-C tests). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Run under this umask (through `sh`), e.g. 0 to show that modes do not depend on it. */
  umask?: number;
  timeoutMs?: number;
  /** Text for standard input (closed after it; empty by default). */
  stdin?: string;
  /** Called once the child runs, with a way to signal it (Ctrl-C tests). */
  onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void;
}

/** Runs `vitals ...args` asynchronously (servers in the test process keep answering meanwhile). */
export function runVitals(
  args: readonly string[],
  home: string,
  optionsOrTimeoutMs: CliRunOptions | number = {},
): Promise<CliRun> {
  const options = typeof optionsOrTimeoutMs === 'number' ? { timeoutMs: optionsOrTimeoutMs } : optionsOrTimeoutMs;
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
  delete env.VITALS_DATABASE_URL;
  const command = [process.execPath, VITALS_BIN, ...args];
  const child =
    options.umask === undefined
      ? spawn(command[0]!, command.slice(1), { env })
      : spawn('sh', ['-c', `umask ${options.umask.toString(8)} && exec "$@"`, 'sh', ...command], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(options.stdin ?? '');
  options.onSpawn?.((signal) => child.kill(signal));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Temporary homes, removed by `removeTempHomes` (call it in `after`). */
const homes: string[] = [];

export function tempHome(prefix = 'vitals-test-'): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  homes.push(home);
  return home;
}

export function removeTempHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
}
