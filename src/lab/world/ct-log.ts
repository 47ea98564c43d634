/**
 * The lab's Certificate Transparency log in the shape crt.sh returns for `?q=%.domain&output=json`:
 * one entry per (pre)certificate, `name_value` holding the SAN names separated by newlines.
 */
import type { HostPlan } from './hosts.js';
import type { OrgIdentity } from './names.js';
import { createRng } from './rng.js';

/** One crt.sh JSON entry. */
export interface CrtShEntry {
  issuer_ca_id: number;
  issuer_name: string;
  common_name: string;
  name_value: string;
  id: number;
  entry_timestamp: string;
  not_before: string;
  not_after: string;
  serial_number: string;
}

const ISSUERS = {
  'letsencrypt.org': { id: 295810, name: "C=US, O=Let's Encrypt, CN=R11", days: 90 },
  'digicert.com': {
    id: 283592,
    name: 'C=US, O=DigiCert Inc, CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1',
    days: 397,
  },
  'sectigo.com': {
    id: 105029,
    name:
      'C=GB, ST=Greater Manchester, L=Salford, O=Sectigo Limited, CN=Sectigo RSA Domain Validation Secure ' +
      'Server CA',
    days: 397,
  },
} as const;

/** Fixed reference day (2026-11-20 UTC) so the log is reproducible; certificates are issued before it. */
const REFERENCE_MS = Date.UTC(2026, 10, 20);
const DAY_MS = 86_400_000;

/**
 * CT entries for one organization: the apex (+www), some certified hosts, the CT-only hosts, and
 * names since removed from DNS. Deterministic per seed and organization.
 */
export function ctEntriesFor(
  seed: number,
  identity: OrgIdentity,
  hosts: HostPlan,
  issuer: keyof typeof ISSUERS,
): CrtShEntry[] {
  const rng = createRng(seed, 'ct', identity.index);
  const apex = identity.domain;
  const ca = ISSUERS[issuer];
  const certificates: string[][] = [];
  certificates.push(hosts.labels.includes('www') ? [apex, `www.${apex}`] : [apex]);
  for (const label of hosts.certified) if (label !== 'www') certificates.push([`${label}.${apex}`]);
  for (const label of hosts.ctOnly) certificates.push([`${label}.${apex}`]);
  for (const label of hosts.staleCt) certificates.push([`${label}.${apex}`]);
  // Wildcard certificates are common; their `*.` names are not hosts.
  if (rng.chance(0.15)) certificates.push([`*.${apex}`, apex]);

  const entries: CrtShEntry[] = [];
  for (const names of certificates) {
    // Let's Encrypt certificates are recent enough to be valid on the reference day; others within a year.
    const ageDays = ca.days === 90 ? rng.range(1, 80) : rng.range(1, 360);
    const notBefore = new Date(REFERENCE_MS - ageDays * DAY_MS + rng.int(DAY_MS));
    const notAfter = new Date(notBefore.getTime() + ca.days * DAY_MS - 1000);
    const logged = new Date(notBefore.getTime() + 3_600_000 + rng.int(1000));
    const serial = Array.from({ length: 18 }, () => rng.int(256).toString(16).padStart(2, '0')).join('');
    const entry: CrtShEntry = {
      issuer_ca_id: ca.id,
      issuer_name: ca.name,
      common_name: names[0]!,
      name_value: names.join('\n'),
      id: 10_000_000_000 + identity.index * 1000 + entries.length * 2,
      entry_timestamp: logged.toISOString().replace('Z', ''),
      not_before: isoSeconds(notBefore),
      not_after: isoSeconds(notAfter),
      serial_number: serial,
    };
    entries.push(entry);
    // crt.sh lists a precertificate and its certificate separately: same names, another id.
    if (rng.chance(0.5)) entries.push({ ...entry, id: entry.id + 1 });
  }
  return entries;
}

function isoSeconds(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Host names an entry certifies (one per line of `name_value`). */
export function namesOf(entry: CrtShEntry): string[] {
  return entry.name_value
    .split('\n')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
}
