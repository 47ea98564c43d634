/**
 * The RFC 7208 test suite (pyspf's rfc7208-tests.yml, vendored with its licence under
 * test/fixtures/rfc7208/): every scenario's zone data is served by a DNS server on loopback and every
 * test is evaluated by check_host() over the wire. Where the suite lists alternative results, one of
 * them must come out; where it gives an explanation, the explanation must match.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDnsClient } from '../../net/dns/dns-client.js';
import { checkHost, SPF_RESULTS } from './check-host.js';
import { spfDnsOverClient } from './spf-dns.js';
import { loadSuite, parseZoneData, startZoneDataServer, type ZoneDataServer } from './zone-data-server.test-support.js';

const scenarios = loadSuite();
const client = createDnsClient();
after(() => client.close());

test('the vendored suite is complete: 16 scenarios, 203 tests, every expected result a known one', () => {
  assert.equal(scenarios.length, 16);
  const tests = scenarios.flatMap((s) => Object.values(s.tests));
  assert.equal(tests.length, 203);
  for (const t of tests) for (const r of [t.result].flat()) assert.ok(SPF_RESULTS.includes(r), r);
});

for (const [index, scenario] of scenarios.entries()) {
  describe(`RFC 7208 suite: ${scenario.description}`, () => {
    let server: ZoneDataServer;
    before(async () => {
      server = await startZoneDataServer(`127.72.8.${index + 1}`, parseZoneData(scenario.zonedata));
    });
    after(() => server.close());
    for (const [name, t] of Object.entries(scenario.tests)) {
      test(name, async () => {
        const dns = spfDnsOverClient(
          client,
          { address: server.address, port: server.port },
          { timeoutMs: 1000, retries: 0 }, // generous: a loaded machine must not turn an answer into a timeout
        );
        const outcome = await checkHost({ ip: t.host, sender: t.mailfrom, helo: t.helo, now: 1_700_000_000 }, dns, {
          defaultExplanation: 'DEFAULT',
        });
        const expected = [t.result].flat();
        assert.ok(
          expected.includes(outcome.result),
          `${name}: got ${outcome.result} (${outcome.reason}), expected ${expected.join(' or ')}`,
        );
        if (t.explanation !== undefined && outcome.result === 'fail') assert.equal(outcome.explanation, t.explanation);
      });
    }
  });
}
