/**
 * Ethereum addresses: `0x` and 40 hex digits (the last 20 bytes of the Keccak-256 of a public key).
 * EIP-55 makes the letters' case a checksum: hex digit i is upper case exactly when nibble i of
 * Keccak-256(the lower-case hex as ASCII) is 8 or more. An all-lower or all-upper address carries no
 * checksum and is accepted with less confidence; a mixed-case one must verify, so a mistyped or
 * doctored address is not reported (issue #9 section 4).
 */
import { entityAt, matchesOf } from './context.js';
import { keccak256 } from './keccak.js';
import type { ExtractedEntity } from './types.js';

const ADDRESS_PATTERN = /(?<![A-Za-z0-9])0x[0-9A-Fa-f]{40}(?![A-Za-z0-9])/g;
const PREFILTER = /0x[0-9A-Fa-f]{40}/;
/** Mixed case that verifies: the checksum says this is the address as its owner wrote it. */
const CHECKSUMMED_CONFIDENCE = 0.99;
/** One case only: any 40 hex digits pass, so a hash or a key could too. */
const UNCHECKED_CONFIDENCE = 0.8;

const encoder = new TextEncoder();

/** The EIP-55 spelling of a `0x` address (40 hex digits in any case). */
export function toChecksumAddress(address: string): string {
  const hex = address.slice(2).toLowerCase();
  const hash = keccak256(encoder.encode(hex));
  let out = '0x';
  for (let i = 0; i < hex.length; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? hex[i]!.toUpperCase() : hex[i]!;
  }
  return out;
}

/** True for `0x` + 40 hex digits in one case, or in mixed case that verifies as EIP-55. */
export function isValidEthereumAddress(address: string): boolean {
  if (!/^0x[0-9A-Fa-f]{40}$/.test(address)) return false;
  const hex = address.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  return toChecksumAddress(address) === address;
}

/** Ethereum addresses; value is the EIP-55 spelling, whatever case the text used. */
export function extractEthereumAddresses(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(ADDRESS_PATTERN, text)) {
    const address = match[0];
    if (!isValidEthereumAddress(address)) continue;
    const hex = address.slice(2);
    const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
    found.push(
      entityAt(
        text,
        'eth',
        toChecksumAddress(address),
        match.index,
        match.index + address.length,
        mixed ? CHECKSUMMED_CONFIDENCE : UNCHECKED_CONFIDENCE,
      ),
    );
  }
  return found;
}
