/**
 * Wordlist discovery under a wildcard: every guessed label "exists", so a name whose answer is exactly
 * the wildcard's (same addresses, same CNAME chain) is an echo, not a host. Covers a wildcard of
 * addresses and a wildcard CNAME to the apex (`*.zone CNAME zone.`), which the blind DNS set showed
 * keeping all 5,199 wordlist names as assets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { dnsFamily } from './dns-family.js';
import { discoveryProbe } from './dns-probes.js';
import { CLINIC_APEX as APEX, respond, startClinicResolver, type ScriptedServer } from './dns-infra.test-helpers.js';

/** Which kind of wildcard the zone has for names it does not list. */
type WildcardKind = 'none' | 'cname-to-apex' | 'address';

/** Names the clinic zone lists; every other name below the apex is answered by the wildcard. */
const LISTED = new Set([APEX, `ns1.${APEX}`, `www.${APEX}`, `portal.${APEX}`, `shop.${APEX}`, `shop-lb.${APEX}`]);

describe('wordlist discovery under a wildcard', () => {
  let kind: WildcardKind = 'none';
  let server: ScriptedServer;
  let client: DnsClient;
  before(async () => {
    server = await startClinicResolver((name, type, q) => {
      if (kind === 'none' || LISTED.has(name) || !name.endsWith(`.${APEX}`) || type !== 'A') return undefined;
      const apexAddress = server.address.replace(/\.53$/, '.80');
      const answers: Answer[] =
        kind === 'cname-to-apex'
          ? [
              { type: 'CNAME', name, ttl: 60, data: APEX },
              { type: 'A', name: APEX, ttl: 60, data: apexAddress },
            ]
          : [{ type: 'A', name, ttl: 60, data: apexAddress.replace(/\.80$/, '.99') }];
      return respond(q, { rcode: 'NOERROR', answers, ra: true });
    });
    client = createDnsClient();
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  async function discoveredHosts(wildcard: WildcardKind): Promise<string[]> {
    kind = wildcard;
    const settings = {
      client,
      resolver: { address: server.address, port: server.port },
      nameServerPort: server.port,
      trustAnchors: [],
      timeoutMs: 500,
      retries: 0,
      wordlist: ['www', 'mail', 'vpn', 'portal'],
      ctNames: [],
    };
    const ctx = dnsFamily.prepare(settings, [APEX]).forTarget(APEX);
    const discovery = await discoveryProbe.run({ domain: APEX }, ctx, []);
    assert.equal(discovery.status, 'completed');
    return discovery.result.assets.map((a) => a.host).sort();
  }

  test('no wildcard: only the listed names the wordlist guesses are found', async () => {
    const hosts = await discoveredHosts('none');
    assert.ok(!hosts.includes(`mail.${APEX}`) && !hosts.includes(`vpn.${APEX}`), hosts.join(' '));
    assert.ok(hosts.includes(`www.${APEX}`) && hosts.includes(`portal.${APEX}`), hosts.join(' '));
  });

  test('a wildcard CNAME to the apex: guesses that only echo it are no hosts, real names stay', async () => {
    const hosts = await discoveredHosts('cname-to-apex');
    assert.ok(!hosts.includes(`mail.${APEX}`) && !hosts.includes(`vpn.${APEX}`), hosts.join(' '));
    // www answers the apex's address too, but from its own A record (no CNAME): a real host.
    assert.ok(hosts.includes(`www.${APEX}`) && hosts.includes(`portal.${APEX}`), hosts.join(' '));
  });

  test('a wildcard of addresses: guesses answering only the wildcard address are no hosts', async () => {
    const hosts = await discoveredHosts('address');
    assert.ok(!hosts.includes(`mail.${APEX}`) && !hosts.includes(`vpn.${APEX}`), hosts.join(' '));
    assert.ok(hosts.includes(`www.${APEX}`), hosts.join(' '));
  });
});
