/**
 * Base58 as Bitcoin uses it (whole-string base conversion, leading '1' = leading zero byte) and as
 * Monero uses it (independent 8-byte blocks of 11 characters), from @scure/base: a maintained,
 * audited implementation rather than a hand-written one (issue #9 section 4).
 */
import { base58, base58xmr } from '@scure/base';

/** The Bitcoin base58 alphabet (no 0, O, I, l). Monero uses the same one. */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bitcoin-style base58 decode; undefined on a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | undefined {
  try {
    return base58.decode(text);
  } catch {
    return undefined;
  }
}

/** Bitcoin-style base58 encode (used by tests to build look-alikes). */
export function base58Encode(bytes: Uint8Array): string {
  return base58.encode(bytes);
}

/** Monero block base58 decode; undefined on a bad character, a bad tail length or a block overflow. */
export function moneroBase58Decode(text: string): Uint8Array | undefined {
  try {
    return base58xmr.decode(text);
  } catch {
    return undefined;
  }
}

/** Monero block base58 encode. */
export function moneroBase58Encode(bytes: Uint8Array): string {
  return base58xmr.encode(bytes);
}
