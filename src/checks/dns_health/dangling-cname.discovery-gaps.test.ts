/**
 * The dangling-CNAME check against a resolver on loopback that fails some of discovery's look-ups: a
 * name discovery could not resolve may be a dangling alias, so the check reports it not assessed, with
 * the reason, and never passes it in silence. Runs the real probes of the registry and the real check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckOutcome } from '../../core/types.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { dnsFamily } from '../../probes/dns/dns-family.js';
import { discoveryProbe, dnsInfraProbe } from '../../probes/dns/dns-probes.js';
import {
  CLINIC_APEX as APEX,
  respond,
  startClinicResolver,
  type ScriptedServer,
} from '../../probes/dns/dns-infra.test-helpers.js';
import { danglingCnameCheck } from './dns-health.checks.js';

/** How the resolver misbehaves: stays silent about some names, fails some types at the apex. */
interface Faults {
  silentNames?: string[];
  servfailTypes?: string[];
}

describe('dangling CNAMEs when discovery could not resolve every name', () => {
  let faults: Faults = {};
  let server: ScriptedServer;
  let client: DnsClient;
  before(async () => {
    server = await startClinicResolver((name, type, q) => {
      if (faults.silentNames?.includes(name)) return null;
      if (name === APEX && faults.servfailTypes?.includes(type)) return respond(q, { rcode: 'SERVFAIL', ra: true });
      return undefined;
    });
    client = createDnsClient();
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  async function scan(withFaults: Faults, wordlist = ['www', 'portal', 'mail']): Promise<CheckOutcome> {
    faults = withFaults;
    const settings = {
      client,
      resolver: { address: server.address, port: server.port },
      nameServerPort: server.port,
      trustAnchors: [],
      timeoutMs: 300,
      retries: 0,
      wordlist,
      ctNames: [],
    };
    const ctx = dnsFamily.prepare(settings, [APEX]).forTarget(APEX);
    const target = { domain: APEX };
    const discovery = await discoveryProbe.run(target, ctx, []);
    assert.equal(discovery.status, 'completed');
    const infra = await dnsInfraProbe.run(target, ctx, [discovery.result]);
    assert.equal(infra.status, 'completed');
    return danglingCnameCheck.judge(target, [infra.result]);
  }

  test('a resolver that answers: the dangling alias is found, nothing is left unassessed', async () => {
    const out = await scan({});
    assert.deepEqual(
      out.findings.map((f) => `${f.type}@${f.asset.host}`),
      [`dns.cname.dangling@portal.${APEX}`],
    );
    assert.deepEqual(out.notAssessed, []);
  });

  test('a wordlist name the resolver never answers: not assessed on that host, with the reason', async () => {
    const out = await scan({ silentNames: [`portal.${APEX}`] });
    assert.deepEqual(out.findings, []);
    assert.deepEqual(
      out.notAssessed.map((n) => `${n.check}@${n.asset.host}`),
      [`dns.cname.dangling@portal.${APEX}`],
    );
    assert.match(out.notAssessed[0]!.reason, /discovery could not resolve portal\.clinic\.test \(timeout/);
  });

  test('the in-zone target CNAME following found is followed too: the record that dangles is reported', async () => {
    const out = await scan({}, ['shop']);
    assert.deepEqual(out.findings.map((f) => `${f.type}@${f.asset.host}`).sort(), [
      `dns.cname.dangling@shop-lb.${APEX}`,
      `dns.cname.dangling@shop.${APEX}`,
    ]);
  });

  test('NS and MX look-ups that fail at the apex hide names: not assessed at the apex', async () => {
    const out = await scan({ servfailTypes: ['NS', 'MX'] });
    const apex = out.notAssessed.filter((n) => n.asset.host === APEX);
    assert.equal(apex.length, 1, JSON.stringify(out.notAssessed));
    assert.equal(apex[0]!.check, 'dns.cname.dangling');
    assert.match(apex[0]!.reason, /NS: rcode SERVFAIL/);
    assert.match(apex[0]!.reason, /MX: rcode SERVFAIL/);
    // The alias the wordlist did resolve is still judged.
    assert.deepEqual(
      out.findings.map((f) => `${f.type}@${f.asset.host}`),
      [`dns.cname.dangling@portal.${APEX}`],
    );
  });
});
