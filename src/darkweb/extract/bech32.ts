/**
 * Bech32 (BIP-173) and Bech32m (BIP-350) from @scure/base, and segwit address rules on top of them.
 */
import { bech32, bech32m } from '@scure/base';

/** BIP-173: the whole string is at most 90 characters. */
const MAX_LENGTH = 90;

export type Bech32Encoding = 'bech32' | 'bech32m';

/** A decoded Bech32/Bech32m string: human-readable part, data (checksum removed), which checksum matched. */
export interface Bech32Decoded {
  hrp: string;
  data: number[];
  encoding: Bech32Encoding;
}

/**
 * Decodes a Bech32 or Bech32m string per BIP-173 / BIP-350: HRP characters 33-126, no mixed case,
 * separator '1' (the last one), at least 6 checksum characters, at most 90 characters overall.
 */
export function bech32Decode(text: string): Bech32Decoded | undefined {
  for (const [coder, encoding] of [
    [bech32, 'bech32'],
    [bech32m, 'bech32m'],
  ] as const) {
    const decoded = coder.decodeUnsafe(text, MAX_LENGTH);
    if (decoded !== undefined) return { hrp: decoded.prefix, data: [...decoded.words], encoding };
  }
  return undefined;
}

/** Encodes `data` (5-bit values) with a checksum of the given kind (used by tests to build look-alikes). */
export function bech32Encode(hrp: string, data: readonly number[], encoding: Bech32Encoding): string {
  return (encoding === 'bech32' ? bech32 : bech32m).encode(hrp, [...data], MAX_LENGTH);
}

/** A decoded segwit address. */
export interface SegwitAddress {
  version: number;
  program: Uint8Array;
}

/**
 * Decodes a segwit address for `expectedHrp` ("bc" mainnet, "tb" testnet): version 0 needs Bech32 and a
 * 20- or 32-byte program (BIP-141), versions 1-16 need Bech32m (BIP-350) and 2-40 bytes.
 */
export function decodeSegwitAddress(expectedHrp: string, address: string): SegwitAddress | undefined {
  const decoded = bech32Decode(address);
  if (decoded === undefined || decoded.hrp !== expectedHrp || decoded.data.length < 1) return undefined;
  const version = decoded.data[0]!;
  if (version > 16) return undefined;
  const program = bech32.fromWordsUnsafe(decoded.data.slice(1));
  if (program === undefined || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  if ((version === 0) !== (decoded.encoding === 'bech32')) return undefined;
  return { version, program: Uint8Array.from(program) };
}
