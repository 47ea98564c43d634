/**
 * IPv6 addresses in RFC 4291 section 2.2 text form (full, `::`-compressed, IPv4-embedded); the
 * canonical value is the WHATWG URL serialization: RFC 5952 (lower case, longest zero run compressed)
 * except that an embedded IPv4 tail is shown in hex (::ffff:c000:201), not dotted as RFC 5952 section 5 suggests.
 * Syntax is judged by node:net isIPv6, so clock times (12:30:45) and MAC addresses never pass.
 */
import { isIPv6 } from 'node:net';
import { entityAt, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

// A hex group or a leading "::", then 2-7 more ":group" parts (possibly empty, for "::"), then an
// optional embedded dotted quad. Not glued to other name characters or colons.
const IPV6_PATTERN = /(?<![\w:.])(?:[0-9a-f]{1,4}|(?=::))(?::[0-9a-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:])/gi;
const PREFILTER = /:[0-9a-f]{0,4}:/i;

const CONFIDENCE = 0.9;

/** True when `address` is an IPv6 address (no zone id, no brackets). */
export function isValidIpv6(address: string): boolean {
  return isIPv6(address);
}

/** Canonical text of a valid IPv6 address (WHATWG serialization, see the module comment). */
export function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** IPv6 addresses; value is the canonical form (see the module comment). */
export function extractIpv6(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(IPV6_PATTERN, text)) {
    const raw = match[0];
    if (!isValidIpv6(raw)) continue;
    found.push(entityAt(text, 'ipv6', canonicalIpv6(raw), match.index, match.index + raw.length, CONFIDENCE));
  }
  return found;
}
