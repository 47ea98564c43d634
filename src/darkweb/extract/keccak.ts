/**
 * Keccak-256 (the original Keccak padding 0x01, not SHA-3's 0x06), which Monero and Ethereum use for
 * address checksums; node:crypto only has SHA3-256. From @noble/hashes (audited) rather than a
 * hand-written permutation (issue #9 section 4).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

/** Keccak-256 digest of `data`. */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}
