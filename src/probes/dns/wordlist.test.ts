import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_WORDLIST, HEALTHCARE_LABELS, publishedWordlist, publishedWordlistPath } from './wordlist.js';
import { wordlistEntryProblem } from './wordlist-file.js';

test('the default wordlist is the published top 5,000, in its order, then the healthcare labels it lacks', () => {
  const top = publishedWordlist('top5000');
  // 5,000 lines, 16 of them repeats in another case (`WWW`, `NS1`): DNS names are case-insensitive.
  assert.equal(top.length, 4984);
  assert.ok(DEFAULT_WORDLIST.length >= 5000, `${DEFAULT_WORDLIST.length} entries`);
  assert.deepEqual(DEFAULT_WORDLIST.slice(0, 5), ['www', 'mail', 'ftp', 'localhost', 'webmail']);
  assert.deepEqual(DEFAULT_WORDLIST.slice(0, top.length), top);
  const words = new Set(DEFAULT_WORDLIST);
  assert.equal(words.size, DEFAULT_WORDLIST.length, 'entries are unique');
  for (const label of HEALTHCARE_LABELS) assert.ok(words.has(label), label);
  for (const label of ['mychart', 'telehealth', 'fhir']) assert.ok(!top.includes(label) && words.has(label));
  for (const entry of DEFAULT_WORDLIST) assert.equal(wordlistEntryProblem(entry), null, entry);
});

test('the vendored lists are the published files, with their source and licence beside them', () => {
  const path = publishedWordlistPath('top5000');
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  assert.equal(lines.length, 5000);
  const readme = readFileSync(new URL('README.md', `file://${path}`), 'utf8');
  assert.match(readme, /SecLists/);
  assert.match(readme, /MIT/);
  assert.match(readFileSync(new URL('LICENSE', `file://${path}`), 'utf8'), /^MIT License/);
  assert.ok(publishedWordlist('top20000').length > 19_900);
});
