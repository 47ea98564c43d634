/**
 * Password hashing with scrypt (node:crypto): a random 16-byte salt per password, the cost parameters kept
 * with the hash so they can be raised later without breaking stored hashes, and a constant-time compare.
 * N = 2^15, r = 8, p = 3 is one of the equivalent settings of OWASP's Password Storage Cheat Sheet (32 MiB,
 * a tenth of a second or so per hash); the work runs on libuv's thread pool, not the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const COST = { N: 2 ** 15, r: 8, p: 3 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** scrypt needs 128 * N * r bytes (32 MiB here), exactly Node's default cap: room above it. */
const MAX_MEMORY = 64 * 1024 * 1024;

/** Shortest password accepted (NIST SP 800-63B asks for at least 8; an admin console deserves more). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest: scrypt takes any length, but a megabyte "password" is a denial of service, not a password. */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64) for a new password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `password` matches `stored`. A malformed stored hash never matches. Compared in constant time,
 * and a hash is always computed (see `verifyAgainstNothing`) so timing does not tell which users exist.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > COST.N || r > COST.r || p > 16) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_BYTES || password.length > MAX_PASSWORD_LENGTH) return false;
  const actual = await derive(password, Buffer.from(parts[4]!, 'base64'), { N, r, p });
  return timingSafeEqual(actual, expected);
}

/** A hash of nothing, computed for a login with an unknown user so it costs the same time as a wrong password. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  await derive(password.slice(0, MAX_PASSWORD_LENGTH), Buffer.alloc(SALT_BYTES), COST);
  return false;
}
