/**
 * Bitcoin mainnet addresses: Base58Check P2PKH (version 0x00, "1…") and P2SH (0x05, "3…") with the
 * double-SHA256 checksum, and native segwit "bc1…" in Bech32 (BIP-173, v0) or Bech32m (BIP-350, v1+).
 */
import { createHash } from 'node:crypto';
import { base58Decode } from './base58.js';
import { decodeSegwitAddress } from './bech32.js';
import { entityAt, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const P2PKH_VERSION = 0x00;
const P2SH_VERSION = 0x05;
/** version(1) + HASH160(20) + checksum(4). */
const BASE58CHECK_LENGTH = 25;

const CONFIDENCE = 0.99;

// Base58 runs of 26-35 characters starting 1 or 3, and bech32 runs starting bc1 (one case throughout
// is checked by the decoder). Neither may be glued to other alphanumerics.
const BASE58_PATTERN = /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const BECH32_PATTERN = /(?<![A-Za-z0-9])bc1[02-9ac-hj-np-z]{6,87}(?![A-Za-z0-9])/gi;

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** True when `address` is a Base58Check P2PKH or P2SH mainnet address with a correct checksum. */
export function isValidBase58Address(address: string): boolean {
  if (!/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(address)) return false;
  const bytes = base58Decode(address);
  if (bytes === undefined || bytes.length !== BASE58CHECK_LENGTH) return false;
  const version = bytes[0];
  if (version !== P2PKH_VERSION && version !== P2SH_VERSION) return false;
  const checksum = sha256(sha256(bytes.subarray(0, 21))).subarray(0, 4);
  return checksum.equals(bytes.subarray(21));
}

/** True when `address` is a valid mainnet segwit address (bc1…, Bech32 for v0, Bech32m for v1-16). */
export function isValidSegwitAddress(address: string): boolean {
  return decodeSegwitAddress('bc', address) !== undefined;
}

/** True when `address` is any valid mainnet Bitcoin address this module knows. */
export function isValidBitcoinAddress(address: string): boolean {
  return isValidBase58Address(address) || isValidSegwitAddress(address);
}

/** Bitcoin addresses; value is the address (segwit lower-cased, Base58 as is: it is case-sensitive). */
export function extractBitcoinAddresses(text: string): ExtractedEntity[] {
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(BASE58_PATTERN, text)) {
    if (!isValidBase58Address(match[0])) continue;
    found.push(entityAt(text, 'btc', match[0], match.index, match.index + match[0].length, CONFIDENCE));
  }
  if (/bc1/i.test(text)) {
    for (const match of matchesOf(BECH32_PATTERN, text)) {
      if (!isValidSegwitAddress(match[0])) continue;
      found.push(entityAt(text, 'btc', match[0].toLowerCase(), match.index, match.index + match[0].length, CONFIDENCE));
    }
  }
  return found;
}
