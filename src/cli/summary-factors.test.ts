import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsByFactor } from './summary.js';

test('a scan line counts findings per factor, in the factors order', () => {
  assert.equal(findingsByFactor([]), '0 findings');
  assert.equal(findingsByFactor([{ type: 'dns.spf.missing' }]), '1 finding (dns_health 1)');
  assert.equal(
    findingsByFactor([{ type: 'tls.cert.expired' }, { type: 'dns.spf.missing' }, { type: 'dns.dmarc.missing' }]),
    '3 findings (dns_health 2, tls 1)',
  );
});
