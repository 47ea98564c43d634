import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDmarcRecord, parseDmarc } from './dmarc.js';

describe('parseDmarc (RFC 7489 6.3, 6.4)', () => {
  const valid: Array<[string, { policy: string; pct?: number; rua: string[] }]> = [
    ['v=DMARC1; p=reject; rua=mailto:d@example.org', { policy: 'reject', rua: ['mailto:d@example.org'] }],
    ['v=DMARC1;p=quarantine;pct=50', { policy: 'quarantine', pct: 50, rua: [] }],
    [
      'v = DMARC1 ; p = none ; rua = mailto:a@example.org , mailto:b@example.org!10m ;',
      { policy: 'none', rua: ['mailto:a@example.org', 'mailto:b@example.org!10m'] },
    ],
    [
      'v=DMARC1; p=REJECT; sp=none; adkim=s; aspf=r; fo=0:1:d:s; ri=86400; rf=afrf; future=tag',
      { policy: 'reject', rua: [] },
    ],
    ['v=DMARC1; rua=mailto:d@example.org; p=reject', { policy: 'reject', rua: ['mailto:d@example.org'] }],
    ['v=DMARC1; p=reject; pct=0', { policy: 'reject', pct: 0, rua: [] }],
  ];
  for (const [record, expected] of valid) {
    test(`valid: ${record}`, () => {
      const parsed = parseDmarc(record);
      assert.deepEqual(parsed.errors, []);
      assert.equal(parsed.policy, expected.policy);
      assert.equal(parsed.pct, expected.pct);
      assert.deepEqual(parsed.rua, expected.rua);
    });
  }
  const invalid = [
    'v=DMARC1',
    'v=DMARC1; rua=mailto:d@example.org',
    'v=DMARC1; p=block',
    'v=DMARC1; p=',
    'v=DMARC1; p=reject; pct=150',
    'v=DMARC1; p=reject; pct=-1',
    'v=DMARC1; p=reject; pct=fifty',
    'v=DMARC1; p=reject; sp=maybe',
    'v=DMARC1; p=reject; rua=d@example.org',
    'v=DMARC1; p=reject; adkim=x',
    'v=DMARC1; p=reject; p=none',
    'v=DMARC1; p reject',
    // ri is a 32-bit unsigned integer (RFC 7489 6.3): 2^32 is one past it.
    'v=DMARC1; p=reject; ri=4294967296',
  ];
  for (const record of invalid) {
    test(`invalid: ${record}`, () => {
      const parsed = parseDmarc(record);
      assert.equal(parsed.valid, false);
      assert.ok(parsed.errors.length > 0);
    });
  }
  // RFC 7489 6.6.3 step 6: no valid p (or an invalid sp) but a valid rua is applied as p=none.
  const appliedAsNone: Array<[string, RegExp[] | null]> = [
    ['v=DMARC1; rua=mailto:d@example.org', [/"p" is missing/]],
    ['v=DMARC1; p=block; rua=mailto:d@example.org', [/p="block"/]],
    ['v=DMARC1; p=; rua=mailto:d@example.org', [/p=""/]],
    ['v=DMARC1; p=reject; sp=maybe; rua=mailto:d@example.org', [/sp="maybe"/]],
    ['v=DMARC1; sp=maybe; rua=mailto:a@example.org,mailto:b@example.org', [/sp="maybe"/, /"p" is missing/]],
    // Without a valid rua the record is simply malformed (receivers apply no DMARC processing).
    ['v=DMARC1; p=block', null],
    ['v=DMARC1', null],
    ['v=DMARC1; rua=d@example.org', null],
    // Other errors besides the policy's: a malformed record, not a p=none one.
    ['v=DMARC1; pct=150; rua=mailto:d@example.org', null],
    ['v=DMARC1; p=reject; p=none; rua=mailto:d@example.org', null],
    // A valid record needs no rule.
    ['v=DMARC1; p=reject; rua=mailto:d@example.org', null],
  ];
  for (const [record, problems] of appliedAsNone) {
    test(`applied as p=none (RFC 7489 6.6.3): ${problems ? 'yes' : 'no'}: ${record}`, () => {
      const parsed = parseDmarc(record);
      if (problems === null) {
        assert.equal(parsed.appliedAsNone, undefined);
        return;
      }
      assert.equal(parsed.valid, false);
      assert.equal(parsed.appliedAsNone?.problems.length, problems.length);
      for (const [i, p] of problems.entries()) assert.match(parsed.appliedAsNone!.problems[i]!, p);
    });
  }
  test('ri: the largest 32-bit unsigned integer is a valid interval', () => {
    assert.deepEqual(parseDmarc('v=DMARC1; p=reject; ri=4294967295').errors, []);
  });
  const detection: Array<[string, boolean]> = [
    ['v=DMARC1; p=none', true],
    ['v=DMARC1', true],
    ['V=DMARC1;p=none', true],
    ['v=dmarc1; p=none', false],
    ['v=DMARC10; p=none', false],
    ['p=none; v=DMARC1', false],
    ['v=spf1 -all', false],
  ];
  for (const [record, expected] of detection) {
    test(`isDmarcRecord(${JSON.stringify(record)}) = ${expected}`, () => assert.equal(isDmarcRecord(record), expected));
  }
});
