/**
 * Identifiers planted in the corpus, valid ones with real checksums and invalid look-alikes made by
 * corrupting one character (a single-digit error is always caught by Luhn and by the DEA and Bech32
 * checks; Base58Check, onion and Monero checksums catch it with overwhelming probability, and every
 * invalid value is re-verified here so the truth never lies). Each carries the normalized value the
 * extractors store (issue #3 section 3) and the text as written.
 */
import type { Rng } from '../../world/rng.js';
import {
  MBI_EXCLUDED_LETTERS,
  MBI_LETTERS,
  base58Check,
  base58CheckValid,
  deaCheckDigit,
  ed25519PublicKey,
  ethereumAddress,
  ethereumValid,
  luhnCheckDigit,
  moneroAddress,
  moneroValid,
  npiCheckDigit,
  onionV3Address,
  onionV3Valid,
  segwitAddress,
  segwitValid,
} from './checksums.js';

/** Entity types the corpus plants (the extractor's names). */
export type PlantedType =
  | 'email'
  | 'ipv4'
  | 'onion'
  | 'btc'
  | 'xmr'
  | 'eth'
  | 'card'
  | 'ssn'
  | 'npi'
  | 'dea'
  | 'mbi'
  | 'clia'
  | 'icd10'
  | 'cve'
  | 'credential'
  | 'phi_indicator';

/** One planted identifier: `valid` false means an extractor must NOT report it. */
export interface PlantedEntity {
  type: PlantedType;
  /** Normalized as the extractor stores it (card digits, SSN AAA-GG-SSSS, MBI undashed, e-mail lower case...). */
  value: string;
  valid: boolean;
}

/** A planted identifier and how it is written in the text. */
export interface Written {
  entity: PlantedEntity;
  text: string;
}

function digits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(rng.int(10));
  return out;
}

function bytes(rng: Rng, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.int(256);
  return out;
}

/** Replace the digit at `at` by a different digit. */
function changeDigit(rng: Rng, value: string, at: number): string {
  const old = value.charCodeAt(at) - 48;
  const next = (old + 1 + rng.int(9)) % 10;
  return value.slice(0, at) + String(next) + value.slice(at + 1);
}

function group(value: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(value.slice(at, at + size));
    at += size;
  }
  return out.join(sep);
}

const CARD_PREFIXES: ReadonlyArray<readonly [string, number, readonly number[]]> = [
  ['4', 16, [4, 4, 4, 4]],
  ['4', 16, [4, 4, 4, 4]],
  ['51', 16, [4, 4, 4, 4]],
  ['53', 16, [4, 4, 4, 4]],
  ['55', 16, [4, 4, 4, 4]],
  ['2221', 16, [4, 4, 4, 4]],
  ['37', 15, [4, 6, 5]],
  ['34', 15, [4, 6, 5]],
  ['6011', 16, [4, 4, 4, 4]],
];

/** A payment card number: IIN range, issued length, Luhn; invalid = one digit after the IIN changed. */
export function plantCard(rng: Rng, valid: boolean): Written {
  const [prefix, length, sizes] = rng.pick(CARD_PREFIXES);
  const body = prefix + digits(rng, length - prefix.length - 1);
  let number = body + String(luhnCheckDigit(body));
  if (!valid) number = changeDigit(rng, number, prefix.length + rng.int(length - prefix.length));
  const text = rng.chance(0.5) ? number : group(number, sizes, rng.chance(0.8) ? ' ' : '-');
  return { entity: { type: 'card', value: number, valid }, text };
}

/** An SSN written AAA-GG-SSSS; invalid ones use a never-issued area (000, 666, 9xx) or group 00. */
export function plantSsn(rng: Rng, valid: boolean): Written {
  let area = rng.range(1, 899);
  if (area === 666) area = 667;
  let groupPart = String(rng.range(1, 99)).padStart(2, '0');
  const serial = String(rng.range(1, 9999)).padStart(4, '0');
  if (!valid) {
    const how = rng.int(4);
    if (how === 0) area = 666;
    else if (how === 1) area = 0;
    else if (how === 2) groupPart = '00';
    // 9xx with a group outside the ITIN ranges: invalid as an SSN and not an ITIN either.
    else [area, groupPart] = [rng.range(900, 999), rng.pick(['01', '12', '44', '93'])];
  }
  let value = `${String(area).padStart(3, '0')}-${groupPart}-${serial}`;
  // Never plant the famous sample numbers or a one-digit repetition as "valid".
  if (valid && (value === '078-05-1120' || value === '123-45-6789' || /^(\d)\1\1-\1\1-\1\1\1\1$/.test(value)))
    value = '212-41-7305';
  return { entity: { type: 'ssn', value, valid }, text: value };
}

/** An NPI: 1 or 2, 8 digits, Luhn check over 80840 + body; invalid = wrong check digit. */
export function plantNpi(rng: Rng, valid: boolean): Written {
  const body = String(rng.range(1, 2)) + digits(rng, 8);
  const check = npiCheckDigit(body);
  const last = valid ? check : (check + 1 + rng.int(9)) % 10;
  const value = body + String(last);
  return { entity: { type: 'npi', value, valid }, text: value };
}

const DEA_FIRST = 'ABFGM';
const SURNAME_INITIALS = 'ABCDEFGHJKLMNPRSTW';

/** A DEA number: registrant letter, surname initial, 6 digits, check digit; invalid = wrong check. */
export function plantDea(rng: Rng, valid: boolean): Written {
  const six = digits(rng, 6);
  const check = deaCheckDigit(six);
  const last = valid ? check : (check + 1 + rng.int(9)) % 10;
  const value = `${rng.pick([...DEA_FIRST])}${rng.pick([...SURNAME_INITIALS])}${six}${last}`;
  return { entity: { type: 'dea', value, valid }, text: value };
}

/** An MBI in the CMS format; invalid = an excluded letter (S, L, O, I, B, Z) in a letter position. */
export function plantMbi(rng: Rng, valid: boolean): Written {
  const letter = (): string => MBI_LETTERS[rng.int(MBI_LETTERS.length)]!;
  const either = (): string => (rng.chance(0.5) ? letter() : String(rng.int(10)));
  const chars = [
    String(rng.range(1, 9)),
    letter(),
    either(),
    String(rng.int(10)),
    letter(),
    either(),
    String(rng.int(10)),
    letter(),
    letter(),
    String(rng.int(10)),
    String(rng.int(10)),
  ];
  if (!valid) chars[rng.pick([1, 4, 7, 8])] = MBI_EXCLUDED_LETTERS[rng.int(MBI_EXCLUDED_LETTERS.length)]!;
  const value = chars.join('');
  const text = rng.chance(0.5) ? `${value.slice(0, 4)}-${value.slice(4, 7)}-${value.slice(7)}` : value;
  return { entity: { type: 'mbi', value, valid }, text };
}

/** A CLIA number (2-digit state, D, 7 digits). No check digit exists: always planted valid with context. */
export function plantClia(rng: Rng): Written {
  const value = `${String(rng.range(1, 55)).padStart(2, '0')}D${digits(rng, 7)}`;
  return { entity: { type: 'clia', value, valid: true }, text: value };
}

/** Real ICD-10-CM codes with their descriptions (always planted next to a diagnosis word). */
export const ICD10_CODES: ReadonlyArray<readonly [string, string]> = [
  ['E11.9', 'type 2 diabetes without complications'],
  ['I10', 'essential hypertension'],
  ['J45.909', 'asthma, uncomplicated'],
  ['F32.9', 'major depressive disorder'],
  ['C50.911', 'malignant neoplasm of right breast'],
  ['N18.3', 'chronic kidney disease stage 3'],
  ['B20', 'HIV disease'],
  ['F41.1', 'generalized anxiety disorder'],
  ['E78.5', 'hyperlipidemia'],
  ['M54.5', 'low back pain'],
  ['O24.419', 'gestational diabetes'],
  ['F10.20', 'alcohol dependence'],
  ['Z34.90', 'normal pregnancy supervision'],
  ['K21.9', 'reflux disease'],
  ['G40.909', 'epilepsy'],
];

/** An ICD-10-CM code from the list. */
export function plantIcd10(rng: Rng): Written & { description: string } {
  const [code, description] = rng.pick(ICD10_CODES);
  return { entity: { type: 'icd10', value: code, valid: true }, text: code, description };
}

/** A CVE id (CVE-YYYY-NNNN+). */
export function plantCve(rng: Rng): Written {
  const value = `CVE-${rng.range(2017, 2024)}-${rng.range(1000, 49999)}`;
  return { entity: { type: 'cve', value, valid: true }, text: value };
}

/** A public-looking IPv4 address; invalid = one octet above 255. */
export function plantIpv4(rng: Rng, valid: boolean): Written {
  const first = rng.pick([23, 38, 45, 62, 77, 91, 104, 138, 146, 185, 193, 203, 212]);
  const octets = [first, rng.range(0, 255), rng.range(0, 255), rng.range(1, 254)];
  if (!valid) octets[rng.range(1, 3)] = rng.range(256, 999);
  const value = octets.join('.');
  return { entity: { type: 'ipv4', value, valid }, text: value };
}

/** A Bitcoin address: P2PKH / P2SH Base58Check, P2WPKH Bech32, or P2TR Bech32m. */
export function plantBtc(rng: Rng, valid: boolean): Written {
  const kind = rng.int(4);
  let value: string;
  if (kind === 0) value = base58Check(0x00, bytes(rng, 20));
  else if (kind === 1) value = base58Check(0x05, bytes(rng, 20));
  else if (kind === 2) value = segwitAddress('bc', 0, bytes(rng, 20));
  else value = segwitAddress('bc', 1, bytes(rng, 32));
  if (!valid) {
    const segwit = kind >= 2;
    const alphabet = segwit
      ? 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
      : '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    const isValid = segwit ? segwitValid : base58CheckValid;
    for (let attempt = 0; attempt < 20; attempt++) {
      const at = segwit ? rng.range(5, value.length - 1) : rng.range(2, value.length - 1);
      let ch = value[at]!;
      while (ch === value[at]) ch = alphabet[rng.int(alphabet.length)]!;
      const candidate = value.slice(0, at) + ch + value.slice(at + 1);
      if (!isValid(candidate)) {
        value = candidate;
        break;
      }
    }
  }
  return { entity: { type: 'btc', value, valid }, text: value };
}

/** Addresses that are costly to make (ed25519 keys, Keccak), made once per corpus. */
export interface AddressPools {
  onions: string[];
  badOnions: string[];
  monero: string[];
  badMonero: string[];
}

function corruptOnion(rng: Rng, onion: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  for (;;) {
    const at = rng.int(52);
    let ch = onion[at]!;
    while (ch === onion[at]) ch = alphabet[rng.int(32)]!;
    const candidate = onion.slice(0, at) + ch + onion.slice(at + 1);
    if (!onionV3Valid(candidate)) return candidate;
  }
}

function corruptMonero(rng: Rng, address: string): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  for (;;) {
    const at = rng.range(2, 93);
    let ch = address[at]!;
    while (ch === address[at]) ch = alphabet[rng.int(58)]!;
    const candidate = address.slice(0, at) + ch + address.slice(at + 1);
    if (!moneroValid(candidate)) return candidate;
  }
}

/** Builds the pools from the seed: onions from ed25519 keys, Monero addresses from random keys. */
export function buildAddressPools(rng: Rng, size = 40): AddressPools {
  const onions = Array.from({ length: size }, () => onionV3Address(ed25519PublicKey(bytes(rng, 32))));
  const monero = Array.from({ length: Math.ceil(size / 2) }, () => moneroAddress(bytes(rng, 32), bytes(rng, 32)));
  return {
    onions,
    badOnions: onions.map((o) => corruptOnion(rng, o)),
    monero,
    badMonero: monero.map((m) => corruptMonero(rng, m)),
  };
}

/** A v3 onion address from the pool (valid or a checksum-failing look-alike). */
export function plantOnion(rng: Rng, pools: AddressPools, valid: boolean): Written {
  const value = rng.pick(valid ? pools.onions : pools.badOnions);
  return { entity: { type: 'onion', value, valid }, text: value };
}

/** A Monero address from the pool (valid or a checksum-failing look-alike). */
export function plantXmr(rng: Rng, pools: AddressPools, valid: boolean): Written {
  const value = rng.pick(valid ? pools.monero : pools.badMonero);
  return { entity: { type: 'xmr', value, valid }, text: value };
}

/**
 * An Ethereum address of 20 seeded bytes in its EIP-55 spelling (valid), or that spelling with one
 * letter in the other case (a look-alike the checksum rejects; an address without letters cannot be
 * altered so and is drawn again).
 */
export function plantEth(rng: Rng, valid: boolean): Written {
  for (;;) {
    const address = ethereumAddress(bytes(rng, 20));
    if (valid) return { entity: { type: 'eth', value: address, valid }, text: address };
    const letters = [...address].flatMap((c, i) => (i >= 2 && /[a-f]/i.test(c) ? [i] : []));
    if (letters.length === 0) continue;
    const at = rng.pick(letters);
    const c = address[at]!;
    const value =
      address.slice(0, at) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + address.slice(at + 1);
    if (!ethereumValid(value)) return { entity: { type: 'eth', value, valid }, text: value };
  }
}
