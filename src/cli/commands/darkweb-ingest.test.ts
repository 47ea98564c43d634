/**
 * `vitals darkweb ingest` as a user meets it: records that were not stored make the run fail (exit 1)
 * with each bad line named and a summary; JSON lines in a file without a .jsonl extension (`split`
 * output) are read as JSONL, not as one paste.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../darkweb/ingest/test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'vitals-ingest-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const line = (id: string, text: string) => JSON.stringify({ id, source: 'forum.onion', source_type: 'forum', text });

test('bad JSONL lines are named and make the run exit 1 with a summary; the good lines are stored', async () => {
  const home = join(scratch, 'bad-lines');
  mkdirSync(home);
  const file = join(home, 'docs.jsonl');
  writeFileSync(
    file,
    [
      line('a', 'selling access to a clinic network'),
      '{"id": "b", "source": broken',
      line('c', 'another post about ransomware'),
      JSON.stringify({ id: 'd', source: 'x', source_type: 'blog', text: 'bad type' }),
    ].join('\n'),
  );
  const run = await runCli(['darkweb', 'ingest', file, '--no-findings', '--format', 'json'], home);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /docs\.jsonl:2: invalid JSON/);
  assert.match(run.stderr, /docs\.jsonl:4: source_type must be one of/);
  assert.match(run.stderr, /ingest incomplete: 2 of 4 records not stored/);
  const summary = JSON.parse(run.stdout) as { documents: { new: number; rejected: number } };
  assert.deepEqual([summary.documents.new, summary.documents.rejected], [2, 2]);

  const clean = join(home, 'clean.jsonl');
  writeFileSync(clean, `${line('e', 'a clean file of one post')}\n`);
  assert.equal((await runCli(['darkweb', 'ingest', clean, '--no-findings'], home)).code, 0);
});

test('JSON lines without a .jsonl extension (split output) are ingested as JSONL, also from a folder', async () => {
  const home = join(scratch, 'split');
  const parts = join(home, 'parts');
  mkdirSync(parts, { recursive: true });
  writeFileSync(join(parts, 'xaa'), `${line('s1', 'first post of the dump')}\n${line('s2', 'second post')}\n`);
  writeFileSync(join(parts, 'xab'), `${line('s3', 'third post of the dump')}\n`);
  writeFileSync(join(parts, 'README'), 'not a dump, skipped in a folder\n');
  const named = await runCli(['darkweb', 'ingest', join(parts, 'xaa'), '--no-findings', '--format', 'json'], home);
  assert.equal(named.code, 0, named.stderr);
  assert.equal((JSON.parse(named.stdout) as { documents: { new: number } }).documents.new, 2);
  const folder = await runCli(['darkweb', 'ingest', parts, '--no-findings', '--format', 'json'], home);
  assert.equal(folder.code, 0, folder.stderr);
  const summary = JSON.parse(folder.stdout) as { documents: { new: number }; skipped_files: string[] };
  assert.equal(summary.documents.new, 1, 'xab is new; xaa was ingested already');
  assert.deepEqual(
    summary.skipped_files.map((f) => f.split('/').pop()),
    ['README'],
  );
  const docs = await runCli(['darkweb', 'search', 'post', '--format', 'json', '--limit', '10'], home);
  assert.deepEqual((JSON.parse(docs.stdout) as { doc_id: string }[]).map((d) => d.doc_id).sort(), ['s1', 's2', 's3']);
});
