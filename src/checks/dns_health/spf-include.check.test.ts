/** The include/redirect reach check, one change per row from a known-good observation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProbeAttempt } from '../../core/types.js';
import type { SpfLookupTerm, TxtLookupResult } from '../../probes/dns/email-auth.types.js';
import {
  apexSpf,
  emailAuthObservation,
  followedTerm,
  NXDOMAIN_TXT,
  queriedTerm,
  spfNode,
  termQuery,
  timedOut,
  txtResult,
} from './email-auth.test-support.js';
import { spfCheck } from './dns-health.checks.js';
import { judgeSpfIncludes } from './spf-include.check.js';

const APEX = 'v=spf1 include:_spf.mail.test redirect=_spf.other.test';

function withTarget(txt: ProbeAttempt<TxtLookupResult>, via: 'include' | 'redirect' = 'include') {
  const target = spfNode(via === 'include' ? '_spf.mail.test' : '_spf.other.test', via, 1, txt);
  return emailAuthObservation(apexSpf(APEX, [followedTerm(via, target)]));
}

const ROWS: Array<{ name: string; txt: ProbeAttempt<TxtLookupResult>; problem: RegExp | null }> = [
  { name: 'a target with one valid record', txt: txtResult(['v=spf1 ip4:192.0.2.0/24 -all']), problem: null },
  { name: 'a target that does not exist', txt: NXDOMAIN_TXT, problem: /does not exist/ },
  { name: 'a target without an SPF record', txt: txtResult(['google-site-verification=x']), problem: /no SPF record/ },
  { name: 'a target with two SPF records', txt: txtResult(['v=spf1 -all', 'v=spf1 ~all']), problem: /2 SPF records/ },
  { name: 'a target whose record has a syntax error', txt: txtResult(['v=spf1 ipv4:1.2.3.4']), problem: /syntax/ },
];

for (const row of ROWS) {
  for (const via of ['include', 'redirect'] as const) {
    test(`${via}: ${row.name}`, () => {
      const out = judgeSpfIncludes(withTarget(row.txt, via));
      const found = out.findings.find((f) => f.type === 'dns.spf.include_broken');
      if (!row.problem) {
        assert.equal(found, undefined);
        return;
      }
      const targets = found?.evidence.targets as Array<{ via: string; problem: string; path: string[] }>;
      assert.equal(targets.length, 1);
      assert.equal(targets[0]!.via, via);
      assert.match(targets[0]!.problem, row.problem);
      assert.deepEqual(targets[0]!.path, ['good-clinic.test']);
    });
  }
}

test('a target whose TXT look-up timed out is not assessed, never a finding and never a pass', () => {
  const out = judgeSpfIncludes(withTarget(timedOut()));
  assert.equal(out.findings.length, 0);
  assert.equal(out.notAssessed[0]?.check, 'dns.spf.include_broken');
});

test('a broken record two includes deep names the path that reaches it', () => {
  const deep = spfNode('deep.test', 'include', 2, NXDOMAIN_TXT);
  const middle = spfNode('_spf.mail.test', 'include', 1, txtResult(['v=spf1 include:deep.test -all']), [
    followedTerm('include', deep),
  ]);
  const out = judgeSpfIncludes(emailAuthObservation(apexSpf(APEX, [followedTerm('include', middle)])));
  const targets = out.findings[0]?.evidence.targets as Array<{ target: string; path: string[] }>;
  assert.deepEqual(targets, [
    {
      via: 'include',
      target: 'deep.test',
      path: ['good-clinic.test', '_spf.mail.test'],
      problem: 'the domain does not exist',
    },
  ]);
});

test('an mx term over a name with 11 MX records breaks the limit; 10 do not', () => {
  const mx = (n: number): SpfLookupTerm => queriedTerm('mx', 'mail.test', [termQuery('MX', 'mail.test', 'NOERROR', n)]);
  const over = judgeSpfIncludes(emailAuthObservation(apexSpf('v=spf1 mx:mail.test -all', [mx(11)])));
  assert.equal(over.findings[0]?.type, 'dns.spf.too_many_mx');
  assert.equal((over.findings[0]!.evidence.terms as Array<{ records: number }>)[0]!.records, 11);
  const within = judgeSpfIncludes(emailAuthObservation(apexSpf('v=spf1 mx:mail.test -all', [mx(10)])));
  assert.equal(within.findings.length, 0);
});

test('an mx term whose MX look-up timed out: too_many_mx not assessed, never a pass', () => {
  const term = queriedTerm('mx', 'mail.test', [{ type: 'MX', name: 'mail.test', attempt: timedOut() }]);
  const out = judgeSpfIncludes(emailAuthObservation(apexSpf('v=spf1 mx:mail.test -all', [term])));
  assert.deepEqual(out.findings, []);
  assert.deepEqual(
    out.notAssessed.map((n) => `${n.check}@${n.asset.host}`),
    ['dns.spf.too_many_mx@good-clinic.test'],
  );
  assert.match(out.notAssessed[0]!.reason, /mx:mail\.test \(timeout/);
});

test('a -all that evaluations never reach (a broken include on the way) earns no hardfail control', () => {
  const judge = (txt: ProbeAttempt<TxtLookupResult>) => {
    const target = spfNode('_spf.mail.test', 'include', 1, txt);
    const obs = emailAuthObservation(apexSpf('v=spf1 include:_spf.mail.test -all', [followedTerm('include', target)]));
    return spfCheck.judge({ domain: obs.domain }, [obs]);
  };
  const good = judge(txtResult(['v=spf1 ip4:192.0.2.0/24 -all']));
  assert.deepEqual(
    good.controls.map((c) => c.control),
    ['dns.spf.hardfail'],
  );
  assert.deepEqual(good.findings, []);
  const broken = judge(NXDOMAIN_TXT);
  assert.deepEqual(
    broken.findings.map((f) => f.type),
    ['dns.spf.include_broken'],
  );
  assert.deepEqual(broken.controls, []);
});
