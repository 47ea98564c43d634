/**
 * Base58 as Bitcoin uses it (whole-string big-number base conversion, leading '1' = leading zero byte)
 * and as Monero uses it (independent 8-byte blocks of 11 characters, tools/base58.cpp in monero).
 */

/** The Bitcoin base58 alphabet (no 0, O, I, l). Monero uses the same one. */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const DIGIT_OF = new Map<string, number>([...BASE58_ALPHABET].map((ch, i) => [ch, i]));

/**
 * Bitcoin-style base58 decode; undefined on a character outside the alphabet. Input is bounded by the callers' regexes.
 */
export function base58Decode(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const ch of text) {
    const digit = DIGIT_OF.get(ch);
    if (digit === undefined) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.push(Number(value & 0xffn));
    value >>= 8n;
  }
  for (const ch of text) {
    if (ch !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

/** Bitcoin-style base58 encode (used by tests to build look-alikes). */
export function base58Encode(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  while (value > 0n) {
    out = BASE58_ALPHABET[Number(value % 58n)]! + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

const MONERO_FULL_BLOCK_BYTES = 8;
const MONERO_FULL_BLOCK_CHARS = 11;
/** Characters used to encode a block of N bytes, N = 0..8 (monero encoded_block_sizes). */
const MONERO_ENCODED_BLOCK_SIZES = [0, 2, 3, 5, 6, 7, 9, 10, 11] as const;

/** Monero block base58 decode; undefined on a bad character, a bad tail length or a block overflow. */
export function moneroBase58Decode(text: string): Uint8Array | undefined {
  const fullBlocks = Math.floor(text.length / MONERO_FULL_BLOCK_CHARS);
  const tailChars = text.length % MONERO_FULL_BLOCK_CHARS;
  const tailBytes = MONERO_ENCODED_BLOCK_SIZES.indexOf(tailChars as (typeof MONERO_ENCODED_BLOCK_SIZES)[number]);
  if (tailBytes < 0) return undefined;
  const out = new Uint8Array(fullBlocks * MONERO_FULL_BLOCK_BYTES + tailBytes);
  for (let block = 0; block <= fullBlocks; block++) {
    const chars = text.slice(block * MONERO_FULL_BLOCK_CHARS, (block + 1) * MONERO_FULL_BLOCK_CHARS);
    const size = block < fullBlocks ? MONERO_FULL_BLOCK_BYTES : tailBytes;
    if (size === 0) continue;
    let value = 0n;
    for (const ch of chars) {
      const digit = DIGIT_OF.get(ch);
      if (digit === undefined) return undefined;
      value = value * 58n + BigInt(digit);
    }
    // A block whose number does not fit its byte size is malformed (monero decode_block "overflow").
    if (value >> BigInt(size * 8) !== 0n) return undefined;
    const offset = block * MONERO_FULL_BLOCK_BYTES;
    for (let i = size - 1; i >= 0; i--) {
      out[offset + i] = Number(value & 0xffn);
      value >>= 8n;
    }
  }
  return out;
}

/** Monero block base58 encode. */
export function moneroBase58Encode(bytes: Uint8Array): string {
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += MONERO_FULL_BLOCK_BYTES) {
    const block = bytes.subarray(offset, offset + MONERO_FULL_BLOCK_BYTES);
    let value = 0n;
    for (const byte of block) value = (value << 8n) | BigInt(byte);
    const width = MONERO_ENCODED_BLOCK_SIZES[block.length]!;
    let chars = '';
    for (let i = 0; i < width; i++) {
      chars = BASE58_ALPHABET[Number(value % 58n)]! + chars;
      value /= 58n;
    }
    out += chars;
  }
  return out;
}
