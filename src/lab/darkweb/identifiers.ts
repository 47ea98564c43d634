/**
 * Checksum-valid identifiers planted in the lab's hidden-service pages, so the crawled documents give
 * the extractors something real to find (identifier rules: docs/darkweb.md).
 */
import { createHash } from 'node:crypto';
import type { Rng } from '../world/rng.js';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)]! + out;
    n /= 58n;
  }
  // Each leading zero byte is written as '1'.
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** A Base58Check P2PKH Bitcoin address (version 0x00, double-SHA-256 checksum). */
export function bitcoinAddress(rng: Rng): string {
  const payload = Buffer.from([0x00, ...Array.from({ length: 20 }, () => rng.int(256))]);
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  return base58(Buffer.concat([payload, checksum]));
}

/** The Luhn check digit that completes `digits`. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit from the right of the final number, i.e. starting at the last digit here.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function digits(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => String(rng.int(10))).join('');
}

/** An NPI: 9 digits starting 1 or 2 plus a Luhn check digit over the `80840` prefix (45 CFR 162.406). */
export function npiNumber(rng: Rng): string {
  const body = `${rng.pick(['1', '2'])}${digits(rng, 8)}`;
  return `${body}${luhnCheckDigit(`80840${body}`)}`;
}

/** A 16-digit Visa-range card number with a valid Luhn digit. */
export function cardNumber(rng: Rng): string {
  const body = `4${digits(rng, 14)}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/** An SSN-shaped number that follows the area/group/serial rules (area not 000, 666 or 9xx). */
export function ssnNumber(rng: Rng): string {
  let area = rng.range(1, 899);
  if (area === 666) area = 667;
  return (
    `${String(area).padStart(3, '0')}-${String(rng.range(1, 99)).padStart(2, '0')}-` +
    `${String(rng.range(1, 9999)).padStart(4, '0')}`
  );
}
