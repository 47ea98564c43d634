/**
 * Asset discovery for one organization domain: the apex, its name and mail servers, a wordlist of host
 * labels, zone transfers where a name server allows them, CNAME following, and Certificate Transparency
 * names imported from a file. Every asset records how it was found.
 */
import { randomBytes } from 'node:crypto';
import { isAtOrBelow, canonicalName } from '../../core/names.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import type { DnsClient, DnsQueryResult } from '../../net/dns/dns-client.types.js';
import { followAnswerChain } from './answer-chain.js';
import type {
  CtLogEntry,
  DiscoveredAsset,
  DiscoveryObservation,
  DiscoverySource,
  NameServerInfo,
} from './discovery.types.js';
import { dataOf, resolveHost, type HostResolution } from './resolve-host.js';
import { parentName, permutationCandidates } from './permutations.js';
import { forEachBounded } from './bounded.js';

/** Wordlist and permutation look-ups under way at once for one domain (the client caps the whole scan). */
const CANDIDATES_IN_FLIGHT = 256;

export interface DiscoveryOptions {
  /** Labels to try under the domain; null skips the wordlist. */
  wordlist: readonly string[] | null;
  /** Host names from Certificate Transparency (all domains; only those below this domain are used). */
  ctNames?: readonly string[];
  /**
   * Client for the wordlist's many one-off questions. The scanner passes its plain client here: the
   * per-domain memo in front of `ctx.client` would only add bookkeeping for names asked once.
   */
  wordlistClient?: DnsClient;
  /** Also try permutations of the discovered names (see permutations.ts) where no wildcard answers them. */
  permutations?: boolean;
}

/** Discovers the assets of `domain`. Never throws for network trouble: failures are listed. */
export async function discoverAssets(
  domain: string,
  ctx: DnsProbeContext,
  options: DiscoveryOptions,
): Promise<DiscoveryObservation> {
  const found = new Map<string, DiscoveredAsset>();
  const failures: DiscoveryObservation['failures'] = [];
  let queries = 0;

  const wordlistCtx: DnsProbeContext = options.wordlistClient ? { ...ctx, client: options.wordlistClient } : ctx;
  const resolveBoth = async (
    name: string,
    via: DnsProbeContext = ctx,
  ): Promise<{ a: HostResolution; aaaa: HostResolution | null }> => {
    queries++;
    const a = await resolveHost(via, name, 'A');
    // A name that exists without A records may be IPv6-only; NXDOMAIN rules out AAAA too (RFC 8020).
    if (a.status === 'nodata') {
      queries++;
      return { a, aaaa: await resolveHost(via, name, 'AAAA') };
    }
    return { a, aaaa: null };
  };

  const note = (host: string, source: DiscoverySource, addresses: string[], cnameChain: string[]): void => {
    const key = canonicalName(host);
    const existing = found.get(key);
    if (existing) {
      if (!existing.discoveredBy.includes(source)) existing.discoveredBy.push(source);
      for (const ip of addresses) if (!existing.addresses.includes(ip)) existing.addresses.push(ip);
      if (existing.cnameChain.length === 0 && cnameChain.length > 0) existing.cnameChain = cnameChain;
      return;
    }
    found.set(key, { host: key, addresses: [...addresses], cnameChain: [...cnameChain], discoveredBy: [source] });
  };

  /** Resolves a candidate and records it when it exists (or is an alias, even a dangling one). */
  const probeCandidate = async (name: string, source: DiscoverySource): Promise<void> => {
    const oneOff = source === 'wordlist' || source === 'permutation';
    const { a, aaaa } = await resolveBoth(name, oneOff ? wordlistCtx : ctx);
    if (a.status === 'failed') {
      failures.push({ name, reason: a.reason });
      return;
    }
    const addresses = [
      ...(a.status === 'exists' ? a.addresses : []),
      ...(aaaa?.status === 'exists' ? aaaa.addresses : []),
    ];
    const chain = a.cnameChain;
    const exists = addresses.length > 0 || chain.length > 0 || a.status === 'nodata';
    if (!exists) return;
    // Under a wildcard every label "exists": keep only names whose answer differs from the wildcard's
    // (its addresses and its CNAME chain: `*.zone CNAME zone.` answers every guess with the same alias).
    if (source === 'wordlist' && echoesWildcard(a.status, chain, addresses)) return;
    note(name, source, addresses, chain);
    // CNAME following: an alias's in-domain targets are assets too.
    for (const target of chain) {
      if (isAtOrBelow(target, domain) && target !== name) {
        const targetAddresses = target === chain[chain.length - 1] ? addresses : [];
        note(target, 'cname', targetAddresses, []);
      }
    }
  };

  // 1. The apex and the wildcard test run first: the wildcard answer filters wordlist hits.
  const randomLabel = `vitals-${randomBytes(8).toString('hex')}`;
  queries += 3; // the A/AAAA pair counts itself; the wildcard probe, NS and MX below
  const [apex, wildcardProbe, nsReply, mxReply] = await Promise.all([
    resolveBoth(domain),
    resolveHost(ctx, `${randomLabel}.${domain}`, 'A'),
    ctx.client.query(ctx.resolver, domain, 'NS', ctx.queryOptions),
    ctx.client.query(ctx.resolver, domain, 'MX', ctx.queryOptions),
  ]);
  const wildcard = new Set(wildcardProbe.status === 'exists' ? wildcardProbe.addresses : []);
  /** Whether a guess answered exactly as the random label did: same outcome, same chain, no other address. */
  const echoesWildcard = (status: string, chain: readonly string[], addresses: readonly string[]): boolean =>
    (wildcardProbe.status === 'exists' || wildcardProbe.status === 'nodata') &&
    status === wildcardProbe.status &&
    chain.length === wildcardProbe.cnameChain.length &&
    chain.every((target, i) => target === wildcardProbe.cnameChain[i]) &&
    addresses.every((ip) => wildcard.has(ip));
  // The random label is no host: the failed test is the apex's (wordlist filtering and permutations depend on it).
  if (wildcardProbe.status === 'failed')
    failures.push({ name: domain, reason: `wildcard test ${randomLabel}.${domain}: ${wildcardProbe.reason}` });

  const apexAddresses = [
    ...(apex.a.status === 'exists' ? apex.a.addresses : []),
    ...(apex.aaaa?.status === 'exists' ? apex.aaaa.addresses : []),
  ];
  if (apex.a.status === 'failed') failures.push({ name: domain, reason: apex.a.reason });
  note(domain, 'apex', apexAddresses, apex.a.status === 'failed' ? [] : apex.a.cnameChain);

  // 2. Name servers and mail servers.
  const nsHosts = answeredTargets(nsReply, domain, 'NS', failures);
  const mxHosts = answeredTargets(mxReply, domain, 'MX', failures);

  const nameServers: NameServerInfo[] = await Promise.all(
    nsHosts.map(async (host) => {
      const { a, aaaa } = await resolveBoth(host);
      const addresses = [
        ...(a.status === 'exists' ? a.addresses : []),
        ...(aaaa?.status === 'exists' ? aaaa.addresses : []),
      ];
      if (a.status === 'failed') failures.push({ name: host, reason: a.reason });
      if (isAtOrBelow(host, domain)) note(host, 'ns', addresses, []);
      return { host, addresses };
    }),
  );
  await Promise.all(
    mxHosts.filter((h) => h !== '' && isAtOrBelow(h, domain)).map((host) => probeCandidate(host, 'mx')),
  );

  // 3. Zone transfers: every name in a transferred zone is an asset.
  const transferFailures: DiscoveryObservation['failures'] = [];
  let transferred = false;
  for (const ns of nameServers) {
    for (const address of ns.addresses) {
      const transfer = await ctx.client.axfr({ address, port: ctx.nameServerPort }, domain, {
        timeoutMs: ctx.queryOptions.timeoutMs ?? 2000,
      });
      queries++;
      if (!transfer.ok) {
        // A refusal is an answer (the zone is closed); a timeout or a broken transfer leaves it unknown.
        if (transfer.reason !== 'refused')
          transferFailures.push({ name: domain, reason: `AXFR at ${ns.host} (${address}): ${transfer.reason}` });
        continue;
      }
      transferred = true;
      const names = new Set<string>();
      for (const record of transfer.records) {
        const owner = canonicalName(record.name);
        if (
          (record.type === 'A' || record.type === 'AAAA' || record.type === 'CNAME') &&
          isAtOrBelow(owner, domain) &&
          !owner.startsWith('*.')
        )
          names.add(owner);
      }
      await Promise.all([...names].map((name) => probeCandidate(name, 'axfr')));
      break; // one successful transfer per name server is enough
    }
  }
  // Once one server handed the zone over, its names are known: other servers' failures hide nothing.
  if (!transferred) failures.push(...transferFailures);

  // 4. Certificate Transparency names below the domain (wildcard certificate names are skipped).
  const ctCandidates = new Set<string>();
  for (const name of options.ctNames ?? []) {
    const n = canonicalName(name.trim());
    if (n !== '' && !n.startsWith('*.') && isAtOrBelow(n, domain)) ctCandidates.add(n);
  }
  await Promise.all([...ctCandidates].map((name) => probeCandidate(name, 'ct')));

  // 5. The wordlist.
  if (options.wordlist) {
    // A long entry under a long domain can exceed the 253 characters a name may have (RFC 1035 2.3.4).
    const names = options.wordlist.map((label) => `${label}.${domain}`).filter((name) => name.length <= 253);
    await forEachBounded(names, CANDIDATES_IN_FLIGHT, (name) => probeCandidate(name, 'wordlist'));
  }

  // 6. Permutations of what was found, only where no wildcard would answer every guess.
  let permutations: DiscoveryObservation['permutations'];
  if (options.permutations) {
    if (wildcardProbe.status !== 'nxdomain') {
      const why = wildcardProbe.status === 'failed' ? 'the wildcard test failed' : 'the zone has a wildcard';
      permutations = { tried: 0, skipped: why };
    } else {
      const candidates = permutationCandidates(domain, found.keys());
      // Names deeper than the apex need their own wildcard test (a `*.dev.example.org` answers below it).
      const parents = [...new Set(candidates.map(parentName))].filter((p) => p !== domain);
      queries += parents.length;
      const tests = await Promise.all(parents.map((p) => resolveHost(wordlistCtx, `${randomLabel}.${p}`, 'A')));
      const answered = new Set(parents.filter((_, i) => tests[i]!.status !== 'nxdomain'));
      const names = candidates.filter((name) => !answered.has(parentName(name)));
      await forEachBounded(names, CANDIDATES_IN_FLIGHT, (name) => probeCandidate(name, 'permutation'));
      permutations = { tried: names.length, skipped: null };
    }
  }

  const assets = [...found.values()].sort((x, y) =>
    x.host === domain ? -1 : y.host === domain ? 1 : x.host.localeCompare(y.host),
  );
  for (const asset of assets) asset.addresses.sort();
  const observation: DiscoveryObservation = {
    domain,
    wildcardAddresses: [...wildcard].sort(),
    nameServers,
    assets,
    queries,
    failures,
  };
  if (permutations) observation.permutations = permutations;
  return observation;
}

/**
 * The NS or MX hosts of a reply. NOERROR and NXDOMAIN are answers (possibly empty); no reply, or any other
 * rcode (SERVFAIL, REFUSED...), says nothing about the records and is listed as a failure, so the hosts
 * discovery could not learn are never taken for none.
 */
function answeredTargets(
  reply: DnsQueryResult,
  domain: string,
  type: 'NS' | 'MX',
  failures: DiscoveryObservation['failures'],
): string[] {
  if (!reply.ok) {
    failures.push({ name: domain, reason: `${type}: ${reply.reason}: ${reply.detail}` });
    return [];
  }
  const { rcode, answers } = reply.response;
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') {
    failures.push({ name: domain, reason: `${type}: rcode ${rcode}` });
    return [];
  }
  const walk = followAnswerChain(domain, answers);
  if (!walk.ok) {
    failures.push({ name: domain, reason: `${type}: malformed_reply: ${walk.detail}` });
    return [];
  }
  return recordTargets(answers, domain, type);
}

/** Host names named by NS or MX records at `owner` (null MX "." excluded). */
function recordTargets(answers: import('dns-packet').Answer[], owner: string, type: 'NS' | 'MX'): string[] {
  const out = new Set<string>();
  for (const answer of answers) {
    if (answer.type !== type || canonicalName(answer.name) !== owner) continue;
    const data = dataOf(answer);
    const target = type === 'NS' ? data : (data as { exchange?: unknown } | undefined)?.exchange;
    if (typeof target !== 'string') continue;
    const host = canonicalName(target);
    if (host !== '') out.add(host);
  }
  return [...out].sort();
}

/**
 * Groups CT names under the target domains they fall below, once per scan, so that each domain's
 * discovery looks at its own names only (a portfolio of thousands of domains and a CT export of tens of
 * thousands of names would otherwise compare every name with every domain).
 */
export function ctNamesByDomain(ctNames: readonly string[], domains: readonly string[]): Map<string, string[]> {
  const targets = new Set(domains.map((d) => canonicalName(d)));
  const grouped = new Map<string, string[]>();
  for (const raw of ctNames) {
    const name = canonicalName(raw.trim());
    if (name === '' || name.startsWith('*.')) continue;
    const labels = name.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const suffix = labels.slice(i).join('.');
      if (!targets.has(suffix)) continue;
      const list = grouped.get(suffix);
      if (list) list.push(name);
      else grouped.set(suffix, [name]);
    }
  }
  return grouped;
}

/** Extracts host names from a crt.sh JSON export, rejecting anything that is not that shape. */
export function parseCtLog(json: unknown): string[] {
  if (!Array.isArray(json)) throw new Error('the CT file must be a JSON array as crt.sh returns it');
  const names = new Set<string>();
  json.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) throw new Error(`CT entry ${index} is not an object`);
    const { name_value: nameValue, common_name: commonName } = entry as CtLogEntry;
    for (const field of [nameValue, commonName]) {
      if (field === undefined || field === null) continue;
      if (typeof field !== 'string') throw new Error(`CT entry ${index}: name_value and common_name must be strings`);
      for (const line of field.split(/\n/)) {
        const n = line.trim().toLowerCase();
        if (n !== '') names.add(n);
      }
    }
  });
  return [...names].sort();
}
