import { createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { parseTrustAnchors } from '../../dnssec/trust-anchor.js';
import { COMMON_DKIM_SELECTORS } from '../../probes/dns/email-auth.types.js';
import { DEFAULT_WORDLIST } from '../../probes/dns/wordlist.js';
import type { LabDnsConfig, LabZone } from '../dns/lab-dns.types.js';
import { ZoneIndex, type LabTruth, type TruthOrganization } from './truth.js';
import { LAB_FINDING_IDS } from './weaknesses.js';
import { buildLabWorld, type LabWorld } from './world.js';

/** Everything a consistency check needs about one organization, read from the DNS data itself. */
interface OrgView {
  org: TruthOrganization;
  zone: LabZone;
  findings: Set<string>;
  controls: Set<string>;
}

function views(world: LabWorld, config: LabDnsConfig): OrgView[] {
  const truth = world.truth;
  return truth.organizations.map((org) => ({
    org,
    zone: config.zones.find((z) => z.origin === org.domain)!,
    findings: new Set(truth.weaknesses.filter((w) => w.organization === org.name).map((w) => w.type)),
    controls: new Set(truth.controls.filter((c) => c.organization === org.name).map((c) => c.control)),
  }));
}

/** Record lookup over every zone except the parent (answers come from the child side). */
class Lab {
  readonly index: ZoneIndex;
  private readonly byName = new Map<string, Answer[]>();
  constructor(readonly config: LabDnsConfig) {
    const children = config.zones.filter((z) => z.origin !== 'test');
    this.index = new ZoneIndex(children);
    for (const zone of children) {
      for (const rr of zone.records) {
        const list = this.byName.get(rr.name) ?? [];
        list.push(rr);
        this.byName.set(rr.name, list);
      }
    }
  }
  records(name: string, type: string): Answer[] {
    return (this.byName.get(name) ?? []).filter((rr) => rr.type === type);
  }
  txt(name: string): string[] {
    // Follow one CNAME level, as DKIM selectors may be aliases.
    const cname = this.records(name, 'CNAME')[0];
    const owner = cname?.type === 'CNAME' ? cname.data : name;
    return this.records(owner, 'TXT').map((rr) => (rr.type === 'TXT' ? (rr.data as string[]).join('') : ''));
  }
}

/** What an SPF evaluation meets, counted independently of the generator (RFC 7208 4.6.4, 5.2). */
interface SpfCount {
  lookups: number;
  voids: number;
  /** include: targets without an SPF record (permerror). */
  brokenIncludes: number;
  /** mx terms over names with more than 10 MX records (permerror). */
  mxOverLimit: number;
}

/** RFC 7208 section 4.6.4 counting, written independently of the generator. */
function countSpf(lab: Lab, domain: string, depth = 0): SpfCount {
  assert.ok(depth < 10, 'SPF include depth');
  const count: SpfCount = { lookups: 0, voids: 0, brokenIncludes: 0, mxOverLimit: 0 };
  const record = lab.txt(domain).find((t) => t.startsWith('v=spf1 '));
  if (record === undefined) {
    assert.ok(depth > 0, `${domain} has an SPF record`);
    count.brokenIncludes++;
    return count;
  }
  for (const term of record.split(' ').slice(1)) {
    const m = /^[+?~-]?(include|a|mx|ptr|exists|redirect)(?:[:=](.*))?$/.exec(term);
    if (!m) continue;
    count.lookups++;
    const target = m[2] ?? domain;
    if (m[1] === 'include') {
      const inner = countSpf(lab, target, depth + 1);
      count.lookups += inner.lookups;
      count.voids += inner.voids;
      count.brokenIncludes += inner.brokenIncludes;
      count.mxOverLimit += inner.mxOverLimit;
    } else if (m[1] === 'a' && lab.index.resolve(target).addresses.length === 0) count.voids++;
    else if (m[1] === 'mx') {
      const mx = lab.records(target, 'MX').length;
      if (mx === 0) count.voids++;
      if (mx > 10) count.mxOverLimit++;
    }
  }
  return count;
}

const VALID_SPF_TERM = new RegExp(
  String.raw`^(v=spf1|[+?~-]?all|[+?~-]?include:[a-z0-9._-]+|[+?~-]?(a|mx)(:[a-z0-9._-]+)?|` +
    String.raw`[+?~-]?ip4:((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)(/([0-9]|` +
    String.raw`[12]\d|3[0-2]))?|[+?~-]?ip6:[0-9a-f:]+(/\d{1,3})?)$`,
);

function dkimStrength(text: string): 'strong' | 'weak' | 'none' {
  const tags = new Map(
    text
      .split(';')
      .map((t) => t.trim().split('=') as [string, string])
      .map(([k, ...v]) => [k, v.join('=')] as const),
  );
  const raw = text.split(';').map((t) => t.trim());
  const p = raw.find((t) => t.startsWith('p='))?.slice(2) ?? '';
  if (p === '') return 'none';
  if (tags.get('k') === 'ed25519') return 'strong';
  const bits =
    createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyDetails
      ?.modulusLength ?? 0;
  return bits >= 2048 ? 'strong' : 'weak';
}

/** Target of an NS record (names as strings). */
function nsTarget(rr: Answer): string {
  return rr.type === 'NS' ? rr.data : '';
}

function txtText(rr: Answer): string {
  return rr.type === 'TXT' ? (rr.data as string[]).join('') : '';
}

function slash24(address: string): string {
  return address.split('.').slice(0, 3).join('.');
}

describe('lab world', () => {
  test('is deterministic: same seed → identical truth, CT log and CSV; another seed differs', () => {
    const a = buildLabWorld({ seed: 42, orgs: 40 });
    const b = buildLabWorld({ seed: 42, orgs: 40 });
    const c = buildLabWorld({ seed: 43, orgs: 40 });
    assert.equal(JSON.stringify(a.truth), JSON.stringify(b.truth));
    assert.equal(JSON.stringify(a.ctLog), JSON.stringify(b.ctLog));
    assert.equal(a.organizationsCsv(), b.organizationsCsv());
    assert.equal(a.trustAnchor, b.trustAnchor);
    assert.notEqual(JSON.stringify(a.truth), JSON.stringify(c.truth));
    assert.notEqual(a.trustAnchor, c.trustAnchor);
  });

  test('every finding id occurs among 25 organizations, both DNSSEC breakages too, and a few are fully good', () => {
    for (const seed of [1, 2, 3, 99, 2026]) {
      const world = buildLabWorld({ seed, orgs: 25 });
      const truth = world.truth;
      const seen = new Set(truth.weaknesses.map((w) => w.type));
      assert.deepEqual(
        LAB_FINDING_IDS.filter((id) => !seen.has(id)),
        [],
        `seed ${seed}`,
      );
      const reasons = new Set(
        truth.weaknesses.filter((w) => w.type === 'dns.dnssec.invalid').map((w) => w.evidence['reason']),
      );
      assert.equal(reasons.size, 2, `seed ${seed}: expired and bad signatures`);
      const fullyGood = truth.organizations.filter(
        (o) =>
          !truth.weaknesses.some((w) => w.organization === o.name && w.type.startsWith('dns.')) &&
          truth.controls.filter((c) => c.organization === o.name && c.control.startsWith('dns.')).length === 5,
      );
      assert.ok(fullyGood.length >= 3, `seed ${seed}: ${fullyGood.length} fully good organizations`);
    }
  });

  test('names and domains are unique, sectors all present, about a third telehealth', () => {
    const world = buildLabWorld({ seed: 5, orgs: 600 });
    const orgs = world.truth.organizations;
    assert.equal(new Set(orgs.map((o) => o.name)).size, orgs.length);
    assert.equal(new Set(orgs.map((o) => o.domain)).size, orgs.length);
    for (const o of orgs) assert.match(o.domain, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.test$/);
    assert.deepEqual(
      new Set(orgs.map((o) => o.sector)),
      new Set(['hospital', 'clinic', 'telehealth', 'laboratory', 'pharmacy', 'payer', 'vendor']),
    );
    const share = orgs.filter((o) => o.telehealth).length / orgs.length;
    assert.ok(share > 0.25 && share < 0.42, `telehealth share ${share}`);
    for (const o of orgs) {
      const hosts = o.hosts.filter((h) => h.discoverableBy.includes('wordlist'));
      assert.ok(hosts.length >= 3, `${o.domain} has ${hosts.length} wordlist hosts`);
    }
  });

  test('CSV follows the import format with RFC 4180 quoting', () => {
    const world = buildLabWorld({ seed: 8, orgs: 30 });
    const lines = world.organizationsCsv().trimEnd().split('\r\n');
    assert.equal(lines[0], 'name,domains,sector,telehealth,aliases');
    assert.equal(lines.length, 31);
    const first = world.truth.organizations[0]!;
    assert.ok(lines[1]!.startsWith(`${first.name},${first.domain},${first.sector},${first.telehealth},`));
  });

  test('addresses: each organization owns its /24, nothing uses 127.0.0.1, listeners are unique', () => {
    const world = buildLabWorld({ seed: 11, orgs: 300 });
    const config = world.dnsConfig(5300);
    const owner = new Map<string, string>();
    for (const org of world.truth.organizations) {
      for (const host of org.hosts) {
        for (const address of host.addresses) {
          assert.match(address, /^127\.\d+\.\d+\.\d+$/);
          assert.notEqual(address, '127.0.0.1');
          if (address.startsWith('127.0.')) continue; // shared lab infrastructure (video provider, CDN)
          const previous = owner.get(address);
          assert.ok(
            previous === undefined || previous === org.domain,
            `${address} used by ${previous} and ${org.domain}`,
          );
          owner.set(address, org.domain);
        }
      }
    }
    const listeners = [...config.nameServers.map((ns) => ns.address), ...config.resolvers];
    assert.equal(new Set(listeners).size, listeners.length);
    assert.ok(!listeners.includes('127.0.0.1'));
    assert.deepEqual(config.resolvers, ['127.0.53.1']);
  });

  test('hidden hosts: some are found only through CT, AXFR, MX, a CNAME or permutations, as the truth says', () => {
    const wordlist = new Set(DEFAULT_WORDLIST);
    const world = buildLabWorld({ seed: 12, orgs: 200 });
    const config = world.dnsConfig(5300);
    const only = new Map<string, number>();
    for (const org of world.truth.organizations) {
      const zone = config.zones.find((z) => z.origin === org.domain)!;
      for (const host of org.hosts) {
        const label = host.host.slice(0, host.host.length - org.domain.length - 1);
        assert.ok(
          !wordlist.has(label) || host.discoverableBy.includes('wordlist') || host.host === org.domain,
          `${host.host} should be found by the wordlist`,
        );
        // A host in an open zone transfer is found that way too; what else finds it is what makes it hidden.
        const ways =
          host.discoverableBy.length === 1 ? host.discoverableBy : host.discoverableBy.filter((s) => s !== 'axfr');
        if (ways.length === 1) only.set(ways[0]!, (only.get(ways[0]!) ?? 0) + 1);
        if (host.discoverableBy.includes('axfr')) assert.equal(zone.axfr, 'open', host.host);
        if (host.discoverableBy.includes('permutation'))
          assert.ok(
            !zone.records.some((rr) => rr.name.startsWith('*.')),
            `${host.host}: permutations under a wildcard`,
          );
      }
      // Every host the truth lists exists in DNS (or is an alias); stale CT names are not hosts unless a wildcard
      // answers them.
      for (const host of org.hosts)
        assert.ok(
          host.addresses.length > 0 || zone.records.some((rr) => rr.name === host.host && rr.type === 'CNAME'),
          host.host,
        );
    }
    for (const way of ['ct', 'axfr', 'mx', 'cname', 'permutation'])
      assert.ok((only.get(way) ?? 0) >= 3, `hosts found only by ${way}: ${JSON.stringify([...only])}`);
    // The CT log is crt.sh-shaped.
    const entry = world.ctLog[0]!;
    for (const key of [
      'issuer_ca_id',
      'issuer_name',
      'common_name',
      'name_value',
      'id',
      'entry_timestamp',
      'not_before',
      'not_after',
      'serial_number',
    ]) {
      assert.ok(key in entry, key);
    }
  });

  test('trust anchor is the test zone KSK as a parseable DS', () => {
    const world = buildLabWorld({ seed: 4, orgs: 10 });
    const anchors = parseTrustAnchors(world.trustAnchor);
    assert.equal(anchors.length, 1);
    assert.equal(anchors[0]!.owner, 'test');
    assert.equal(anchors[0]!.type, 'DS');
    const testZone = world.dnsConfig(53).zones.find((z) => z.origin === 'test')!;
    const ksk = testZone.records.find((rr) => rr.type === 'DNSKEY' && rr.data.flags === 257);
    assert.ok(ksk, 'test zone publishes its KSK');
  });

  describe('truth agrees with the zones (checked from the DNS data itself)', () => {
    const world = buildLabWorld({ seed: 21, orgs: 400 });
    const config = world.dnsConfig(5300);
    const lab = new Lab(config);
    const all = views(world, config);
    const testZone = config.zones.find((z) => z.origin === 'test')!;

    test('SPF', () => {
      for (const { org, findings, controls } of all) {
        const spf = lab.txt(org.domain).filter((t) => /^v=spf1( |$)/i.test(t));
        const ctx = `${org.domain}: ${spf.join(' | ')}`;
        assert.equal(findings.has('dns.spf.missing'), spf.length === 0, ctx);
        assert.equal(findings.has('dns.spf.multiple_records'), spf.length > 1, ctx);
        if (spf.length !== 1) {
          assert.ok(!controls.has('dns.spf.hardfail'), ctx);
          continue;
        }
        const record = spf[0]!;
        const badTerms = record.split(' ').filter((t) => !VALID_SPF_TERM.test(t));
        assert.equal(findings.has('dns.spf.syntax_error'), badTerms.length > 0, `${ctx} bad: ${badTerms.join(',')}`);
        if (badTerms.length > 0) {
          for (const f of [
            'dns.spf.permissive_all',
            'dns.spf.softfail_all',
            'dns.spf.too_many_lookups',
            'dns.spf.void_lookups',
          ])
            assert.ok(!findings.has(f), ctx);
          assert.ok(!controls.has('dns.spf.hardfail'), ctx);
          continue;
        }
        const all = record.split(' ').at(-1)!;
        const { lookups, voids, brokenIncludes, mxOverLimit } = countSpf(lab, org.domain);
        assert.equal(findings.has('dns.spf.softfail_all'), all === '~all', ctx);
        assert.equal(findings.has('dns.spf.permissive_all'), all === '+all' || all === '?all' || all === 'all', ctx);
        assert.equal(findings.has('dns.spf.too_many_lookups'), lookups > 10, `${ctx} lookups ${lookups}`);
        assert.equal(findings.has('dns.spf.void_lookups'), voids > 2, `${ctx} voids ${voids}`);
        assert.equal(findings.has('dns.spf.include_broken'), brokenIncludes > 0, ctx);
        assert.equal(findings.has('dns.spf.too_many_mx'), mxOverLimit > 0, ctx);
        const permerror = brokenIncludes > 0 || mxOverLimit > 0;
        assert.equal(
          controls.has('dns.spf.hardfail'),
          all === '-all' && lookups <= 10 && voids <= 2 && !permerror,
          ctx,
        );
      }
    });

    test('DMARC', () => {
      for (const { org, findings, controls } of all) {
        const records = lab.txt(`_dmarc.${org.domain}`).filter((t) => t.startsWith('v=DMARC1'));
        const ctx = `${org.domain}: ${records.join(' | ')}`;
        assert.equal(findings.has('dns.dmarc.missing'), records.length === 0, ctx);
        if (records.length === 0) continue;
        assert.equal(records.length, 1, ctx);
        const tags = new Map(
          records[0]!
            .split(';')
            .map((t) => t.trim())
            .filter(Boolean)
            .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] as const),
        );
        const pctText = tags.get('pct') ?? '100';
        const pValid = ['none', 'quarantine', 'reject'].includes(tags.get('p') ?? '');
        const pctValid = /^\d+$/.test(pctText) && Number(pctText) <= 100;
        // RFC 7489 6.6.3: no valid p but a valid rua is applied as p=none.
        const appliedAsNone = !pValid && pctValid && (tags.get('rua') ?? '').startsWith('mailto:');
        assert.equal(findings.has('dns.dmarc.syntax_error'), !(pValid && pctValid) && !appliedAsNone, ctx);
        if (!(pValid && pctValid) && !appliedAsNone) continue;
        const p = appliedAsNone ? 'none' : tags.get('p');
        const pct = Number(pctText);
        assert.equal(findings.has('dns.dmarc.policy_none'), p === 'none', ctx);
        assert.equal(findings.has('dns.dmarc.partial_pct'), p !== 'none' && pct < 100, ctx);
        assert.equal(findings.has('dns.dmarc.no_reporting'), !tags.has('rua'), ctx);
        assert.equal(controls.has('dns.dmarc.reject'), p === 'reject' && pct === 100, ctx);
      }
    });

    test('DKIM at the common selectors', () => {
      for (const { org, findings, controls } of all) {
        const strengths = COMMON_DKIM_SELECTORS.flatMap((sel) =>
          lab
            .txt(`${sel}._domainkey.${org.domain}`)
            .filter((t) => t.startsWith('v=DKIM1'))
            .map(dkimStrength),
        );
        const ctx = `${org.domain}: ${strengths.join(',')}`;
        assert.equal(findings.has('dns.dkim.not_found'), strengths.length === 0, ctx);
        assert.equal(controls.has('dns.dkim.strong_key'), strengths.includes('strong'), ctx);
        assert.equal(findings.has('dns.dkim.weak_key'), strengths.includes('weak'), ctx);
        const weak = world.truth.weaknesses.find((w) => w.organization === org.name && w.type === 'dns.dkim.weak_key');
        if (weak) assert.equal(weak.evidence['bits'], 1024);
      }
    });

    test('MX, CAA, wildcard, DNSSEC delegation', () => {
      for (const { org, zone, findings, controls } of all) {
        const ctx = org.domain;
        assert.equal(findings.has('dns.mx.missing'), lab.records(org.domain, 'MX').length === 0, ctx);
        const caa = lab.records(org.domain, 'CAA').length > 0;
        assert.equal(controls.has('dns.caa.present'), caa, ctx);
        assert.equal(findings.has('dns.caa.missing'), !caa, ctx);
        assert.equal(
          findings.has('dns.wildcard'),
          zone.records.some((rr) => rr.name === `*.${org.domain}`),
          ctx,
        );
        const ds = testZone.records.some((rr) => rr.type === 'DS' && rr.name === org.domain);
        const signed = zone.records.some((rr) => rr.type === 'DNSKEY');
        assert.equal(ds, signed, ctx);
        assert.equal(findings.has('dns.dnssec.unsigned'), !ds, ctx);
        assert.equal(ds, findings.has('dns.dnssec.invalid') || controls.has('dns.dnssec.valid'), ctx);
        assert.ok(!(findings.has('dns.dnssec.invalid') && controls.has('dns.dnssec.valid')), ctx);
      }
    });

    test('dangling CNAMEs: exactly the CNAMEs whose final target is NXDOMAIN', () => {
      for (const { org, zone } of all) {
        const dangling = zone.records
          .filter((rr) => rr.type === 'CNAME' && lab.index.resolve(rr.name).status === 'nxdomain')
          .map((rr) => rr.name)
          .sort();
        const truth = world.truth.weaknesses
          .filter((w) => w.organization === org.name && w.type === 'dns.cname.dangling')
          .map((w) => w.host)
          .sort();
        assert.deepEqual(truth, dangling, org.domain);
        for (const host of truth)
          assert.ok(
            org.hosts.some((h) => h.host === host && h.discoverableBy.includes('wordlist')),
            `${host} discoverable`,
          );
      }
    });

    test('name servers: single NS, AXFR, open recursion, version disclosure', () => {
      for (const { org, zone, findings } of all) {
        const nsHosts = zone.records.filter((rr) => rr.type === 'NS' && rr.name === org.domain).map(nsTarget);
        const nsAddresses = nsHosts.flatMap((h) => lab.index.resolve(h).addresses);
        assert.equal(nsAddresses.length, nsHosts.length, `${org.domain}: every NS resolves`);
        const single = nsHosts.length === 1 || new Set(nsAddresses.map(slash24)).size === 1;
        assert.equal(findings.has('dns.ns.single'), single, org.domain);
        // Delegation in the parent matches the zone's NS set.
        const parentNs = testZone.records
          .filter((rr) => rr.type === 'NS' && rr.name === org.domain)
          .map(nsTarget)
          .sort();
        assert.deepEqual(parentNs, [...nsHosts].sort(), org.domain);

        const servers = config.nameServers.filter((s) => nsAddresses.includes(s.address));
        for (const s of servers) assert.ok(s.zones.includes(org.domain), `${s.address} serves ${org.domain}`);
        const weaknesses = world.truth.weaknesses.filter((w) => w.organization === org.name);
        const axfr = weaknesses
          .filter((w) => w.type === 'dns.axfr.open')
          .map((w) => `${w.host} ${w.ip}`)
          .sort();
        const expectedAxfr = zone.axfr === 'open' ? nsHosts.map((h, i) => `${h} ${nsAddresses[i]}`).sort() : [];
        assert.deepEqual(axfr, expectedAxfr, org.domain);
        const open = weaknesses
          .filter((w) => w.type === 'dns.resolver.open')
          .map((w) => w.ip)
          .sort();
        assert.deepEqual(
          open,
          servers
            .filter((s) => s.recursion === 'open')
            .map((s) => s.address)
            .sort(),
          org.domain,
        );
        const version = weaknesses
          .filter((w) => w.type === 'dns.version_disclosed')
          .map((w) => w.ip)
          .sort();
        assert.deepEqual(
          version,
          servers
            .filter((s) => s.version !== undefined)
            .map((s) => s.address)
            .sort(),
          org.domain,
        );
      }
      // Provider servers are clean: no recursion, no version, transfers closed for their zones.
      for (const s of config.nameServers.filter((n) => n.address.startsWith('127.0.'))) {
        assert.equal(s.recursion, 'refused');
        assert.equal(s.version, undefined);
      }
    });

    test('findings and controls sit on the contract assets', () => {
      const truth: LabTruth = world.truth;
      const domains = new Map(truth.organizations.map((o) => [o.name, o.domain]));
      const apexFindings = LAB_FINDING_IDS.filter(
        (id) => !['dns.axfr.open', 'dns.cname.dangling', 'dns.resolver.open', 'dns.version_disclosed'].includes(id),
      );
      for (const w of truth.weaknesses) {
        const domain = domains.get(w.organization);
        assert.ok(domain, w.organization);
        if ((apexFindings as string[]).includes(w.type)) assert.equal(w.host, domain, w.type);
        else assert.ok(w.ip !== undefined || w.type === 'dns.cname.dangling', w.type);
      }
      // DNS controls sit on the apex; web controls on the hosts of the site (src/lab/world/web-sites.ts).
      for (const c of truth.controls)
        if (c.control.startsWith('dns.')) assert.equal(c.host, domains.get(c.organization));
      // One finding per (organization, type, host, port): the scanner reports each place exactly once (a
      // host's web site, without a port, and a service of it can both carry a patch finding).
      const keys = truth.weaknesses.map((w) => `${w.organization}|${w.type}|${w.host}|${w.port ?? ''}`);
      assert.equal(new Set(keys).size, keys.length);
    });
  });

  describe('setWeaknesses (finding lifecycle)', () => {
    test('fixing an organization updates its zone and the truth; DNSSEC changes re-sign the parent', () => {
      const world = buildLabWorld({ seed: 31, orgs: 25 });
      const org = world.truth.organizations.find((o) =>
        world.truth.weaknesses.some((w) => w.organization === o.name && w.type === 'dns.dnssec.unsigned' && o.domain),
      )!;
      // setWeaknesses governs the DNS weaknesses; the TLS endpoints are fixed with the world.
      const dns = (w: { type: string }): boolean => w.type.startsWith('dns.');
      const before = world.truth.weaknesses.filter((w) => w.organization === org.name && dns(w)).map((w) => w.type);
      const keep = before.filter((t) =>
        ['dns.axfr.open', 'dns.resolver.open', 'dns.version_disclosed', 'dns.ns.single'].includes(t),
      );
      const zones = world.setWeaknesses(org.domain, keep);
      assert.deepEqual(zones.map((z) => z.origin).sort(), [org.domain, 'test'].sort(), 'DS added: parent re-signed');
      const after = world.truth.weaknesses.filter((w) => w.organization === org.name && dns(w)).map((w) => w.type);
      assert.deepEqual(after.sort(), [...keep].sort());
      const controls = world.truth.controls
        .filter((c) => c.organization === org.name)
        .map((c) => c.control)
        .sort();
      assert.ok(controls.includes('dns.dnssec.valid') && controls.includes('dns.caa.present'), controls.join(','));
      const testZone = world.dnsConfig(53).zones.find((z) => z.origin === 'test')!;
      assert.ok(testZone.records.some((rr) => rr.type === 'DS' && rr.name === org.domain));
      assert.equal(
        world.dnsConfig(53).zones.find((z) => z.origin === org.domain),
        zones.find((z) => z.origin === org.domain),
      );

      // Back to softfail only: the parent keeps the DS, so only the org zone changes.
      const zones2 = world.setWeaknesses(org.domain, [...keep, 'dns.spf.softfail_all']);
      assert.deepEqual(
        zones2.map((z) => z.origin),
        [org.domain],
      );
      const spf = zones2[0]!.records.filter((rr) => rr.type === 'TXT' && rr.name === org.domain).map(txtText);
      assert.ok(
        spf.some((t) => t.startsWith('v=spf1') && t.endsWith(' ~all')),
        spf.join(' | '),
      );
      assert.ok(world.truth.weaknesses.some((w) => w.organization === org.name && w.type === 'dns.spf.softfail_all'));
    });

    test('rejects unknown ids, forbidden combinations and name-server changes a running server cannot make', () => {
      const world = buildLabWorld({ seed: 31, orgs: 25 });
      const provider = world.dnsConfig(53).nameServers.filter((ns) => ns.address === '127.0.53.10')[0]!;
      const providerOrg = world.truth.organizations.find((o) => provider.zones.includes(o.domain))!;
      assert.throws(() => world.setWeaknesses(providerOrg.domain, ['dns.spf.bogus']), /unknown lab weakness/);
      assert.throws(
        () => world.setWeaknesses(providerOrg.domain, ['dns.spf.missing', 'dns.spf.softfail_all']),
        /cannot be combined/,
      );
      assert.throws(
        () => world.setWeaknesses(providerOrg.domain, ['dns.dmarc.syntax_error', 'dns.dmarc.no_reporting']),
        /cannot be combined/,
      );
      assert.throws(() => world.setWeaknesses(providerOrg.domain, ['dns.resolver.open']), /self-hosted/);
      assert.throws(() => world.setWeaknesses('nowhere.test', []), /no lab organization/);
      const before = JSON.stringify(world.truth);
      assert.equal(JSON.stringify(world.truth), before, 'failed calls change nothing');
    });
  });

  test('builds 25 organizations well under a second and 1,000 within a few seconds', () => {
    const small = performance.now();
    buildLabWorld({ seed: 1001, orgs: 25 }).dnsConfig(53);
    const smallMs = performance.now() - small;
    console.log(`25 organizations: ${smallMs.toFixed(0)} ms`);
    assert.ok(smallMs < 1000, `25 organizations took ${smallMs} ms`);
    const started = performance.now();
    const world = buildLabWorld({ seed: 1000, orgs: 1000 });
    const config = world.dnsConfig(53);
    const built = performance.now() - started;
    const records = config.zones.reduce((sum, z) => sum + z.records.length, 0);
    console.log(
      `1,000 organizations: ${built.toFixed(0)} ms, ${config.zones.length} zones, ${records} records, ` +
        `${config.nameServers.length} name servers, ${world.truth.weaknesses.length} weaknesses`,
    );
    assert.equal(world.truth.organizations.length, 1000);
    assert.ok(built < 20_000, `took ${built} ms`);
  });
});
