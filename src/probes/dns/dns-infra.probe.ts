/**
 * DNS infrastructure probe: the apex NS set and its addresses, SOA, CAA, a wildcard test, and, on each
 * name-server address, a zone-transfer attempt, CHAOS version queries and an open-resolver test; then
 * the CNAME chains of discovered names, to spot dangling aliases. It only observes; the judgement is in
 * src/checks/dns_health/dns-infra.check.ts. Every look-up is a ProbeAttempt: a server that does not
 * answer yields not_assessed, never an "absent".
 */
import { randomBytes } from 'node:crypto';
import type { Answer, RecordType } from 'dns-packet';
import type { ProbeAttempt, ProbeErrorReason } from '../../core/types.js';
import { followAnswerChain } from './answer-chain.js';
import type { DnsQueryOptions, DnsServer } from '../../net/dns/dns-client.types.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { truncateText } from '../../core/evidence-text.js';
import { addressesOf } from '../../core/answer-addresses.js';
import type {
  AxfrObservation,
  ChaosTxtObservation,
  CnameChainObservation,
  DnsInfraObservation,
  DnsLookup,
  NameServerAddressProbe,
  NameServerName,
  RecursionObservation,
} from './dns-infra.types.js';
import { canonicalName, isAtOrBelow } from '../../core/names.js';

/** Options of {@link probeDnsInfra}. */
export interface DnsInfraProbeOptions {
  /**
   * Names the scanner discovered (wordlist, CT, AXFR...); those at or below the apex are checked for dangling CNAMEs.
   */
  knownNames?: string[];
  /** Look-ups discovery could not make (`DiscoveryObservation.failures`): aliases may hide behind them. */
  discoveryFailures?: ReadonlyArray<{ name: string; reason: string }>;
}

// Bounds: a hostile zone must not make one probe run forever or fan out without limit.
const MAX_NS_NAMES = 13;
const MAX_NS_ADDRESSES = 16;
const MAX_CNAME_NAMES = 1000;
const MAX_CNAME_HOPS = 8;
const CNAME_CONCURRENCY = 16;
const MAX_CHAOS_TEXT = 512;
const WILDCARD_LABEL_LENGTH = 20;
/** Names outside any organization's zones, for the open-resolver test (RFC 2606 §3 reserved names). */
const OUTSIDE_NAMES = ['www.example.com', 'www.example.net'];

/** Probes the DNS infrastructure of `domain` (an apex) through ctx.resolver and its own name servers. */
export async function probeDnsInfra(
  domain: string,
  ctx: DnsProbeContext,
  options: DnsInfraProbeOptions = {},
): Promise<DnsInfraObservation> {
  const apex = canonicalName(domain);
  const label = randomLabel(WILDCARD_LABEL_LENGTH);
  const wildcardName = `${label}.${apex}`;

  // Discovered names are chased while the name servers are probed; CNAME owners learnt from an open
  // AXFR are chased afterwards.
  const known = selectNames(options.knownNames ?? [], apex, new Set());
  const unchased = new Map<string, string[]>();
  const skip = (name: string, reason: string): void => {
    unchased.set(name, [...(unchased.get(name) ?? []), reason]);
  };
  for (const { name, reason } of options.discoveryFailures ?? []) {
    const host = canonicalName(name);
    skip(isAtOrBelow(host, apex) ? host : apex, `discovery could not resolve ${host} (${reason})`);
  }
  for (const name of beyondBound(options.knownNames ?? [], apex, known))
    skip(name, `more than ${MAX_CNAME_NAMES} aliases discovered: not followed`);
  const knownCnames = mapLimit(known, CNAME_CONCURRENCY, (name) => chaseCname(ctx, name));
  // Awaited below; marked handled now so a client that breaks its never-throw contract cannot crash
  // the process with an unhandled rejection while the other look-ups are pending.
  knownCnames.catch(() => undefined);

  const [ns, soa, caa, wildA, wildAaaa] = await Promise.all([
    resolverLookup(ctx, apex, 'NS'),
    resolverLookup(ctx, apex, 'SOA'),
    resolverLookup(ctx, apex, 'CAA'),
    resolverLookup(ctx, wildcardName, 'A'),
    resolverLookup(ctx, wildcardName, 'AAAA'),
  ]);

  const nsNames = ns.status === 'completed' ? nameServerNames(ns.result.answers, apex) : [];
  const nameServers: NameServerName[] = await Promise.all(
    nsNames.map(async (name) => {
      const [a, aaaa] = await Promise.all([resolverLookup(ctx, name, 'A'), resolverLookup(ctx, name, 'AAAA')]);
      return { name, a, aaaa };
    }),
  );

  const addresses = groupByAddress(nameServers);
  const nameServerAddresses = await Promise.all(
    addresses.slice(0, MAX_NS_ADDRESSES).map(([ip, names]) => probeNameServerAddress(ctx, apex, ip, names)),
  );
  const unprobedAddresses = addresses.slice(MAX_NS_ADDRESSES).map(([ip, names]) => ({ ip, names }));

  const axfrCnameOwners = nameServerAddresses.flatMap((p) =>
    p.axfr.status === 'completed' && p.axfr.result.allowed
      ? p.axfr.result.records.filter((r) => r.type === 'CNAME').map((r) => r.name)
      : [],
  );
  const extraAll = selectNames(axfrCnameOwners, apex, new Set(known), Number.POSITIVE_INFINITY);
  const extra = extraAll.slice(0, Math.max(0, MAX_CNAME_NAMES - known.length));
  for (const name of extraAll.slice(extra.length))
    skip(name, `more than ${MAX_CNAME_NAMES} aliases to follow: not followed`);
  const extraCnames = await mapLimit(extra, CNAME_CONCURRENCY, (name) => chaseCname(ctx, name));
  const cnames = [...(await knownCnames), ...extraCnames];
  const chased = new Set(cnames.map((c) => c.name));

  return {
    domain: apex,
    ns,
    nameServers,
    soa,
    caa,
    wildcard: { label, a: wildA, aaaa: wildAaaa },
    nameServerAddresses,
    unprobedAddresses,
    cnames,
    unchased: [...unchased]
      .filter(([name]) => !chased.has(name))
      .map(([name, reasons]) => ({ name, reason: reasons.join('; ') })),
  };
}

/** Zone transfer, CHAOS version queries and the open-resolver test against one name-server address. */
async function probeNameServerAddress(
  ctx: DnsProbeContext,
  apex: string,
  ip: string,
  names: string[],
): Promise<NameServerAddressProbe> {
  const server: DnsServer = { address: ip, port: ctx.nameServerPort };
  const [axfr, versionBind, idServer, recursion] = await Promise.all([
    tryAxfr(ctx, server, apex),
    chaosTxt(ctx, server, 'version.bind'),
    chaosTxt(ctx, server, 'id.server'),
    recursionTest(ctx, server, apex),
  ]);
  return { ip, port: server.port, names, axfr, versionBind, idServer, recursion };
}

async function tryAxfr(ctx: DnsProbeContext, server: DnsServer, apex: string): Promise<ProbeAttempt<AxfrObservation>> {
  // A transfer may be large and slow: allow several query timeouts (RFC 5936 §4.1: AXFR runs over TCP).
  const timeoutMs = (ctx.queryOptions.timeoutMs ?? 2000) * 5;
  const result = await ctx.client.axfr(server, apex, { timeoutMs });
  const where = `AXFR ${apex} at ${formatServer(server)}`;
  if (!result.ok) {
    if (result.reason === 'refused') return completed({ allowed: false, reason: 'refused' });
    return notAssessed(result.reason, `${where}: ${result.detail}`);
  }
  // RFC 5936 §2.2: a transfer starts (and ends) with the zone's SOA; anything else is not the zone asked for.
  const first = result.records[0];
  if (first?.type !== 'SOA' || canonicalName(first.name) !== apex) {
    return notAssessed('malformed_reply', `${where}: the transfer does not start with the SOA of ${apex}`);
  }
  // The closing SOA repeats the opening one; clients differ on whether they keep it, so drop it here
  // and count each record of the zone once.
  const last = result.records[result.records.length - 1];
  const records = result.records.length > 1 && last?.type === 'SOA' ? result.records.slice(0, -1) : result.records;
  return completed({ allowed: true, recordCount: records.length, records });
}

async function chaosTxt(
  ctx: DnsProbeContext,
  server: DnsServer,
  name: 'version.bind' | 'id.server',
): Promise<ProbeAttempt<ChaosTxtObservation>> {
  // RFC 4892 §2: these CHAOS-class names are answered by servers that disclose their version / identity.
  const options: DnsQueryOptions = { ...ctx.queryOptions, qclass: 'CH', recursionDesired: false, dnssecOk: false };
  const result = await ctx.client.query(server, name, 'TXT', options);
  if (!result.ok) return notAssessed(result.reason, `CH TXT ${name} at ${formatServer(server)}: ${result.detail}`);
  const texts = result.response.answers
    .filter((a) => a.type === 'TXT' && canonicalName(a.name) === name)
    .map((a) => truncateText(txtText(a), MAX_CHAOS_TEXT));
  return completed({ rcode: result.response.rcode, texts });
}

async function recursionTest(
  ctx: DnsProbeContext,
  server: DnsServer,
  apex: string,
): Promise<ProbeAttempt<RecursionObservation>> {
  const queryName = OUTSIDE_NAMES.find((n) => !isAtOrBelow(n, apex) && !isAtOrBelow(apex, n)) ?? OUTSIDE_NAMES[0]!;
  const options: DnsQueryOptions = { ...ctx.queryOptions, qclass: 'IN', recursionDesired: true, dnssecOk: false };
  const result = await ctx.client.query(server, queryName, 'A', options);
  if (!result.ok)
    return notAssessed(result.reason, `recursive A ${queryName} at ${formatServer(server)}: ${result.detail}`);
  const { response } = result;
  return completed({
    queryName,
    rcode: response.rcode,
    ra: response.flags.ra,
    aa: response.flags.aa,
    answerCount: response.answers.length,
  });
}

/**
 * Follows the CNAME chain of `name` through the resolver. A recursive resolver normally returns the
 * whole chain in one answer, with the rcode of the last name (RFC 6604 §3); when the chain does not
 * end in an address, the last target is asked about directly, so an NXDOMAIN is the target's own.
 */
async function chaseCname(
  ctx: DnsProbeContext,
  name: string,
): Promise<{ name: string; result: ProbeAttempt<CnameChainObservation> }> {
  const chain: string[] = [];
  let current = name;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    const lookup = await resolverLookup(ctx, current, 'A');
    if (lookup.status !== 'completed') return { name, result: lookup };
    let last = current;
    for (let i = 0; i < MAX_CNAME_HOPS; i++) {
      const cname = lookup.result.answers.find((a) => a.type === 'CNAME' && canonicalName(a.name) === last);
      const data = cname ? dataOf(cname) : undefined;
      if (typeof data !== 'string') break;
      const target = canonicalName(data);
      if (target === name || chain.includes(target)) {
        return {
          name,
          result: notAssessed('malformed_reply', `CNAME loop at ${target} (chain ${[name, ...chain].join(' -> ')})`),
        };
      }
      chain.push(target);
      last = target;
      if (chain.length > MAX_CNAME_HOPS) break;
    }
    if (chain.length > MAX_CNAME_HOPS) break;
    const addressCount = lookup.result.answers.filter((a) => a.type === 'A' && canonicalName(a.name) === last).length;
    if (addressCount === 0 && last !== current) {
      current = last;
      continue;
    }
    return {
      name,
      result: completed({ name, chain, final: { name: last, rcode: lookup.result.rcode, addressCount } }),
    };
  }
  return { name, result: notAssessed('other', `CNAME chain of ${name} longer than ${MAX_CNAME_HOPS} names`) };
}

/**
 * One look-up through the configured resolver. NOERROR and NXDOMAIN are data; SERVFAIL, REFUSED and
 * other rcodes mean the resolver could not tell us, so the look-up is not assessed.
 */
async function resolverLookup(ctx: DnsProbeContext, name: string, type: RecordType): Promise<ProbeAttempt<DnsLookup>> {
  const options: DnsQueryOptions = { ...ctx.queryOptions, qclass: 'IN', recursionDesired: true };
  const result = await ctx.client.query(ctx.resolver, name, type, options);
  const where = `${type} ${name} via resolver ${formatServer(ctx.resolver)}`;
  if (!result.ok) return notAssessed(result.reason, `${where}: ${result.detail}`);
  const { rcode, answers } = result.response;
  if (rcode === 'SERVFAIL') return notAssessed('servfail', `${where}: SERVFAIL`);
  if (rcode === 'REFUSED') return notAssessed('refused', `${where}: REFUSED`);
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return notAssessed('other', `${where}: rcode ${rcode}`);
  // A CNAME loop or runaway chain answers nothing about the name: never read it as "no record".
  const walk = followAnswerChain(name, answers);
  if (!walk.ok) return notAssessed('malformed_reply', `${where}: ${walk.detail}`);
  return completed({ rcode, answers: answersInChain(name, answers) });
}

/** Keeps the answers owned by `name` or by a name its CNAME chain leads to: the rest is unsolicited. */
function answersInChain(name: string, answers: Answer[]): Answer[] {
  const owners = new Set([canonicalName(name)]);
  for (let i = 0; i < MAX_CNAME_HOPS; i++) {
    const before = owners.size;
    for (const a of answers) {
      if (a.type === 'CNAME' && typeof a.data === 'string' && owners.has(canonicalName(a.name)))
        owners.add(canonicalName(a.data));
    }
    if (owners.size === before) break;
  }
  return answers.filter((a) => typeof a.name === 'string' && owners.has(canonicalName(a.name)));
}

/** The apex NS set as host names: validated, lower case, deduplicated, sorted, bounded. */
function nameServerNames(answers: Answer[], apex: string): string[] {
  const names = answers
    .filter((a) => a.type === 'NS' && canonicalName(a.name) === apex)
    .map(dataOf)
    .filter((d): d is string => typeof d === 'string')
    .map(canonicalName)
    .filter(isHostName);
  return [...new Set(names)].sort().slice(0, MAX_NS_NAMES);
}

/** Address -> NS names that resolve to it (an address shared by ns1 and ns2 is probed once). */
function groupByAddress(nameServers: NameServerName[]): Array<[string, string[]]> {
  const byAddress = new Map<string, string[]>();
  for (const ns of nameServers) {
    for (const ip of addressesOf(ns)) {
      const names = byAddress.get(ip) ?? [];
      names.push(ns.name);
      byAddress.set(ip, names);
    }
  }
  return [...byAddress.entries()].map(([ip, names]) => [ip, [...new Set(names)].sort()]);
}

/** Normalized names strictly below the apex, not already in `exclude`, deduplicated and bounded. */
function selectNames(names: string[], apex: string, exclude: Set<string>, limit = MAX_CNAME_NAMES): string[] {
  const out = new Set<string>();
  for (const raw of names) {
    if (typeof raw !== 'string') continue;
    const name = canonicalName(raw);
    if (name === apex || !isAtOrBelow(name, apex) || !isHostName(name) || exclude.has(name)) continue;
    out.add(name);
    if (out.size >= limit) break;
  }
  return [...out];
}

/** The names {@link selectNames} would take but for its bound. */
function beyondBound(names: string[], apex: string, selected: string[]): string[] {
  if (selected.length < MAX_CNAME_NAMES) return [];
  return selectNames(names, apex, new Set(selected), Number.POSITIVE_INFINITY);
}

/** The RDATA of a decoded record (dns-packet's union hides it on OPT records). */
function dataOf(answer: Answer): unknown {
  return (answer as { data?: unknown }).data;
}

function txtText(answer: Answer): string {
  const data = dataOf(answer);
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (typeof p === 'string' ? p : Buffer.isBuffer(p) ? p.toString('utf8') : '')).join('');
}

/** RFC 1035 §2.3.4 limits; underscores tolerated (seen in real zones). */
function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((l) => /^[a-z0-9_*-]{1,63}$/.test(l));
}

function randomLabel(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

function formatServer(server: DnsServer): string {
  return server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

function completed<T>(result: T): ProbeAttempt<T> {
  return { status: 'completed', result };
}

function notAssessed<T>(reason: ProbeErrorReason, detail: string): ProbeAttempt<T> {
  return { status: 'not_assessed', reason, detail };
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
