/**
 * Judges a DnsInfraObservation: CAA, zone transfer, dangling CNAMEs, wildcard, name-server diversity,
 * open recursion and version disclosure. Pure: no I/O, the same observation always gives the same
 * outcome. A look-up that failed yields a NotAssessed, never a pass or a "missing".
 */
import { isIPv4 } from 'node:net';
import type { AssetRef, ProbeAttempt } from '../../core/types.js';
import type { CatalogueOutcome } from '../define-check.js';
import { emptyOutcome } from '../../core/types.js';
import type { CaaAnswer } from 'dns-packet';
import { addressesOf } from '../../core/answer-addresses.js';
import { recordDataText } from './record-text.js';
import type { DnsInfraObservation, DnsLookup, NameServerAddressProbe } from '../../probes/dns/dns-infra.types.js';

type Judge = (obs: DnsInfraObservation, out: CatalogueOutcome) => void;

/** The checks, in report order; each adds to the outcome what it can judge. */
const JUDGES: Judge[] = [
  judgeCaa,
  judgeWildcard,
  judgeNameServerDiversity,
  judgeNameServerAddresses,
  judgeDanglingCnames,
];

/** Findings, controls and not-assessed records for the DNS infrastructure of one apex. */
export function checkDnsInfra(obs: DnsInfraObservation): CatalogueOutcome {
  const out: CatalogueOutcome = emptyOutcome();
  for (const judge of JUDGES) judge(obs, out);
  return out;
}

/** dns.caa.missing / control dns.caa.present: at least one CAA record at the apex (RFC 8659 §3). */
export function judgeCaa(obs: DnsInfraObservation, out: CatalogueOutcome): void {
  const apex: AssetRef = { host: obs.domain };
  if (obs.caa.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.caa.missing', asset: apex, reason: reasonOf(obs.caa) });
    return;
  }
  if (obs.caa.result.rcode === 'NXDOMAIN') {
    out.notAssessed.push({ check: 'dns.caa.missing', asset: apex, reason: `${obs.domain} does not exist (NXDOMAIN)` });
    return;
  }
  const records = obs.caa.result.answers
    .filter((a): a is CaaAnswer => a.type === 'CAA')
    .map((a) => ({ flags: a.data.flags ?? 0, tag: a.data.tag, value: a.data.value }));
  // The control means "CAA restricts issuance": only issue/issuewild properties do that (RFC 8659 §4.2);
  // a set of iodef records alone leaves every CA free to issue. Any CAA record still answers "missing".
  const restricts = records.some((r) => /^issue(wild)?$/i.test(r.tag));
  if (restricts) out.controls.push({ control: 'dns.caa.present', asset: apex, evidence: { records } });
  if (records.length === 0)
    out.findings.push({
      type: 'dns.caa.missing',
      asset: apex,
      evidence: { rcode: obs.caa.result.rcode, caaRecords: 0 },
    });
}

/**
 * dns.wildcard: a random 20-character label under the apex exists. NXDOMAIN for either type proves
 * no wildcard (a name either exists or not, RFC 4592 §2.2); NOERROR, with or without data, proves
 * one (a random label cannot be an empty non-terminal).
 */
export function judgeWildcard(obs: DnsInfraObservation, out: CatalogueOutcome): void {
  const apex: AssetRef = { host: obs.domain };
  const { label, a, aaaa } = obs.wildcard;
  const done = [a, aaaa].filter(
    (l): l is Extract<ProbeAttempt<DnsLookup>, { status: 'completed' }> => l.status === 'completed',
  );
  const existing = done.find((l) => l.result.rcode === 'NOERROR');
  if (existing) {
    const answers = done
      .flatMap((l) => l.result.answers)
      .map((r) => ({ name: r.name, type: r.type, data: recordDataText(r) }));
    out.findings.push({
      type: 'dns.wildcard',
      asset: apex,
      evidence: { testedName: `${label}.${obs.domain}`, answers },
    });
  } else if (done.length === 0) {
    out.notAssessed.push({ check: 'dns.wildcard', asset: apex, reason: reasonOf(a) });
  }
}

/**
 * dns.ns.single: one NS name, or every name-server address in one network (IPv4 /24, IPv6 /48);
 * RFC 1034 §4.1 asks for at least two servers, RFC 2182 §3.1 for topological diversity.
 */
export function judgeNameServerDiversity(obs: DnsInfraObservation, out: CatalogueOutcome): void {
  const apex: AssetRef = { host: obs.domain };
  const nsNames = obs.nameServers.map((n) => n.name);
  if (obs.ns.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.ns.single', asset: apex, reason: reasonOf(obs.ns) });
    return;
  }
  if (nsNames.length === 0) {
    out.notAssessed.push({
      check: 'dns.ns.single',
      asset: apex,
      reason: `no NS records at ${obs.domain} (rcode ${obs.ns.result.rcode})`,
    });
    return;
  }
  if (nsNames.length === 1) {
    out.findings.push({
      type: 'dns.ns.single',
      asset: apex,
      evidence: { nameServers: nsNames, addresses: addressesOf(obs.nameServers[0]!) },
    });
    return;
  }
  const addresses = obs.nameServers.flatMap(addressesOf);
  const networks = [...new Set(addresses.map(networkOf))].sort();
  if (networks.length >= 2) return;
  const unresolved = obs.nameServers.filter((n) => n.a.status !== 'completed' || n.aaaa.status !== 'completed');
  if (unresolved.length > 0 || addresses.length === 0) {
    // An address we could not learn might sit in another network: do not guess.
    const reason =
      addresses.length === 0
        ? 'no name-server address could be resolved'
        : `addresses of ${unresolved.map((n) => n.name).join(', ')} could not be resolved`;
    out.notAssessed.push({ check: 'dns.ns.single', asset: apex, reason });
    return;
  }
  out.findings.push({ type: 'dns.ns.single', asset: apex, evidence: { nameServers: nsNames, addresses, networks } });
}

const NAME_SERVER_CHECKS = ['dns.axfr.open', 'dns.resolver.open', 'dns.version_disclosed'] as const;

/** dns.axfr.open, dns.resolver.open, dns.version_disclosed on each name-server address. */
export function judgeNameServerAddresses(obs: DnsInfraObservation, out: CatalogueOutcome): void {
  // Name servers whose addresses we could not learn were never asked: say so instead of passing them.
  if (obs.ns.status !== 'completed') {
    for (const check of NAME_SERVER_CHECKS)
      out.notAssessed.push({ check, asset: { host: obs.domain }, reason: reasonOf(obs.ns) });
  } else if (obs.nameServers.length === 0) {
    // No name server to question is no evidence that they are locked down.
    const reason = `no NS records at ${obs.domain} (rcode ${obs.ns.result.rcode}): no name server to question`;
    for (const check of NAME_SERVER_CHECKS) out.notAssessed.push({ check, asset: { host: obs.domain }, reason });
  }
  for (const { ip, names } of obs.unprobedAddresses) {
    const reason = `${ip} is past the bound of name-server addresses probed per domain`;
    for (const check of NAME_SERVER_CHECKS)
      out.notAssessed.push({ check, asset: { host: names[0] ?? ip, ip }, reason });
  }
  for (const ns of obs.nameServers) {
    if (addressesOf(ns).length > 0) continue;
    const failed = [ns.a, ns.aaaa].find((l) => l.status !== 'completed');
    const reason = failed ? reasonOf(failed) : `${ns.name} has no A or AAAA record`;
    for (const check of NAME_SERVER_CHECKS) out.notAssessed.push({ check, asset: { host: ns.name }, reason });
  }
  for (const probe of obs.nameServerAddresses) {
    judgeAxfr(obs.domain, probe, out);
    judgeRecursion(probe, out);
    judgeVersion(probe, out);
  }
}

function nameServerAsset(probe: NameServerAddressProbe): AssetRef {
  return { host: probe.names[0] ?? probe.ip, ip: probe.ip, port: probe.port };
}

/** dns.axfr.open: the server handed over the zone (RFC 5936 §5: transfers should be authorized). */
function judgeAxfr(zone: string, probe: NameServerAddressProbe, out: CatalogueOutcome): void {
  const asset = nameServerAsset(probe);
  if (probe.axfr.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.axfr.open', asset, reason: reasonOf(probe.axfr) });
    return;
  }
  const axfr = probe.axfr.result;
  if (axfr.allowed) {
    out.findings.push({
      type: 'dns.axfr.open',
      asset,
      evidence: { zone, recordCount: axfr.recordCount, nameServers: probe.names },
    });
  }
}

/** dns.resolver.open: RA set and NOERROR/NXDOMAIN for a recursive query outside the zone (RFC 5358 §4). */
function judgeRecursion(probe: NameServerAddressProbe, out: CatalogueOutcome): void {
  const asset = nameServerAsset(probe);
  if (probe.recursion.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.resolver.open', asset, reason: reasonOf(probe.recursion) });
    return;
  }
  const r = probe.recursion.result;
  if (r.ra && r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN' && r.rcode !== 'REFUSED') {
    // It offers recursion (RA) but did not finish this one (SERVFAIL...): whether it recurses for anyone
    // is unknown, not "closed".
    out.notAssessed.push({
      check: 'dns.resolver.open',
      asset,
      reason: `recursive A ${r.queryName} answered ${r.rcode} with RA set: recursion offered, outcome unknown`,
    });
    return;
  }
  if (r.ra && (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN')) {
    out.findings.push({
      type: 'dns.resolver.open',
      asset,
      evidence: {
        queryName: r.queryName,
        rcode: r.rcode,
        recursionAvailable: r.ra,
        answerCount: r.answerCount,
        nameServers: probe.names,
      },
    });
  }
}

/**
 * Answers operators configure to hide a version or identity (BIND's `version "none"`, "not currently
 * available"...): they disclose nothing, so they are no finding (a false positive costs credibility).
 */
const HIDDEN_ANSWER = new RegExp(
  String.raw`^[\s"'[(]*(none|unknown|not (currently )?available|unavailable|hidden|secured?|refused|private|` +
    String.raw`n/?a|-+|\.+|\*+)[\s"'\])!.]*$`,
  'i',
);

/**
 * Whether a CHAOS TXT answer discloses something. version.bind discloses when it names a version (a
 * digit) or a known DNS product; id.server (and hostname.bind) names a server unless it is a
 * placeholder. A free-text answer like "go away" discloses neither.
 */
export function disclosesServer(query: 'version.bind' | 'id.server', text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '' || HIDDEN_ANSWER.test(trimmed)) return false;
  if (query === 'id.server') return true;
  return /\d/.test(trimmed) || DNS_PRODUCT.test(trimmed);
}

/** Names of DNS server software a version.bind answer may give without a number. */
const DNS_PRODUCT = new RegExp(
  String.raw`\b(bind|named|nsd|knot|powerdns|pdns|unbound|dnsmasq|coredns|microsoft|windows|yadifa|djbdns|` +
    String.raw`tinydns|maradns|technitium|simple ?dns|infoblox|bluecat|efficientip|gdnsd|dnsdist)\b`,
  'i',
);

/**
 * dns.version_disclosed: an answer to CHAOS TXT version.bind or id.server (RFC 4892 §2) that names a
 * version, a product or a server (see disclosesServer).
 */
function judgeVersion(probe: NameServerAddressProbe, out: CatalogueOutcome): void {
  const asset = nameServerAsset(probe);
  const disclosed: Record<string, string> = {};
  for (const [name, attempt] of [
    ['version.bind', probe.versionBind],
    ['id.server', probe.idServer],
  ] as const) {
    if (attempt.status !== 'completed' || attempt.result.rcode !== 'NOERROR') continue;
    const text = attempt.result.texts.find((t) => disclosesServer(name, t));
    if (text !== undefined) disclosed[name] = text;
  }
  if (Object.keys(disclosed).length > 0) {
    out.findings.push({ type: 'dns.version_disclosed', asset, evidence: { ...disclosed, nameServers: probe.names } });
  } else if (probe.versionBind.status !== 'completed' || probe.idServer.status !== 'completed') {
    const failed = probe.versionBind.status !== 'completed' ? probe.versionBind : probe.idServer;
    out.notAssessed.push({ check: 'dns.version_disclosed', asset, reason: reasonOf(failed) });
  }
}

/** Names reported one by one as not assessed for dangling CNAMEs; the rest are summed up at the apex. */
const MAX_UNCHASED_REPORTED = 100;

/**
 * dns.cname.dangling: a discovered alias whose chain ends in a name that does not exist. A name whose
 * chain was never followed (discovery could not resolve it) is not assessed: it may be a dangling alias.
 */
export function judgeDanglingCnames(obs: DnsInfraObservation, out: CatalogueOutcome): void {
  for (const { name, reason } of obs.unchased.slice(0, MAX_UNCHASED_REPORTED))
    out.notAssessed.push({ check: 'dns.cname.dangling', asset: { host: name }, reason });
  const rest = obs.unchased.slice(MAX_UNCHASED_REPORTED);
  if (rest.length > 0) {
    out.notAssessed.push({
      check: 'dns.cname.dangling',
      asset: { host: obs.domain },
      reason: `${rest.length} more names were not followed (${rest[0]!.name}: ${rest[0]!.reason}; ...)`,
    });
  }
  for (const { name, result } of obs.cnames) {
    if (result.status !== 'completed') {
      out.notAssessed.push({ check: 'dns.cname.dangling', asset: { host: name }, reason: reasonOf(result) });
      continue;
    }
    const { chain, final } = result.result;
    if (chain.length > 0 && final.rcode === 'NXDOMAIN') {
      out.findings.push({
        type: 'dns.cname.dangling',
        asset: { host: name },
        evidence: { chain: [name, ...chain], target: final.name, rcode: final.rcode },
      });
    }
  }
}

/** IPv4 /24 or IPv6 /48, as a printable prefix. */
function networkOf(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  return `${expandIPv6(ip).slice(0, 3).join(':')}::/48`;
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: Math.max(0, 8 - h.length - t.length) }, () => '0');
  return [...h, ...(tail === undefined ? [] : zeros), ...t].map((g) => g.replace(/^0+(?=.)/, ''));
}

function reasonOf(attempt: ProbeAttempt<unknown>): string {
  return attempt.status === 'not_assessed' ? `${attempt.reason}: ${attempt.detail}` : 'not assessed';
}
