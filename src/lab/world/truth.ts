/**
 * The lab's ground truth: every organization with the hosts a perfect discovery finds, every
 * injected weakness and every deliberately good control. The scanner's precision and recall are
 * measured against this, so host discoverability is derived from the zone data itself, following
 * the discovery rules (apex, NS, MX, AXFR, CT, wordlist with wildcard filtering, CNAME targets).
 */
import type { Answer } from 'dns-packet';
import type { LabSector } from './names.js';
import type { LabZone } from '../dns/lab-dns.types.js';

/** Ways a host can be found (same names as the scanner's discovery sources). */
export type TruthDiscoverySource = 'apex' | 'wordlist' | 'axfr' | 'cname' | 'ct' | 'ns' | 'mx' | 'permutation';

export interface TruthHost {
  host: string;
  /** A addresses after following CNAMEs; empty for a dangling alias. */
  addresses: string[];
  discoverableBy: TruthDiscoverySource[];
}

export interface TruthOrganization {
  name: string;
  domain: string;
  sector: LabSector;
  telehealth: boolean;
  aliases: string[];
  hosts: TruthHost[];
}

/**
 * One injected weakness = one finding the scanner must report (`port` is the lab DNS port when relevant, left out
 * here).
 */
export interface TruthWeakness {
  type: string;
  /** Organization name. */
  organization: string;
  host: string;
  ip?: string;
  port?: number;
  evidence: Record<string, unknown>;
}

/** One good control the scanner must record (as info) on the apex. */
export interface TruthControl {
  control: string;
  organization: string;
  host: string;
}

export interface LabTruth {
  seed: number;
  organizations: TruthOrganization[];
  weaknesses: TruthWeakness[];
  controls: TruthControl[];
  /**
   * IP reputation findings the lab's feed files plant (lab/world/reputation.ts): found once those files are
   * imported (`vitals feeds import`); without feeds the reputation check is not assessed.
   */
  reputation: TruthWeakness[];
}

/** Resolution of one name as the lab's resolver would answer it (A only, CNAMEs followed). */
export interface Resolution {
  status: 'exists' | 'nodata' | 'nxdomain';
  addresses: string[];
  cnameChain: string[];
}

/** Answers look-ups over a set of zones the way the lab's resolver does (wildcards included). */
export class ZoneIndex {
  private readonly records = new Map<string, Answer[]>();
  /** Every owner name and every empty non-terminal between an owner and its zone apex. */
  private readonly nodes = new Set<string>();
  private readonly origins: string[] = [];

  constructor(zones: readonly LabZone[]) {
    for (const zone of zones) this.addZone(zone);
  }

  /** Adds (or shadows, for a zone added later) one zone's records. */
  addZone(zone: LabZone): void {
    this.origins.push(zone.origin);
    for (const rr of zone.records) {
      const owner = rr.name.toLowerCase();
      const list = this.records.get(owner);
      if (list) list.push(rr);
      else this.records.set(owner, [rr]);
      for (let name = owner; name.length >= zone.origin.length; name = name.slice(name.indexOf('.') + 1)) {
        this.nodes.add(name);
        if (name === zone.origin || !name.includes('.')) break;
      }
    }
  }

  /** Whether `name` owns records or is an empty non-terminal (wildcards aside). */
  hasNode(name: string): boolean {
    return this.nodes.has(name);
  }

  /** Every name with a node (records or an empty non-terminal) strictly below `apex`. */
  namesBelow(apex: string): string[] {
    const suffix = `.${apex}`;
    return [...this.nodes].filter((name) => name.endsWith(suffix));
  }

  /** Resolves `name` to A addresses, following up to 8 CNAMEs (RFC 1034 4.3.2). */
  resolve(name: string): Resolution {
    const chain: string[] = [];
    let current = name.toLowerCase();
    for (let hop = 0; hop < 9; hop++) {
      const rrs = this.lookup(current);
      if (rrs === null) return { status: 'nxdomain', addresses: [], cnameChain: chain };
      const cname = rrs.find((rr) => rr.type === 'CNAME');
      if (cname?.type === 'CNAME') {
        current = cname.data.toLowerCase();
        chain.push(current);
        continue;
      }
      const addresses = rrs.flatMap((rr) => (rr.type === 'A' ? [rr.data] : []));
      return { status: addresses.length > 0 ? 'exists' : 'nodata', addresses: addresses.sort(), cnameChain: chain };
    }
    return { status: 'nxdomain', addresses: [], cnameChain: chain };
  }

  /** Records at `name` (wildcard-synthesized when needed, RFC 4592), [] for an empty node, null for NXDOMAIN. */
  private lookup(name: string): Answer[] | null {
    const exact = this.records.get(name);
    if (exact) return exact;
    if (this.nodes.has(name)) return [];
    const origin = this.origins
      .filter((o) => name === o || name.endsWith(`.${o}`))
      .sort((x, y) => y.length - x.length)[0];
    if (origin === undefined) return null;
    // Closest encloser: the longest existing ancestor; the wildcard that may answer is directly below it.
    let encloser = name;
    while (encloser !== origin && !this.nodes.has(encloser)) encloser = encloser.slice(encloser.indexOf('.') + 1);
    return this.records.get(`*.${encloser}`) ?? null;
  }
}

/** What the discovery of one organization starts from. */
export interface DiscoveryInput {
  apex: string;
  zone: LabZone;
  /** Host names in CT that belong to this organization. */
  ctNames: readonly string[];
  /** Entries a wordlist tries (labels or relative names). */
  wordlist: ReadonlySet<string>;
  /** Index over the organization's zone and every other lab zone. */
  index: ZoneIndex;
  /** The scanner's permutation generator (`--permutations`): candidates from the hosts found so far. */
  permutations?: (apex: string, hosts: Iterable<string>) => string[];
}

/** Hosts a complete discovery finds for one organization, with every way each is found. */
export function discoverableHosts(input: DiscoveryInput): TruthHost[] {
  const { apex, zone, index } = input;
  const found = new Map<string, TruthHost>();
  const below = (name: string): boolean => name === apex || name.endsWith(`.${apex}`);
  const note = (host: string, source: TruthDiscoverySource, addresses: readonly string[]): void => {
    const entry = found.get(host);
    if (entry) {
      if (!entry.discoverableBy.includes(source)) entry.discoverableBy.push(source);
      return;
    }
    found.set(host, { host, addresses: [...addresses], discoverableBy: [source] });
  };
  const wildcard = new Set(index.resolve(`vitals-truth-nonexistent-label.${apex}`).addresses);
  const candidate = (name: string, source: TruthDiscoverySource): void => {
    const r = index.resolve(name);
    if (r.status === 'nxdomain' && r.cnameChain.length === 0) return;
    // A wordlist hit that only echoes the wildcard is not a host.
    if (
      source === 'wordlist' &&
      wildcard.size > 0 &&
      r.cnameChain.length === 0 &&
      r.addresses.every((a) => wildcard.has(a))
    )
      return;
    note(name, source, r.addresses);
    for (const target of r.cnameChain) {
      if (below(target) && target !== name)
        note(target, 'cname', target === r.cnameChain[r.cnameChain.length - 1] ? r.addresses : []);
    }
  };

  note(apex, 'apex', index.resolve(apex).addresses);
  for (const rr of zone.records) {
    if (rr.name !== apex) continue;
    if (rr.type === 'NS' && typeof rr.data === 'string' && below(rr.data))
      note(rr.data, 'ns', index.resolve(rr.data).addresses);
    if (rr.type === 'MX' && below(rr.data.exchange)) candidate(rr.data.exchange, 'mx');
  }
  if (zone.axfr === 'open') {
    const owners = new Set(
      zone.records.filter((rr) => rr.type === 'A' || rr.type === 'AAAA' || rr.type === 'CNAME').map((rr) => rr.name),
    );
    for (const owner of owners) if (!owner.startsWith('*.')) candidate(owner, 'axfr');
  }
  for (const name of input.ctNames) if (!name.startsWith('*.') && below(name)) candidate(name, 'ct');
  const wildcardIsAlias = index.resolve(`vitals-truth-nonexistent-label.${apex}`).cnameChain.length > 0;
  if (wildcardIsAlias) for (const label of input.wordlist) candidate(`${label}.${apex}`, 'wordlist');
  else {
    // Only a name with a node in the zone can be a wordlist hit: any other name is NXDOMAIN or the
    // wildcard's own A answer, which discovery drops. This keeps the truth fast with large wordlists.
    for (const name of index.namesBelow(apex))
      if (input.wordlist.has(name.slice(0, -apex.length - 1))) candidate(name, 'wordlist');
  }

  // Permutations of everything found so far, where no wildcard answers (at the apex or the parent).
  const answers = (parent: string): boolean =>
    index.resolve(`vitals-truth-nonexistent-label.${parent}`).status !== 'nxdomain';
  if (input.permutations && !answers(apex)) {
    for (const name of input.permutations(apex, [...found.keys()])) {
      const parent = name.slice(name.indexOf('.') + 1);
      // Below a parent no wildcard answers for, a name without a node is NXDOMAIN: no look-up needed.
      if (index.hasNode(name) && (parent === apex || !answers(parent))) candidate(name, 'permutation');
    }
  }

  return [...found.values()].sort((x, y) =>
    x.host === apex ? -1 : y.host === apex ? 1 : x.host.localeCompare(y.host),
  );
}

/** RFC 4180 CSV: the organizations import format (name, domains `;`, sector, telehealth, aliases `;`). */
export function organizationsToCsv(organizations: readonly TruthOrganization[]): string {
  const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ['name,domains,sector,telehealth,aliases'];
  for (const org of organizations) {
    lines.push([org.name, org.domain, org.sector, String(org.telehealth), org.aliases.join(';')].map(field).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
