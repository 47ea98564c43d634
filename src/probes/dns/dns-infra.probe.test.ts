import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { CheckOutcome } from '../../core/types.js';
import { checkDnsInfra } from '../../checks/dns_health/dns-infra.check.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { probeDnsInfra } from './dns-infra.probe.js';
import {
  createTestDnsClient,
  randomLoopbackNet,
  recordTable,
  resolveInTable,
  respond,
  startScriptedServer,
  startServersOnCommonPort,
} from './dns-infra.test-helpers.js';
import type { DnsHandler, RecordTable, ScriptedServer } from './dns-infra.test-helpers.js';

const { x, y } = randomLoopbackNet();
const net = (dy: number, host: number): string => `127.${x}.${y + dy}.${host}`;
const IP = {
  weakNs: net(0, 1),
  weakWww: net(0, 80),
  weakWildcard: net(0, 50),
  video: net(0, 60),
  goodNs1: net(1, 1),
  goodNs2: net(2, 1),
  sameNs1: net(3, 1),
  sameNs2: net(3, 2),
  silentNs: net(4, 1),
  resolver: net(5, 53),
  silentResolver: net(5, 54),
};

const soa = (zone: string): Answer => ({
  type: 'SOA',
  name: zone,
  ttl: 300,
  data: {
    mname: `ns1.${zone}`,
    rname: `hostmaster.${zone}`,
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum: 300,
  },
});
const a = (name: string, ip: string): Answer => ({ type: 'A', name, ttl: 300, data: ip });
const ns = (zone: string, host: string): Answer => ({ type: 'NS', name: zone, ttl: 300, data: host });
const cname = (name: string, target: string): Answer => ({ type: 'CNAME', name, ttl: 300, data: target });
const caa = (zone: string): Answer => ({
  type: 'CAA',
  name: zone,
  ttl: 300,
  data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
});

/**
 * The test internet: a weak organization, a good one, one with both name servers in a /24, one with a silent name
 * server.
 */
const ZONES: Record<string, Answer[]> = {
  'weak.test': [
    soa('weak.test'),
    ns('weak.test', 'ns1.weak.test'),
    a('ns1.weak.test', IP.weakNs),
    a('www.weak.test', IP.weakWww),
    a('*.weak.test', IP.weakWildcard),
    cname('old.weak.test', 'gone.cloud-provider.test'),
    cname('hidden.weak.test', 'missing.cloud-provider.test'),
    cname('video.weak.test', 'weak.video-provider.test'),
  ],
  'good.test': [
    soa('good.test'),
    ns('good.test', 'ns1.good.test'),
    ns('good.test', 'ns2.good.test'),
    a('ns1.good.test', IP.goodNs1),
    a('ns2.good.test', IP.goodNs2),
    caa('good.test'),
    a('www.good.test', net(1, 80)),
    cname('video.good.test', 'good.video-provider.test'),
    cname('cdn.good.test', 'edge.slow.test'),
  ],
  'samenet.test': [
    soa('samenet.test'),
    ns('samenet.test', 'ns1.samenet.test'),
    ns('samenet.test', 'ns2.samenet.test'),
    a('ns1.samenet.test', IP.sameNs1),
    a('ns2.samenet.test', IP.sameNs2),
    caa('samenet.test'),
  ],
  'silent.test': [
    soa('silent.test'),
    ns('silent.test', 'ns1.silent.test'),
    ns('silent.test', 'ns2.good.test'),
    a('ns1.silent.test', IP.silentNs),
    caa('silent.test'),
  ],
  'video-provider.test': [
    soa('video-provider.test'),
    a('weak.video-provider.test', IP.video),
    a('good.video-provider.test', IP.video),
  ],
  'cloud-provider.test': [soa('cloud-provider.test')],
};
const TABLE: RecordTable = recordTable(Object.values(ZONES).flat());
/** Names under slow.test are never answered by the resolver (their look-ups time out). */
const isSlow = (name: string): boolean => name === 'slow.test' || name.endsWith('.slow.test');

function resolverHandler(query: DecodedPacket): ReturnType<DnsHandler> {
  const q = query.questions?.[0];
  if (!q) return null;
  const result = resolveInTable(TABLE, q.name, q.type, isSlow);
  return result && respond(query, { rcode: result.rcode, ra: true, answers: result.answers });
}

interface NameServerBehaviour {
  zones: string[];
  axfr: 'open' | 'closed';
  recursion: 'open' | 'refused';
  version?: string;
}

/** An authoritative server with the lab's behaviours (lab-dns.types.ts LabNameServer). */
function nameServerHandler(b: NameServerBehaviour): DnsHandler {
  return (query, transport) => {
    const q = query.questions?.[0];
    if (!q) return null;
    const name = q.name.toLowerCase();
    if (q.class === 'CH') {
      if (q.type !== 'TXT' || (name !== 'version.bind' && name !== 'id.server') || b.version === undefined)
        return respond(query, { rcode: 'REFUSED' });
      return respond(query, {
        aa: true,
        answers: [{ type: 'TXT', class: 'CH', name, ttl: 0, data: name === 'id.server' ? 'ns1' : b.version } as Answer],
      });
    }
    const zone = b.zones.find((z) => name === z || name.endsWith(`.${z}`));
    if (q.type === 'AXFR') {
      if (transport !== 'tcp' || !zone || b.axfr === 'closed') return respond(query, { rcode: 'REFUSED' });
      const records = ZONES[zone]!;
      const body = records.filter((r) => r.type !== 'SOA');
      const half = Math.ceil(body.length / 2);
      // Two TCP messages: the client must read until the second SOA (RFC 5936 §2.2).
      return [
        respond(query, { aa: true, answers: [soa(zone), ...body.slice(0, half)] }),
        respond(query, { aa: true, answers: [...body.slice(half), soa(zone)] }),
      ];
    }
    if (zone) {
      const result = resolveInTable(TABLE, name, q.type);
      return result && respond(query, { aa: true, rcode: result.rcode, answers: result.answers });
    }
    if (b.recursion === 'open' && query.flag_rd) {
      const result = resolveInTable(TABLE, name, q.type);
      return result && respond(query, { ra: true, rcode: result.rcode, answers: result.answers });
    }
    return respond(query, { rcode: 'REFUSED' });
  };
}

let nameServerPort = 0;
let servers: ScriptedServer[] = [];

before(async () => {
  const started = await startServersOnCommonPort([
    {
      address: IP.weakNs,
      handler: nameServerHandler({ zones: ['weak.test'], axfr: 'open', recursion: 'open', version: 'BIND 9.9.4-lab' }),
    },
    { address: IP.goodNs1, handler: nameServerHandler({ zones: ['good.test'], axfr: 'closed', recursion: 'refused' }) },
    {
      address: IP.goodNs2,
      handler: nameServerHandler({ zones: ['good.test', 'silent.test'], axfr: 'closed', recursion: 'refused' }),
    },
    {
      address: IP.sameNs1,
      handler: nameServerHandler({ zones: ['samenet.test'], axfr: 'closed', recursion: 'refused' }),
    },
    {
      address: IP.sameNs2,
      handler: nameServerHandler({ zones: ['samenet.test'], axfr: 'closed', recursion: 'refused' }),
    },
    { address: IP.silentNs, handler: () => null },
  ]);
  nameServerPort = started.port;
  servers = [
    ...started.servers,
    await startScriptedServer(IP.resolver, 0, resolverHandler),
    await startScriptedServer(IP.silentResolver, 0, () => null),
  ];
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function context(client: DnsClient, resolverAddress = IP.resolver): DnsProbeContext {
  const resolver = servers.find((s) => s.address === resolverAddress)!;
  return {
    client,
    resolver: { address: resolver.address, port: resolver.port },
    nameServerPort,
    queryOptions: { timeoutMs: 400, retries: 0 },
    now: () => Math.floor(Date.now() / 1000),
  };
}

const summary = (out: CheckOutcome) => ({
  findings: out.findings
    .map((f) => `${f.type} ${f.asset.host}${f.asset.ip ? ` ${f.asset.ip}:${f.asset.port}` : ''}`)
    .sort(),
  controls: out.controls.map((c) => `${c.control} ${c.asset.host}`).sort(),
  notAssessed: out.notAssessed.map((n) => `${n.check} ${n.asset.host}`).sort(),
});

const CLIENTS: Array<[string, () => DnsClient]> = [
  ['test client (dgram + dns-packet)', createTestDnsClient],
  ['project client (dns-client.ts)', () => createDnsClient()],
];

for (const [label, makeClient] of CLIENTS) {
  describe(`probeDnsInfra against real loopback servers, ${label}`, () => {
    let client: DnsClient;
    before(() => {
      client = makeClient();
    });
    after(async () => {
      await client.close();
    });

    test(
      'weak organization: open AXFR, version.bind, open recursion, wildcard, single NS, no CAA, dangling ' + 'CNAMEs',
      async () => {
        const obs = await probeDnsInfra('weak.test', context(client), {
          knownNames: ['www.weak.test', 'old.weak.test', 'video.weak.test', 'elsewhere.example'],
        });
        const port = nameServerPort;
        assert.deepEqual(summary(checkDnsInfra(obs)), {
          findings: [
            `dns.axfr.open ns1.weak.test ${IP.weakNs}:${port}`,
            'dns.caa.missing weak.test',
            'dns.cname.dangling hidden.weak.test',
            'dns.cname.dangling old.weak.test',
            'dns.ns.single weak.test',
            `dns.resolver.open ns1.weak.test ${IP.weakNs}:${port}`,
            `dns.version_disclosed ns1.weak.test ${IP.weakNs}:${port}`,
            'dns.wildcard weak.test',
          ].sort(),
          controls: [],
          notAssessed: [],
        });
        // The transfer's records are kept for discovery: both messages, SOA first and last.
        const probe = obs.nameServerAddresses[0]!;
        assert.equal(probe.axfr.status, 'completed');
        if (probe.axfr.status === 'completed' && probe.axfr.result.allowed) {
          assert.equal(probe.axfr.result.recordCount, ZONES['weak.test']!.length);
          assert.equal(probe.axfr.result.records.length, ZONES['weak.test']!.length);
          assert.ok(probe.axfr.result.records.some((r) => r.name === 'hidden.weak.test'));
        }
        assert.deepEqual(probe.versionBind.status === 'completed' && probe.versionBind.result.texts, [
          'BIND 9.9.4-lab',
        ]);
        // Names outside the apex are never chased; hidden.weak.test came from the AXFR.
        assert.deepEqual(obs.cnames.map((c) => c.name).sort(), [
          'hidden.weak.test',
          'old.weak.test',
          'video.weak.test',
          'www.weak.test',
        ]);
        const video = obs.cnames.find((c) => c.name === 'video.weak.test')!.result;
        assert.deepEqual(video.status === 'completed' && video.result.chain, ['weak.video-provider.test']);
        assert.equal(obs.wildcard.label.length, 20);
      },
    );

    test(
      'good organization: locked-down name servers in two /24s, CAA, aliases resolve: only the CAA ' + 'control',
      async () => {
        const obs = await probeDnsInfra('good.test', context(client), {
          knownNames: ['www.good.test', 'video.good.test'],
        });
        assert.deepEqual(summary(checkDnsInfra(obs)), {
          findings: [],
          controls: ['dns.caa.present good.test'],
          notAssessed: [],
        });
        assert.equal(obs.nameServerAddresses.length, 2);
        for (const p of obs.nameServerAddresses) {
          assert.deepEqual(p.axfr, { status: 'completed', result: { allowed: false, reason: 'refused' } });
          assert.equal(p.recursion.status === 'completed' && p.recursion.result.rcode, 'REFUSED');
        }
        assert.equal(obs.soa.status === 'completed' && obs.soa.result.answers[0]?.type, 'SOA');
      },
    );

    test('two name servers in one /24: dns.ns.single', async () => {
      const obs = await probeDnsInfra('samenet.test', context(client));
      assert.deepEqual(summary(checkDnsInfra(obs)).findings, ['dns.ns.single samenet.test']);
    });

    test('a name server that never answers: its checks are not assessed, never passed', async () => {
      const started = Date.now();
      const obs = await probeDnsInfra('silent.test', context(client));
      assert.deepEqual(summary(checkDnsInfra(obs)), {
        findings: [],
        controls: ['dns.caa.present silent.test'],
        notAssessed: [
          'dns.axfr.open ns1.silent.test',
          'dns.resolver.open ns1.silent.test',
          'dns.version_disclosed ns1.silent.test',
        ],
      });
      const silent = obs.nameServerAddresses.find((p) => p.ip === IP.silentNs)!;
      assert.equal(silent.recursion.status === 'not_assessed' && silent.recursion.reason, 'timeout');
      assert.ok(Date.now() - started < 5000, 'timeouts are bounded');
    });

    test('an alias whose chase times out is not assessed, not dangling', async () => {
      const obs = await probeDnsInfra('good.test', context(client), { knownNames: ['cdn.good.test'] });
      const out = summary(checkDnsInfra(obs));
      assert.deepEqual(out.findings, []);
      assert.deepEqual(out.notAssessed, ['dns.cname.dangling cdn.good.test']);
    });

    test('a silent resolver: nothing is assessed and nothing is reported as a pass or a finding', async () => {
      const obs = await probeDnsInfra('good.test', context(client, IP.silentResolver), {
        knownNames: ['www.good.test'],
      });
      assert.deepEqual(summary(checkDnsInfra(obs)), {
        findings: [],
        controls: [],
        notAssessed: [
          'dns.axfr.open good.test',
          'dns.caa.missing good.test',
          'dns.cname.dangling www.good.test',
          'dns.ns.single good.test',
          'dns.resolver.open good.test',
          'dns.version_disclosed good.test',
          'dns.wildcard good.test',
        ],
      });
      assert.deepEqual(obs.nameServerAddresses, []);
    });
  });
}
