/**
 * Monero mainnet addresses (cryptonote_basic/cryptonote_basic_impl.cpp get_account_address_from_str):
 * varint network prefix | spend key (32) | view key (32) | [payment id (8), integrated only] | checksum (4),
 * checksum = Keccak-256(everything before it)[:4], the whole in Monero's block base58.
 *   standard   prefix 18 ("4…", 95 chars)     integrated prefix 19 ("4…", 106 chars)
 *   subaddress prefix 42 ("8…", 95 chars)
 */
import { moneroBase58Decode } from './base58.js';
import { entityAt, matchesOf } from './context.js';
import { keccak256 } from './keccak.js';
import type { ExtractedEntity } from './types.js';

/** Mainnet network prefixes (single-byte varints, all < 0x80) and the payload length each implies. */
const PREFIX_BYTES: ReadonlyMap<number, number> = new Map([
  [18, 69], // standard: 1 + 32 + 32 + 4
  [19, 77], // integrated: 1 + 32 + 32 + 8 + 4
  [42, 69], // subaddress
]);

const CONFIDENCE = 0.99;

const MONERO_PATTERN = /(?<![A-Za-z0-9])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![A-Za-z0-9])/g;
// Any 95-character base58 run: cheap enough to find by its length alone.
const PREFILTER = /[48][1-9A-HJ-NP-Za-km-z]{94}/;

/**
 * True when `address` is a mainnet standard, integrated or subaddress Monero address with a valid Keccak-256 checksum.
 */
export function isValidMoneroAddress(address: string): boolean {
  if (address.length !== 95 && address.length !== 106) return false;
  const bytes = moneroBase58Decode(address);
  if (bytes === undefined) return false;
  const prefix = bytes[0];
  if (prefix === undefined || PREFIX_BYTES.get(prefix) !== bytes.length) return false;
  const body = bytes.subarray(0, bytes.length - 4);
  const checksum = keccak256(body).subarray(0, 4);
  return checksum.every((byte, i) => byte === bytes[body.length + i]);
}

/** Monero addresses; value is the address as written (base58 is case-sensitive). */
export function extractMoneroAddresses(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(MONERO_PATTERN, text)) {
    if (!isValidMoneroAddress(match[0])) continue;
    found.push(entityAt(text, 'xmr', match[0], match.index, match.index + match[0].length, CONFIDENCE));
  }
  return found;
}
