import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WORDLIST, publishedWordlist } from '../../probes/dns/wordlist.js';
import { permutationCandidates } from '../../probes/dns/permutations.js';
import { CNAME_TARGET_SUFFIX, planHosts } from './hosts.js';
import { createRng } from './rng.js';

const top5000 = new Set(publishedWordlist('top5000'));
const top20000 = new Set(publishedWordlist('top20000'));
const wordlist = new Set(DEFAULT_WORDLIST);

test('lab host labels come from the published lists; hidden ones from ranks the default wordlist lacks', () => {
  const seen = { ordinary: new Set<string>(), hidden: 0, mxOnly: 0, permutationOnly: 0 };
  for (let i = 0; i < 500; i++) {
    const plan = planHosts(createRng(7, 'hosts-test', i), 'hospital', i % 3 === 0, i % 2 === 0);
    for (const label of plan.labels) {
      if (label === plan.mailLabel && label !== 'mail') {
        seen.mxOnly++;
        assert.ok(top20000.has(label) && !wordlist.has(label), `mail host ${label}`);
        continue;
      }
      assert.ok(top5000.has(label), `${label} is in the top 5,000`);
      seen.ordinary.add(label);
    }
    assert.ok(top5000.has(plan.danglingLabel), plan.danglingLabel);
    for (const label of plan.ctOnly) {
      seen.hidden++;
      assert.ok(top20000.has(label) && !top5000.has(label) && !wordlist.has(label), label);
    }
    for (const name of [...plan.axfrOnly, ...plan.staleCt]) {
      const base = name.replace(/-\d+$/, '');
      assert.ok(top20000.has(base) && !wordlist.has(name), name);
    }
    if (plan.aliasLabel) assert.ok(!wordlist.has(`${plan.aliasLabel}${CNAME_TARGET_SUFFIX}`));
    for (const label of plan.permutationOnly) {
      seen.permutationOnly++;
      assert.ok(!wordlist.has(label), `${label} is in no wordlist`);
      // The scanner's permutations of the organization's ordinary hosts reach it.
      const hosts = plan.labels.filter((l) => l !== plan.mailLabel).map((l) => `${l}.example.test`);
      assert.ok(permutationCandidates('example.test', hosts).includes(`${label}.example.test`), label);
    }
  }
  // Labels spread over the list rather than a handful, with the common ones first.
  assert.ok(seen.ordinary.size > 300, `${seen.ordinary.size} distinct ordinary labels`);
  assert.ok(seen.hidden > 50 && seen.mxOnly > 50 && seen.permutationOnly > 50, JSON.stringify(seen));
});

test('the same random stream gives the same hosts', () => {
  const a = planHosts(createRng(3, 'x'), 'clinic', true, true);
  const b = planHosts(createRng(3, 'x'), 'clinic', true, true);
  assert.deepEqual(a, b);
});
