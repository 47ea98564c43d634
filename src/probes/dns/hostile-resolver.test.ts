/**
 * Failures to observe are never findings: a hostile resolver on loopback that withholds the root
 * DNSKEY, or answers every name of a domain with a CNAME loop, must leave the checks not assessed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { CheckOutcome } from '../../core/types.js';
import { mergeOutcomes } from '../../core/types.js';
import { checkDnsInfra } from '../../checks/dns_health/dns-infra.check.js';
import { checkDnssec } from '../../checks/dns_health/dnssec.check.js';
import { checkEmailAuth } from '../../checks/dns_health/email-auth.check.js';
import { IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors } from '../../dnssec/trust-anchor.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { probeDnsInfra } from './dns-infra.probe.js';
import { createTestDnsClient, randomLoopbackNet, respond, startScriptedServer } from './dns-infra.test-helpers.js';
import type { ScriptedServer } from './dns-infra.test-helpers.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { probeDnssec } from './dnssec.probe.js';
import { probeEmailAuth } from './email-auth.probe.js';
import { resolveHost } from './resolve-host.js';

const LOOPING = 'loop.example';
const { x, y } = randomLoopbackNet();
let resolver: ScriptedServer;

/** Every name at or below LOOPING is an alias of `alias.<name>`, which is an alias of the name again. */
function cnameLoop(name: string): Answer[] {
  const lower = name.toLowerCase();
  const base = lower.startsWith('alias.') ? lower.slice('alias.'.length) : lower;
  return [
    { name: base, type: 'CNAME', ttl: 60, class: 'IN', data: `alias.${base}` },
    { name: `alias.${base}`, type: 'CNAME', ttl: 60, class: 'IN', data: base },
  ];
}

before(async () => {
  resolver = await startScriptedServer(`127.${x}.${y}.77`, 0, (query) => {
    const q = query.questions?.[0];
    if (!q) return null;
    const name = q.name.toLowerCase();
    // A root with no keys: NOERROR and an empty answer, as a resolver stripping DNSSEC data would send.
    if (name === '' || name === '.') return respond(query, { ra: true });
    if (name === LOOPING || name.endsWith(`.${LOOPING}`)) return respond(query, { ra: true, answers: cnameLoop(name) });
    return respond(query, { rcode: 'NXDOMAIN', ra: true });
  });
});

after(async () => {
  await resolver.close();
});

function context(client: DnsClient): DnsProbeContext {
  return {
    client,
    resolver: { address: resolver.address, port: resolver.port },
    nameServerPort: resolver.port,
    queryOptions: { timeoutMs: 500, retries: 0 },
    now: () => 1_750_000_000,
  };
}

const summary = (out: CheckOutcome): string[] => [
  ...out.findings.map((f) => `finding ${f.type}`),
  ...out.controls.map((c) => `control ${c.control}`),
  ...out.notAssessed.map((n) => `not_assessed ${n.check}`),
];

const CLIENTS: Array<[string, () => DnsClient]> = [
  ['test client', createTestDnsClient],
  ['project client (dns-client.ts)', () => createDnsClient()],
];

for (const [label, makeClient] of CLIENTS) {
  describe(`a hostile resolver on loopback, ${label}`, () => {
    let client: DnsClient;
    before(() => {
      client = makeClient();
    });
    after(async () => {
      await client.close();
    });

    test('no root DNSKEY: dns.dnssec is not assessed with the reason, never dns.dnssec.invalid', async () => {
      const anchors = parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS);
      const attempt = await probeDnssec('clinic.example', context(client), anchors);
      const out = checkDnssec('clinic.example', attempt);
      assert.deepEqual(summary(out), ['not_assessed dns.dnssec']);
      assert.match(out.notAssessed[0]!.reason, /no DNSKEY for the trust anchor zone \./);
    });

    test('a CNAME loop at the apex: SPF, DMARC, MX and CAA are not assessed, none is "missing"', async () => {
      const ctx = context(client);
      const [email, infra] = await Promise.all([probeEmailAuth(LOOPING, ctx), probeDnsInfra(LOOPING, ctx)]);
      const out = mergeOutcomes([checkEmailAuth(email), checkDnsInfra(infra)]);
      assert.deepEqual(
        out.findings.map((f) => f.type),
        [],
      );
      const notAssessed = new Set(out.notAssessed.map((n) => n.check));
      for (const check of ['dns.spf', 'dns.dmarc', 'dns.mx', 'dns.caa.missing']) {
        assert.ok(notAssessed.has(check), `${check} not assessed (got ${[...notAssessed].join(', ')})`);
      }
      const spf = out.notAssessed.find((n) => n.check === 'dns.spf');
      assert.match(spf?.reason ?? '', /CNAME loop/);
    });

    test('a CNAME loop makes host resolution fail, not "no such host"', async () => {
      const r = await resolveHost(context(client), `www.${LOOPING}`, 'A');
      assert.equal(r.status, 'failed');
    });
  });
}
