/**
 * Conversions between domain values and the portable column types (JSON text, ISO text, 0/1).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { StoreError } from './errors.js';
import type { StoreSchema } from './schema.js';

/** A fresh text primary key (same on both dialects, no sequence needed). */
export function newId(): string {
  return randomUUID();
}

/** Serialise a value for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parse a JSON text column; a column that does not parse means the database was tampered with. */
export function fromJson(text: string, column: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StoreError('database-corrupt', `column ${column} holds invalid JSON`, undefined, { cause: error });
  }
}

/** Parse a JSON column that must be an array of strings. */
export function stringArrayFromJson(text: string, column: string): string[] {
  const value = fromJson(text, column);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new StoreError('database-corrupt', `column ${column} is not a JSON array of strings`);
  }
  return value;
}

/** Parse a JSON column that must be an array of numbers. */
export function numberArrayFromJson(text: string, column: string): number[] {
  const value = fromJson(text, column);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
    throw new StoreError('database-corrupt', `column ${column} is not a JSON array of numbers`);
  }
  return value;
}

/** Parse a JSON column that must be an object. */
export function objectFromJson(text: string, column: string): Record<string, unknown> {
  const value = fromJson(text, column);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreError('database-corrupt', `column ${column} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Normalise a timestamp to ISO-8601 UTC with milliseconds, so text comparison orders it correctly on
 * both dialects. Rejects anything `Date` cannot parse.
 */
export function isoTimestamp(value: string | Date, what = 'timestamp'): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new StoreError('invalid-input', `${what} is not a valid date: ${String(value)}`);
  }
  return date.toISOString();
}

/** Run `work` in a transaction, or inside the caller's one when `db` already is a transaction. */
export async function inTransaction<T>(
  db: Kysely<StoreSchema>,
  work: (trx: Kysely<StoreSchema>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/** Split `items` into chunks small enough for any driver's bound-parameter limit. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
