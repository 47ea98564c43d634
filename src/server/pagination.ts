/**
 * Cursor pagination, sorting and the list envelope every list route shares. A page is
 * `{ items, next_cursor }`; the cursor is opaque to clients (base64url JSON of the sort and the last
 * row's sort key and id), so the next page starts strictly after the last row seen even when rows were
 * added or removed in between, which an offset cannot promise.
 */
import { z } from 'zod';
import { ApiProblem } from './problem.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** The `limit` and `cursor` query parameters of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2000).optional(),
};

/** `sort`: one of the keys, `-key` for descending. */
export function sortQuery<const K extends string>(keys: readonly [K, ...K[]], fallback: K | `-${K}`) {
  const values = keys.flatMap((k) => [k, `-${k}`]) as [K | `-${K}`, ...(K | `-${K}`)[]];
  // (The cast: zod cannot see that a generic member of the enum is one of its values.)
  return z.enum(values).default(fallback as never);
}

/** The list envelope of `item`. */
export function pageOf<S extends z.ZodType>(item: S) {
  return z.strictObject({
    items: z.array(item),
    /** Pass as `cursor` for the next page; null on the last. */
    next_cursor: z.string().nullable(),
  });
}

export type SortValue = string | number | boolean | null;

interface Cursor {
  s: string;
  k: SortValue;
  i: string;
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function decodeCursor(text: string, sort: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new ApiProblem(400, 'the cursor is not one this API issued', 'cursor-invalid');
  }
  const cursor = value as Partial<Cursor> | null;
  const keyOk = (k: unknown): boolean => k === null || ['string', 'number', 'boolean'].includes(typeof k);
  if (cursor === null || typeof cursor !== 'object' || typeof cursor.i !== 'string' || !keyOk(cursor.k))
    throw new ApiProblem(400, 'the cursor is not one this API issued', 'cursor-invalid');
  if (cursor.s !== sort)
    throw new ApiProblem(400, `the cursor belongs to sort "${cursor.s}", not "${sort}"`, 'cursor-invalid');
  return cursor as Cursor;
}

/**
 * One page of `rows` sorted by `sort` (a key of `keys`, `-` for descending; nulls last either way; ties
 * broken by `id`), starting after `cursor`.
 */
export function paginate<T>(
  rows: readonly T[],
  request: { limit: number; cursor?: string | undefined; sort: string },
  keys: Readonly<Record<string, (row: T) => SortValue>>,
  id: (row: T) => string,
): { items: T[]; next_cursor: string | null } {
  const descending = request.sort.startsWith('-');
  const keyOf = keys[descending ? request.sort.slice(1) : request.sort];
  if (keyOf === undefined) throw new ApiProblem(400, `cannot sort by "${request.sort}"`, 'sort-invalid');
  const order = (ka: SortValue, ia: string, kb: SortValue, ib: string): number => {
    const byKey = ka === null || kb === null ? compareValues(ka, kb) : compareValues(ka, kb) * (descending ? -1 : 1);
    return byKey !== 0 ? byKey : ia < ib ? -1 : ia > ib ? 1 : 0;
  };
  const keyed = rows.map((row) => ({ row, key: keyOf(row), id: id(row) }));
  keyed.sort((a, b) => order(a.key, a.id, b.key, b.id));
  let start = 0;
  if (request.cursor !== undefined) {
    const cursor = decodeCursor(request.cursor, request.sort);
    // Binary search for the first row after the cursor.
    let low = 0;
    let high = keyed.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const row = keyed[mid]!;
      if (order(row.key, row.id, cursor.k, cursor.i) <= 0) low = mid + 1;
      else high = mid;
    }
    start = low;
  }
  const page = keyed.slice(start, start + request.limit);
  const last = page[page.length - 1];
  const more = start + request.limit < keyed.length && last !== undefined;
  const next = more
    ? Buffer.from(JSON.stringify({ s: request.sort, k: last.key, i: last.id } satisfies Cursor)).toString('base64url')
    : null;
  return { items: page.map((p) => p.row), next_cursor: next };
}
