import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeAttempt } from '../../core/types.js';
import { getControlType, getFindingType } from '../../catalogue/catalogue.js';
import type { ZoneValidation } from '../../dnssec/validate.js';
import { checkDnssec } from './dnssec.check.js';

const completed = (result: ZoneValidation): ProbeAttempt<ZoneValidation> => ({ status: 'completed', result });

const cases: Array<{
  name: string;
  attempt: ProbeAttempt<ZoneValidation>;
  expected: string[];
  evidence?: Record<string, unknown>;
}> = [
  {
    name: 'secure: control dns.dnssec.valid, no finding',
    attempt: completed({ status: 'secure', chain: ['test', 'clinic.test'] }),
    expected: ['control dns.dnssec.valid'],
    evidence: { chain: ['test', 'clinic.test'] },
  },
  {
    name: 'insecure (no DS in the parent): dns.dnssec.unsigned',
    attempt: completed({ status: 'insecure', reason: 'no DS for clinic.test in test', provenBy: 'nsec' }),
    expected: ['finding dns.dnssec.unsigned'],
    evidence: { reason: 'no DS for clinic.test in test', provenBy: 'nsec' },
  },
  {
    name: 'bogus (expired signatures): dns.dnssec.invalid',
    attempt: completed({
      status: 'bogus',
      reason: 'expired signature on SOA',
      detail: 'RRSIG SOA clinic.test expired',
    }),
    expected: ['finding dns.dnssec.invalid'],
    evidence: { reason: 'expired signature on SOA', detail: 'RRSIG SOA clinic.test expired' },
  },
  {
    name: 'indeterminate (a look-up failed): not assessed',
    attempt: completed({ status: 'indeterminate', reason: 'DS look-up for clinic.test failed: timeout' }),
    expected: ['not_assessed dns.dnssec'],
  },
  {
    name: 'probe failed: not assessed',
    attempt: { status: 'not_assessed', reason: 'other', detail: 'validator crashed' },
    expected: ['not_assessed dns.dnssec'],
  },
];

describe('checkDnssec', () => {
  for (const c of cases) {
    test(c.name, () => {
      const out = checkDnssec('Clinic.test.', c.attempt);
      const got = [
        ...out.findings.map((f) => `finding ${f.type}`),
        ...out.controls.map((x) => `control ${x.control}`),
        ...out.notAssessed.map((n) => `not_assessed ${n.check}`),
      ];
      assert.deepEqual(got, c.expected);
      const item = out.findings[0] ?? out.controls[0] ?? out.notAssessed[0];
      assert.deepEqual(item?.asset, { host: 'clinic.test' });
      if (c.evidence) assert.deepEqual((out.findings[0] ?? out.controls[0])?.evidence, c.evidence);
      for (const f of out.findings) assert.equal(getFindingType(f.type).id, f.type);
      for (const x of out.controls) assert.equal(getControlType(x.control).id, x.control);
    });
  }
});
