/**
 * The key of the credential password HMACs (analyze.ts `hashPassword`). It never lives in the
 * database, so a copy of the database (a backup, a PostgreSQL dump) cannot be used to test guesses of
 * leaked passwords against the stored hashes. It comes from `VITALS_CREDENTIAL_KEY`, else from
 * `<home>/credential.key` (mode 0600 in a 0700 folder), created with a random key on first need.
 * Format of both: 64 hexadecimal characters (32 random bytes), e.g. from `openssl rand -hex 32`.
 *
 * Databases from before this rule kept the key in `darkweb_settings`: `moveCredentialKeyOutOfDatabase`
 * writes it to the key file (the hashes already stored stay comparable) and then deletes it there.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/database.js';
import { AppError } from '../core/errors.js';

/** Environment variable that supplies the key instead of the key file. */
export const CREDENTIAL_KEY_ENV = 'VITALS_CREDENTIAL_KEY';
/** Name of the key file inside the home folder. */
export const CREDENTIAL_KEY_FILE = 'credential.key';

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** A key that is malformed, unreadable, or disagrees with the one the database's hashes were made with. */
export class CredentialKeyError extends AppError {
  override readonly name = 'CredentialKeyError';
  readonly code = 'credential-key-invalid';
}

/** Where the key comes from. */
export interface CredentialKeySource {
  /** The Vitals home folder (holds `credential.key`). */
  home: string;
  /** Environment to read `VITALS_CREDENTIAL_KEY` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Path of the key file of `home`. */
export function credentialKeyPath(home: string): string {
  return join(home, CREDENTIAL_KEY_FILE);
}

function checkFormat(value: string, where: string): string {
  const key = value.trim().toLowerCase();
  if (!KEY_PATTERN.test(key))
    throw new CredentialKeyError(`${where} must be 64 hexadecimal characters (32 bytes, e.g. openssl rand -hex 32)`);
  return key;
}

function keyFromEnv(source: CredentialKeySource): string | undefined {
  const value = (source.env ?? process.env)[CREDENTIAL_KEY_ENV];
  return value === undefined || value.trim() === '' ? undefined : checkFormat(value, CREDENTIAL_KEY_ENV);
}

/** The key file's key, with its mode tightened to 0600; undefined when there is no file. */
function keyFromFile(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialKeyError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return checkFormat(text, path);
}

/** Creates the key file with `key` (0600, never over an existing file); false when it already exists. */
function createKeyFile(home: string, key: string): boolean {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(credentialKeyPath(home), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new CredentialKeyError(`cannot create ${credentialKeyPath(home)}: ${(error as Error).message}`);
  }
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The credential HMAC key: `VITALS_CREDENTIAL_KEY`, else the key file, created with a random key
 * when missing (two processes racing both end up with the one that was written first).
 */
export function loadCredentialKey(source: CredentialKeySource): string {
  const fromEnv = keyFromEnv(source);
  if (fromEnv !== undefined) return fromEnv;
  const path = credentialKeyPath(source.home);
  const existing = keyFromFile(path);
  if (existing !== undefined) return existing;
  createKeyFile(source.home, randomBytes(32).toString('hex'));
  const created = keyFromFile(path);
  if (created === undefined) throw new CredentialKeyError(`${path} vanished after it was created`);
  return created;
}

/**
 * Moves a key kept in the database by older versions out of it: into the key file when there is
 * none, then deletes it from the database. Refuses (and changes nothing) when the environment or an
 * existing key file holds a different key, since the stored hashes would silently stop matching.
 * Returns whether a key was found in the database.
 */
export async function moveCredentialKeyOutOfDatabase(store: Store, source: CredentialKeySource): Promise<boolean> {
  const stored = await store.darkweb.legacyCredentialKey();
  if (stored === undefined) return false;
  const path = credentialKeyPath(source.home);
  const fromEnv = keyFromEnv(source);
  const current = fromEnv ?? keyFromFile(path);
  if (current === undefined) {
    // File first, then the delete: a crash in between leaves both copies, and the next open finishes.
    createKeyFile(source.home, stored);
  } else if (current !== stored) {
    const where = fromEnv !== undefined ? CREDENTIAL_KEY_ENV : path;
    throw new CredentialKeyError(
      `the database still holds the credential key its password hashes were made with, and ${where} holds a ` +
        `different one: move ${path} away (or unset ${CREDENTIAL_KEY_ENV}) to adopt the database's key`,
    );
  }
  await store.darkweb.deleteLegacyCredentialKey(stored);
  return true;
}
