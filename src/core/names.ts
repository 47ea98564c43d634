/**
 * Validation of the names and addresses users type and servers send: every boundary goes through here.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { AppError } from './errors.js';

/** Thrown for a value a user gave that cannot be used; the message says what is wrong with it. */
export class InvalidInputError extends AppError {
  override readonly name = 'InvalidInputError';
  readonly code = 'invalid-input';
}

/**
 * The one form every DNS name is compared and stored in: lower case (names compare case-insensitively,
 * RFC 4343) without the one trailing root dot; the root itself is ''. Total and cheap: it is for names
 * from the wire, the store and the lab, which are ASCII already (IDNA conversion of hostile wire data would
 * merge different names), and it validates nothing. Names a person typed go through `parseDomainName`.
 */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Outcome of `parseDomainName`: the canonical domain, or why the input is not one. */
export type DomainNameResult = { ok: true; domain: string } | { ok: false; reason: string };

// RFC 1035 section 2.3.1 "preferred name syntax" (letters, digits, hyphen; no hyphen at either end),
// relaxed by RFC 1123 section 2.1 to allow a leading digit.
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * A domain name as a person typed it (a scan target, an import file, an option): trimmed, canonical
 * (`canonicalName`), an internationalised name converted to its A-label form (RFC 5891, UTS #46, offline
 * through Node's URL host parser), then required to be a plausible registrable-or-below host name: LDH
 * labels of 1-63 characters, at least two labels, at most 253 characters in all (RFC 1035 2.3.4), and a
 * non-numeric top-level label (RFC 3696 section 2, which also rules out IPv4 literals).
 */
export function parseDomainName(input: string): DomainNameResult {
  const raw = input.trim();
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  let domain = canonicalName(raw);
  if (domain === '') return { ok: false, reason: 'empty domain name' };
  // Checked before any conversion so a huge value costs nothing.
  if (domain.length > 253) return { ok: false, reason: `${shown} is longer than 253 characters` };
  if (isIP(domain) !== 0) return { ok: false, reason: `${shown} is an IP address, not a domain name` };
  if (/[\s/:@?#]/.test(domain))
    return { ok: false, reason: `${shown} is not a domain name (it contains a space, "/", ":", "@", "?" or "#")` };
  // The URL host parser would percent-decode; a "%" is refused by the label check below instead.
  if (!domain.includes('%')) {
    const ascii = domainToASCII(domain);
    if (ascii === '') return { ok: false, reason: `${shown} is not a valid domain name` };
    domain = ascii;
    if (domain.length > 253) return { ok: false, reason: `${shown} is longer than 253 characters` };
  }
  const labels = domain.split('.');
  if (labels.length < 2)
    return { ok: false, reason: `${shown} has a single label; give a full domain with two labels such as example.org` };
  for (const label of labels) {
    if (label.length > 63 || !LDH_LABEL.test(label)) {
      const cut = label.length > 63 ? `${label.slice(0, 20)}…` : label;
      return {
        ok: false,
        reason: `${shown} has an invalid label "${cut}" (letters, digits and inner hyphens, 1 to 63 characters)`,
      };
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!))
    return { ok: false, reason: `${shown} has an all-numeric top-level label (an IP address is not a domain)` };
  return { ok: true, domain };
}

/** `parseDomainName` for a caller that stops at the first bad name: throws InvalidInputError with the reason. */
export function normalizeDomain(input: string): string {
  const result = parseDomainName(input);
  if (!result.ok) throw new InvalidInputError(result.reason);
  return result.domain;
}

/** True when `name` is `domain` itself or a name below it. */
export function isAtOrBelow(name: string, domain: string): boolean {
  const n = canonicalName(name);
  const d = canonicalName(domain);
  return n === d || n.endsWith(`.${d}`);
}
