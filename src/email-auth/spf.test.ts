import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { firstAll, isSpfRecord, lookupTerms, parseSpf } from './spf.js';
import type { SpfSyntaxErrorCode } from './spf.js';

describe('isSpfRecord (RFC 7208 4.5)', () => {
  const cases: Array<[string, boolean]> = [
    ['v=spf1 -all', true],
    ['v=spf1', true],
    ['V=SPF1 -all', true],
    ['v=spf10 -all', false],
    ['v=spf1-all', false],
    [' v=spf1 -all', false],
    ['spf2.0/pra -all', false],
    ['google-site-verification=abc', false],
  ];
  for (const [record, expected] of cases) {
    test(`${JSON.stringify(record)} -> ${expected}`, () => assert.equal(isSpfRecord(record), expected));
  }
});

describe('parseSpf: valid records', () => {
  const cases: Array<{ record: string; mechanisms: string[]; modifiers?: string[] }> = [
    { record: 'v=spf1 -all', mechanisms: ['-all'] },
    { record: 'v=spf1', mechanisms: [] },
    { record: 'v=spf1 all', mechanisms: ['+all'] },
    { record: 'v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.7 ~all', mechanisms: ['+ip4', '+ip4', '~all'] },
    { record: 'v=spf1 ip6:2001:db8::/32 ip6:::1 -all', mechanisms: ['+ip6', '+ip6', '-all'] },
    {
      record: 'v=spf1 a mx a:mail.example.org/24 mx:example.org//64 a/24//64 ?all',
      mechanisms: ['+a', '+mx', '+a', '+mx', '+a', '?all'],
    },
    {
      record: 'v=spf1 include:_spf.google.com include:spf.protection.outlook.com -all',
      mechanisms: ['+include', '+include', '-all'],
    },
    {
      record: 'v=spf1 exists:%{i}._spf.%{d} ptr ptr:example.org -all',
      mechanisms: ['+exists', '+ptr', '+ptr', '-all'],
    },
    { record: 'v=spf1   ip4:192.0.2.1    -all  ', mechanisms: ['+ip4', '-all'] },
    { record: 'v=spf1 redirect=_spf.example.org', mechanisms: [], modifiers: ['redirect'] },
    { record: 'v=spf1 -all exp=explain.%{d}', mechanisms: ['-all'], modifiers: ['exp'] },
    {
      record: 'v=spf1 -all foo=bar moo.cow-far_out=man:dog/cat',
      mechanisms: ['-all'],
      modifiers: ['foo', 'moo.cow-far_out'],
    },
    { record: 'v=spf1 INCLUDE:Example.ORG -ALL', mechanisms: ['+include', '-all'] },
    { record: 'v=spf1 include:example.org.', mechanisms: ['+include'] },
  ];
  for (const { record, mechanisms, modifiers = [] } of cases) {
    test(record, () => {
      const parsed = parseSpf(record);
      assert.deepEqual(parsed.errors, []);
      assert.equal(parsed.valid, true);
      assert.deepEqual(
        parsed.mechanisms.map((m) => `${m.qualifier}${m.name}`),
        mechanisms,
      );
      assert.deepEqual(
        parsed.modifiers.map((m) => m.name),
        modifiers,
      );
    });
  }

  test('captures arguments, CIDR lengths and positions', () => {
    const parsed = parseSpf('v=spf1 ip4:192.0.2.0/24 a:mail.example.org/28//64 -include:x.example.org');
    const [ip4, a, include] = parsed.mechanisms;
    assert.deepEqual([ip4?.network, ip4?.ip4Cidr, ip4?.position], ['192.0.2.0', 24, 7]);
    assert.deepEqual([a?.domainSpec, a?.ip4Cidr, a?.ip6Cidr, a?.position], ['mail.example.org', 28, 64, 24]);
    assert.deepEqual(
      [include?.qualifier, include?.explicitQualifier, include?.domainSpec],
      ['-', true, 'x.example.org'],
    );
  });

  test('an unknown modifier spelled like a mechanism is legal but warned about', () => {
    const parsed = parseSpf('v=spf1 include=example.org -all');
    assert.equal(parsed.valid, true);
    assert.equal(parsed.warnings.length, 1);
  });
});

describe('parseSpf: syntax errors', () => {
  const cases: Array<{ record: string; code: SpfSyntaxErrorCode; position: number }> = [
    { record: 'v=spf1 ipv4:203.0.113.5 -all', code: 'unknown_mechanism', position: 7 },
    { record: 'v=spf1 ip4:192.0.2.1 includes:example.org -all', code: 'unknown_mechanism', position: 21 },
    { record: 'v=spf1 ip4:300.1.1.1 -all', code: 'bad_ip4', position: 7 },
    { record: 'v=spf1 ip4:192.0.2 -all', code: 'bad_ip4', position: 7 },
    { record: 'v=spf1 ip4:192.0.2.01 -all', code: 'bad_ip4', position: 7 },
    { record: 'v=spf1 ip4: -all', code: 'bad_ip4', position: 7 },
    { record: 'v=spf1 ip4:192.0.2.0/33 -all', code: 'bad_cidr', position: 7 },
    { record: 'v=spf1 ip4:192.0.2.0/ -all', code: 'bad_cidr', position: 7 },
    { record: 'v=spf1 ip6:2001:db8::g -all', code: 'bad_ip6', position: 7 },
    { record: 'v=spf1 ip6:192.0.2.1 -all', code: 'bad_ip6', position: 7 },
    { record: 'v=spf1 ip6:2001:db8::/129 -all', code: 'bad_cidr', position: 7 },
    { record: 'v=spf1 a/33 -all', code: 'bad_cidr', position: 7 },
    { record: 'v=spf1 mx:example.org//200 -all', code: 'bad_cidr', position: 7 },
    { record: 'v=spf1 include: -all', code: 'empty_domain_spec', position: 7 },
    { record: 'v=spf1 include -all', code: 'empty_domain_spec', position: 7 },
    { record: 'v=spf1 exists: -all', code: 'empty_domain_spec', position: 7 },
    { record: 'v=spf1 redirect=', code: 'empty_domain_spec', position: 7 },
    { record: 'v=spf1 a: -all', code: 'empty_domain_spec', position: 7 },
    { record: 'v=spf1 include:localhost -all', code: 'bad_domain_spec', position: 7 },
    { record: 'v=spf1 include:192.0.2.1 -all', code: 'bad_domain_spec', position: 7 },
    { record: 'v=spf1 exists:%{z}.example.org -all', code: 'bad_macro', position: 7 },
    { record: 'v=spf1 -all redirect=a.example.org redirect=b.example.org', code: 'duplicate_modifier', position: 35 },
    { record: 'v=spf1 -all exp=a.example.org exp=b.example.org', code: 'duplicate_modifier', position: 30 },
    { record: 'v=spf1 all:example.org', code: 'malformed_term', position: 7 },
    { record: 'v=spf1 ptr/24 -all', code: 'malformed_term', position: 7 },
    { record: 'v=spf1 -redirect=example.org', code: 'unknown_mechanism', position: 7 },
    { record: 'v=spf1 ip4:192.0.2.1\t-all', code: 'invalid_character', position: 7 },
    { record: 'v=spf1 =foo -all', code: 'malformed_term', position: 7 },
    { record: 'spf1 -all', code: 'not_spf', position: 0 },
  ];
  for (const { record, code, position } of cases) {
    test(`${JSON.stringify(record)} -> ${code} at ${position}`, () => {
      const parsed = parseSpf(record);
      assert.equal(parsed.valid, false);
      assert.deepEqual(
        parsed.errors.map((e) => [e.code, e.position]),
        [[code, position]],
      );
      assert.ok(record.slice(position).startsWith(parsed.errors[0]!.term), 'the error names the offending term');
    });
  }

  test('reports every error, not only the first', () => {
    const parsed = parseSpf('v=spf1 ipv4:192.0.2.1 ip4:300.0.0.1 include: -all');
    assert.deepEqual(
      parsed.errors.map((e) => e.code),
      ['unknown_mechanism', 'bad_ip4', 'empty_domain_spec'],
    );
  });
});

describe('firstAll and lookupTerms (RFC 7208 4.6.4, 5.1, 6.1)', () => {
  test('the first all decides; later terms are never reached', () => {
    const parsed = parseSpf('v=spf1 include:a.example.org ~all include:b.example.org -all');
    assert.equal(firstAll(parsed)?.qualifier, '~');
    assert.deepEqual(
      lookupTerms(parsed).map((t) => t.text),
      ['include:a.example.org'],
    );
  });

  test('redirect counts only when the record has no all', () => {
    assert.deepEqual(
      lookupTerms(parseSpf('v=spf1 a mx ip4:192.0.2.1 ptr exists:x.example.org redirect=r.example.org')).map(
        (t) => t.text,
      ),
      ['a', 'mx', 'ptr', 'exists:x.example.org', 'redirect=r.example.org'],
    );
    assert.deepEqual(
      lookupTerms(parseSpf('v=spf1 a redirect=r.example.org -all')).map((t) => t.text),
      ['a'],
    );
  });
});

describe('parseSpf: the grammar of RFC 7208 12 as the RFC 7208 test suite reads it', () => {
  test('a ":" and a "/" are macro-literals: a:foo:bar/baz.example.com is one domain-spec, no CIDR', () => {
    const parsed = parseSpf('v=spf1 a:foo:bar/baz.example.com mx:foo:bar/baz.example.com/24 -all');
    assert.equal(parsed.valid, true, JSON.stringify(parsed.errors));
    assert.equal(parsed.mechanisms[0]!.domainSpec, 'foo:bar/baz.example.com');
    assert.equal(parsed.mechanisms[0]!.ip4Cidr, undefined);
    assert.equal(parsed.mechanisms[1]!.domainSpec, 'foo:bar/baz.example.com');
    assert.equal(parsed.mechanisms[1]!.ip4Cidr, 24);
  });
  test('a "/" inside a macro is a delimiter, not a CIDR length', () => {
    const parsed = parseSpf('v=spf1 exists:%{l2r/}.example.com a:%{d2/}');
    assert.equal(parsed.valid, true, JSON.stringify(parsed.errors));
  });
  test('an all-numeric top label is an IP written where a domain belongs', () => {
    for (const record of ['v=spf1 a:111.222.33.44', 'v=spf1 mx:example.123', 'v=spf1 include:1.2.3.4']) {
      assert.equal(parseSpf(record).errors[0]?.code, 'bad_domain_spec', record);
    }
    assert.equal(parseSpf('v=spf1 a:example.1-2').valid, true);
  });
  test('c, r and t are explanation-text macros: an error in any domain-spec, exp= included', () => {
    for (const record of [
      'v=spf1 exists:%{c}.example.com',
      'v=spf1 -all exp=%{r}.example.com',
      'v=spf1 a:%{t}.x.org',
    ]) {
      assert.equal(parseSpf(record).errors[0]?.code, 'bad_macro', record);
    }
  });
});
