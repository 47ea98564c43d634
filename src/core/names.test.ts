import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalName, InvalidInputError, normalizeDomain, isAtOrBelow, parseDomainName } from './names.js';

describe('normalizeDomain', () => {
  const valid: Array<[string, string]> = [
    ['Example.ORG', 'example.org'],
    ['clinic.test.', 'clinic.test'],
    ['  mychart.northwind-clinic.test ', 'mychart.northwind-clinic.test'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ];
  for (const [input, expected] of valid) {
    test(`accepts ${JSON.stringify(input)}`, () => assert.equal(normalizeDomain(input), expected));
  }
  const invalid = [
    '',
    'localhost',
    '-bad.example',
    'bad-.example',
    'a..b',
    'exa mple.org',
    'http://example.org',
    'user@example.org',
    '127.0.0.1',
    `${'x'.repeat(64)}.org`,
    `${'a.'.repeat(130)}org`,
    'example.123',
    'under_score.org',
  ];
  for (const input of invalid) {
    test(`rejects ${JSON.stringify(input.slice(0, 40))}`, () =>
      assert.throws(() => normalizeDomain(input), InvalidInputError));
  }
});

test('isAtOrBelow', () => {
  assert.equal(isAtOrBelow('www.clinic.test', 'clinic.test'), true);
  assert.equal(isAtOrBelow('clinic.test.', 'clinic.test'), true);
  assert.equal(isAtOrBelow('otherclinic.test', 'clinic.test'), false);
});

describe('canonicalName: the one form names are compared and stored in', () => {
  const cases: Array<[string, string]> = [
    ['Example.ORG', 'example.org'],
    ['www.Clinic.Test.', 'www.clinic.test'],
    ['clinic.test..', 'clinic.test.'], // only one root dot is removed: an empty label stays visible
    ['.', ''], // the root
    ['', ''],
    ['_dmarc.Example.org.', '_dmarc.example.org'], // service labels from the wire are kept as they are
    ['*.example.org', '*.example.org'],
    ['xn--bcher-kva.example.', 'xn--bcher-kva.example'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => assert.equal(canonicalName(input), expected));
  }

  test('is idempotent and agrees with parseDomainName on valid names', () => {
    for (const name of ['Example.ORG.', 'a.b.c.d.Test', 'Bücher.Example.']) {
      const parsed = parseDomainName(name);
      assert.ok(parsed.ok);
      assert.equal(canonicalName(parsed.domain), parsed.domain);
      assert.equal(canonicalName(canonicalName(name)), canonicalName(name));
    }
  });
});

describe('parseDomainName: edge cases of names people type', () => {
  test('trailing dot, upper case and IDN give one canonical A-label form', () => {
    for (const spelling of ['bücher.example', 'BÜCHER.EXAMPLE', 'Bücher.Example.', ' bücher.example. '])
      assert.deepEqual(parseDomainName(spelling), { ok: true, domain: 'xn--bcher-kva.example' }, spelling);
    assert.deepEqual(parseDomainName('München.DE.'), { ok: true, domain: 'xn--mnchen-3ya.de' });
  });

  test('empty, the root and blank input are refused as empty', () => {
    for (const empty of ['', '.', '   ', ' . '])
      assert.deepEqual(parseDomainName(empty), { ok: false, reason: 'empty domain name' }, JSON.stringify(empty));
  });

  test('a label of 63 characters is accepted, 64 is not; 253 characters in all, 254 not', () => {
    assert.equal(parseDomainName(`${'a'.repeat(63)}.example`).ok, true);
    const long = parseDomainName(`${'a'.repeat(64)}.example`);
    assert.equal(long.ok, false);
    assert.match(long.ok ? '' : long.reason, /invalid label "a{20}…"/);
    const name253 = `${'a'.repeat(61)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`;
    assert.equal(name253.length, 253);
    assert.equal(parseDomainName(name253).ok, true);
    const too = parseDomainName(`x${name253}`);
    assert.equal(too.ok, false);
    assert.match(too.ok ? '' : too.reason, /longer than 253 characters/);
  });

  test('an IDN whose A-label form passes 63 characters is refused', () => {
    const result = parseDomainName(`${'ü'.repeat(60)}.example`);
    assert.equal(result.ok, false);
  });

  test('invalid punycode, percent escapes, wildcards and underscores are refused', () => {
    for (const bad of ['xn--zz.example', 'a%41.com', '*.example.org', '_dmarc.example.org', 'a..b.example']) {
      const result = parseDomainName(bad);
      assert.equal(result.ok, false, bad);
    }
    // Not percent-decoded into another name.
    assert.equal(parseDomainName('a%2eb.example').ok, false);
  });

  test('a single label and an IP address say why', () => {
    const single = parseDomainName('localhost');
    assert.match(single.ok ? '' : single.reason, /single label.*two labels/);
    const ip = parseDomainName('192.0.2.1');
    assert.match(ip.ok ? '' : ip.reason, /is an IP address/);
    const v6 = parseDomainName('2001:db8::1');
    assert.match(v6.ok ? '' : v6.reason, /is an IP address/);
  });

  test('normalizeDomain throws the same reason as an InvalidInputError (exit status 2)', () => {
    assert.throws(
      () => normalizeDomain('a..b.example'),
      (error: unknown) =>
        error instanceof InvalidInputError && error.exitStatus === 2 && /invalid label ""/.test(error.message),
    );
  });
});
