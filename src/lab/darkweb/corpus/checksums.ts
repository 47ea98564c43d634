/**
 * The check-digit and address encodings the corpus plants, written from the specifications so the
 * ground truth does not depend on the extractors it measures (shared/reference/darkweb.md sections 5
 * and 7): Luhn (ISO/IEC 7812-1 annex B), NPI (Luhn over the 80840 prefix), DEA, Base58Check
 * (double SHA-256), Bech32/Bech32m (BIP 173, BIP 350), onion v3 (rend-spec-v3 section 6) and Monero
 * (Keccak-256 checksum, 8-byte block Base58).
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

/** Luhn check digit that completes `payload` (the digit appended last). */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // The check digit will sit at the right, so the payload's last digit is the first one doubled.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the digit string passes Luhn. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** NPI check: Luhn over "80840" + the ten digits (69 FR 3434). */
export function npiValid(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && luhnValid(`80840${npi}`);
}

/** The NPI check digit of a 9-digit body. */
export function npiCheckDigit(body: string): number {
  return luhnCheckDigit(`80840${body}`);
}

/** DEA check digit: last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6). */
export function deaCheckDigit(six: string): number {
  const d = Array.from(six, Number);
  return (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
}

/** True for a DEA number whose check digit verifies. */
export function deaValid(dea: string): boolean {
  return /^[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}$/.test(dea) && deaCheckDigit(dea.slice(2, 8)) === Number(dea[8]);
}

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function ssnValid(ssn: string): boolean {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(ssn);
  if (m === null) return false;
  const area = Number(m[1]);
  return area !== 0 && area !== 666 && area < 900 && m[2] !== '00' && m[3] !== '0000';
}

/** MBI letters: A-Z without S, L, O, I, B, Z (CMS). */
export const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';
/** Letters CMS never uses in an MBI: one of them makes a look-alike. */
export const MBI_EXCLUDED_LETTERS = 'SLOIBZ';

/** The CMS MBI format over the undashed 11 characters. */
export function mbiValid(mbi: string): boolean {
  const L = `[${MBI_LETTERS}]`;
  const A = `[${MBI_LETTERS}0-9]`;
  return new RegExp(`^[1-9]${L}${A}[0-9]${L}${A}[0-9]${L}${L}[0-9][0-9]$`).test(mbi.replace(/-/g, ''));
}

// --- Base58 and Base58Check -------------------------------------------------------------------

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function sha256d(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest();
}

/** Bitcoin Base58 (big-endian, one '1' per leading zero byte). */
export function base58Encode(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58_ALPHABET[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export function base58Decode(text: string): Uint8Array | undefined {
  let n = 0n;
  for (const ch of text) {
    const v = BASE58_ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    n = n * 58n + BigInt(v);
  }
  const body: number[] = [];
  while (n > 0n) {
    body.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...body]);
}

/** Base58Check of version + payload. */
export function base58Check(version: number, payload: Uint8Array): string {
  const data = Buffer.concat([Uint8Array.of(version), payload]);
  return base58Encode(Buffer.concat([data, sha256d(data).subarray(0, 4)]));
}

/** True when a Base58Check string's checksum verifies and it is a 25-byte P2PKH/P2SH address. */
export function base58CheckValid(address: string): boolean {
  const bytes = base58Decode(address);
  if (bytes === undefined || bytes.length !== 25 || (bytes[0] !== 0x00 && bytes[0] !== 0x05)) return false;
  const sum = sha256d(bytes.subarray(0, 21));
  return sum.subarray(0, 4).equals(Buffer.from(bytes.subarray(21)));
}

// --- Bech32 / Bech32m (BIP 173, BIP 350) ---------------------------------------------------------

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function bech32Polymod(values: readonly number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (const ch of hrp) out.push(ch.charCodeAt(0) >> 5);
  out.push(0);
  for (const ch of hrp) out.push(ch.charCodeAt(0) & 31);
  return out;
}

function convertBits(data: Uint8Array, from: number, to: number): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (const value of data) {
    acc = (acc << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (bits > 0) out.push((acc << (to - bits)) & maxv);
  return out;
}

/** A segwit address: version 0 uses Bech32, versions 1+ (taproot) Bech32m. */
export function segwitAddress(hrp: string, version: number, program: Uint8Array): string {
  const data = [version, ...convertBits(program, 8, 5)];
  const constant = version === 0 ? BECH32_CONST : BECH32M_CONST;
  const polymod = bech32Polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const checksum = Array.from({ length: 6 }, (_, i) => (polymod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => BECH32_CHARSET[v]).join('')}`;
}

/** True when a lower-case segwit address's checksum verifies with the constant its version requires. */
export function segwitValid(address: string): boolean {
  const sep = address.lastIndexOf('1');
  if (sep < 1) return false;
  const hrp = address.slice(0, sep);
  const data = Array.from(address.slice(sep + 1), (ch) => BECH32_CHARSET.indexOf(ch));
  if (data.length < 7 || data.some((v) => v < 0)) return false;
  const constant = data[0] === 0 ? BECH32_CONST : BECH32M_CONST;
  return bech32Polymod([...hrpExpand(hrp), ...data]) === constant;
}

// --- Onion v3 --------------------------------------------------------------------------------------

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    acc = (acc << 5) | BASE32_ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

function onionChecksum(publicKey: Uint8Array): Buffer {
  return createHash('sha3-256')
    .update('.onion checksum')
    .update(publicKey)
    .update(Uint8Array.of(3))
    .digest()
    .subarray(0, 2);
}

/** The ed25519 public key of a 32-byte private seed (RFC 8032 section 5.1.5, via Node's crypto). */
export function ed25519PublicKey(seed: Uint8Array): Buffer {
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

/** `<56 chars>.onion` for an ed25519 public key: base32(PUBKEY | CHECKSUM | 0x03). */
export function onionV3Address(publicKey: Uint8Array): string {
  return `${base32Encode(Buffer.concat([publicKey, onionChecksum(publicKey), Uint8Array.of(3)]))}.onion`;
}

/** True when the 56-character label's checksum and version verify. */
export function onionV3Valid(address: string): boolean {
  const label = address.replace(/\.onion$/, '');
  if (!/^[a-z2-7]{56}$/.test(label)) return false;
  const bytes = base32Decode(label);
  return (
    bytes.length === 35 &&
    bytes[34] === 3 &&
    onionChecksum(bytes.subarray(0, 32)).equals(Buffer.from(bytes.subarray(32, 34)))
  );
}

// --- Monero ------------------------------------------------------------------------------------

const KECCAK_ROUND_CONSTANTS = [
  0x0000000000000001n,
  0x0000000000008082n,
  0x800000000000808an,
  0x8000000080008000n,
  0x000000000000808bn,
  0x0000000080000001n,
  0x8000000080008081n,
  0x8000000000008009n,
  0x000000000000008an,
  0x0000000000000088n,
  0x0000000080008009n,
  0x000000008000000an,
  0x000000008000808bn,
  0x800000000000008bn,
  0x8000000000008089n,
  0x8000000000008003n,
  0x8000000000008002n,
  0x8000000000000080n,
  0x000000000000800an,
  0x800000008000000an,
  0x8000000080008081n,
  0x8000000000008080n,
  0x0000000080000001n,
  0x8000000080008008n,
];
const KECCAK_ROTATIONS = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
const MASK64 = (1n << 64n) - 1n;

function rotl64(x: bigint, n: number): bigint {
  return n === 0 ? x : ((x << BigInt(n)) | (x >> BigInt(64 - n))) & MASK64;
}

function keccakF(state: bigint[]): void {
  for (const rc of KECCAK_ROUND_CONSTANTS) {
    const c = Array.from(
      { length: 5 },
      (_, x) => state[x]! ^ state[x + 5]! ^ state[x + 10]! ^ state[x + 15]! ^ state[x + 20]!,
    );
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl64(c[(x + 1) % 5]!, 1);
      for (let y = 0; y < 25; y += 5) state[x + y] = state[x + y]! ^ d;
    }
    const b = new Array<bigint>(25).fill(0n);
    for (let x = 0; x < 5; x++)
      for (let y = 0; y < 5; y++)
        b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(state[x + 5 * y]!, KECCAK_ROTATIONS[x + 5 * y]!);
    for (let x = 0; x < 5; x++)
      for (let y = 0; y < 5; y++)
        state[x + 5 * y] = b[x + 5 * y]! ^ (~b[((x + 1) % 5) + 5 * y]! & MASK64 & b[((x + 2) % 5) + 5 * y]!);
    state[0] = state[0]! ^ rc;
  }
}

/**
 * Original Keccak-256 (padding 0x01, not SHA-3's 0x06), as Monero uses. BigInt lanes: slow, but the
 * corpus hashes a few dozen addresses per run.
 */
export function keccak256(data: Uint8Array): Buffer {
  const rate = 136;
  const padded = new Uint8Array(Math.ceil((data.length + 1) / rate) * rate);
  padded.set(data);
  padded[data.length] = 0x01;
  padded[padded.length - 1]! |= 0x80;
  const state = new Array<bigint>(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + k]!);
      state[i] = state[i]! ^ lane;
    }
    keccakF(state);
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 4; i++) for (let k = 0; k < 8; k++) out[i * 8 + k] = Number((state[i]! >> BigInt(8 * k)) & 0xffn);
  return out;
}

const MONERO_BLOCK_CHARS = [0, 2, 3, 5, 6, 7, 9, 10, 11];

/** Monero Base58: 8-byte blocks become 11 characters, the last partial block its own width. */
function moneroBase58(bytes: Uint8Array): string {
  let out = '';
  for (let off = 0; off < bytes.length; off += 8) {
    const block = bytes.subarray(off, off + 8);
    let n = 0n;
    for (const b of block) n = (n << 8n) | BigInt(b);
    let chunk = '';
    for (let i = 0; i < MONERO_BLOCK_CHARS[block.length]!; i++) {
      chunk = BASE58_ALPHABET[Number(n % 58n)]! + chunk;
      n /= 58n;
    }
    out += chunk;
  }
  return out;
}

function moneroBase58Decode(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let off = 0; off < text.length; off += 11) {
    const chunk = text.slice(off, off + 11);
    const size = MONERO_BLOCK_CHARS.indexOf(chunk.length);
    if (size < 0) return undefined;
    let n = 0n;
    for (const ch of chunk) {
      const v = BASE58_ALPHABET.indexOf(ch);
      if (v < 0) return undefined;
      n = n * 58n + BigInt(v);
    }
    if (n >> BigInt(8 * size) !== 0n) return undefined;
    for (let i = size - 1; i >= 0; i--) out.push(Number((n >> BigInt(8 * i)) & 0xffn));
  }
  return Uint8Array.from(out);
}

/** A standard Monero address (network byte 18): prefix, spend key, view key, Keccak-256 checksum. */
export function moneroAddress(spendKey: Uint8Array, viewKey: Uint8Array): string {
  const data = Buffer.concat([Uint8Array.of(18), spendKey, viewKey]);
  return moneroBase58(Buffer.concat([data, keccak256(data).subarray(0, 4)]));
}

/** True when a 95-character standard address decodes and its checksum verifies. */
export function moneroValid(address: string): boolean {
  if (address.length !== 95) return false;
  const bytes = moneroBase58Decode(address);
  if (bytes === undefined || bytes.length !== 69 || bytes[0] !== 18) return false;
  return keccak256(bytes.subarray(0, 65))
    .subarray(0, 4)
    .equals(Buffer.from(bytes.subarray(65)));
}
