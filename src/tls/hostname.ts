/**
 * Does a certificate name a host? RFC 6125 section 6 as browsers apply it (and RFC 9525, which replaced
 * it, requires): DNS-IDs from subjectAltName; the subject's common name only when the certificate has
 * no dNSName at all (RFC 6125 6.4.4); a wildcard only as the whole left-most label, standing for exactly
 * one label, and never directly above a single-label suffix (`*.test`); IP literals against iPAddress
 * entries only.
 */
import { isIP } from 'node:net';

export interface PresentedNames {
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
  commonNames: readonly string[];
}

export function certificateMatchesHost(host: string, names: PresentedNames): boolean {
  const reference = normalize(host);
  if (isIP(reference) !== 0) return names.ipAddresses.some((ip) => sameAddress(ip, reference));
  const identifiers = names.dnsNames.length > 0 ? names.dnsNames : names.commonNames;
  return identifiers.some((id) => dnsIdMatches(normalize(id), reference));
}

function normalize(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function sameAddress(presented: string, reference: string): boolean {
  return normalize(presented) === reference;
}

/** One presented DNS-ID against the reference host (both normalized). */
export function dnsIdMatches(presented: string, reference: string): boolean {
  if (!presented.includes('*')) return presented === reference && presented.length > 0;
  const pattern = presented.split('.');
  // Only `*` as the whole left-most label, with at least two labels after it.
  if (pattern[0] !== '*' || pattern.length < 3 || pattern.slice(1).some((l) => l.includes('*') || l === ''))
    return false;
  const labels = reference.split('.');
  if (labels.length !== pattern.length || labels[0] === '') return false;
  return labels.slice(1).join('.') === pattern.slice(1).join('.');
}
