import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError, normalizeDomain, isAtOrBelow } from './names.js';

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
