/**
 * `vitals darkweb watch run` exit status and counts when deliveries do not go through: failed alerts
 * left in the outbox make the run exit 1, and after a `kill -9` mid-delivery a re-run reports the
 * alert the dead run still holds, and until when, instead of "0 to retry later".
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliInvocation, runCli } from '../../darkweb/ingest/test-support.js';
import { startReceiver, storeDocuments } from '../../darkweb/watch/watch-test-helpers.js';
import type { TestReceiver } from '../../darkweb/watch/watch-test-helpers.js';
import { openStore } from '../../store/database.js';

const SECRET = 'delivery-test-secret-0123456789';
const scratch = mkdtempSync(join(tmpdir(), 'vitals-watch-delivery-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A home with one document and a term watchlist whose webhook is `receiver`. */
async function homeWithWatchlist(name: string, receiver: TestReceiver): Promise<string> {
  const home = join(scratch, name);
  mkdirSync(home);
  const store = await openStore({ home });
  try {
    await storeDocuments(store, [{ id: 'doc-1', text: 'selling RDP access to a clinic' }]);
  } finally {
    await store.close();
  }
  const add = await runCli(
    ['darkweb', 'watch', 'add', '--term', 'RDP', '--name', 'rdp', '--webhook', receiver.url, '--secret', SECRET],
    home,
  );
  assert.equal(add.code, 0, add.stderr);
  return home;
}

test('failed alerts left in the outbox make every run exit 1, with honest counts', async () => {
  const receiver = await startReceiver([], 'fail500');
  try {
    const home = await homeWithWatchlist('failed', receiver);
    const fast = ['--max-attempts', '2', '--backoff', '20', '--backoff-max', '100'];
    const run = await runCli(['darkweb', 'watch', 'run', ...fast], home);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /webhooks: 0 delivered, 1 failed after 2 attempts, 0 to retry later/);
    assert.match(run.stdout, /outbox: 0 pending \(0 leased\), 0 delivered, 1 failed/);
    assert.match(run.stderr, /1 alert\(s\) could not be delivered/);
    const again = await runCli(['darkweb', 'watch', 'run', ...fast], home);
    assert.equal(again.code, 1, 'the failed alert is still in the outbox');
    assert.equal(receiver.receipts.length, 2);
  } finally {
    await receiver.close();
  }
});

test('after kill -9 mid-delivery, a re-run reports the leased alert and when it becomes retryable', async () => {
  const receiver = await startReceiver([], 'hang');
  try {
    const home = await homeWithWatchlist('killed', receiver);
    const { command, args } = cliInvocation();
    const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
    delete env['VITALS_DATABASE_URL'];
    const child = spawn(command, [...args, 'darkweb', 'watch', 'run', '--timeout', '5000'], { env, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    await receiver.waitForRequests(1, 30_000);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await exited;

    const rerun = await runCli(['darkweb', 'watch', 'run', '--timeout', '5000', '--format', 'json'], home);
    assert.equal(rerun.code, 0, rerun.stderr);
    const report = JSON.parse(rerun.stdout) as {
      delivery: { attempts: number };
      outbox: { pending: number; leased: number; leasedUntil: string };
    };
    assert.equal(report.delivery.attempts, 0, 'the dead run still holds the lease');
    assert.equal(report.outbox.pending, 1);
    assert.equal(report.outbox.leased, 1);
    const until = Date.parse(report.outbox.leasedUntil);
    assert.ok(until > killedAt && until <= killedAt + 2 * 5000 + 5000 + 1000, report.outbox.leasedUntil);
    assert.match(rerun.stderr, /1 alert\(s\) are leased by another run \(or one that was killed\) until \d{4}-/);

    const text = await runCli(['darkweb', 'watch', 'run', '--timeout', '5000'], home);
    assert.match(text.stdout, /1 to retry later/);
    assert.doesNotMatch(text.stdout, /0 to retry later/);
  } finally {
    await receiver.close();
  }
});
