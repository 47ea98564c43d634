/** Runs the built CLI (dist/) in a child process with a private VITALS_HOME, without blocking this process. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/vitals.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runVitals(args: readonly string[], home: string, timeoutMs = 60_000): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
  delete env.VITALS_DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
