/**
 * The lab plants what the catalogue defines: every dns_health finding of src/catalogue/catalogue.json is
 * planted or listed in NOT_PLANTED with a reason, and the lists in docs/lab.md and the README follow.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { listFindingTypes } from '../../catalogue/catalogue.js';
import { LAB_FINDING_IDS, NOT_PLANTED } from './weaknesses.js';

const repoFile = (path: string): string => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const dnsFindingIds = listFindingTypes({ factor: 'dns_health' }).map((f) => f.id);
const notPlanted: Record<string, string> = NOT_PLANTED;

test('every DNS finding of the catalogue is planted in the lab or listed as not planted, with a reason', () => {
  const planted = new Set<string>(LAB_FINDING_IDS);
  const unaccounted = dnsFindingIds.filter((id) => !planted.has(id) && !(id in notPlanted));
  assert.deepEqual(unaccounted, [], 'plant them in src/lab/world, or list them in NOT_PLANTED with the reason');
  for (const id of dnsFindingIds) assert.ok(!(planted.has(id) && id in notPlanted), `${id} is both`);
  for (const [id, reason] of Object.entries(notPlanted)) {
    assert.ok(dnsFindingIds.includes(id), `NOT_PLANTED names ${id}, which is no DNS finding of the catalogue`);
    assert.ok(reason.trim().length > 10, `${id}: say why it is not planted`);
  }
  assert.deepEqual(
    [...LAB_FINDING_IDS],
    dnsFindingIds.filter((id) => !(id in notPlanted)),
  );
});

test("docs/lab.md's table of weaknesses lists exactly the planted ids, in catalogue order", () => {
  const doc = repoFile('docs/lab.md');
  const section = doc.slice(doc.indexOf('## Weaknesses and how each is realized'), doc.indexOf('## Ground truth'));
  const rows = [...section.matchAll(/^\| (dns\.[a-z0-9_.]+) \|/gm)].map((m) => m[1]);
  assert.deepEqual(rows, [...LAB_FINDING_IDS]);
  const ids = Object.keys(notPlanted);
  if (ids.length === 0) assert.match(section, /Not planted: none\./);
  else
    for (const id of ids) assert.ok(section.includes(`\`${id}\``), `docs/lab.md does not say why ${id} is not planted`);
});

test("the README's list of findings is the catalogue's, in catalogue order", () => {
  const readme = repoFile('README.md');
  const section = readme.slice(readme.indexOf('## What it checks'));
  const paragraph = section.slice(0, section.indexOf('Severity, remediation'));
  const listed = [...paragraph.matchAll(/`((?:dns|net|darkweb|tls|iprep|patch|app)\.[a-z0-9_.]+)`/g)].map((m) => m[1]);
  assert.deepEqual(
    listed,
    listFindingTypes().map((f) => f.id),
  );
});
