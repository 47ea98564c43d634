import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExclusionFileError, excludedNameRule, parseExclusions } from './exclusions.js';

test('an exclusion file: CIDRs, single addresses, domain suffixes, comments and blank lines', () => {
  const exclusions = parseExclusions(
    [
      '# networks we must never touch',
      '10.0.0.0/8',
      '192.0.2.7        # a single host',
      '2001:db8::/32',
      '::1',
      '',
      'Partner-Hospital.example.',
      '*.billing.example.org',
    ].join('\n'),
  );
  assert.deepEqual(exclusions.cidrs, ['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/32', '::1/128']);
  assert.deepEqual(exclusions.suffixes, ['partner-hospital.example', 'billing.example.org']);
  assert.equal(excludedNameRule('ns1.partner-hospital.example', exclusions), 'partner-hospital.example');
  assert.equal(excludedNameRule('partner-hospital.example', exclusions), 'partner-hospital.example');
  assert.equal(excludedNameRule('other-hospital.example', exclusions), undefined);
});

test('bad lines are an error that names each line', () => {
  assert.throws(
    () => parseExclusions('10.0.0.0/8\n10.0.0.0/33\nnot a domain\n300.1.1.1\n'),
    (error: unknown) =>
      error instanceof ExclusionFileError &&
      /line 2: "10\.0\.0\.0\/33"/.test(error.message) &&
      /line 3: "not a domain"/.test(error.message) &&
      /line 4: "300\.1\.1\.1"/.test(error.message),
  );
});
