import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckOutcome } from '../../core/types.js';
import { checkDnssec } from '../../checks/dns_health/dnssec.check.js';
import { dsForKey } from '../../dnssec/keys.js';
import { buildHierarchy, zoneFetch } from '../../dnssec/test-support.js';
import { formatTrustAnchor, IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors } from '../../dnssec/trust-anchor.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { probeDnssec } from './dnssec.probe.js';
import { createTestDnsClient, randomLoopbackNet, respond, startScriptedServer } from './dns-infra.test-helpers.js';
import type { ScriptedServer } from './dns-infra.test-helpers.js';

const NOW = 1_750_000_000;
const { zones, anchorKsk } = buildHierarchy({ inception: NOW - 3600, expiration: NOW + 30 * 86400 });
// The anchor in its published text form, as the lab hands it to the scanner.
const ANCHORS = parseTrustAnchors(`${formatTrustAnchor(dsForKey('test', anchorKsk.dnskey))}\n`);
const fetchFromZones = zoneFetch(zones);

const { x, y } = randomLoopbackNet();
let resolver: ScriptedServer;
let silent: ScriptedServer;
let dnssecOkSeen = false;

before(async () => {
  // A non-validating resolver over the signed hierarchy: RRSIGs and NSEC proofs come back with the
  // answers; it never sets AD, so everything is validated by the probe.
  resolver = await startScriptedServer(`127.${x}.${y}.53`, 0, async (query) => {
    const q = query.questions?.[0];
    if (!q || (q.type !== 'DNSKEY' && q.type !== 'DS' && q.type !== 'SOA')) return respond(query, { rcode: 'REFUSED' });
    const opt = query.additionals?.find((r) => r.type === 'OPT');
    if (opt && 'flag_do' in opt && opt.flag_do) dnssecOkSeen = true;
    const r = await fetchFromZones(q.name, q.type);
    if (!r.ok) return null;
    return respond(query, { rcode: r.rcode, ra: true, answers: r.answers, authorities: r.authorities });
  });
  silent = await startScriptedServer(`127.${x}.${y}.54`, 0, () => null);
});

after(async () => {
  await Promise.all([resolver.close(), silent.close()]);
});

function context(client: DnsClient, server: ScriptedServer = resolver): DnsProbeContext {
  return {
    client,
    resolver: { address: server.address, port: server.port },
    nameServerPort: 53,
    queryOptions: { timeoutMs: 400, retries: 0 },
    now: () => NOW,
  };
}

const summary = (out: CheckOutcome): string[] => [
  ...out.findings.map((f) => `finding ${f.type} ${f.asset.host}`),
  ...out.controls.map((c) => `control ${c.control} ${c.asset.host}`),
  ...out.notAssessed.map((n) => `not_assessed ${n.check} ${n.asset.host}`),
];

const CLIENTS: Array<[string, () => DnsClient]> = [
  ['test client (dgram + dns-packet)', createTestDnsClient],
  ['project client (dns-client.ts)', () => createDnsClient()],
];

for (const [label, makeClient] of CLIENTS) {
  describe(`probeDnssec through a real loopback resolver, ${label}`, () => {
    let client: DnsClient;
    before(() => {
      client = makeClient();
    });
    after(async () => {
      await client.close();
    });

    const cases: Array<[string, string[]]> = [
      ['good.test', ['control dns.dnssec.valid good.test']],
      ['unsigned.test', ['finding dns.dnssec.unsigned unsigned.test']],
      ['expired.test', ['finding dns.dnssec.invalid expired.test']],
      ['bad.test', ['finding dns.dnssec.invalid bad.test']],
      ['mismatch.test', ['finding dns.dnssec.invalid mismatch.test']],
    ];
    for (const [domain, expected] of cases) {
      test(`${domain}: ${expected.join(', ')}`, async () => {
        const attempt = await probeDnssec(domain, context(client), ANCHORS);
        assert.equal(attempt.status, 'completed');
        assert.deepEqual(summary(checkDnssec(domain, attempt)), expected);
        assert.ok(dnssecOkSeen, 'queries carry the DO bit');
      });
    }

    test('expired signatures are reported with the reason the validator gave', async () => {
      const attempt = await probeDnssec('expired.test', context(client), ANCHORS);
      const finding = checkDnssec('expired.test', attempt).findings[0];
      assert.match(String(finding?.evidence['reason']), /expired/);
    });

    test('a silent resolver: not assessed, never unsigned or valid', async () => {
      const attempt = await probeDnssec('good.test', context(client, silent), ANCHORS);
      assert.deepEqual(summary(checkDnssec('good.test', attempt)), ['not_assessed dns.dnssec good.test']);
    });

    test('an anchor that does not cover the zone: not assessed', async () => {
      const attempt = await probeDnssec('good.test', context(client), parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS));
      assert.deepEqual(summary(checkDnssec('good.test', attempt)), ['not_assessed dns.dnssec good.test']);
    });
  });
}
