/** `vitals darkweb ingest` and `vitals darkweb mentions` as a user runs them, in child processes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../darkweb/ingest/test-support.js';

test('mentions --format json: one object per (document, organization) with the input doc id', {
  timeout: 180_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-mentions-'));
  const home = join(dir, 'home');
  writeFileSync(
    join(dir, 'orgs.csv'),
    'name,domains,sector,telehealth,aliases,tags\nNorthwind Family ' +
      'Clinic,northwind-clinic.test,clinic,false,Northwind,\nContoso General ' +
      'Hospital,contoso-general.test,hospital,true,Summit,\n',
  );
  const docs = [
    {
      id: 'v-1',
      source: 'lockbit',
      source_type: 'leak_site',
      posted_at: '2025-05-01T00:00:00Z',
      title: 'Northwind Family Clinic',
      text: 'Northwind Family Clinic: all data will be published in 2 days left, 120 GB. Contact us.',
    },
    {
      id: 'm-2',
      source: 'market',
      source_type: 'market',
      posted_at: '2025-05-03T00:00:00Z',
      text:
        'Selling RDP access with domain admin to Contoso General Hospital (contoso-general.test), price ' +
        '3000 USD, escrow ok.',
    },
    {
      id: 'c-3',
      source: 'tg',
      source_type: 'chat',
      posted_at: '2025-04-01T00:00:00Z',
      text: 'Northwind Family Clinic and Contoso General Hospital both closed early for the holiday, weird.',
    },
    {
      id: 'n-4',
      source: 'forum',
      source_type: 'forum',
      posted_at: '2025-05-04T00:00:00Z',
      text: 'We reached the summit at dawn after a long night; nothing else to report.',
    },
  ];
  writeFileSync(join(dir, 'docs.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n'));

  assert.equal((await runCli(['orgs', 'import', join(dir, 'orgs.csv')], home)).code, 0);
  const ingest = await runCli(['darkweb', 'ingest', join(dir, 'docs.jsonl')], home);
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.match(ingest.stdout, /documents: 4 read, 4 new, 0 duplicates/);
  assert.match(ingest.stdout, /dark-web findings: \d+ open/);

  const json = await runCli(['darkweb', 'mentions', '--format', 'json'], home);
  assert.equal(json.code, 0, json.stderr);
  const mentions = JSON.parse(json.stdout) as Record<string, unknown>[];
  const pairs = mentions.map((m) => `${String(m['doc_id'])} ${String(m['org'])} ${String(m['class'])}`).sort();
  assert.deepEqual(pairs, [
    'c-3 Contoso General Hospital chatter',
    'c-3 Northwind Family Clinic chatter',
    'm-2 Contoso General Hospital access_for_sale',
    'v-1 Northwind Family Clinic ransomware_listing',
  ]);
  for (const m of mentions) {
    for (const key of ['doc_id', 'org', 'class', 'confidence', 'source_type', 'snippet'])
      assert.ok(key in m, `${key} present`);
    assert.equal(typeof m['confidence'], 'number');
    assert.ok((m['confidence'] as number) > 0 && (m['confidence'] as number) <= 1);
    assert.match(String(m['snippet']), /Northwind|Contoso/i);
  }
  assert.equal(mentions.find((m) => m['doc_id'] === 'm-2')?.['source_type'], 'market');

  const filtered = await runCli(
    ['darkweb', 'mentions', '--org', 'Northwind', '--since', '2025-04-15', '--format', 'jsonl'],
    home,
  );
  assert.equal(filtered.code, 0, filtered.stderr);
  const lines = filtered.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    lines.map((l) => l['doc_id']),
    ['v-1'],
  );

  const byClass = await runCli(['darkweb', 'mentions', '--class', 'access_for_sale', '--format', 'json'], home);
  assert.deepEqual(
    (JSON.parse(byClass.stdout) as Record<string, unknown>[]).map((m) => m['doc_id']),
    ['m-2'],
  );

  const table = await runCli(['darkweb', 'mentions'], home);
  assert.match(table.stdout, /4 mentions/);

  const badDate = await runCli(['darkweb', 'mentions', '--since', 'last tuesday'], home);
  assert.equal(badDate.code, 2);
  assert.match(badDate.stderr, /--since must be an ISO-8601 date/);
  const badOrg = await runCli(['darkweb', 'mentions', '--org', 'Nobody'], home);
  assert.equal(badOrg.code, 2);
  const missing = await runCli(['darkweb', 'ingest', join(dir, 'nope.jsonl')], home);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
});
