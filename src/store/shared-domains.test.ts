import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSharedDomain, findSharedDomains } from './shared-domains.js';

const org = (name: string, domains: string[], tags: string[] = []) => ({ name, domains, tags });

test('a domain two imported organizations own is found, with both names', () => {
  const shared = findSharedDomains(
    [org('A Clinic', ['a.example', 'group.example']), org('B Lab', ['group.example'])],
    [],
  );
  assert.deepEqual(shared, [{ domain: 'group.example', organizations: ['A Clinic', 'B Lab'] }]);
  assert.equal(describeSharedDomain(shared[0]!), 'group.example is shared by "A Clinic" and "B Lab"');
});

test('a stored organization counts, unless it is the one being updated or an ad-hoc placeholder', () => {
  const stored = [
    org('Old Owner', ['x.example']),
    org('a clinic', ['a.example']),
    org('y.example', ['y.example'], ['ad-hoc']),
  ];
  const incoming = [org('A Clinic', ['a.example', 'x.example', 'y.example'])];
  assert.deepEqual(findSharedDomains(incoming, stored), [
    { domain: 'x.example', organizations: ['A Clinic', 'Old Owner'] },
  ]);
});

test('three owners are all named', () => {
  const shared = findSharedDomains([org('A', ['s.example']), org('B', ['s.example']), org('C', ['s.example'])], []);
  assert.equal(describeSharedDomain(shared[0]!), 's.example is shared by "A", "B" and "C"');
});
