/**
 * Test support for the dark-web tests: a long forum post, and running the CLI with a private home.
 * (Scratch stores on every dialect: src/store/test-dialects.ts.)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A fixed credential HMAC key for tests that analyze documents (64 hex characters, as the key file holds). */
export const TEST_CREDENTIAL_KEY = '5e'.repeat(32);

/** A forum post of ~150 words: long enough for SimHash to be stable under a one-word edit. */
export const LONG_POST = [
  'Selling full database of Northwind Family Clinic patients, 120k records with names, dates of birth,',
  'insurance ids and diagnosis codes. Escrow accepted, price 2 BTC, contact on the usual jabber, serious buyers only.',
  'The dump was pulled last week from an exposed reporting server that nobody patched since the migration.',
  'Fields include first and last name, street address, phone, email, primary care physician, visit dates,',
  'billing codes, payer and member number, plus scanned referral letters for about a third of the patients.',
  'I will not sell to more than three buyers and the price goes up after the first sale, so be quick.',
  'Proof of access available on request, partial sample of one thousand rows posted in the thread below.',
].join(' ');

/** How to run the `vitals` CLI from a test: the TypeScript source under tsx, or the compiled dist/ file. */
export function cliInvocation(): { command: string; args: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(`../../cli/main.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return { command: process.execPath, args: fromSource ? ['--import', 'tsx', main] : [main] };
}

/** Run the CLI to completion with a private home (never the user's database). */
export function runCli(
  args: string[],
  home: string,
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { command, args: prefix } = cliInvocation();
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
  delete env['VITALS_DATABASE_URL'];
  return new Promise((resolvePromise) => {
    const child = spawn(command, [...prefix, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
