/**
 * The check-digit and address encodings the corpus plants, so the ground truth does not depend on the
 * extractors it measures (identifier validation rules in docs/darkweb.md): Luhn (ISO/IEC 7812-1 annex
 * B), NPI (Luhn over the 80840 prefix) and DEA written from the specifications; Base58Check (double
 * SHA-256), Bech32/Bech32m (BIP 173, BIP 350), onion v3 (rend-spec-v3 section 6, SHA3-256), Monero
 * (Keccak-256 checksum, 8-byte block Base58) and Ethereum (EIP-55 mixed-case Keccak-256 checksum) from
 * @scure/base and @noble/hashes, audited implementations (issue #9 section 4).
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256, sha3_256 } from '@noble/hashes/sha3.js';
import { base58, base58xmr, base32nopad, bech32, bech32m, createBase58check } from '@scure/base';

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

// --- Base58Check, Bech32/Bech32m, base32 (@scure/base) --------------------------------------------

const base58check = createBase58check(sha256);

export function sha256d(bytes: Uint8Array): Buffer {
  return Buffer.from(sha256(sha256(bytes)));
}

/** Bitcoin Base58 (big-endian, one '1' per leading zero byte). */
export function base58Encode(bytes: Uint8Array): string {
  return base58.encode(bytes);
}

export function base58Decode(text: string): Uint8Array | undefined {
  try {
    return base58.decode(text);
  } catch {
    return undefined;
  }
}

/** Base58Check of version + payload. */
export function base58Check(version: number, payload: Uint8Array): string {
  return base58check.encode(Buffer.concat([Uint8Array.of(version), payload]));
}

/** True when a Base58Check string's checksum verifies and it is a 25-byte P2PKH/P2SH address. */
export function base58CheckValid(address: string): boolean {
  let data: Uint8Array;
  try {
    data = base58check.decode(address);
  } catch {
    return false;
  }
  return data.length === 21 && (data[0] === 0x00 || data[0] === 0x05);
}

/** A segwit address: version 0 uses Bech32, versions 1+ (taproot) Bech32m. */
export function segwitAddress(hrp: string, version: number, program: Uint8Array): string {
  const coder = version === 0 ? bech32 : bech32m;
  return coder.encode(hrp, [version, ...coder.toWords(program)]);
}

/** True when a lower-case segwit address's checksum verifies with the constant its version requires. */
export function segwitValid(address: string): boolean {
  const decoded = bech32.decodeUnsafe(address) ?? bech32m.decodeUnsafe(address);
  if (decoded === undefined || decoded.words.length < 1) return false;
  const coder = decoded.words[0] === 0 ? bech32 : bech32m;
  return coder.decodeUnsafe(address) !== undefined;
}

// --- Onion v3 --------------------------------------------------------------------------------------

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function onionChecksum(publicKey: Uint8Array): Buffer {
  return Buffer.from(sha3_256(Buffer.concat([Buffer.from('.onion checksum'), publicKey, Uint8Array.of(3)]))).subarray(
    0,
    2,
  );
}

/** The ed25519 public key of a 32-byte private seed (RFC 8032 section 5.1.5, via Node's crypto). */
export function ed25519PublicKey(seed: Uint8Array): Buffer {
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

/** `<56 chars>.onion` for an ed25519 public key: base32(PUBKEY | CHECKSUM | 0x03). */
export function onionV3Address(publicKey: Uint8Array): string {
  const payload = Buffer.concat([publicKey, onionChecksum(publicKey), Uint8Array.of(3)]);
  return `${base32nopad.encode(payload).toLowerCase()}.onion`;
}

/** True when the 56-character label's checksum and version verify. */
export function onionV3Valid(address: string): boolean {
  const label = address.replace(/\.onion$/, '');
  if (!/^[a-z2-7]{56}$/.test(label)) return false;
  const bytes = base32nopad.decode(label.toUpperCase());
  return (
    bytes.length === 35 &&
    bytes[34] === 3 &&
    onionChecksum(bytes.subarray(0, 32)).equals(Buffer.from(bytes.subarray(32, 34)))
  );
}

// --- Monero ------------------------------------------------------------------------------------

/** Monero block Base58 decode (@scure/base); undefined when malformed. */
function moneroBase58Decode(text: string): Uint8Array | undefined {
  try {
    return base58xmr.decode(text);
  } catch {
    return undefined;
  }
}

/** A standard Monero address (network byte 18): prefix, spend key, view key, Keccak-256 checksum. */
export function moneroAddress(spendKey: Uint8Array, viewKey: Uint8Array): string {
  const data = Buffer.concat([Uint8Array.of(18), spendKey, viewKey]);
  return base58xmr.encode(Buffer.concat([data, keccak_256(data).subarray(0, 4)]));
}

/** True when a 95-character standard address decodes and its checksum verifies. */
export function moneroValid(address: string): boolean {
  if (address.length !== 95) return false;
  const bytes = moneroBase58Decode(address);
  if (bytes === undefined || bytes.length !== 69 || bytes[0] !== 18) return false;
  return Buffer.from(keccak_256(bytes.subarray(0, 65)))
    .subarray(0, 4)
    .equals(Buffer.from(bytes.subarray(65)));
}

// --- Ethereum ----------------------------------------------------------------------------------

/**
 * The EIP-55 spelling of the address of 20 bytes: hex digit i in upper case when nibble i of
 * Keccak-256 over the lower-case hex (as ASCII) is 8 or more.
 */
export function ethereumAddress(account: Uint8Array): string {
  if (account.length !== 20) throw new RangeError('an Ethereum account is 20 bytes');
  const hex = Buffer.from(account).toString('hex');
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex))).toString('hex');
  return `0x${[...hex].map((c, i) => (Number.parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c)).join('')}`;
}

/** True for `0x` + 40 hex digits all in one case, or in the EIP-55 mixed case of those digits. */
export function ethereumValid(address: string): boolean {
  const m = /^0x([0-9a-fA-F]{40})$/.exec(address);
  if (m === null) return false;
  const hex = m[1]!;
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  return ethereumAddress(Buffer.from(hex, 'hex')) === address;
}
