import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable, writeRecords, writeTable, type TableColumn } from './output.js';
import { z } from 'zod';

interface Row {
  name: string;
  count: number;
}
const COLUMNS: ReadonlyArray<TableColumn<Row>> = [
  { header: 'name', cell: (r) => r.name },
  { header: 'count', cell: (r) => String(r.count), align: 'right' },
];

test('a table of 200,000 rows is written in chunks, aligned, without overflowing the stack', () => {
  const rows: Row[] = Array.from({ length: 200_000 }, (_, i) => ({ name: `org-${i}`, count: i }));
  const chunks: string[] = [];
  writeTable({ write: (text: string) => chunks.push(text) }, rows, COLUMNS);
  // Streamed: many writes, none holding the whole table.
  assert.ok(chunks.length >= 200, `${chunks.length} writes`);
  const lines = chunks.join('').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 200_002);
  assert.equal(lines[0], `name${' '.repeat(9)}count`);
  assert.equal(lines[1], `${'-'.repeat(10)}  ${'-'.repeat(6)}`);
  assert.equal(lines[2], `org-0${' '.repeat(12)}0`);
  assert.equal(lines[200_001], 'org-199999  199999');
  const longest = Math.max(...chunks.map((c) => c.length));
  assert.ok(longest < 200_000, `largest write ${longest} characters`);
});

test('writeRecords prints 200,000 rows as a table with its footer', () => {
  const rows: Row[] = Array.from({ length: 200_000 }, (_, i) => ({ name: `n${i}`, count: 1 }));
  let text = '';
  writeRecords({ write: (t: string) => (text += t) }, 'table', z.unknown(), rows, COLUMNS, `${rows.length} rows`);
  assert.ok(text.endsWith('\n200000 rows\n'));
  assert.equal(text.split('\n').length, 200_004);
});

test('hostile cells cannot drive the terminal and do not break the alignment', () => {
  const text = renderTable(
    [
      { name: 'Evil\x1b[31m Clinic\nsecond line', count: 1 },
      { name: 'Good Clinic', count: 22 },
    ],
    COLUMNS,
  );
  assert.doesNotMatch(text.replaceAll('\n', ''), /[\u0000-\u001f\u007f-\u009f]/);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[2], 'Evil\\x1b[31m Clinic\\x0asecond line      1');
  assert.equal(lines[3]!.length, lines[2]!.length);
});
