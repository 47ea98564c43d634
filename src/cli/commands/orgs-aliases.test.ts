/** `vitals orgs import` judges aliases (with the import-file overrides) and `vitals orgs aliases` shows them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../darkweb/ingest/test-support.js';

test('orgs import judges every alias; orgs aliases lists judgement, reason and corpus counts', {
  timeout: 180_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-aliases-'));
  const home = join(dir, 'home');
  writeFileSync(
    join(dir, 'orgs.csv'),
    'name,domains,sector,telehealth,aliases,tags,ambiguous_aliases,unambiguous_aliases\n' +
      'Zylvaran Regional Hospital,zylvaran.test,hospital,false,Summit;ZRH;Springfield;Zylvaran,,Quorvex,Harbor\n' +
      'Quillport Family Clinic,quillport.test,clinic,false,Zylvaran,,,\n',
  );
  const imported = await runCli(['orgs', 'import', join(dir, 'orgs.csv')], home);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /aliases: 7 judged, 6 ambiguous/);

  const listed = await runCli(['orgs', 'aliases', '--org', 'Zylvaran Regional Hospital', '--format', 'json'], home);
  assert.equal(listed.code, 0, listed.stderr);
  const rows = JSON.parse(listed.stdout) as { alias: string; ambiguous: boolean; reason: string }[];
  assert.deepEqual(
    Object.fromEntries(rows.map((r) => [r.alias, `${r.ambiguous ? 'ambiguous' : 'unambiguous'} ${r.reason}`])),
    {
      Harbor: 'unambiguous override',
      Quorvex: 'ambiguous override',
      Springfield: 'ambiguous place_name',
      Summit: 'ambiguous english_word',
      ZRH: 'ambiguous acronym',
      Zylvaran: 'ambiguous shared',
    },
  );

  // The file without the new columns stays valid; corpus counts accrue at ingestion.
  writeFileSync(
    join(dir, 'docs.jsonl'),
    [
      { id: 'd1', source: 'f', source_type: 'forum', text: 'Harbor dump, 2 GB, see zylvaran.test' },
      { id: 'd2', source: 'f', source_type: 'forum', text: 'the Harbor at night is nice' },
    ]
      .map((d) => JSON.stringify(d))
      .join('\n'),
  );
  assert.equal((await runCli(['darkweb', 'ingest', join(dir, 'docs.jsonl')], home)).code, 0);
  const table = await runCli(['orgs', 'aliases'], home);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Harbor\s+unambiguous\s+override\s+2\s+1/);
  assert.match(table.stdout, /7 aliases/);
});
