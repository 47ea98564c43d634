/**
 * The blind world's data as a DNS server needs it: every zone indexed by owner and type, the `test.` parent
 * zone built from the delegations (NS of each child apex, DS of signed children), DNSSEC applied, and
 * name look-up with CNAME chasing, wildcards, NODATA/NXDOMAIN and NSEC proofs (RFC 1034 §4.3.2, RFC 4035 §3.1).
 */
import { compareCanonical, dsPresentation, dsRecord, signZone } from './dnssec.js';
import type { Rr, World, Zone } from './world.js';

export const TLD = 'test';

export interface IndexedZone {
  origin: string;
  source?: Zone;
  nodes: Map<string, Map<string, Rr[]>>;
  signed: boolean;
  servfail: boolean;
  /** Owners of the NSEC chain in canonical order (signed zones). */
  nsecOwners: string[];
  /** Every record, for zone transfers. */
  records: Rr[];
}

export interface Answer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: Rr[];
  authorities: Rr[];
}

function index(origin: string, records: Rr[], signed: boolean, source?: Zone): IndexedZone {
  const nodes = new Map<string, Map<string, Rr[]>>();
  for (const rr of records) {
    const types = nodes.get(rr.name) ?? new Map<string, Rr[]>();
    nodes.set(rr.name, types);
    types.set(rr.type, [...(types.get(rr.type) ?? []), rr]);
  }
  const nsecOwners = [...nodes.entries()]
    .filter(([, types]) => types.has('NSEC'))
    .map(([name]) => name)
    .sort(compareCanonical);
  return { origin, source, nodes, signed, servfail: source?.servfail ?? false, nsecOwners, records };
}

function soa(origin: string, primary: string): Rr {
  return {
    name: origin,
    type: 'SOA',
    ttl: 3600,
    data: {
      mname: primary,
      rname: `hostmaster.${origin}`,
      serial: 2026120101,
      refresh: 7200,
      retry: 900,
      expire: 1209600,
      minimum: 300,
    },
  };
}

export class BlindZones {
  readonly zones = new Map<string, IndexedZone>();
  /** The `test.` trust anchor (a DS record line). */
  readonly trustAnchor: string;

  constructor(world: World) {
    const parentRecords: Rr[] = [
      soa(TLD, 'a.testnic.test'),
      { name: TLD, type: 'NS', ttl: 86400, data: 'a.testnic.test' },
      { name: TLD, type: 'NS', ttl: 86400, data: 'b.testnic.test' },
    ];
    const delegations = new Set<string>();
    for (const zone of world.zones) {
      const ns = zone.records.filter((rr) => rr.name === zone.origin && rr.type === 'NS');
      const primary = (ns[0]?.data as string | undefined) ?? `ns1.${zone.origin}`;
      const records = [soa(zone.origin, primary), ...zone.records];
      delegations.add(zone.origin);
      parentRecords.push(...ns.map((rr) => ({ ...rr, ttl: 86400 })));
      if (zone.sign) {
        const signed = signZone(zone.origin, records, zone.sign, new Set());
        parentRecords.push(dsRecord(zone.origin, signed.dsKey, 86400));
        this.zones.set(zone.origin, index(zone.origin, [...records, ...signed.added], true, zone));
      } else this.zones.set(zone.origin, index(zone.origin, records, false, zone));
    }
    const parent = signZone(TLD, parentRecords, 'ok', delegations);
    this.zones.set(TLD, index(TLD, [...parentRecords, ...parent.added], true));
    this.trustAnchor = dsPresentation(TLD, parent.keys[0]!);
  }

  /** The zone holding `name` (longest origin that is a suffix), among `allowed` when given. */
  zoneOf(name: string, allowed?: ReadonlySet<string>): IndexedZone | undefined {
    for (let candidate = name; ; ) {
      const zone = this.zones.get(candidate);
      if (zone && (!allowed || allowed.has(candidate))) return zone;
      if (candidate === '') return undefined;
      const dot = candidate.indexOf('.');
      candidate = dot < 0 ? '' : candidate.slice(dot + 1);
    }
  }

  private withSigs(zone: IndexedZone, owner: string, type: string, dnssecOk: boolean): Rr[] {
    const rrs = zone.nodes.get(owner)?.get(type) ?? [];
    if (!dnssecOk || !zone.signed) return rrs;
    const sigs = (zone.nodes.get(owner)?.get('RRSIG') ?? []).filter(
      (rr) => (rr.data as { typeCovered: string }).typeCovered === type,
    );
    return [...rrs, ...sigs];
  }

  /** The NSEC whose owner equals `name`, or else the one covering it (owner < name < next). */
  private nsecFor(zone: IndexedZone, name: string): string | undefined {
    const owners = zone.nsecOwners;
    if (owners.length === 0) return undefined;
    let covering = owners[owners.length - 1]!;
    for (const owner of owners) {
      if (compareCanonical(owner, name) <= 0) covering = owner;
      else break;
    }
    return covering;
  }

  private denial(zone: IndexedZone, names: string[], dnssecOk: boolean): Rr[] {
    const out = this.withSigs(zone, zone.origin, 'SOA', dnssecOk);
    if (!dnssecOk || !zone.signed) return out;
    const owners = new Set(names.map((n) => this.nsecFor(zone, n)).filter((n): n is string => n !== undefined));
    for (const owner of owners) out.push(...this.withSigs(zone, owner, 'NSEC', true));
    return out;
  }

  private hasDescendant(zone: IndexedZone, name: string): boolean {
    for (const owner of zone.nodes.keys()) if (owner.endsWith(`.${name}`)) return true;
    return false;
  }

  /** Closest encloser of a name that does not exist: the longest existing ancestor (node or empty non-terminal). */
  private closestEncloser(zone: IndexedZone, name: string): string {
    let candidate = name;
    while (candidate !== zone.origin) {
      candidate = candidate.slice(candidate.indexOf('.') + 1);
      if (zone.nodes.has(candidate) || this.hasDescendant(zone, candidate)) return candidate;
    }
    return zone.origin;
  }

  /**
   * Answers a question from the world's data, chasing CNAMEs (across zones, only into `allowed` ones when
   * given, as an authoritative server does) up to 8 links.
   */
  resolve(qname: string, qtype: string, dnssecOk: boolean, allowed?: ReadonlySet<string>): Answer {
    const answers: Rr[] = [];
    let name = qname;
    for (let link = 0; link < 8; link++) {
      let zone = this.zoneOf(name, allowed);
      if (!zone) {
        if (link > 0 && allowed) return { rcode: 'NOERROR', answers, authorities: [] };
        return { rcode: 'NXDOMAIN', answers, authorities: [] };
      }
      if (zone.servfail) return { rcode: 'SERVFAIL', answers: [], authorities: [] };
      if (qtype === 'DS' && name === zone.origin && zone.origin !== TLD) {
        const parent = this.zoneOf(zone.origin.slice(zone.origin.indexOf('.') + 1), allowed);
        if (!parent) return { rcode: 'NOERROR', answers, authorities: this.denial(zone, [name], dnssecOk) };
        zone = parent;
      }
      const node = zone.nodes.get(name);
      let types = node;
      let owner = name;
      if (!node && !this.hasDescendant(zone, name)) {
        const wildcard = `*.${this.closestEncloser(zone, name)}`;
        types = zone.nodes.get(wildcard);
        owner = wildcard;
        if (!types) {
          return { rcode: 'NXDOMAIN', answers, authorities: this.denial(zone, [name, wildcard], dnssecOk) };
        }
      }
      const synth = (rrs: Rr[]) => rrs.map((rr) => ({ ...rr, name }));
      if (types?.has(qtype)) {
        answers.push(...synth(this.withSigs(zone, owner, qtype, dnssecOk)));
        return { rcode: 'NOERROR', answers, authorities: [] };
      }
      const cname = types?.get('CNAME');
      if (cname && qtype !== 'CNAME') {
        answers.push(...synth(this.withSigs(zone, owner, 'CNAME', dnssecOk)));
        name = cname[0]!.data as string;
        continue;
      }
      return { rcode: 'NOERROR', answers, authorities: this.denial(zone, [name], dnssecOk) };
    }
    return { rcode: 'SERVFAIL', answers: [], authorities: [] };
  }

  /** Every record of a zone, SOA first (the body of a zone transfer without the closing SOA). */
  transfer(origin: string): Rr[] {
    const zone = this.zones.get(origin)!;
    const [first, ...rest] = zone.records.filter((rr) => rr.type === 'SOA');
    return [first!, ...zone.records.filter((rr) => rr.type !== 'SOA'), ...rest];
  }
}
