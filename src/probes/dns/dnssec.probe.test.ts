import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckOutcome } from '../../core/types.js';
import { checkDnssec } from '../../checks/dns_health/dnssec.check.js';
import { dsForKey } from '../../dnssec/keys.js';
import { buildHierarchy, zoneFetch } from '../../dnssec/test-support.js';
import { NSEC3_MAX_ITERATIONS } from '../../dnssec/nsec3.js';
import type { DnssecFetch } from '../../dnssec/validate.js';
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

/**
 * A non-validating resolver over a signed hierarchy: RRSIGs and NSEC/NSEC3 proofs come back with the
 * answers; it never sets AD, so everything is validated by the probe.
 */
function startResolver(address: string, fetch: DnssecFetch): Promise<ScriptedServer> {
  return startScriptedServer(address, 0, async (query) => {
    const q = query.questions?.[0];
    if (!q || (q.type !== 'DNSKEY' && q.type !== 'DS' && q.type !== 'SOA')) return respond(query, { rcode: 'REFUSED' });
    const opt = query.additionals?.find((r) => r.type === 'OPT');
    if (opt && 'flag_do' in opt && opt.flag_do) dnssecOkSeen = true;
    const r = await fetch(q.name, q.type);
    if (!r.ok) return null;
    return respond(query, { rcode: r.rcode, ra: true, answers: r.answers, authorities: r.authorities });
  });
}

const WINDOW = { inception: NOW - 3600, expiration: NOW + 30 * 86400 };
const nsec3Fetch = zoneFetch(
  buildHierarchy(WINDOW, { nsec3: { salt: Buffer.from('5a17', 'hex'), iterations: 3 } }).zones,
);
const optOutFetch = zoneFetch(
  buildHierarchy(WINDOW, { nsec3: { salt: Buffer.alloc(0), iterations: 0, optOut: true } }).zones,
);
const overCapFetch = zoneFetch(
  buildHierarchy(WINDOW, { nsec3: { salt: Buffer.alloc(0), iterations: NSEC3_MAX_ITERATIONS + 50 } }).zones,
);
/** Hides good.test's DS and answers with the parent's signed, genuine denial for unsigned.test instead. */
const replayingFetch: DnssecFetch = (name, type) =>
  name === 'good.test' && type === 'DS' ? nsec3Fetch('unsigned.test', 'DS') : nsec3Fetch(name, type);
/** Strips the signatures of the NSEC3 records. */
const unsignedProofFetch: DnssecFetch = async (name, type) => {
  const r = await nsec3Fetch(name, type);
  if (!r.ok) return r;
  return { ...r, authorities: r.authorities.filter((a) => !(a.type === 'RRSIG' && a.data.typeCovered === 'NSEC3')) };
};

/** Resolvers over NSEC3 parents: [label, fetch, domain, expected summary]. */
const NSEC3_CASES: Array<[string, DnssecFetch, string, string[]]> = [
  ['NSEC3 parent, correct proof of no DS', nsec3Fetch, 'unsigned.test', ['finding dns.dnssec.unsigned unsigned.test']],
  ['NSEC3 parent, signed child', nsec3Fetch, 'good.test', ['control dns.dnssec.valid good.test']],
  ['Opt-Out NSEC3 parent, correct proof', optOutFetch, 'unsigned.test', ['finding dns.dnssec.unsigned unsigned.test']],
  ['DS hidden, another name’s denial replayed', replayingFetch, 'good.test', ['finding dns.dnssec.invalid good.test']],
  ['NSEC3 proof without signatures', unsignedProofFetch, 'unsigned.test', ['finding dns.dnssec.invalid unsigned.test']],
  ['NSEC3 iterations over the RFC 9276 cap', overCapFetch, 'unsigned.test', ['not_assessed dns.dnssec unsigned.test']],
];
const nsec3Resolvers: ScriptedServer[] = [];

before(async () => {
  resolver = await startResolver(`127.${x}.${y}.53`, fetchFromZones);
  silent = await startScriptedServer(`127.${x}.${y}.54`, 0, () => null);
  for (const [i, [, fetch]] of NSEC3_CASES.entries()) {
    nsec3Resolvers.push(await startResolver(`127.${x}.${y}.${60 + i}`, fetch));
  }
});

after(async () => {
  await Promise.all([resolver.close(), silent.close(), ...nsec3Resolvers.map((r) => r.close())]);
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

    for (const [i, [caseLabel, , domain, expected]] of NSEC3_CASES.entries()) {
      test(`${caseLabel}: ${expected.join(', ')}`, async () => {
        const attempt = await probeDnssec(domain, context(client, nsec3Resolvers[i]), ANCHORS);
        const out = checkDnssec(domain, attempt);
        assert.deepEqual(summary(out), expected, JSON.stringify(out));
        if (expected[0]?.startsWith('not_assessed')) assert.match(out.notAssessed[0]!.reason, /RFC 9276/);
        if (expected[0]?.includes('dns.dnssec.unsigned')) assert.equal(out.findings[0]?.evidence['provenBy'], 'nsec3');
      });
    }

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
