/**
 * Starts the lab in a child process (`node bin/vitals.js lab serve`), as `vitals lab up` does, so the
 * lab's DNS server and the scanner under measurement never share one event loop. Start-up is timed
 * from spawn until the lab's state.json appears (the lab writes it once every address is bound).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { LabState } from '../src/lab/lab-runner.js';

/** A lab running in a child process. */
export interface LabProcess {
  state: LabState;
  home: string;
  /** Seconds from spawn until state.json was written. */
  startupSeconds: number;
  /** Stops the child (SIGTERM, then SIGKILL after 10 s) and removes its home folder. */
  stop(): Promise<void>;
}

/** The repository root: the nearest folder above this module with package.json (works from bench/ and dist/bench/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'vitals.js'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the repository root (package.json and bin/vitals.js) above the bench module');
}

/** A random high port, so benchmark labs do not collide with test labs on the same machine. */
export function randomHighPort(): number {
  return 20000 + Math.floor(Math.random() * 30000);
}

const STARTUP_LIMIT_MS = 180_000;
const POLL_MS = 5;

/** Starts a lab of `orgs` organizations in a child process; retries on another port if one is taken. */
export async function startLabProcess(orgs: number, seed = 1): Promise<LabProcess> {
  const bin = join(repoRoot(), 'bin', 'vitals.js');
  if (!existsSync(join(repoRoot(), 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('the CLI is not built (dist/src/cli/main.js is missing): run `npm run build` first');
  }
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const home = mkdtempSync(join(tmpdir(), 'vitals-bench-lab-'));
    const port = randomHighPort();
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [bin, 'lab', 'serve', '--home', home, '--orgs', String(orgs), '--seed', String(seed), '--dns-port', String(port)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < 20_000) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const stateFile = join(home, 'lab', 'state.json');
    const state = await waitForState(child, stateFile);
    if (state) {
      const startupSeconds = (performance.now() - started) / 1000;
      return { state, home, startupSeconds, stop: () => stopChild(child, home) };
    }
    await stopChild(child, home);
    lastError = output.trim().split('\n').slice(-10).join('\n');
    if (!/EADDRINUSE/.test(output)) break;
  }
  throw new Error(`the lab did not start (${orgs} organizations): ${lastError}`);
}

/** Polls for the child's state.json; null if the child exits first or the limit passes. */
async function waitForState(child: ChildProcess, stateFile: string): Promise<LabState | null> {
  const deadline = performance.now() + STARTUP_LIMIT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return null;
    if (existsSync(stateFile)) {
      try {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as LabState;
        if (state.pid === child.pid) return state;
      } catch {
        // written atomically by the lab; a parse error means another writer, so keep polling
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return null;
}

async function stopChild(child: ChildProcess, home: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(home, { recursive: true, force: true });
}
