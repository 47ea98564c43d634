/**
 * Which lab addresses serve TLS, on which ports, with which profile: seeded, from the organizations'
 * hosts. Every organization's apex address serves 443; its other ordinary hosts (addresses .2 to .39:
 * the ones a default scan discovers, never the permutation-, CT- or transfer-only hosts) serve 443 and
 * sometimes 8443. Among the first 25 organizations every weak profile occurs at least once; the rest
 * draw mostly good profiles. The truth lists each profile's findings on every host at the address.
 */
import { createRng } from '../world/rng.js';
import type { TruthHost, TruthWeakness } from '../world/truth.js';
import { GOOD_PROFILES, LAB_TLS_PROFILES, type LabTlsProfileId, WEAK_PROFILES } from './tls-profiles.js';

/** The two TLS ports the lab serves; tests and unprivileged labs move them (LabTlsPorts). */
export const STANDARD_TLS_PORTS = { https: 443, alt: 8443 } as const;
export type LabPortRole = keyof typeof STANDARD_TLS_PORTS;

export interface LabTlsEndpoint {
  organization: string;
  address: string;
  role: LabPortRole;
  /** The hosts that resolve to the address (the certificate names them; SNI picks nothing). */
  hosts: string[];
  profile: LabTlsProfileId;
}

export interface TlsPlanInput {
  index: number;
  name: string;
  hosts: readonly TruthHost[];
  /** A fully good organization (weaknesses.ts) serves only good profiles. */
  fullyGood: boolean;
}

/** Organizations among which every weak profile occurs. */
const COVERAGE_ORGS = 25;
/** Host numbers of an organization's /24 that may serve TLS (apex 1, ordinary hosts from 2). */
const SERVED_HOSTS = { first: 1, last: 39 };

export function planLabTls(seed: number, orgs: readonly TlsPlanInput[]): LabTlsEndpoint[] {
  const endpoints: LabTlsEndpoint[] = [];
  for (const org of orgs) {
    const rng = createRng(seed, 'tls-endpoints', org.index);
    const byAddress = new Map<string, string[]>();
    for (const host of org.hosts) {
      const address = host.addresses.length === 1 ? host.addresses[0]! : undefined;
      if (address === undefined || !servedAddress(address, org.index)) continue;
      byAddress.set(address, [...(byAddress.get(address) ?? []), host.host]);
    }
    const addresses = [...byAddress.keys()].sort((a, b) => lastOctet(a) - lastOctet(b));
    for (const address of addresses) {
      const apex = lastOctet(address) === SERVED_HOSTS.first;
      const hosts = byAddress.get(address)!.sort();
      if (apex || rng.chance(0.6))
        endpoints.push({ organization: org.name, address, role: 'https', hosts, profile: 'good' });
      if (rng.chance(0.25)) endpoints.push({ organization: org.name, address, role: 'alt', hosts, profile: 'good' });
    }
  }
  assignProfiles(seed, orgs, endpoints);
  return endpoints;
}

function lastOctet(address: string): number {
  return Number(address.slice(address.lastIndexOf('.') + 1));
}

/** The organization's own /24 (infrastructure.ts orgAddress), host numbers 1 to 39. */
function servedAddress(address: string, index: number): boolean {
  const prefix = `127.${16 + Math.floor(index / 256)}.${index % 256}.`;
  if (!address.startsWith(prefix)) return false;
  const host = lastOctet(address);
  return host >= SERVED_HOSTS.first && host <= SERVED_HOSTS.last;
}

function assignProfiles(seed: number, orgs: readonly TlsPlanInput[], endpoints: LabTlsEndpoint[]): void {
  const rng = createRng(seed, 'tls-profiles');
  const good = new Set(orgs.filter((o) => o.fullyGood).map((o) => o.name));
  const coverageNames = new Set(
    orgs
      .slice(0, COVERAGE_ORGS)
      .filter((o) => !o.fullyGood)
      .map((o) => o.name),
  );
  const covered = rng.shuffle(endpoints.filter((e) => coverageNames.has(e.organization)));
  const weak = rng.shuffle([...WEAK_PROFILES]);
  // Every weak profile once among the first organizations' endpoints (when there are enough of them).
  weak.forEach((profile, i) => {
    const endpoint = covered[i];
    if (endpoint) endpoint.profile = profile;
  });
  for (const endpoint of covered.slice(weak.length)) endpoint.profile = draw(rng);
  for (const endpoint of endpoints.filter((e) => !coverageNames.has(e.organization)))
    endpoint.profile = good.has(endpoint.organization) ? rng.pick(GOOD_PROFILES) : draw(rng);
}

function draw(rng: ReturnType<typeof createRng>): LabTlsProfileId {
  return rng.chance(0.75) ? rng.pick(GOOD_PROFILES) : rng.pick(WEAK_PROFILES);
}

/** The findings the plan plants: one per profile finding per host per endpoint. */
export function tlsTruth(endpoints: readonly LabTlsEndpoint[]): TruthWeakness[] {
  return endpoints.flatMap((e) =>
    LAB_TLS_PROFILES[e.profile].findings.flatMap((type) =>
      e.hosts.map((host) => ({
        type,
        organization: e.organization,
        host,
        ip: e.address,
        port: STANDARD_TLS_PORTS[e.role],
        evidence: { profile: e.profile },
      })),
    ),
  );
}
