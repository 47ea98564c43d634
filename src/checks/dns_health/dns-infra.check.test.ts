import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { CheckOutcome, ProbeAttempt } from '../../core/types.js';
import { getControlType, getFindingType } from '../../catalogue/catalogue.js';
import type {
  DnsInfraObservation,
  DnsLookup,
  NameServerAddressProbe,
  NameServerName,
} from '../../probes/dns/dns-infra.types.js';
import { checkDnsInfra } from './dns-infra.check.js';

const APEX = 'northwind-clinic.test';
const TIMEOUT: ProbeAttempt<never> = { status: 'not_assessed', reason: 'timeout', detail: 'no reply within 2000 ms' };

function lookup(rcode: 'NOERROR' | 'NXDOMAIN', answers: Answer[] = []): ProbeAttempt<DnsLookup> {
  return { status: 'completed', result: { rcode, answers } };
}

function nameServer(name: string, ip: string): NameServerName {
  return { name, a: lookup('NOERROR', [{ type: 'A', name, data: ip }]), aaaa: lookup('NOERROR') };
}

function addressProbe(ip: string, names: string[]): NameServerAddressProbe {
  return {
    ip,
    port: 53,
    names,
    axfr: { status: 'completed', result: { allowed: false, reason: 'refused' } },
    versionBind: { status: 'completed', result: { rcode: 'REFUSED', texts: [] } },
    idServer: { status: 'completed', result: { rcode: 'REFUSED', texts: [] } },
    recursion: {
      status: 'completed',
      result: { queryName: 'www.example.com', rcode: 'REFUSED', ra: false, aa: false, answerCount: 0 },
    },
  };
}

/**
 * A known-good observation: two name servers in different /24s, all locked down, CAA, no wildcard, aliases resolving.
 */
function goodObservation(): DnsInfraObservation {
  const ns1 = nameServer('ns1.lab-dns.test', '127.0.53.10');
  const ns2 = nameServer('ns2.lab-dns.test', '127.0.54.10');
  return {
    domain: APEX,
    ns: lookup('NOERROR', [
      { type: 'NS', name: APEX, data: ns1.name },
      { type: 'NS', name: APEX, data: ns2.name },
    ]),
    nameServers: [ns1, ns2],
    soa: lookup('NOERROR', [
      { type: 'SOA', name: APEX, data: { mname: ns1.name, rname: `hostmaster.${APEX}`, serial: 1 } },
    ]),
    caa: lookup('NOERROR', [{ type: 'CAA', name: APEX, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } }]),
    wildcard: { label: 'q7x0c2m9z1k4v8b3n6p5', a: lookup('NXDOMAIN'), aaaa: lookup('NXDOMAIN') },
    nameServerAddresses: [addressProbe('127.0.53.10', [ns1.name]), addressProbe('127.0.54.10', [ns2.name])],
    cnames: [
      {
        name: `video.${APEX}`,
        result: {
          status: 'completed',
          result: {
            name: `video.${APEX}`,
            chain: ['nw.video-provider.test'],
            final: { name: 'nw.video-provider.test', rcode: 'NOERROR', addressCount: 1 },
          },
        },
      },
      {
        name: `www.${APEX}`,
        result: {
          status: 'completed',
          result: { name: `www.${APEX}`, chain: [], final: { name: `www.${APEX}`, rcode: 'NOERROR', addressCount: 1 } },
        },
      },
    ],
    unprobedAddresses: [],
    unchased: [],
  };
}

/** The good observation with one change. */
function observation(change: (o: DnsInfraObservation) => void): DnsInfraObservation {
  const o = goodObservation();
  change(o);
  return o;
}

const summary = (out: CheckOutcome) => ({
  findings: out.findings
    .map((f) => `${f.type} ${f.asset.host}${f.asset.ip ? ` ${f.asset.ip}:${f.asset.port}` : ''}`)
    .sort(),
  controls: out.controls.map((c) => `${c.control} ${c.asset.host}`).sort(),
  notAssessed: out.notAssessed.map((n) => `${n.check} ${n.asset.host}`).sort(),
});

const firstProbe = (o: DnsInfraObservation): NameServerAddressProbe => o.nameServerAddresses[0]!;

interface Case {
  name: string;
  obs: DnsInfraObservation;
  findings?: string[];
  controls?: string[];
  notAssessed?: string[];
}

const GOOD_CONTROLS = [`dns.caa.present ${APEX}`];

const cases: Case[] = [
  { name: 'known-good observation: only the CAA control', obs: goodObservation() },
  {
    name: 'no CAA record: dns.caa.missing, no control',
    obs: observation((o) => (o.caa = lookup('NOERROR'))),
    findings: [`dns.caa.missing ${APEX}`],
    controls: [],
  },
  {
    name: 'iodef-only CAA: a CAA record exists (no finding) but nothing restricts issuance (no control)',
    obs: observation(
      (o) =>
        (o.caa = lookup('NOERROR', [
          { type: 'CAA', name: APEX, data: { flags: 0, tag: 'iodef', value: 'mailto:security@example.test' } },
        ])),
    ),
    controls: [],
  },
  {
    name: 'CAA look-up timed out: not assessed, neither finding nor control',
    obs: observation((o) => (o.caa = TIMEOUT)),
    controls: [],
    notAssessed: [`dns.caa.missing ${APEX}`],
  },
  {
    name: 'random label answers A: dns.wildcard',
    obs: observation(
      (o) =>
        (o.wildcard.a = lookup('NOERROR', [{ type: 'A', name: `q7x0c2m9z1k4v8b3n6p5.${APEX}`, data: '127.16.0.9' }])),
    ),
    findings: [`dns.wildcard ${APEX}`],
  },
  {
    name: 'random label exists without data (NODATA): still a wildcard',
    obs: observation((o) => {
      o.wildcard.a = lookup('NOERROR');
      o.wildcard.aaaa = lookup('NOERROR');
    }),
    findings: [`dns.wildcard ${APEX}`],
  },
  {
    name: 'wildcard test: one NXDOMAIN is proof enough when the other type timed out',
    obs: observation((o) => (o.wildcard.aaaa = TIMEOUT)),
  },
  {
    name: 'wildcard test: both look-ups timed out: not assessed',
    obs: observation((o) => {
      o.wildcard.a = TIMEOUT;
      o.wildcard.aaaa = TIMEOUT;
    }),
    notAssessed: [`dns.wildcard ${APEX}`],
  },
  {
    name: 'a single NS name: dns.ns.single',
    obs: observation((o) => {
      o.nameServers = o.nameServers.slice(0, 1);
      o.nameServerAddresses = o.nameServerAddresses.slice(0, 1);
    }),
    findings: [`dns.ns.single ${APEX}`],
  },
  {
    name: 'two NS names in one /24: dns.ns.single',
    obs: observation((o) => {
      o.nameServers = [nameServer('ns1.lab-dns.test', '127.0.53.10'), nameServer('ns2.lab-dns.test', '127.0.53.11')];
      o.nameServerAddresses = [
        addressProbe('127.0.53.10', ['ns1.lab-dns.test']),
        addressProbe('127.0.53.11', ['ns2.lab-dns.test']),
      ];
    }),
    findings: [`dns.ns.single ${APEX}`],
  },
  {
    name: 'two NS names in one /24 but one name unresolved: not assessed (its address might be elsewhere)',
    obs: observation((o) => {
      o.nameServers = [
        nameServer('ns1.lab-dns.test', '127.0.53.10'),
        { name: 'ns2.lab-dns.test', a: TIMEOUT, aaaa: TIMEOUT },
      ];
      o.nameServerAddresses = [addressProbe('127.0.53.10', ['ns1.lab-dns.test'])];
    }),
    notAssessed: [
      `dns.axfr.open ns2.lab-dns.test`,
      `dns.ns.single ${APEX}`,
      `dns.resolver.open ns2.lab-dns.test`,
      `dns.version_disclosed ns2.lab-dns.test`,
    ],
  },
  {
    name: 'NS look-up timed out: every name-server check not assessed',
    obs: observation((o) => {
      o.ns = TIMEOUT;
      o.nameServers = [];
      o.nameServerAddresses = [];
    }),
    notAssessed: [
      `dns.axfr.open ${APEX}`,
      `dns.ns.single ${APEX}`,
      `dns.resolver.open ${APEX}`,
      `dns.version_disclosed ${APEX}`,
    ],
  },
  {
    name: 'zone transfer allowed: dns.axfr.open on the name server with ip and port',
    obs: observation(
      (o) => (firstProbe(o).axfr = { status: 'completed', result: { allowed: true, recordCount: 12, records: [] } }),
    ),
    findings: ['dns.axfr.open ns1.lab-dns.test 127.0.53.10:53'],
  },
  {
    name: 'zone transfer timed out: not assessed',
    obs: observation((o) => (firstProbe(o).axfr = TIMEOUT)),
    notAssessed: ['dns.axfr.open ns1.lab-dns.test'],
  },
  {
    name: 'recursion with RA and NXDOMAIN: dns.resolver.open',
    obs: observation(
      (o) =>
        (firstProbe(o).recursion = {
          status: 'completed',
          result: { queryName: 'www.example.com', rcode: 'NXDOMAIN', ra: true, aa: false, answerCount: 0 },
        }),
    ),
    findings: ['dns.resolver.open ns1.lab-dns.test 127.0.53.10:53'],
  },
  {
    name: 'recursion with RA and NOERROR answers: dns.resolver.open',
    obs: observation(
      (o) =>
        (firstProbe(o).recursion = {
          status: 'completed',
          result: { queryName: 'www.example.com', rcode: 'NOERROR', ra: true, aa: false, answerCount: 1 },
        }),
    ),
    findings: ['dns.resolver.open ns1.lab-dns.test 127.0.53.10:53'],
  },
  {
    name: 'RA set but REFUSED: not an open resolver',
    obs: observation(
      (o) =>
        (firstProbe(o).recursion = {
          status: 'completed',
          result: { queryName: 'www.example.com', rcode: 'REFUSED', ra: true, aa: false, answerCount: 0 },
        }),
    ),
  },
  {
    name: 'NOERROR with RA clear (a referral): not an open resolver',
    obs: observation(
      (o) =>
        (firstProbe(o).recursion = {
          status: 'completed',
          result: { queryName: 'www.example.com', rcode: 'NOERROR', ra: false, aa: false, answerCount: 0 },
        }),
    ),
  },
  {
    name: 'recursion test timed out: not assessed',
    obs: observation((o) => (firstProbe(o).recursion = TIMEOUT)),
    notAssessed: ['dns.resolver.open ns1.lab-dns.test'],
  },
  {
    name: 'version.bind answered: dns.version_disclosed',
    obs: observation(
      (o) => (firstProbe(o).versionBind = { status: 'completed', result: { rcode: 'NOERROR', texts: ['9.11.4-P2'] } }),
    ),
    findings: ['dns.version_disclosed ns1.lab-dns.test 127.0.53.10:53'],
  },
  {
    name: 'only id.server answered: dns.version_disclosed',
    obs: observation(
      (o) => (firstProbe(o).idServer = { status: 'completed', result: { rcode: 'NOERROR', texts: ['ns1-fra'] } }),
    ),
    findings: ['dns.version_disclosed ns1.lab-dns.test 127.0.53.10:53'],
  },
  {
    name: 'empty version string: nothing disclosed',
    obs: observation(
      (o) => (firstProbe(o).versionBind = { status: 'completed', result: { rcode: 'NOERROR', texts: [''] } }),
    ),
  },
  ...['none', 'not currently available', '[secured]', 'unknown', '"hidden"', 'go away', '***'].map((text) => ({
    name: `version.bind answers the placeholder ${JSON.stringify(text)}: nothing disclosed`,
    obs: observation(
      (o) => (firstProbe(o).versionBind = { status: 'completed', result: { rcode: 'NOERROR', texts: [text] } }),
    ),
  })),
  ...['BIND', 'PowerDNS Authoritative Server', 'unbound 1.19.0', 'Microsoft DNS 6.1.7601'].map((text) => ({
    name: `version.bind names a product or version (${text}): dns.version_disclosed`,
    obs: observation(
      (o) => (firstProbe(o).versionBind = { status: 'completed', result: { rcode: 'NOERROR', texts: [text] } }),
    ),
    findings: ['dns.version_disclosed ns1.lab-dns.test 127.0.53.10:53'],
  })),
  {
    name: 'id.server answers "none": nothing disclosed',
    obs: observation(
      (o) => (firstProbe(o).idServer = { status: 'completed', result: { rcode: 'NOERROR', texts: ['none'] } }),
    ),
  },
  {
    name: 'version.bind timed out, id.server refused: not assessed',
    obs: observation((o) => (firstProbe(o).versionBind = TIMEOUT)),
    notAssessed: ['dns.version_disclosed ns1.lab-dns.test'],
  },
  {
    name: 'alias to a name that does not exist: dns.cname.dangling on the alias',
    obs: observation((o) =>
      o.cnames.push({
        name: `old.${APEX}`,
        result: {
          status: 'completed',
          result: {
            name: `old.${APEX}`,
            chain: ['gone.cloud.test'],
            final: { name: 'gone.cloud.test', rcode: 'NXDOMAIN', addressCount: 0 },
          },
        },
      }),
    ),
    findings: [`dns.cname.dangling old.${APEX}`],
  },
  {
    name: 'a name that does not exist at all is not a dangling alias',
    obs: observation((o) =>
      o.cnames.push({
        name: `nope.${APEX}`,
        result: {
          status: 'completed',
          result: {
            name: `nope.${APEX}`,
            chain: [],
            final: { name: `nope.${APEX}`, rcode: 'NXDOMAIN', addressCount: 0 },
          },
        },
      }),
    ),
  },
  {
    name: 'alias whose target exists without an A record (NODATA) is not dangling',
    obs: observation((o) =>
      o.cnames.push({
        name: `v6.${APEX}`,
        result: {
          status: 'completed',
          result: {
            name: `v6.${APEX}`,
            chain: ['v6.cdn.test'],
            final: { name: 'v6.cdn.test', rcode: 'NOERROR', addressCount: 0 },
          },
        },
      }),
    ),
  },
  {
    name: 'alias chase timed out: not assessed',
    obs: observation((o) => o.cnames.push({ name: `slow.${APEX}`, result: TIMEOUT })),
    notAssessed: [`dns.cname.dangling slow.${APEX}`],
  },
  {
    name: 'NS answered with no name server (NODATA): exposure checks not assessed, never passed',
    obs: observation((o) => {
      o.ns = lookup('NOERROR');
      o.nameServers = [];
      o.nameServerAddresses = [];
    }),
    notAssessed: [
      `dns.ns.single ${APEX}`,
      `dns.axfr.open ${APEX}`,
      `dns.resolver.open ${APEX}`,
      `dns.version_disclosed ${APEX}`,
    ],
  },
  {
    name: 'a name-server address past the probe bound: its exposure checks not assessed',
    obs: observation((o) => o.unprobedAddresses.push({ ip: '127.0.55.10', names: ['ns3.lab-dns.test'] })),
    notAssessed: [
      'dns.axfr.open ns3.lab-dns.test',
      'dns.resolver.open ns3.lab-dns.test',
      'dns.version_disclosed ns3.lab-dns.test',
    ],
  },
  {
    name: 'recursion offered (RA) but SERVFAIL for an outside name: open resolver not assessed',
    obs: observation((o) => {
      firstProbe(o).recursion = {
        status: 'completed',
        result: { queryName: 'www.example.com', rcode: 'SERVFAIL', ra: true, aa: false, answerCount: 0 },
      };
    }),
    notAssessed: ['dns.resolver.open ns1.lab-dns.test'],
  },
  {
    name: 'a name discovery could not resolve was never followed: not assessed there, never a pass',
    obs: observation((o) => o.unchased.push({ name: `portal.${APEX}`, reason: 'discovery could not resolve' })),
    notAssessed: [`dns.cname.dangling portal.${APEX}`],
  },
  {
    name: 'past 100 unfollowed names, the rest are summed up once at the apex',
    obs: observation((o) => {
      for (let i = 0; i < 150; i++) o.unchased.push({ name: `h${i}.${APEX}`, reason: 'timeout' });
    }),
    notAssessed: [
      ...Array.from({ length: 100 }, (_, i) => `dns.cname.dangling h${i}.${APEX}`),
      `dns.cname.dangling ${APEX}`,
    ],
  },
];

describe('checkDnsInfra', () => {
  for (const c of cases) {
    test(c.name, () => {
      const out = checkDnsInfra(c.obs);
      assert.deepEqual(summary(out), {
        findings: [...(c.findings ?? [])].sort(),
        controls: [...(c.controls ?? GOOD_CONTROLS)].sort(),
        notAssessed: [...(c.notAssessed ?? [])].sort(),
      });
      // Every id the check emits is a catalogue entry (getFindingType throws otherwise).
      for (const f of out.findings) assert.equal(getFindingType(f.type).factor, 'dns_health');
      for (const ctl of out.controls) assert.equal(getControlType(ctl.control).id, ctl.control);
    });
  }

  test('evidence says what was seen', () => {
    const out = checkDnsInfra(
      observation((o) => {
        firstProbe(o).axfr = { status: 'completed', result: { allowed: true, recordCount: 12, records: [] } };
        firstProbe(o).versionBind = { status: 'completed', result: { rcode: 'NOERROR', texts: ['9.11.4-P2'] } };
        o.caa = lookup('NOERROR');
      }),
    );
    const byType = new Map(out.findings.map((f) => [f.type, f]));
    assert.deepEqual(byType.get('dns.axfr.open')?.evidence, {
      zone: APEX,
      recordCount: 12,
      nameServers: ['ns1.lab-dns.test'],
    });
    assert.equal(byType.get('dns.version_disclosed')?.evidence['version.bind'], '9.11.4-P2');
    assert.deepEqual(byType.get('dns.axfr.open')?.asset, { host: 'ns1.lab-dns.test', ip: '127.0.53.10', port: 53 });
    const ctl = checkDnsInfra(goodObservation()).controls[0];
    assert.deepEqual(ctl?.evidence, { records: [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }] });
  });

  test('IPv6 name servers in different /48s are diverse; in one /48 they are not', () => {
    const v6 = (a: string, b: string) =>
      observation((o) => {
        o.nameServers = [
          {
            name: 'ns1.x.test',
            a: lookup('NOERROR'),
            aaaa: lookup('NOERROR', [{ type: 'AAAA', name: 'ns1.x.test', data: a }]),
          },
          {
            name: 'ns2.x.test',
            a: lookup('NOERROR'),
            aaaa: lookup('NOERROR', [{ type: 'AAAA', name: 'ns2.x.test', data: b }]),
          },
        ];
        o.nameServerAddresses = [];
      });
    assert.equal(checkDnsInfra(v6('2001:db8:1::53', '2001:db8:2::53')).findings.length, 0);
    assert.deepEqual(
      checkDnsInfra(v6('2001:db8:1::53', '2001:db8:1:ff::53')).findings.map((f) => f.type),
      ['dns.ns.single'],
    );
  });
});
