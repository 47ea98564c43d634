/**
 * The lab's world: organizations, their zones and weaknesses, the signed parent zone `test`, the
 * infrastructure zones, a CT log and the ground truth. Built deterministically from a seed; one
 * organization's weaknesses can be changed afterwards for finding-lifecycle tests.
 */
import type { Answer } from 'dns-packet';
import { dsForKey, zoneKeyFromSeed, type ZoneKey } from '../../dnssec/keys.js';
import { signZone, type SignatureWindow } from '../../dnssec/sign.js';
import { formatTrustAnchor } from '../../dnssec/trust-anchor.js';
import type { LabDnsConfig, LabNameServer, LabZone } from '../dns/lab-dns.types.js';
import { ctEntriesFor, namesOf, type CrtShEntry } from './ct-log.js';
import { DEFAULT_WORDLIST } from '../../probes/dns/wordlist.js';
import { permutationCandidates } from '../../probes/dns/permutations.js';
import {
  LAB_RESOLVER_ADDRESS,
  PROVIDER_NAME_SERVERS,
  orgAddress,
  RESERVED_SLUGS,
  infrastructureZones,
  soaRecord,
} from './infrastructure.js';
import { generateIdentities, type OrgIdentity } from './names.js';
import { discoverableHosts, organizationsToCsv, ZoneIndex, type LabTruth, type TruthHost } from './truth.js';
import { buildVariant, type OrgVariant } from './variant.js';
import {
  COVERAGE_WINDOW,
  NAME_SERVER_WEAKNESSES,
  normalizeWeaknesses,
  planWeaknesses,
  type DnssecBreakage,
  type LabFindingId,
} from './weaknesses.js';
import { realizeOrganization, type OrgRealization } from './zones.js';
import { type HttpsServing, type LabWebSite, planWebSites, webTruth, webUnassessableHosts } from './web-sites.js';
import { LAB_TLS_PROFILES } from '../tls/tls-profiles.js';
import { canonicalName } from '../../core/names.js';
import { type LabTlsEndpoint, planLabTls, tlsTruth } from '../tls/tls-plan.js';
import { labReputationWeaknesses, planLabListings, renderLabFeedFiles, type LabListing } from './reputation.js';
import { type LabServiceHost, planServices, serviceWeaknesses } from '../services/plan.js';

/** Options of buildLabWorld. */
export interface BuildLabWorldOptions {
  seed: number;
  /** Number of organizations (1..30,000). */
  orgs: number;
  /** Unix seconds the signature windows are centred on (default: now). Does not affect the truth. */
  now?: number;
}

/** The built lab world. */
export interface LabWorld {
  readonly seed: number;
  /** The organizations' identities, in index order. */
  readonly organizations: readonly OrgIdentity[];
  /** Current ground truth (reflects setWeaknesses). */
  readonly truth: LabTruth;
  /** Certificate Transparency entries of every organization, in crt.sh's JSON shape. */
  readonly ctLog: CrtShEntry[];
  /** DNSSEC trust anchor: the `test` zone's KSK as a DS record in presentation format. */
  readonly trustAnchor: string;
  /** The lab's recursive resolver address. */
  readonly resolverAddress: string;
  /** The TLS endpoints the lab serves (src/lab/tls/), fixed when the world is built. */
  readonly tlsEndpoints: readonly LabTlsEndpoint[];
  /**
   * The addresses that serve a web site, and which (fixed when the world is built: servers cannot rebind).
   * Their HTTPS is the TLS endpoints' (`tlsEndpoints`, role `https`).
   */
  readonly webSites: readonly LabWebSite[];
  /** `organization|host` of the hosts whose HTTPS never completes a handshake: the web probe cannot assess them. */
  readonly webUnassessable: ReadonlySet<string>;
  /** The DNS data to serve, every DNS address listening on `port`. */
  dnsConfig(port: number): LabDnsConfig;
  /** The network services the lab runs (src/lab/services/), planted in the truth. */
  readonly services: readonly LabServiceHost[];
  /** The organizations in the import format (CSV: name, domains, sector, telehealth, aliases). */
  organizationsCsv(): string;
  /** The lab's threat-feed files (name → content), listing some lab addresses (lab/world/reputation.ts). */
  feedFiles(): Record<string, string>;
  /**
   * Replaces an organization's weaknesses (finding ids) and returns the zones to hand to the DNS
   * server's replaceZone (the organization's zone, and `test` when its delegation or DS changed).
   * Throws for unknown ids, forbidden combinations, or changes that need different name servers. TLS,
   * network and web ids may be given (as the truth lists them) but not added: those services run unchanged.
   */
  setWeaknesses(domain: string, types: string[]): LabZone[];
}

interface OrgState {
  identity: OrgIdentity;
  variant: OrgVariant;
  types: LabFindingId[];
  dnssecBreakage: DnssecBreakage;
  selfHostedDns: boolean;
  revision: number;
  realization: OrgRealization;
  hosts: TruthHost[];
  ct: CrtShEntry[];
}

const MAX_ORGS = 30_000;

/** Builds the lab world for `orgs` organizations from `seed` (same inputs, same world and truth). */
export function buildLabWorld(options: BuildLabWorldOptions): LabWorld {
  const { seed, orgs } = options;
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(orgs) || orgs < 1 || orgs > MAX_ORGS)
    throw new Error(`orgs must be an integer in 1..${MAX_ORGS}, got ${orgs}`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  // Valid from a day ago for 30 days: long enough for a lab run, short enough to look real.
  const window: SignatureWindow = { inception: now - 86_400, expiration: now + 30 * 86_400 };

  const infra = infrastructureZones();
  const identities = generateIdentities(seed, orgs, RESERVED_SLUGS);
  const plans = planWeaknesses(seed, orgs);
  const states: OrgState[] = identities.map((identity, i) => {
    const plan = plans[i]!;
    const variant = buildVariant(seed, identity, plan);
    const realization = realizeOrganization({
      seed,
      identity,
      variant,
      types: plan.types,
      dnssecBreakage: plan.dnssecBreakage,
      selfHostedDns: plan.selfHostedDns,
      revision: 0,
      window,
    });
    const ct = ctEntriesFor(seed, identity, variant.hosts, variant.caaIssuer);
    const state: OrgState = {
      identity,
      variant,
      types: plan.types,
      dnssecBreakage: plan.dnssecBreakage,
      selfHostedDns: plan.selfHostedDns,
      revision: 0,
      realization,
      hosts: [],
      ct,
    };
    state.hosts = hostsOf(state, infra);
    return state;
  });
  const byDomain = new Map(states.map((s) => [s.identity.domain, s]));
  const byName = new Map(states.map((s) => [s.identity.name, s]));
  const services = planServices({
    seed,
    organizations: states.map((s) => ({
      name: s.identity.name,
      index: s.identity.index,
      hosts: s.hosts,
      ownPrefix: orgAddress(s.identity.index, 1).replace(/\d+$/, ''),
    })),
    fullyGood: new Set(plans.flatMap((p, i) => (p.fullyGood ? [i] : []))),
    coverageWindow: COVERAGE_WINDOW,
  });

  const testKeys = {
    ksk: zoneKeyFromSeed('test', 'ksk', `vitals-lab/${seed}/test/ksk`),
    zsk: zoneKeyFromSeed('test', 'zsk', `vitals-lab/${seed}/test/zsk`),
  };
  let testRevision = 0;
  let testZone = buildTestZone(states, infra, testKeys, window, testRevision);
  const trustAnchor =
    `; Vitals lab trust anchor: KSK of the "test" zone (seed ` +
    `${seed})\n${formatTrustAnchor(dsForKey('test', testKeys.ksk.dnskey, 2))}\n`;
  const ctLog = states.flatMap((s) => s.ct);
  const tlsEndpoints = planLabTls(
    seed,
    states.map((s, i) => ({
      index: s.identity.index,
      name: s.identity.name,
      hosts: s.hosts,
      fullyGood: plans[i]!.fullyGood,
    })),
  );
  const tlsWeaknesses = tlsTruth(tlsEndpoints);
  let truthCache: LabTruth | undefined;
  const truthOrganizations = () =>
    states.map((s) => ({
      name: s.identity.name,
      domain: s.identity.domain,
      sector: s.identity.sector,
      telehealth: s.identity.telehealth,
      aliases: [...s.identity.aliases],
      hosts: s.hosts,
    }));
  // How each address answers on the TLS tier's `https` port decides which web sites it can serve.
  const httpsKind = new Map(
    tlsEndpoints.filter((e) => e.role === 'https').map((e) => [e.address, LAB_TLS_PROFILES[e.profile].serving.kind]),
  );
  const httpsServing = (address: string): HttpsServing => httpsKind.get(address);
  const webSites = planWebSites(seed, truthOrganizations(), httpsServing);
  const webUnassessable = webUnassessableHosts(truthOrganizations(), httpsServing);

  let listings: LabListing[] | undefined;

  const truth = (): LabTruth => {
    if (truthCache) return truthCache;
    const organizations = truthOrganizations();
    // Planned once, on the world as built: later weakness changes move no listed address.
    listings ??= planLabListings(seed, organizations);
    const web = webTruth(webSites, organizations);
    truthCache = {
      seed,
      organizations,
      // Every place a finding is planted, as the scanner reports them: a host whose web site and mail
      // server both run known exploited versions has two patch.kev findings (the web one without a port).
      weaknesses: [
        ...states.flatMap((s) => s.realization.weaknesses),
        ...tlsWeaknesses,
        ...serviceWeaknesses(services, (name) => byName.get(name)?.hosts ?? []),
        ...web.weaknesses,
      ],
      controls: [...states.flatMap((s) => s.realization.controls), ...web.controls],
      reputation: labReputationWeaknesses(listings, organizations),
    };
    return truthCache;
  };

  return {
    seed,
    organizations: identities,
    get truth() {
      return truth();
    },
    ctLog,
    trustAnchor,
    resolverAddress: LAB_RESOLVER_ADDRESS,
    tlsEndpoints,
    services,
    webSites,
    webUnassessable,
    dnsConfig(port: number): LabDnsConfig {
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
      return {
        port,
        zones: [testZone, ...infra, ...states.map((s) => s.realization.zone)],
        nameServers: nameServersOf(states, infra),
        resolvers: [LAB_RESOLVER_ADDRESS],
      };
    },
    organizationsCsv(): string {
      return organizationsToCsv(truth().organizations);
    },
    feedFiles(): Record<string, string> {
      truth();
      return renderLabFeedFiles(listings ?? []);
    },
    setWeaknesses(domain: string, types: string[]): LabZone[] {
      const state = byDomain.get(canonicalName(domain));
      if (!state) throw new Error(`no lab organization with domain ${domain}`);
      // The TLS endpoints, network services and web sites run for the lab's life: their findings may be listed (as
      // the truth lists them), but not added.
      const planted = new Set(
        truth()
          .weaknesses.filter((w) => w.organization === state.identity.name)
          .map((w) => w.type),
      );
      const fixed = types.filter((t) => !t.startsWith('dns.'));
      const added = fixed.filter((t) => !planted.has(t));
      if (added.length > 0)
        throw new Error(
          `${domain}: TLS endpoints, network services and web sites cannot change while the lab runs ` +
            `(${added.join(', ')})`,
        );
      const normalized = normalizeWeaknesses(types.filter((t) => t.startsWith('dns.')));
      if (!state.selfHostedDns) {
        const needsOwn = normalized.filter((t) => NAME_SERVER_WEAKNESSES.has(t));
        if (needsOwn.length > 0) {
          throw new Error(
            `${domain} uses the provider's name servers; ${needsOwn.join(', ')} needs self-hosted name servers`,
          );
        }
      }
      const realization = realizeOrganization({
        seed,
        identity: state.identity,
        variant: state.variant,
        types: normalized,
        dnssecBreakage: state.dnssecBreakage,
        selfHostedDns: state.selfHostedDns,
        revision: state.revision + 1,
        window,
      });
      // The running DNS server can swap zones but not rebind addresses or change server behaviour.
      if (serversSignature(realization) !== serversSignature(state.realization)) {
        throw new Error(
          `changing ${domain} to [${normalized.join(', ')}] changes its name servers (addresses, recursion or ` +
            `version); ` +
            'that needs a lab restart, not replaceZone',
        );
      }
      const delegationChanged = JSON.stringify(realization.delegation) !== JSON.stringify(state.realization.delegation);
      state.types = normalized;
      state.revision += 1;
      state.realization = realization;
      state.hosts = hostsOf(state, infra);
      truthCache = undefined;
      const changed: LabZone[] = [realization.zone];
      if (delegationChanged) {
        testRevision += 1;
        testZone = buildTestZone(states, infra, testKeys, window, testRevision);
        changed.push(testZone);
      }
      return changed;
    },
  };
}

function hostsOf(state: OrgState, infra: readonly LabZone[]): TruthHost[] {
  const apex = state.identity.domain;
  const ctNames = [...new Set(state.ct.flatMap(namesOf))];
  const index = new ZoneIndex([...infra, state.realization.zone]);
  return discoverableHosts({
    apex,
    zone: state.realization.zone,
    ctNames,
    wordlist: defaultWordlistSet(),
    index,
    permutations: permutationCandidates,
  });
}

let wordlistSet: ReadonlySet<string> | undefined;
/** The scanner's default wordlist: the truth says which hosts a default scan finds. */
function defaultWordlistSet(): ReadonlySet<string> {
  wordlistSet ??= new Set(DEFAULT_WORDLIST);
  return wordlistSet;
}

function serversSignature(r: OrgRealization): string {
  return JSON.stringify({ own: r.ownServers, provider: [...r.providerAddresses].sort() });
}

/** The signed parent zone: provider NS at the apex, one delegation per zone below it (RFC 4035 2.4: DS at cuts). */
function buildTestZone(
  states: readonly OrgState[],
  infra: readonly LabZone[],
  keys: { ksk: ZoneKey; zsk: ZoneKey },
  window: SignatureWindow,
  revision: number,
): LabZone {
  const records: Answer[] = [soaRecord('test', PROVIDER_NAME_SERVERS[0].host, revision)];
  for (const ns of PROVIDER_NAME_SERVERS)
    records.push({ name: 'test', type: 'NS', ttl: 3600, class: 'IN', data: ns.host });
  for (const zone of infra) {
    for (const ns of PROVIDER_NAME_SERVERS)
      records.push({ name: zone.origin, type: 'NS', ttl: 3600, class: 'IN', data: ns.host });
  }
  // Glue: the provider servers' names live below the lab-dns.test cut.
  for (const ns of PROVIDER_NAME_SERVERS)
    records.push({ name: ns.host, type: 'A', ttl: 3600, class: 'IN', data: ns.address });
  for (const state of states) records.push(...state.realization.delegation);
  return { origin: 'test', records: signZone(records, 'test', keys, window), axfr: 'closed' };
}

function nameServersOf(states: readonly OrgState[], infra: readonly LabZone[]): LabNameServer[] {
  const providerZones = new Map<string, string[]>(
    PROVIDER_NAME_SERVERS.map((ns) => [ns.address, ['test', ...infra.map((z) => z.origin)]]),
  );
  const own: LabNameServer[] = [];
  for (const state of states) {
    for (const address of state.realization.providerAddresses) providerZones.get(address)?.push(state.identity.domain);
    own.push(...state.realization.ownServers.map((s) => ({ ...s, zones: [...s.zones] })));
  }
  const provider: LabNameServer[] = PROVIDER_NAME_SERVERS.map((ns) => ({
    address: ns.address,
    zones: providerZones.get(ns.address) ?? [],
    recursion: 'refused',
  }));
  return [...provider, ...own];
}
