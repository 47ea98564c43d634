/**
 * `vitals darkweb search` as a user meets it: a child process over a store with a few documents,
 * table and JSON output, and one clear line with a caret for a malformed query.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, SqliteDialect } from 'kysely';
import { openStore } from '../../store/database.js';
import type { StoreSchema } from '../../store/schema.js';
import { openSqliteDatabase } from '../../store/sqlite-connection.js';

// Compiled, the CLI is main.js beside this file's folder; from the sources it is main.ts run through tsx.
const compiled = fileURLToPath(new URL('../main.js', import.meta.url));
const MAIN_ARGS = existsSync(compiled)
  ? [compiled]
  : ['--import', 'tsx', fileURLToPath(new URL('../main.ts', import.meta.url))];

let home: string;

function vitals(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home, NO_COLOR: '1' };
  delete env['VITALS_DATABASE_URL'];
  const r = spawnSync(process.execPath, [...MAIN_ARGS, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'vitals-search-cli-'));
  const store = await openStore({ home });
  await store.organizations.upsert({
    name: 'Northwind Family Clinic',
    sector: 'clinic',
    domains: ['northwind-clinic.example'],
    telehealth: false,
  });
  const org = await store.organizations.getByName('Northwind Family Clinic');
  const raw = new Kysely<StoreSchema>({
    dialect: new SqliteDialect({ database: openSqliteDatabase(store.location, 5000) }),
  });
  const base = {
    source: 'test',
    url: null,
    author: null,
    ingested_at: '2026-04-01T00:00:00.000Z',
    language: 'en',
    simhash: '0',
    class_score: 0.5,
  };
  await raw
    .insertInto('darkweb_documents')
    .values([
      {
        ...base,
        id: 'leak-1',
        seq: 1,
        source_type: 'leak_site',
        title: 'Ransomware victim: Northwind Family Clinic',
        posted_at: '2026-01-15T09:30:00.000Z',
        content_hash: 'h1',
        near_dup_group: 'leak-1',
        class: 'ransomware_listing',
        text: 'Northwind Family Clinic did not pay. Ransomware attack completed.\u001b[31m',
      },
      {
        ...base,
        id: 'forum-1',
        seq: 2,
        source_type: 'forum',
        title: 'chatter',
        posted_at: '2026-02-01T00:00:00.000Z',
        content_hash: 'h2',
        near_dup_group: 'forum-1',
        class: 'chatter',
        text: 'ransomware is everywhere this year',
      },
      {
        ...base,
        id: 'forum-2',
        seq: 3,
        source_type: 'forum',
        title: null,
        posted_at: null,
        content_hash: 'h3',
        near_dup_group: 'forum-2',
        class: 'chatter',
        text: 'nothing to see here',
      },
    ])
    .execute();
  await raw
    .insertInto('darkweb_mentions')
    .values({
      id: 'm1',
      document_id: 'leak-1',
      organization_id: org!.id,
      class: 'ransomware_listing',
      confidence: 0.9,
      via: 'name',
      matched: 'Northwind Family Clinic',
      snippet: '',
      posted_at: null,
      created_at: '2026-04-01T00:00:00.000Z',
    })
    .execute();
  await raw.destroy();
  await store.close();
});

after(() => rmSync(home, { recursive: true, force: true }));

test('table output: ranked hits with highlighted snippets, organizations, and no raw escapes', () => {
  const r = vitals('darkweb', 'search', 'ransomware', 'clinic');
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(
      String.raw`^1\. \S+ {2}leak-1 {2}leak_site {2}2026-01-15 {2}ransomware_listing {2}` +
        String.raw`Ransomware victim: Northwind Family Clinic$`,
      'm',
    ),
  );
  assert.match(r.stdout, /orgs: Northwind Family Clinic/);
  assert.match(r.stdout, /\[Ransomware\] attack/);
  assert.ok(!r.stdout.includes('\u001b'), 'an escape sequence from a document reached the terminal');
  assert.match(r.stdout, /1 result, ranked by relevance/);
});

test('JSON output: one object per hit with the documented keys', () => {
  const r = vitals('darkweb', 'search', 'ransomware', '--format', 'json', '--limit', '5');
  assert.equal(r.code, 0, r.stderr);
  const hits = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(hits.map((h) => h['doc_id']).sort(), ['forum-1', 'leak-1']);
  assert.deepEqual(Object.keys(hits[0]!).sort(), [
    'class',
    'doc_id',
    'orgs',
    'posted_at',
    'score',
    'snippet',
    'source',
    'source_type',
    'title',
    'url',
  ]);
  const leak = hits.find((h) => h['doc_id'] === 'leak-1')!;
  assert.deepEqual(leak['orgs'], ['Northwind Family Clinic']);
  assert.equal(typeof leak['score'], 'number');
  const lines = vitals('darkweb', 'search', 'source_type:forum', '--format', 'jsonl').stdout.trim().split('\n');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { doc_id: string }).doc_id),
    ['forum-1', 'forum-2'],
  );
});

test('a malformed query fails with exit code 2, the position and a caret', () => {
  const r = vitals('darkweb', 'search', '(ransomware AND clinic');
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    "vitals: search: expected ')' at position 22\n  (ransomware AND clinic\n                        ^\n",
  );
  assert.match(vitals('darkweb', 'search', 'x', '--limit', '0').stderr, /--limit must be between 1 and 1000/);
});

test('a query may start with a NOT term: as words, as one quoted argument, or after --', () => {
  const ids = (r: { code: number | null; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { doc_id: string }[]).map((h) => h.doc_id);
  };
  assert.deepEqual(ids(vitals('darkweb', 'search', '-clinic', 'ransomware', '--format', 'json')), ['forum-1']);
  assert.deepEqual(ids(vitals('darkweb', 'search', '-clinic ransomware', '--format', 'json')), ['forum-1']);
  assert.deepEqual(ids(vitals('darkweb', 'search', '--format', 'json', '--', '-clinic', 'ransomware')), ['forum-1']);
  assert.deepEqual(ids(vitals('darkweb', 'search', 'ransomware', '-clinic', '--limit', '5', '--format=json')), [
    'forum-1',
  ]);
  const typo = vitals('darkweb', 'search', '--limt', '5', 'ransomware');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown option '--limt'/);
  assert.match(vitals('darkweb', 'search', '--help').stdout, /may start with a NOT term/);
});
