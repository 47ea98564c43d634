import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { checkEmailAuth, countSpfTree } from '../../checks/dns_health/email-auth.check.js';
import { dkimRsaRecord } from '../../email-auth/dkim.test-support.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { probeEmailAuth } from './email-auth.probe.js';
import { COMMON_DKIM_SELECTORS } from './email-auth.types.js';
import type { SpfNode } from './email-auth.types.js';
import { createTestDnsClient, startTestDnsServer, testProbeContext, txt, zoneOf } from './email-auth.test-support.js';
import type { TestDnsServer } from './email-auth.test-support.js';

const D = 'clinic.test';

/**
 * SPF tree with 11 DNS-lookup terms (RFC 7208 4.6.4) and 3 void lookups:
 *   apex:  include:spf1, include:spf2, a:nx1 (NXDOMAIN, void), mx:txtonly (no MX, void), exists:nx3 (NXDOMAIN, void) =
 * 5
 *   spf1:  a:mail, include:spf3 = 2
 *   spf3:  mx:clinic.test, a:v6only (AAAA only: not void) = 2
 *   spf2:  exists:mail, redirect=spf4 = 2
 *   spf4:  `-all include:ignored`: terms after all are never evaluated (RFC 7208 5.1) = 0
 */
function clinicZone(): Answer[] {
  return [
    txt(D, `v=spf1 include:spf1.${D} include:spf2.${D} a:nx1.${D} mx:txtonly.${D} exists:nx3.${D} -all`),
    txt(D, 'google-site-verification=0123456789'),
    { type: 'MX', name: D, ttl: 300, data: { preference: 10, exchange: `mail.${D}` } },
    txt(`spf1.${D}`, `v=spf1 a:mail.${D} include:spf3.${D} ~all`),
    txt(`spf2.${D}`, `v=spf1 ip4:192.0.2.1 exists:mail.${D} redirect=spf4.${D}`),
    txt(`spf3.${D}`, `v=spf1 mx:${D} a:v6only.${D} -all`),
    txt(`spf4.${D}`, `v=spf1 ip6:2001:db8::/32 -all include:ignored.${D}`),
    { type: 'A', name: `mail.${D}`, ttl: 300, data: '192.0.2.25' },
    { type: 'AAAA', name: `v6only.${D}`, ttl: 300, data: '2001:db8::25' },
    txt(`txtonly.${D}`, 'just text'),
    txt(`_dmarc.${D}`, `v=DMARC1; p=reject; rua=mailto:dmarc@${D}`),
    // 2048-bit key TXT exceeds 255 bytes, so it travels as several character-strings (RFC 6376 3.6.2.2).
    txt(`selector1._domainkey.${D}`, dkimRsaRecord(1024)),
    txt(`selector2._domainkey.${D}`, dkimRsaRecord(2048)),
  ];
}

function countNodes(node: SpfNode): string[] {
  const out = [node.domain];
  for (const term of node.terms) if (term.outcome.kind === 'followed') out.push(...countNodes(term.outcome.node));
  return out;
}

/** The probe runs against the stand-in client and the real one (dns-client.ts). */
const CLIENTS: Array<[string, () => DnsClient]> = [
  ['stand-in client', createTestDnsClient],
  ['dns-client.ts', () => createDnsClient()],
];

for (const [label, createClient] of CLIENTS) {
  describe(`probeEmailAuth against a real DNS server on loopback (${label})`, () => {
    let server: TestDnsServer;
    let client: DnsClient;
    before(async () => {
      server = await startTestDnsServer(zoneOf(clinicZone()));
      client = createClient();
    });
    after(async () => {
      await client.close();
      await server.close();
    });

    test('fetches SPF tree, DMARC, DKIM and MX, and the checks judge them', async () => {
      const obs = await probeEmailAuth(`${D.toUpperCase()}.`, testProbeContext(client, server.server));
      assert.equal(obs.domain, D);
      assert.equal(obs.apexTxt.status, 'completed');
      assert.equal(obs.spfRecords.length, 1);
      assert.ok(obs.spfTree);
      assert.deepEqual(countNodes(obs.spfTree), [D, `spf1.${D}`, `spf3.${D}`, `spf2.${D}`, `spf4.${D}`]);

      const counts = countSpfTree(obs.spfTree);
      assert.equal(counts.lookups, 11);
      assert.equal(counts.voids.length, 3);
      assert.deepEqual(counts.unknownLookups, []);

      assert.equal(obs.dkim.length, COMMON_DKIM_SELECTORS.length);
      assert.equal(obs.mx.status === 'completed' && obs.mx.result.records[0]?.exchange, `mail.${D}`);

      const outcome = checkEmailAuth(obs);
      assert.deepEqual(outcome.findings.map((f) => f.type).sort(), [
        'dns.dkim.weak_key',
        'dns.spf.too_many_lookups',
        'dns.spf.void_lookups',
      ]);
      assert.deepEqual(outcome.controls.map((c) => c.control).sort(), ['dns.dkim.strong_key', 'dns.dmarc.reject']);
      assert.deepEqual(outcome.notAssessed, []);
      const weak = outcome.findings.find((f) => f.type === 'dns.dkim.weak_key')!;
      assert.equal(weak.evidence['selector'], 'selector1');
      assert.equal(weak.evidence['bits'], 1024);
      const strong = outcome.controls.find((c) => c.control === 'dns.dkim.strong_key')!;
      assert.equal(strong.evidence['bits'], 2048);
      const voids = outcome.findings.find((f) => f.type === 'dns.spf.void_lookups')!;
      assert.deepEqual(voids.evidence['voids'], [
        `${D}: a:nx1.${D} -> NXDOMAIN`,
        `${D}: mx:txtonly.${D} -> no answer`,
        `${D}: exists:nx3.${D} -> NXDOMAIN`,
      ]);
    });

    test('asks each question once and never evaluates terms after all', async () => {
      const before = server.queries.length;
      await probeEmailAuth(D, testProbeContext(client, server.server));
      const asked = server.queries.slice(before);
      assert.equal(new Set(asked).size, asked.length, `duplicate questions: ${asked.join(', ')}`);
      assert.ok(!asked.some((q) => q.includes('ignored.')), 'include after -all was queried');
      // 5 SPF TXT + 6 distinct a/mx/exists questions + 1 AAAA fallback + DMARC + 18 DKIM. The apex MX is
      // shared with `mx:clinic.test`, and `A mail.clinic.test` with `exists:mail.clinic.test`.
      assert.equal(asked.length, 5 + 6 + 1 + 1 + COMMON_DKIM_SELECTORS.length);
    });
  });

  describe(`probeEmailAuth: loops, silence and partial silence (${label})`, () => {
    test('an include loop is cut and reported as over the limit', async () => {
      const zone = zoneOf([
        txt('loop.test', 'v=spf1 include:a.loop.test -all'),
        txt('a.loop.test', 'v=spf1 include:b.loop.test -all'),
        txt('b.loop.test', 'v=spf1 include:loop.test -all'),
      ]);
      const server = await startTestDnsServer(zone, { address: '127.0.88.1' });
      const client = createClient();
      try {
        const obs = await probeEmailAuth('loop.test', testProbeContext(client, server.server));
        const outcome = checkEmailAuth(obs);
        const finding = outcome.findings.find((f) => f.type === 'dns.spf.too_many_lookups');
        assert.ok(finding, 'loop reported');
        assert.deepEqual(finding.evidence['stoppedAt'], ['b.loop.test: include:loop.test (loop)']);
        assert.equal(server.queries.filter((q) => q === 'TXT loop.test').length, 1);
      } finally {
        await client.close();
        await server.close();
      }
    });

    test('a silent server yields not assessed for every check, never "missing"', async () => {
      const server = await startTestDnsServer(new Map(), { silent: true });
      const client = createClient();
      try {
        const started = Date.now();
        const obs = await probeEmailAuth(D, testProbeContext(client, server.server, 150));
        assert.ok(Date.now() - started < 2000, 'look-ups ran concurrently');
        assert.equal(obs.apexTxt.status === 'not_assessed' && obs.apexTxt.reason, 'timeout');
        const outcome = checkEmailAuth(obs);
        assert.deepEqual(outcome.findings, []);
        assert.deepEqual(outcome.controls, []);
        assert.deepEqual(outcome.notAssessed.map((n) => n.check).sort(), [
          'dns.dkim',
          'dns.dmarc',
          'dns.mx',
          'dns.spf',
        ]);
      } finally {
        await client.close();
        await server.close();
      }
    });

    test('an include target that never answers leaves the lookup limits not assessed', async () => {
      const zone = zoneOf([
        txt('partial.test', 'v=spf1 include:slow.partial.test -all'),
        txt('_dmarc.partial.test', 'v=DMARC1; p=reject; rua=mailto:d@partial.test'),
        { type: 'MX', name: 'partial.test', ttl: 300, data: { preference: 0, exchange: '.' } },
      ]);
      const server = await startTestDnsServer(zone, { silentNames: new Set(['slow.partial.test']) });
      const client = createClient();
      try {
        const obs = await probeEmailAuth('partial.test', testProbeContext(client, server.server, 150));
        const outcome = checkEmailAuth(obs);
        assert.deepEqual(
          outcome.findings.map((f) => f.type),
          ['dns.dkim.not_found'],
        );
        assert.deepEqual(
          outcome.controls.map((c) => c.control),
          ['dns.dmarc.reject'],
        );
        assert.deepEqual(outcome.notAssessed.map((n) => n.check).sort(), [
          'dns.spf.too_many_lookups',
          'dns.spf.void_lookups',
        ]);
        // The null MX (RFC 7505) decodes as the root and is not a missing MX.
        assert.deepEqual(obs.mx.status === 'completed' && obs.mx.result.records, [{ preference: 0, exchange: '' }]);
      } finally {
        await client.close();
        await server.close();
      }
    });
  });
}
