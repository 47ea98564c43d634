/**
 * `vitals darkweb watch` as a user meets it: child processes over a SQLite store, a real webhook
 * receiver on 127.0.0.1, and two `watch run`s at once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../store/database.js';
import { startReceiver, storeDocuments } from '../../darkweb/watch/watch-test-helpers.js';
import type { TestReceiver } from '../../darkweb/watch/watch-test-helpers.js';
import { WebhookAlertOutput } from '../../output/schemas.js';

// Compiled, the CLI is main.js beside this file's folder; from the sources it is main.ts run through tsx.
const compiled = fileURLToPath(new URL('../main.js', import.meta.url));
const MAIN_ARGS = existsSync(compiled)
  ? [compiled]
  : ['--import', 'tsx', fileURLToPath(new URL('../main.ts', import.meta.url))];
const SECRET = 'cli-test-secret-0123456789abcdef';

let home: string;
let receiver: TestReceiver;

/** Async: the webhook receiver lives in this process, so a blocking spawn would starve it. */
function vitals(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home, NO_COLOR: '1' };
  delete env['VITALS_DATABASE_URL'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...MAIN_ARGS, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'vitals-watch-cli-'));
  receiver = await startReceiver();
  const store = await openStore({ home });
  try {
    await store.organizations.upsert({
      name: 'Northwind Family Clinic',
      sector: 'clinic',
      domains: ['northwind-clinic.example'],
      telehealth: false,
    });
    await storeDocuments(store, [
      {
        id: 'leak-1',
        sourceType: 'leak_site',
        title: 'Victim: Northwind Family Clinic',
        text: 'Northwind Family Clinic did not pay. 300GB of patient files.',
      },
      { id: 'forum-1', text: 'selling citrix VPN access to a clinic, DM me' },
      { id: 'forum-2', text: 'nothing to see here' },
      { id: 'redos', text: `${'a'.repeat(5000)}!` },
      ...Array.from({ length: 30 }, (_, i) => ({
        id: `bulk-${i}`,
        text: i % 2 === 0 ? `bulk vpn post ${i}` : `bulk post ${i}`,
      })),
    ]);
  } finally {
    await store.close();
  }
});

after(async () => {
  await receiver.close();
  rmSync(home, { recursive: true, force: true });
});

test('watch add refuses bad input with one clear line and stores nothing', async () => {
  const cases: [string[], RegExp][] = [
    [['--regex', '(a)\\1'], /not accepted.*RE2/],
    [['--regex', '(?<=x)y'], /not accepted/],
    [['--term', 'x', '--regex', 'y'], /exactly one of/],
    [['--term', 'vpn', '--webhook', 'ftp://127.0.0.1/x'], /http or https/],
    [['--term', 'vpn', '--webhook', 'http://127.0.0.1/', '--secret', 'short'], /at least 16/],
    [['--org', 'Unknown Org'], /no organization named/],
  ];
  for (const [args, message] of cases) {
    const r = await vitals('darkweb', 'watch', 'add', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const list = await vitals('darkweb', 'watch', 'list', '--format', 'json');
  assert.deepEqual(JSON.parse(list.stdout), []);
});

test('a catastrophic regex is accepted (RE2) and the run finishes quickly on aaaa…!', async () => {
  const add = await vitals('darkweb', 'watch', 'add', '--regex', '(a+)+$', '--name', 'redos');
  assert.equal(add.code, 0, add.stderr);
  const started = Date.now();
  const run = await vitals('darkweb', 'watch', 'run', '--watchlist', 'redos', '--format', 'json');
  assert.equal(run.code, 0, run.stderr);
  assert.ok(Date.now() - started < 30_000);
  const result = JSON.parse(run.stdout) as { watchlists: { name: string; new_alerts: number; documents: number }[] };
  assert.equal(result.watchlists[0]?.documents, 34);
  assert.equal(result.watchlists[0]?.new_alerts, 0);
  assert.equal((await vitals('darkweb', 'watch', 'remove', 'redos')).code, 0);
});

test(
  'term watchlist with a webhook: delivered through a 500 and a dropped connection, signed, never ' + 'twice',
  async () => {
    const add = await vitals(
      'darkweb',
      'watch',
      'add',
      '--term',
      'Northwind Family Clinic',
      '--name',
      'northwind',
      '--webhook',
      receiver.url,
      '--secret',
      SECRET,
    );
    assert.equal(add.code, 0, add.stderr);
    assert.doesNotMatch(add.stdout, /signing secret/);
    receiver.script.push('fail500', 'drop', 'ok');

    const run = await vitals(
      'darkweb',
      'watch',
      'run',
      '--watchlist',
      'northwind',
      '--backoff',
      '20',
      '--backoff-max',
      '100',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /webhooks: 1 delivered, 0 failed/);
    assert.equal(receiver.receipts.length, 3);
    for (const receipt of receiver.receipts) {
      const timestamp = String(receipt.headers['x-vitals-timestamp']);
      const mac = createHmac('sha256', SECRET).update(`${timestamp}.`).update(receipt.body).digest('hex');
      const expected = `sha256=${mac}`;
      assert.equal(receipt.headers['x-vitals-signature'], expected);
    }
    // Every body a receiver got holds to the documented webhook shape.
    for (const receipt of receiver.receipts) WebhookAlertOutput.parse(JSON.parse(receipt.body.toString()));
    const payload = WebhookAlertOutput.parse(JSON.parse(receiver.receipts[2]?.body.toString() ?? '{}'));
    assert.equal(payload.document.doc_id, 'leak-1');
    assert.equal(payload.document.source_type, 'leak_site');
    assert.equal(payload.watchlist, 'northwind');
    assert.equal(payload.matched, 'Northwind Family Clinic');

    const alerts = await vitals('darkweb', 'watch', 'alerts', '--watchlist', 'northwind', '--format', 'json');
    const rows = JSON.parse(alerts.stdout) as {
      alert_id: string;
      doc_id: string;
      delivered_at: string | null;
      delivery: { status: string; attempts: number };
    }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.doc_id, 'leak-1');
    assert.equal(rows[0]?.delivery.status, 'delivered');
    assert.ok(rows[0]?.delivered_at);
    assert.equal(receiver.receipts[0]?.alertId, rows[0]?.alert_id);

    const again = await vitals('darkweb', 'watch', 'run', '--format', 'json');
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse(again.stdout) as { watchlists: { new_alerts: number }[]; delivery: { attempts: number } };
    assert.deepEqual(
      second.watchlists.map((w) => w.new_alerts),
      [0],
    );
    assert.equal(second.delivery.attempts, 0);
    assert.equal(receiver.receipts.length, 3);
  },
);

test('a generated secret is shown once and never listed', async () => {
  const add = await vitals('darkweb', 'watch', 'add', '--org', 'northwind family clinic', '--webhook', receiver.url);
  assert.equal(add.code, 0, add.stderr);
  const secret = /signing secret[^:]*: ([0-9a-f]{64})/.exec(add.stdout)?.[1];
  assert.ok(secret, add.stdout);
  const list = await vitals('darkweb', 'watch', 'list', '--format', 'json');
  assert.doesNotMatch(list.stdout, new RegExp(secret));
  const names = (JSON.parse(list.stdout) as { name: string; kind: string }[]).map((w) => [w.name, w.kind]);
  assert.deepEqual(names, [
    ['northwind', 'term'],
    ['org:Northwind Family Clinic', 'organization'],
  ]);
  assert.equal((await vitals('darkweb', 'watch', 'remove', 'org:Northwind Family Clinic')).code, 0);
  const missing = await vitals('darkweb', 'watch', 'remove', 'org:Northwind Family Clinic');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no watchlist named/);
});

test('two `watch run` processes at once create each alert exactly once', async () => {
  assert.equal((await vitals('darkweb', 'watch', 'add', '--term', 'vpn', '--name', 'vpn')).code, 0);
  const [a, b] = await Promise.all([
    vitals('darkweb', 'watch', 'run', '--watchlist', 'vpn', '--batch-size', '1', '--format', 'json'),
    vitals('darkweb', 'watch', 'run', '--watchlist', 'vpn', '--batch-size', '1', '--format', 'json'),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const created = [a, b].map(
    (r) => (JSON.parse(r.stdout) as { watchlists: { new_alerts: number; error: string | null }[] }).watchlists[0],
  );
  for (const c of created) assert.equal(c?.error, null);
  // forum-1 and bulk-0, bulk-2 ... bulk-28.
  assert.equal((created[0]?.new_alerts ?? 0) + (created[1]?.new_alerts ?? 0), 16);
  const alerts = JSON.parse(
    (await vitals('darkweb', 'watch', 'alerts', '--watchlist', 'vpn', '--format', 'json')).stdout,
  ) as { doc_id: string; delivery: unknown }[];
  assert.equal(alerts.length, 16);
  assert.equal(new Set(alerts.map((x) => x.doc_id)).size, 16);
  assert.ok(alerts.every((x) => x.delivery === null));
  const table = await vitals('darkweb', 'watch', 'alerts', '--status', 'not_sent', '--limit', '3');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /3 alerts/);
});
