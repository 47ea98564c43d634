/**
 * Validation of organization domain names as typed by a person in an import file.
 */
import { domainToASCII } from 'node:url';

/** Outcome of `normalizeDomainName`. */
export type DomainNameResult = { ok: true; domain: string } | { ok: false; reason: string };

// RFC 1035 section 2.3.1 "preferred name syntax" (letters, digits, hyphen; no hyphen at either end),
// relaxed by RFC 1123 section 2.1 to allow a leading digit.
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Lower-case, strip a trailing root dot, convert an internationalised name to its A-label form
 * (RFC 5891), then require LDH labels of 1-63 characters, at least two labels, at most 253
 * characters in all (RFC 1035 section 2.3.4), and a non-numeric top-level label (RFC 3696 section 2,
 * which also rules out IPv4 literals).
 */
export function normalizeDomainName(input: string): DomainNameResult {
  let domain = input.trim().toLowerCase();
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (domain === '') return { ok: false, reason: 'empty domain' };
  // Checked before any conversion so a huge value costs nothing.
  if (domain.length > 253) return { ok: false, reason: `domain longer than 253 characters` };
  if (/[^\x21-\x7e]/.test(domain)) {
    if (/\s/.test(domain)) return { ok: false, reason: `domain "${input.trim()}" contains whitespace` };
    // Offline conversion (no lookup): Node's WHATWG URL host parser, UTS #46 processing.
    const ascii = domainToASCII(domain);
    if (ascii === '') return { ok: false, reason: `"${input.trim()}" is not a valid internationalised domain name` };
    domain = ascii;
  }
  if (domain.length > 253) return { ok: false, reason: `domain longer than 253 characters` };
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, reason: `"${domain}" needs at least two labels (e.g. example.org)` };
  for (const label of labels) {
    if (label.length === 0) return { ok: false, reason: `"${domain}" has an empty label` };
    if (label.length > 63) return { ok: false, reason: `"${domain}" has a label longer than 63 characters` };
    if (!LDH_LABEL.test(label)) {
      return {
        ok: false,
        reason: `"${domain}" has label "${label}" with characters other than letters, digits and inner hyphens`,
      };
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, reason: `"${domain}" has a numeric top-level label (an IP address is not a domain)` };
  }
  return { ok: true, domain };
}
