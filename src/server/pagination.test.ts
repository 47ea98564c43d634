/** Cursor pagination: walking every page gives every row once, in the sort's order, for any sort and size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { paginate } from './pagination.js';

interface Row {
  id: string;
  score: number | null;
  name: string;
}

const keys = { score: (r: Row) => r.score, name: (r: Row) => r.name };

test('the pages of any list, sort and page size concatenate to the sorted list', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 6 }),
          score: fc.option(fc.integer({ min: 0, max: 5 })),
          name: fc.string({ maxLength: 3 }),
        }),
        { selector: (r) => r.id, maxLength: 60 },
      ),
      fc.constantFrom('score', '-score', 'name', '-name'),
      fc.integer({ min: 1, max: 7 }),
      (rows, sort, limit) => {
        const all = paginate(rows, { limit: 10_000, sort }, keys, (r) => r.id).items;
        assert.equal(all.length, rows.length);
        const walked: Row[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages <= rows.length + 1; pages++) {
          const page = paginate(rows, { limit, sort, ...(cursor === undefined ? {} : { cursor }) }, keys, (r) => r.id);
          assert.ok(page.items.length <= limit);
          walked.push(...page.items);
          if (page.next_cursor === null) break;
          cursor = page.next_cursor;
        }
        assert.deepEqual(walked, all);
        // Nulls last, whatever the direction.
        const scores = all.map((r) => r.score);
        if (sort.endsWith('score'))
          assert.ok(scores.indexOf(null) === -1 || scores.slice(scores.indexOf(null)).every((s) => s === null));
      },
    ),
  );
});

test('a cursor of another sort, or one the API did not issue, is refused', () => {
  const rows = [1, 2, 3].map((i) => ({ id: String(i), score: i, name: `n${i}` }));
  const first = paginate(rows, { limit: 1, sort: 'score' }, keys, (r) => r.id);
  assert.throws(
    () => paginate(rows, { limit: 1, sort: 'name', cursor: first.next_cursor! }, keys, (r) => r.id),
    /sort/,
  );
  assert.throws(() => paginate(rows, { limit: 1, sort: 'score', cursor: 'bm90IGpzb24' }, keys, (r) => r.id), /cursor/);
});
