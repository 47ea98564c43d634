/**
 * Bech32 (BIP-173) and Bech32m (BIP-350) checksums, and segwit address decoding on top of them.
 */

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
/** Final xor constants: BIP-173 uses 1, BIP-350 chose 0x2bc830a3. */
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
/** BIP-173: the whole string is at most 90 characters. */
const MAX_LENGTH = 90;

export type Bech32Encoding = 'bech32' | 'bech32m';

/** BCH-code polymod of BIP-173 ("Checksum" section), over 5-bit values. */
export function bech32Polymod(values: readonly number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]!) >>> 0;
    }
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const high: number[] = [];
  const low: number[] = [];
  for (let i = 0; i < hrp.length; i++) {
    const code = hrp.charCodeAt(i);
    high.push(code >> 5);
    low.push(code & 31);
  }
  return [...high, 0, ...low];
}

/** A decoded Bech32/Bech32m string: human-readable part, data (checksum removed), which checksum matched. */
export interface Bech32Decoded {
  hrp: string;
  data: number[];
  encoding: Bech32Encoding;
}

/**
 * Decodes a Bech32 or Bech32m string per BIP-173 "Bech32" / BIP-350: HRP characters 33-126, no mixed
 * case, separator '1' (the last one), at least 6 checksum characters, at most 90 characters overall.
 */
export function bech32Decode(text: string): Bech32Decoded | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 33 || code > 126) return undefined;
  }
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) return undefined;
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || separator + 7 > lower.length) return undefined;
  const hrp = lower.slice(0, separator);
  const data: number[] = [];
  for (const ch of lower.slice(separator + 1)) {
    const value = CHARSET.indexOf(ch);
    if (value < 0) return undefined;
    data.push(value);
  }
  const residue = bech32Polymod([...hrpExpand(hrp), ...data]);
  const encoding: Bech32Encoding | undefined =
    residue === BECH32_CONST ? 'bech32' : residue === BECH32M_CONST ? 'bech32m' : undefined;
  if (encoding === undefined) return undefined;
  return { hrp, data: data.slice(0, -6), encoding };
}

/** Encodes `data` (5-bit values) with a checksum of the given kind (used by tests to build look-alikes). */
export function bech32Encode(hrp: string, data: readonly number[], encoding: Bech32Encoding): string {
  const constant = encoding === 'bech32' ? BECH32_CONST : BECH32M_CONST;
  const polymod = bech32Polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const checksum = Array.from({ length: 6 }, (_, i) => (polymod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => CHARSET[v]).join('')}`;
}

/**
 * Regroups bits (BIP-173 convertbits); undefined on out-of-range input or, without padding, non-zero or 5+ bit padding.
 */
export function convertBits(data: readonly number[], from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxValue = (1 << to) - 1;
  for (const value of data) {
    if (value < 0 || value >> from !== 0) return undefined;
    acc = ((acc << from) | value) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxValue);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxValue);
  } else if (bits >= from || ((acc << (to - bits)) & maxValue) !== 0) {
    return undefined;
  }
  return out;
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
  const program = convertBits(decoded.data.slice(1), 5, 8, false);
  if (program === undefined || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  if ((version === 0) !== (decoded.encoding === 'bech32')) return undefined;
  return { version, program: Uint8Array.from(program) };
}
