import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WORDLIST } from './wordlist.js';
import { LAB_HOST_LABELS } from '../../lab/world/hosts.js';

test('the built-in wordlist has at least 500 unique, valid host labels', () => {
  assert.ok(DEFAULT_WORDLIST.length >= 500, `only ${DEFAULT_WORDLIST.length} labels`);
  assert.equal(new Set(DEFAULT_WORDLIST).size, DEFAULT_WORDLIST.length, 'labels are unique');
  for (const label of DEFAULT_WORDLIST) assert.match(label, /^(?!-)[a-z0-9-]{1,63}(?<!-)$/, label);
});

test('it covers every host label the lab uses for wordlist-discoverable hosts', () => {
  const words = new Set(DEFAULT_WORDLIST);
  assert.deepEqual(
    LAB_HOST_LABELS.filter((label) => !words.has(label)),
    [],
  );
});
