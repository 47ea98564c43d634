import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckOutcome } from '../../core/types.js';
import type { EmailAuthObservation, SpfLookupTerm } from '../../probes/dns/email-auth.types.js';
import { dkimEd25519Record, dkimRsaRecord } from '../../email-auth/dkim.test-support.js';
import { checkEmailAuth } from './email-auth.check.js';
import {
  GOOD_DOMAIN,
  NXDOMAIN_TXT,
  apexSpf,
  dkimOf,
  dmarcOf,
  emailAuthObservation,
  followedTerm,
  mxOf,
  notQueriedTerm,
  nxdomainA,
  queriedTerm,
  resolvingA,
  spfNode,
  termQuery,
  timedOut,
  txtResult,
} from './email-auth.test-support.js';

const ids = (outcome: CheckOutcome) => outcome.findings.map((f) => f.type).sort();
const controls = (outcome: CheckOutcome) => outcome.controls.map((c) => c.control).sort();
const notAssessed = (outcome: CheckOutcome) => outcome.notAssessed.map((n) => n.check).sort();
const evidenceOf = (outcome: CheckOutcome, type: string) => outcome.findings.find((f) => f.type === type)?.evidence;

/** `n` include terms at the apex, each to a leaf SPF record without lookups. */
function includes(n: number): SpfLookupTerm[] {
  return Array.from({ length: n }, (_, i) =>
    followedTerm('include', spfNode(`s${i}.${GOOD_DOMAIN}`, 'include', 1, txtResult(['v=spf1 ip4:192.0.2.1 -all']))),
  );
}

function includeRecord(n: number, tail = '-all'): string {
  return ['v=spf1', ...Array.from({ length: n }, (_, i) => `include:s${i}.${GOOD_DOMAIN}`), tail].join(' ');
}

describe('checkEmailAuth: the known-good observation', () => {
  test('reports the three controls and nothing else', () => {
    const outcome = checkEmailAuth(emailAuthObservation());
    assert.deepEqual(ids(outcome), []);
    assert.deepEqual(notAssessed(outcome), []);
    assert.deepEqual(controls(outcome), ['dns.dkim.strong_key', 'dns.dmarc.reject', 'dns.spf.hardfail']);
    const hardfail = outcome.controls.find((c) => c.control === 'dns.spf.hardfail')!;
    assert.equal(hardfail.asset.host, GOOD_DOMAIN);
    assert.equal(hardfail.evidence['lookups'], 1);
    assert.equal(hardfail.evidence['voidLookups'], 0);
  });
});

describe('checkEmailAuth: SPF', () => {
  const cases: Array<{
    name: string;
    change: Partial<EmailAuthObservation>;
    findings: string[];
    controls?: string[];
    notAssessed?: string[];
  }> = [
    { name: 'no SPF record', change: apexSpf(['google-site-verification=abc']), findings: ['dns.spf.missing'] },
    {
      name: 'no TXT at all (NXDOMAIN apex)',
      change: { apexTxt: NXDOMAIN_TXT, spfRecords: [], spfTree: null },
      findings: ['dns.spf.missing'],
    },
    {
      name: 'two SPF records: only multiple_records, even with +all',
      change: apexSpf(['v=spf1 +all', 'v=spf1 ~all']),
      findings: ['dns.spf.multiple_records'],
    },
    {
      name: 'unknown mechanism: only syntax_error',
      change: apexSpf('v=spf1 ipv4:203.0.113.5 +all'),
      findings: ['dns.spf.syntax_error'],
    },
    {
      name: 'bad ip4: only syntax_error',
      change: apexSpf('v=spf1 ip4:300.1.1.1 ~all'),
      findings: ['dns.spf.syntax_error'],
    },
    {
      name: 'empty include: only syntax_error',
      change: apexSpf('v=spf1 include: -all'),
      findings: ['dns.spf.syntax_error'],
    },
    { name: '+all', change: apexSpf('v=spf1 ip4:192.0.2.1 +all'), findings: ['dns.spf.permissive_all'] },
    { name: 'bare all', change: apexSpf('v=spf1 ip4:192.0.2.1 all'), findings: ['dns.spf.permissive_all'] },
    { name: '?all', change: apexSpf('v=spf1 ip4:192.0.2.1 ?all'), findings: ['dns.spf.permissive_all'] },
    { name: '~all', change: apexSpf('v=spf1 ip4:192.0.2.1 ~all'), findings: ['dns.spf.softfail_all'] },
    {
      name: '-all without lookups',
      change: apexSpf('v=spf1 ip4:192.0.2.1 -all'),
      findings: [],
      controls: ['dns.spf.hardfail'],
    },
    {
      name: 'the first all decides (~all before -all)',
      change: apexSpf('v=spf1 ip4:192.0.2.1 ~all -all'),
      findings: ['dns.spf.softfail_all'],
    },
    // No `all` and no redirect: the default is neutral (RFC 7208 4.7). The contract defines
    // permissive_all by an explicit all, so nothing is reported and no control is granted.
    { name: 'no all, no redirect', change: apexSpf('v=spf1 ip4:192.0.2.1'), findings: [], controls: [] },
    {
      name: 'exactly 10 lookups is within the limit',
      change: apexSpf(includeRecord(10), includes(10)),
      findings: [],
      controls: ['dns.spf.hardfail'],
    },
    {
      name: '11 lookups with -all: too_many_lookups and no hardfail control',
      change: apexSpf(includeRecord(11), includes(11)),
      findings: ['dns.spf.too_many_lookups'],
      controls: [],
    },
    {
      name: '11 lookups with ~all: both, judged independently',
      change: apexSpf(includeRecord(11, '~all'), includes(11)),
      findings: ['dns.spf.softfail_all', 'dns.spf.too_many_lookups'],
    },
    {
      name: 'two void lookups is within the limit',
      change: apexSpf(`v=spf1 a:nx1.${GOOD_DOMAIN} a:nx2.${GOOD_DOMAIN} -all`, [
        nxdomainA(`nx1.${GOOD_DOMAIN}`),
        nxdomainA(`nx2.${GOOD_DOMAIN}`),
      ]),
      findings: [],
      controls: ['dns.spf.hardfail'],
    },
    {
      name: 'three void lookups (NXDOMAIN, MX no answer, exists NXDOMAIN)',
      change: apexSpf(`v=spf1 a:nx1.${GOOD_DOMAIN} mx:txt.${GOOD_DOMAIN} exists:nx3.${GOOD_DOMAIN} -all`, [
        nxdomainA(`nx1.${GOOD_DOMAIN}`),
        queriedTerm('mx', `txt.${GOOD_DOMAIN}`, [termQuery('MX', `txt.${GOOD_DOMAIN}`, 'NOERROR', 0)]),
        queriedTerm('exists', `nx3.${GOOD_DOMAIN}`, [termQuery('A', `nx3.${GOOD_DOMAIN}`, 'NXDOMAIN', 0)]),
      ]),
      findings: ['dns.spf.void_lookups'],
      controls: [],
    },
    {
      name: 'an a term with only AAAA is not void',
      change: apexSpf(`v=spf1 a:v6.${GOOD_DOMAIN} a:nx1.${GOOD_DOMAIN} a:nx2.${GOOD_DOMAIN} -all`, [
        queriedTerm('a', `v6.${GOOD_DOMAIN}`, [
          termQuery('A', `v6.${GOOD_DOMAIN}`, 'NOERROR', 0),
          termQuery('AAAA', `v6.${GOOD_DOMAIN}`, 'NOERROR', 1),
        ]),
        nxdomainA(`nx1.${GOOD_DOMAIN}`),
        nxdomainA(`nx2.${GOOD_DOMAIN}`),
      ]),
      findings: [],
      controls: ['dns.spf.hardfail'],
    },
    {
      name: 'voids inside includes are counted, and an include to nowhere is void',
      change: apexSpf(`v=spf1 include:i.${GOOD_DOMAIN} include:gone.${GOOD_DOMAIN} -all`, [
        followedTerm(
          'include',
          spfNode(
            `i.${GOOD_DOMAIN}`,
            'include',
            1,
            txtResult([`v=spf1 a:nx1.${GOOD_DOMAIN} a:nx2.${GOOD_DOMAIN} -all`]),
            [nxdomainA(`nx1.${GOOD_DOMAIN}`), nxdomainA(`nx2.${GOOD_DOMAIN}`)],
          ),
        ),
        followedTerm('include', spfNode(`gone.${GOOD_DOMAIN}`, 'include', 1, NXDOMAIN_TXT)),
      ]),
      findings: ['dns.spf.void_lookups'],
    },
    {
      name: 'an include loop is over the lookup limit',
      change: apexSpf(`v=spf1 include:loop.${GOOD_DOMAIN} -all`, [
        followedTerm(
          'include',
          spfNode(`loop.${GOOD_DOMAIN}`, 'include', 1, txtResult([`v=spf1 include:${GOOD_DOMAIN} -all`]), [
            notQueriedTerm('include', `include:${GOOD_DOMAIN}`, 'loop', GOOD_DOMAIN),
          ]),
        ),
      ]),
      findings: ['dns.spf.too_many_lookups'],
    },
    {
      name: 'ptr and macro terms count as lookups without being resolved',
      change: apexSpf(`v=spf1 ptr exists:%{i}.x.${GOOD_DOMAIN} -all`, [
        notQueriedTerm('ptr', 'ptr', 'ptr_needs_client_ip'),
        notQueriedTerm('exists', `exists:%{i}.x.${GOOD_DOMAIN}`, 'macro'),
      ]),
      findings: [],
      controls: ['dns.spf.hardfail'],
    },
    {
      name: 'redirect without all: the target decides (~all)',
      change: apexSpf(`v=spf1 redirect=r.${GOOD_DOMAIN}`, [
        followedTerm('redirect', spfNode(`r.${GOOD_DOMAIN}`, 'redirect', 1, txtResult(['v=spf1 ip4:192.0.2.1 ~all']))),
      ]),
      findings: ['dns.spf.softfail_all'],
    },
    {
      name: 'redirect without all: the target decides (-all)',
      change: apexSpf(`v=spf1 redirect=r.${GOOD_DOMAIN}`, [
        followedTerm('redirect', spfNode(`r.${GOOD_DOMAIN}`, 'redirect', 1, txtResult(['v=spf1 ip4:192.0.2.1 -all']))),
      ]),
      findings: [],
      controls: ['dns.spf.hardfail'],
    },
    {
      name: 'redirect to a name without SPF: permerror, no all judged',
      change: apexSpf(`v=spf1 redirect=r.${GOOD_DOMAIN}`, [
        followedTerm('redirect', spfNode(`r.${GOOD_DOMAIN}`, 'redirect', 1, txtResult(['hello']))),
      ]),
      findings: [],
      controls: [],
    },
    {
      name: 'apex TXT timed out: not assessed, never missing',
      change: { apexTxt: timedOut(), spfRecords: [], spfTree: null },
      findings: [],
      controls: [],
      notAssessed: ['dns.spf'],
    },
    {
      name: 'an include timed out with few lookups counted: lookups and voids not assessed, no control',
      change: apexSpf(`v=spf1 include:slow.${GOOD_DOMAIN} -all`, [
        followedTerm('include', spfNode(`slow.${GOOD_DOMAIN}`, 'include', 1, timedOut())),
      ]),
      findings: [],
      controls: [],
      notAssessed: ['dns.spf.too_many_lookups', 'dns.spf.void_lookups'],
    },
    {
      name: 'an include timed out but 11 lookups already counted: the finding stands',
      change: apexSpf(includeRecord(12), [
        ...includes(11),
        followedTerm('include', spfNode(`slow.${GOOD_DOMAIN}`, 'include', 1, timedOut())),
      ]),
      findings: ['dns.spf.too_many_lookups'],
      notAssessed: ['dns.spf.void_lookups'],
    },
    {
      name: 'redirect target timed out: the all is not assessed',
      change: apexSpf(`v=spf1 redirect=r.${GOOD_DOMAIN}`, [
        followedTerm('redirect', spfNode(`r.${GOOD_DOMAIN}`, 'redirect', 1, timedOut())),
      ]),
      findings: [],
      notAssessed: ['dns.spf.all', 'dns.spf.too_many_lookups', 'dns.spf.void_lookups'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const outcome = checkEmailAuth(emailAuthObservation(c.change));
      assert.deepEqual(ids(outcome), c.findings);
      if (c.controls)
        assert.deepEqual(
          controls(outcome).filter((id) => id.startsWith('dns.spf')),
          c.controls,
        );
      assert.deepEqual(notAssessed(outcome), c.notAssessed ?? []);
      for (const f of outcome.findings) assert.equal(f.asset.host, GOOD_DOMAIN);
    });
  }

  test('evidence carries the record and what was counted', () => {
    const outcome = checkEmailAuth(emailAuthObservation(apexSpf(includeRecord(11), includes(11))));
    const evidence = evidenceOf(outcome, 'dns.spf.too_many_lookups')!;
    assert.equal(evidence['record'], includeRecord(11));
    assert.equal(evidence['lookups'], 11);
    assert.equal((evidence['counted'] as string[]).length, 11);
    assert.equal(evidence['lowerBound'], false);

    const syntax = checkEmailAuth(emailAuthObservation(apexSpf('v=spf1 ipv4:203.0.113.5 -all')));
    const errors = evidenceOf(syntax, 'dns.spf.syntax_error')!['errors'] as Array<{ code: string; position: number }>;
    assert.deepEqual(
      errors.map((e) => [e.code, e.position]),
      [['unknown_mechanism', 7]],
    );

    const softfail = checkEmailAuth(emailAuthObservation(apexSpf('v=spf1 ip4:192.0.2.1 ~all')));
    assert.deepEqual(evidenceOf(softfail, 'dns.spf.softfail_all'), {
      record: 'v=spf1 ip4:192.0.2.1 ~all',
      all: '~all',
      qualifier: '~',
    });
  });

  test('void lookup evidence names each void term', () => {
    const outcome = checkEmailAuth(
      emailAuthObservation(
        apexSpf(`v=spf1 a:nx1.${GOOD_DOMAIN} a:nx2.${GOOD_DOMAIN} a:nx3.${GOOD_DOMAIN} -all`, [
          nxdomainA(`nx1.${GOOD_DOMAIN}`),
          nxdomainA(`nx2.${GOOD_DOMAIN}`),
          nxdomainA(`nx3.${GOOD_DOMAIN}`),
        ]),
      ),
    );
    const evidence = evidenceOf(outcome, 'dns.spf.void_lookups')!;
    assert.equal(evidence['voidLookups'], 3);
    assert.deepEqual(evidence['voids'], [
      `${GOOD_DOMAIN}: a:nx1.${GOOD_DOMAIN} -> NXDOMAIN`,
      `${GOOD_DOMAIN}: a:nx2.${GOOD_DOMAIN} -> NXDOMAIN`,
      `${GOOD_DOMAIN}: a:nx3.${GOOD_DOMAIN} -> NXDOMAIN`,
    ]);
  });

  test('a resolving a term is not void', () => {
    const outcome = checkEmailAuth(
      emailAuthObservation(apexSpf(`v=spf1 a:mail.${GOOD_DOMAIN} -all`, [resolvingA(`mail.${GOOD_DOMAIN}`)])),
    );
    assert.deepEqual(ids(outcome), []);
  });
});

describe('checkEmailAuth: DMARC', () => {
  const cases: Array<{
    name: string;
    records: string[] | 'timeout';
    findings: string[];
    reject?: boolean;
    notAssessed?: string[];
  }> = [
    { name: 'no record', records: [], findings: ['dns.dmarc.missing'] },
    { name: 'only unrelated TXT', records: ['v=spf1 -all'], findings: ['dns.dmarc.missing'] },
    {
      name: 'p=none with rua',
      records: ['v=DMARC1; p=none; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.policy_none'],
    },
    {
      name: 'p=none with pct=50: no partial_pct',
      records: ['v=DMARC1; p=none; pct=50; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.policy_none'],
    },
    {
      name: 'p=none without rua',
      records: ['v=DMARC1; p=none'],
      findings: ['dns.dmarc.no_reporting', 'dns.dmarc.policy_none'],
    },
    {
      name: 'quarantine pct=25',
      records: ['v=DMARC1; p=quarantine; pct=25; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.partial_pct'],
    },
    {
      name: 'reject pct=99: partial, no control',
      records: ['v=DMARC1; p=reject; pct=99; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.partial_pct'],
    },
    {
      name: 'reject pct=100',
      records: ['v=DMARC1; p=reject; pct=100; rua=mailto:d@x.test'],
      findings: [],
      reject: true,
    },
    {
      name: 'reject without rua: control and no_reporting',
      records: ['v=DMARC1; p=reject'],
      findings: ['dns.dmarc.no_reporting'],
      reject: true,
    },
    { name: 'quarantine pct 100: no control', records: ['v=DMARC1; p=quarantine; rua=mailto:d@x.test'], findings: [] },
    {
      name: 'missing p: only syntax_error (no no_reporting)',
      records: ['v=DMARC1; pct=100'],
      findings: ['dns.dmarc.syntax_error'],
    },
    {
      name: 'missing p with a valid rua: applied as p=none (RFC 7489 6.6.3), not a syntax error',
      records: ['v=DMARC1; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.policy_none'],
    },
    {
      name: 'unknown p with a valid rua: applied as p=none',
      records: ['v=DMARC1; p=rejected; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.policy_none'],
    },
    {
      name: 'p=reject with an invalid sp and a valid rua: applied as p=none, no reject control',
      records: ['v=DMARC1; p=reject; sp=all; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.policy_none'],
    },
    {
      name: 'missing p with an invalid rua: syntax_error',
      records: ['v=DMARC1; rua=d@x.test'],
      findings: ['dns.dmarc.syntax_error'],
    },
    {
      name: 'missing p with a valid rua and a bad pct: syntax_error',
      records: ['v=DMARC1; pct=150; rua=mailto:d@x.test'],
      findings: ['dns.dmarc.syntax_error'],
    },
    { name: 'unknown p: only syntax_error', records: ['v=DMARC1; p=block'], findings: ['dns.dmarc.syntax_error'] },
    {
      name: 'bad pct: only syntax_error',
      records: ['v=DMARC1; p=reject; pct=200'],
      findings: ['dns.dmarc.syntax_error'],
    },
    {
      name: 'two DMARC records',
      records: ['v=DMARC1; p=reject; rua=mailto:d@x.test', 'v=DMARC1; p=none'],
      findings: ['dns.dmarc.syntax_error'],
    },
    { name: 'time-out: not assessed, never missing', records: 'timeout', findings: [], notAssessed: ['dns.dmarc'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const outcome = checkEmailAuth(emailAuthObservation(dmarcOf(c.records === 'timeout' ? timedOut() : c.records)));
      assert.deepEqual(ids(outcome), c.findings);
      assert.equal(controls(outcome).includes('dns.dmarc.reject'), c.reject ?? false);
      assert.deepEqual(notAssessed(outcome), c.notAssessed ?? []);
    });
  }

  test('evidence carries the record and the pct', () => {
    const record = 'v=DMARC1; p=quarantine; pct=25; rua=mailto:d@x.test';
    const outcome = checkEmailAuth(emailAuthObservation(dmarcOf([record])));
    assert.deepEqual(evidenceOf(outcome, 'dns.dmarc.partial_pct'), {
      name: `_dmarc.${GOOD_DOMAIN}`,
      record,
      policy: 'quarantine',
      pct: 25,
    });
  });

  test('a record applied as p=none says p was missing, and why it counts as p=none', () => {
    const record = 'v=DMARC1; rua=mailto:d@x.test';
    const outcome = checkEmailAuth(emailAuthObservation(dmarcOf([record])));
    assert.deepEqual(evidenceOf(outcome, 'dns.dmarc.policy_none'), {
      name: `_dmarc.${GOOD_DOMAIN}`,
      record,
      policy: 'none',
      p: 'missing',
      appliedAs: 'p=none (RFC 7489 6.6.3: no valid policy, but a valid rua)',
      problems: ['required tag "p" is missing (RFC 7489 6.3)'],
    });
  });
});

describe('checkEmailAuth: DKIM', () => {
  test('no key at any selector', () => {
    const outcome = checkEmailAuth(emailAuthObservation(dkimOf({})));
    assert.deepEqual(ids(outcome), ['dns.dkim.not_found']);
    assert.equal((evidenceOf(outcome, 'dns.dkim.not_found')!['selectorsTried'] as string[]).length, 18);
  });
  test('only a revoked key counts as none', () => {
    assert.deepEqual(ids(checkEmailAuth(emailAuthObservation(dkimOf({ default: ['v=DKIM1; p='] })))), [
      'dns.dkim.not_found',
    ]);
  });
  test('a 1024-bit key: weak_key with selector and bits, no strong control', () => {
    const outcome = checkEmailAuth(emailAuthObservation(dkimOf({ k1: [dkimRsaRecord(1024)] })));
    assert.deepEqual(ids(outcome), ['dns.dkim.weak_key']);
    assert.deepEqual(evidenceOf(outcome, 'dns.dkim.weak_key'), {
      selector: 'k1',
      bits: 1024,
      name: `k1._domainkey.${GOOD_DOMAIN}`,
      weakKeys: [{ selector: 'k1', bits: 1024 }],
    });
    assert.equal(controls(outcome).includes('dns.dkim.strong_key'), false);
  });
  test('a weak and a strong selector: the finding and the control', () => {
    const outcome = checkEmailAuth(
      emailAuthObservation(dkimOf({ selector1: [dkimRsaRecord(2048)], selector2: [dkimRsaRecord(1024)] })),
    );
    assert.deepEqual(ids(outcome), ['dns.dkim.weak_key']);
    assert.ok(controls(outcome).includes('dns.dkim.strong_key'));
  });
  test('Ed25519 is strong', () => {
    const outcome = checkEmailAuth(emailAuthObservation(dkimOf({ s1: [dkimEd25519Record()] })));
    assert.deepEqual(ids(outcome), []);
    assert.deepEqual(outcome.controls.find((c) => c.control === 'dns.dkim.strong_key')?.evidence, {
      selector: 's1',
      keyType: 'ed25519',
    });
  });
  test('every selector timed out: not assessed, never not_found', () => {
    const all = Object.fromEntries(
      [
        'default',
        'selector1',
        'selector2',
        'google',
        'k1',
        'k2',
        's1',
        's2',
        'dkim',
        'mail',
        'smtp',
        'mx',
        'email',
        'key1',
        'mandrill',
        'everlytic',
        'zendesk1',
        'mxvault',
      ].map((s) => [s, timedOut()]),
    );
    const outcome = checkEmailAuth(emailAuthObservation(dkimOf(all)));
    assert.deepEqual(ids(outcome), []);
    assert.deepEqual(notAssessed(outcome), ['dns.dkim']);
  });
  test('a strong key found while another selector timed out: weak_key not assessed', () => {
    const outcome = checkEmailAuth(
      emailAuthObservation(dkimOf({ selector1: [dkimRsaRecord(2048)], google: timedOut() })),
    );
    assert.deepEqual(ids(outcome), []);
    assert.deepEqual(notAssessed(outcome), ['dns.dkim.weak_key']);
    assert.ok(controls(outcome).includes('dns.dkim.strong_key'));
  });
});

describe('checkEmailAuth: MX', () => {
  test('no MX', () => assert.deepEqual(ids(checkEmailAuth(emailAuthObservation(mxOf([])))), ['dns.mx.missing']));
  test('NXDOMAIN apex', () =>
    assert.deepEqual(ids(checkEmailAuth(emailAuthObservation(mxOf([], 'NXDOMAIN')))), ['dns.mx.missing']));
  test('null MX (RFC 7505) is not a finding', () => {
    assert.deepEqual(ids(checkEmailAuth(emailAuthObservation(mxOf([{ preference: 0, exchange: '' }])))), []);
  });
  test('time-out: not assessed', () => {
    const outcome = checkEmailAuth(emailAuthObservation({ mx: timedOut() }));
    assert.deepEqual(ids(outcome), []);
    assert.deepEqual(notAssessed(outcome), ['dns.mx']);
  });
});
