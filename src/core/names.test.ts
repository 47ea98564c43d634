import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError, normalizeDomain, specialAddressKind, isAtOrBelow } from './names.js';

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

describe('specialAddressKind', () => {
  const cases: Array<[string, string | null]> = [
    ['127.16.0.5', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['172.32.0.1', null],
    ['192.168.1.1', 'private'],
    ['169.254.10.10', 'link-local'],
    ['8.8.8.8', null],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12::1', 'private (unique local)'],
    ['2001:db8::1', null],
    ['::ffff:127.0.0.1', 'loopback'],
    ['not-an-ip', 'not an IP address'],
  ];
  for (const [ip, kind] of cases) test(`${ip} → ${kind}`, () => assert.equal(specialAddressKind(ip), kind));
});

test('isAtOrBelow', () => {
  assert.equal(isAtOrBelow('www.clinic.test', 'clinic.test'), true);
  assert.equal(isAtOrBelow('clinic.test.', 'clinic.test'), true);
  assert.equal(isAtOrBelow('otherclinic.test', 'clinic.test'), false);
});
