import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parentName, permutationCandidates } from './permutations.js';

test('alterations of discovered labels: numbers, environment and region words, swaps, new labels', () => {
  const candidates = permutationCandidates('example.org', [
    'example.org',
    'vpn.example.org',
    'web01.example.org',
    'api-dev.example.org',
    'mail.other.net',
  ]);
  const set = new Set(candidates);
  for (const name of [
    'vpn1.example.org',
    'vpn-2.example.org',
    'web02.example.org',
    'web00.example.org',
    'vpn-dev.example.org',
    'vpn-test.example.org',
    'vpn-staging.example.org',
    'staging-vpn.example.org',
    'vpn-eu.example.org',
    'us-east-vpn.example.org',
    'vpnstaging.example.org',
    'api.example.org',
    'api-test.example.org',
    'api-prod.example.org',
    'dev.vpn.example.org',
  ])
    assert.ok(set.has(name), name);
  // Known names, the apex, other domains and invalid labels are never candidates.
  for (const name of ['vpn.example.org', 'api-dev.example.org', 'example.org']) assert.ok(!set.has(name), name);
  for (const name of candidates) {
    assert.ok(name.endsWith('.example.org'), name);
    for (const label of name.split('.')) assert.match(label, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, name);
  }
  assert.equal(set.size, candidates.length, 'no duplicates');
});

test('the count is capped, and the cap drops the least likely guesses first', () => {
  const hosts = Array.from({ length: 200 }, (_, i) => `host${String.fromCharCode(97 + (i % 26))}${i}.example.org`);
  const capped = permutationCandidates('example.org', hosts, 1000);
  assert.equal(capped.length, 1000);
  // Number changes of every host come before any word is added.
  for (const host of hosts) {
    const [, stem, n] = /^(.*?)(\d+)\./.exec(host)!;
    assert.ok(capped.includes(`${stem}${Number(n) + 1}.example.org`), host);
  }
  assert.ok(!capped.some((name) => name.split('.').length > 3), 'new-label guesses are cut first');
  assert.deepEqual(permutationCandidates('example.org', hosts, 1000), capped, 'deterministic');
});

test('parentName is the name one label up', () => {
  assert.equal(parentName('dev.vpn.example.org'), 'vpn.example.org');
});
