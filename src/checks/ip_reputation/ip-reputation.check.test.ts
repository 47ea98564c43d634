/** The IP reputation check over hand-built observations: one finding per host and category. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeedListing } from '../../core/reputation.js';
import type { ReputationObservation } from '../../probes/reputation/ip-reputation.types.js';
import { ipReputationCheck } from './ip-reputation.check.js';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-02-01T00:00:00.000Z';

function listing(feed: string, network: string, category: FeedListing['category'], first = T0, last = T1): FeedListing {
  return { feed, network, category, firstListed: first, lastListed: last };
}

function observation(parts: Partial<ReputationObservation>): ReputationObservation {
  return { feeds: 3, networks: 10, hosts: [], declaredNetworks: [], ...parts };
}

const judge = (obs: ReputationObservation) => ipReputationCheck.judge({ domain: 'clinic.example' }, [obs]);

test('nothing listed: no findings', () => {
  const out = judge(
    observation({ hosts: [{ host: 'www.clinic.example', addresses: [{ address: '192.0.2.1', listings: [] }] }] }),
  );
  assert.deepEqual(out, { findings: [], controls: [], notAssessed: [] });
});

test('one finding per host and category, naming every feed, network and date', () => {
  const out = judge(
    observation({
      hosts: [
        {
          host: 'vpn.clinic.example',
          addresses: [
            {
              address: '192.0.2.1',
              listings: [
                listing('feodo', '192.0.2.1/32', 'botnet_c2', '2024-12-01T00:00:00.000Z'),
                listing('misp-c2', '192.0.2.0/24', 'botnet_c2'),
                listing('tor', '192.0.2.1/32', 'tor_exit'),
              ],
            },
            { address: '192.0.2.2', listings: [] },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(
    out.findings.map((f) => [f.type, f.asset.host]),
    [
      ['iprep.botnet', 'vpn.clinic.example'],
      ['iprep.tor_exit', 'vpn.clinic.example'],
    ],
  );
  assert.deepEqual(out.findings[0]!.evidence, {
    category: 'botnet_c2',
    feeds: ['feodo', 'misp-c2'],
    first_listed: '2024-12-01T00:00:00.000Z',
    last_listed: T1,
    listings: [
      {
        address: '192.0.2.1',
        feed: 'feodo',
        listed_network: '192.0.2.1/32',
        first_listed: '2024-12-01T00:00:00.000Z',
        last_listed: T1,
      },
      { address: '192.0.2.1', feed: 'misp-c2', listed_network: '192.0.2.0/24', first_listed: T0, last_listed: T1 },
    ],
  });
});

test('every category maps to its finding id; declared networks are judged as hosts of their own', () => {
  const categories = ['botnet_c2', 'malware', 'spam', 'bruteforce', 'scanning', 'tor_exit'] as const;
  const out = judge(
    observation({
      declaredNetworks: [
        { network: '198.51.100.0/24', listings: categories.map((c) => listing(c, '198.51.100.7/32', c)) },
        { network: '203.0.113.0/24', listings: [] },
      ],
    }),
  );
  assert.deepEqual(
    out.findings.map((f) => `${f.type}@${f.asset.host}`).sort(),
    ['iprep.botnet', 'iprep.bruteforce', 'iprep.malware', 'iprep.scanning', 'iprep.spam', 'iprep.tor_exit'].map(
      (t) => `${t}@198.51.100.0/24`,
    ),
  );
  assert.deepEqual([...ipReputationCheck.findings].sort(), out.findings.map((f) => f.type).sort());
});
