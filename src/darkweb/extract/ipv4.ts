/**
 * IPv4 addresses in dotted-quad form (RFC 791 text convention), also defanged (`10.0.0[.]1`).
 * Octets above 255 or with leading zeros (ambiguous: octal in inet_aton) are rejected, as node:net does.
 */
import { isIPv4 } from 'node:net';
import { entityAt, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const DOT = String.raw`(?:\.|\[\.\]|\(\.\)|\[dot\])`;
// Not glued to letters, digits or dots on either side, so "1.2.3.4.5" and "v1.2.3.4a" (versions) yield nothing.
const IPV4_PATTERN = new RegExp(String.raw`(?<![\w.])\d{1,3}(?:${DOT}\d{1,3}){3}(?!\w|\.\d)`, 'gi');
const PREFILTER = /\d(?:\.|\[\.\]|\(\.\)|\[dot\])\d/i;

// Dotted quads also appear as version numbers ("OpenSSL 1.1.1.1"), hence not higher.
const CONFIDENCE = 0.8;
const DEFANGED_CONFIDENCE = 0.95;

/** True when `address` is a canonical dotted-quad IPv4 address. */
export function isValidIpv4(address: string): boolean {
  return isIPv4(address);
}

/** IPv4 addresses; value is the plain dotted quad. */
export function extractIpv4(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(IPV4_PATTERN, text)) {
    const raw = match[0];
    const value = raw.replace(/\[\.\]|\(\.\)|\[dot\]/gi, '.');
    if (!isValidIpv4(value)) continue;
    const confidence = value.length === raw.length ? CONFIDENCE : DEFANGED_CONFIDENCE;
    found.push(entityAt(text, 'ipv4', value, match.index, match.index + raw.length, confidence));
  }
  return found;
}
