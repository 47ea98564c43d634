/**
 * Tables in dump text: a header row of short column names, then rows, written as CSV, TSV, pipe- or
 * semicolon-separated values, Markdown tables, fixed-width columns, JSON lines (the keys are the
 * header), SQL dumps (`INSERT INTO t (cols) VALUES (...), (...)`: the column list is the header), or
 * records of `key: value` lines, one block per record (the keys are the header).
 * Extractors read a column by what its header names (an `ICD10` or `Dx` column holds diagnosis codes
 * whatever their distance from a context word), and classification reads what the header names (MRN,
 * DOB, SSN: a patient-record table).
 *
 * Linear: each line is split at most once as a header candidate and once as a row.
 */

/** One cell: its text (trimmed, quotes removed) and where it starts in the document. */
export interface TableCell {
  text: string;
  start: number;
}

/** How the table was written. */
export type TableLayout = 'delimited' | 'markdown' | 'fixed' | 'jsonl' | 'sql' | 'records';

/** A table: its header (as written and normalized) and its rows (cells by column index). */
export interface Table {
  layout: TableLayout;
  /** Header cells as written. */
  headers: string[];
  /** Header cells lower-cased with spaces, `_`, `-`, `.`, `#` and quotes removed: `ICD-10 Code` → `icd10code`. */
  columns: string[];
  rows: TableCell[][];
  /** Offset of the header row. */
  start: number;
}

const MAX_LINE = 4096;
const MAX_COLUMNS = 64;
/** A column name: starts with a letter, short, a few words at most. */
const COLUMN_NAME = /^[A-Za-z][\w .#/()&+-]{0,39}$/;
const DELIMITERS: readonly { pattern: RegExp; char: string }[] = [
  { pattern: /\t/g, char: '\t' },
  { pattern: /\|/g, char: '|' },
  { pattern: /;/g, char: ';' },
  { pattern: /,/g, char: ',' },
];
const RULE_LINE = /^[\s|:+=-]+$/;

interface Line {
  text: string;
  start: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    lines.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, start });
    start = end + 1;
  }
  return lines;
}

/** `ICD-10 Code` → `icd10code`. */
export function normalizeColumn(name: string): string {
  return name.toLowerCase().replace(/[\s_.#"'`()/-]+/g, '');
}

/** Splits on a delimiter (outside double quotes), with each cell's offset; undefined past MAX_COLUMNS. */
function splitDelimited(line: Line, char: string): TableCell[] | undefined {
  const cells: TableCell[] = [];
  let text = line.text;
  let offset = 0;
  if (char === '|') {
    // Markdown rows: `| a | b |` has empty cells outside the outer pipes.
    const lead = /^\s*\|/.exec(text);
    if (lead !== null) {
      offset = lead[0].length;
      text = text.slice(offset);
    }
    text = text.replace(/\|\s*$/, '');
  }
  let cellStart = 0;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    if (i === text.length || (ch === char && !quoted)) {
      cells.push(cellOf(text.slice(cellStart, i), line.start + offset + cellStart));
      if (cells.length > MAX_COLUMNS) return undefined;
      cellStart = i + 1;
    }
  }
  return cells;
}

function cellOf(raw: string, start: number): TableCell {
  let a = 0;
  let b = raw.length;
  while (a < b && /\s/.test(raw[a]!)) a++;
  while (b > a && /\s/.test(raw[b - 1]!)) b--;
  if (b - a >= 2 && raw[a] === '"' && raw[b - 1] === '"') {
    a++;
    b--;
  }
  return { text: raw.slice(a, b), start: start + a };
}

function isHeader(cells: readonly TableCell[]): boolean {
  return cells.length >= 2 && cells.every((c) => COLUMN_NAME.test(c.text) && c.text.split(/\s+/).length <= 4);
}

/** Fixed-width header: names separated by 2+ spaces; columns start where the names start. */
function fixedColumns(line: Line): TableCell[] | undefined {
  // The pattern needs two spaces in a row: looking for them first is exact and much cheaper on prose.
  if (!line.text.includes('  ') || !/\S {2,}\S/.test(line.text)) return undefined;
  const cells: TableCell[] = [];
  const pattern = /\S+(?: \S+)*/g;
  for (let m = pattern.exec(line.text); m !== null; m = pattern.exec(line.text)) {
    cells.push({ text: m[0], start: line.start + m.index });
    if (cells.length > MAX_COLUMNS) return undefined;
  }
  return cells.length >= 3 && isHeader(cells) ? cells : undefined;
}

function fixedRow(line: Line, header: readonly TableCell[], headerStart: number): TableCell[] {
  const cells: TableCell[] = [];
  for (let i = 0; i < header.length; i++) {
    const from = header[i]!.start - headerStart;
    const to = i + 1 < header.length ? header[i + 1]!.start - headerStart : line.text.length;
    cells.push(cellOf(line.text.slice(from, Math.max(from, to)), line.start + from));
  }
  return cells;
}

/** A JSON-lines object's primitive values as cells (keys as column names), or undefined. */
function jsonRow(line: Line): { keys: string[]; cells: TableCell[] } | undefined {
  const trimmed = line.text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}') || trimmed.length > MAX_LINE) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys: string[] = [];
  const cells: TableCell[] = [];
  let cursor = 0;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object') continue;
    const keyAt = line.text.indexOf(JSON.stringify(key), cursor);
    if (keyAt < 0) continue;
    const written = v === null ? 'null' : String(v);
    const valueAt = line.text.indexOf(written, keyAt + key.length + 2);
    keys.push(key);
    cells.push({ text: written, start: line.start + (valueAt < 0 ? keyAt : valueAt) });
    if (valueAt >= 0) cursor = valueAt + written.length;
  }
  return keys.length >= 2 ? { keys, cells } : undefined;
}

let memoText: string | undefined;
let memoTables: Table[] = [];

/** Every table in `text` with at least one row (the last result is kept: extractors and classifier share it). */
export function findTables(text: string): Table[] {
  if (text === memoText) return memoTables;
  const tables: Table[] = [];
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text.length > MAX_LINE || line.text.trim() === '') continue;
    const consumed =
      sqlTable(lines, i, tables) ||
      jsonTable(lines, i, tables) ||
      delimitedTable(lines, i, tables) ||
      fixedTable(lines, i, tables) ||
      recordsTable(lines, i, tables);
    if (consumed > 0) i += consumed - 1;
  }
  memoText = text;
  memoTables = tables;
  return tables;
}

/** `INSERT INTO tbl (a, b) VALUES` (quotes or backticks around names allowed), then tuples on the line or below. */
const SQL_INSERT = /^\s*INSERT\s+INTO\s+[`"[]?[\w.]+[`"\]]?\s*\(([^()]{1,2000})\)\s*VALUES\s*/i;

/** The values of one SQL tuple `('a', 'it''s', 3, NULL)` starting at `open` (its `(`), with offsets. */
function sqlTuple(line: Line, open: number): { cells: TableCell[]; end: number } | undefined {
  const text = line.text;
  const cells: TableCell[] = [];
  let i = open + 1;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === "'") {
      let j = i + 1;
      let value = '';
      for (; j < text.length; j++) {
        if (text[j] === '\\' && j + 1 < text.length) value += text[++j];
        else if (text[j] === "'" && text[j + 1] === "'") value += text[j++];
        else if (text[j] === "'") break;
        else value += text[j];
      }
      if (j >= text.length) return undefined;
      cells.push({ text: value.trim(), start: line.start + i + 1 });
      i = j + 1;
    } else {
      const from = i;
      while (i < text.length && text[i] !== ',' && text[i] !== ')') i++;
      cells.push(cellOf(text.slice(from, i), line.start + from));
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (cells.length > MAX_COLUMNS) return undefined;
    if (text[i] === ')') return { cells, end: i + 1 };
    if (text[i] !== ',') return undefined;
    i++;
  }
  return undefined;
}

/** An SQL INSERT's column list as the header and each tuple (on its line or the lines below) as a row. */
function sqlTable(lines: Line[], index: number, tables: Table[]): number {
  const line = lines[index]!;
  const head = SQL_INSERT.exec(line.text);
  if (head === null) return 0;
  const listStart = line.text.indexOf('(', head.index) + 1;
  const header = splitDelimited({ text: head[1]!, start: line.start + listStart }, ',')?.map((c) => ({
    text: c.text.replace(/^[`"[]|[`"\]]$/g, ''),
    start: c.start,
  }));
  if (header === undefined || header.length < 2) return 0;
  const rows: TableCell[][] = [];
  let i = index;
  let at = head[0].length;
  for (; i < lines.length; i++, at = 0) {
    const row = lines[i]!;
    if (row.text.length > MAX_LINE) break;
    let tuples = 0;
    for (let open = row.text.indexOf('(', at); open >= 0 && /^[\s,]*$/.test(row.text.slice(at, open)); ) {
      const tuple = sqlTuple(row, open);
      if (tuple === undefined) break;
      rows.push(tuple.cells);
      tuples++;
      at = tuple.end;
      open = row.text.indexOf('(', at);
    }
    if (i > index && tuples === 0) break;
    if (/;\s*$/.test(row.text)) {
      i++;
      break;
    }
  }
  if (rows.length === 0) return 0;
  const headers = header.map((c) => c.text);
  tables.push({ layout: 'sql', headers, columns: headers.map(normalizeColumn), rows, start: line.start });
  return Math.max(1, i - index);
}

function jsonTable(lines: Line[], index: number, tables: Table[]): number {
  const first = jsonRow(lines[index]!);
  if (first === undefined) return 0;
  const headers: string[] = [...first.keys];
  const rowsByKey: { keys: string[]; cells: TableCell[] }[] = [first];
  let i = index + 1;
  for (; i < lines.length; i++) {
    const row = jsonRow(lines[i]!);
    if (row === undefined) break;
    for (const key of row.keys) if (!headers.includes(key)) headers.push(key);
    rowsByKey.push(row);
  }
  const rows = rowsByKey.map((r) => headers.map((h) => r.cells[r.keys.indexOf(h)] ?? { text: '', start: -1 }));
  tables.push({ layout: 'jsonl', headers, columns: headers.map(normalizeColumn), rows, start: lines[index]!.start });
  return i - index;
}

function delimitedTable(lines: Line[], index: number, tables: Table[]): number {
  const line = lines[index]!;
  for (const { pattern, char } of DELIMITERS) {
    pattern.lastIndex = 0;
    if (!pattern.test(line.text)) continue;
    const header = splitDelimited(line, char);
    if (header === undefined || !isHeader(header)) return 0;
    const rows: TableCell[][] = [];
    let i = index + 1;
    let markdown = false;
    for (; i < lines.length; i++) {
      const row = lines[i]!;
      if (row.text.trim() === '' || row.text.length > MAX_LINE) break;
      if (RULE_LINE.test(row.text)) {
        markdown ||= char === '|';
        continue;
      }
      const cells = splitDelimited(row, char);
      if (cells === undefined || cells.length < 2 || cells.length < header.length - 1) break;
      rows.push(cells);
    }
    if (rows.length === 0) return 0;
    const headers = header.map((c) => c.text);
    tables.push({
      layout: markdown ? 'markdown' : 'delimited',
      headers,
      columns: headers.map(normalizeColumn),
      rows,
      start: line.start,
    });
    return i - index;
  }
  return 0;
}

function fixedTable(lines: Line[], index: number, tables: Table[]): number {
  const line = lines[index]!;
  const header = fixedColumns(line);
  if (header === undefined) return 0;
  const rows: TableCell[][] = [];
  let i = index + 1;
  for (; i < lines.length; i++) {
    const row = lines[i]!;
    if (row.text.trim() === '' || row.text.length > MAX_LINE) break;
    if (RULE_LINE.test(row.text)) continue;
    const cells = fixedRow(row, header, line.start);
    // A row fills most columns; prose under a header does not line up with it.
    if (cells.filter((c) => c.text !== '').length < Math.ceil(header.length / 2)) break;
    rows.push(cells);
  }
  if (rows.length === 0) return 0;
  const headers = header.map((c) => c.text);
  tables.push({ layout: 'fixed', headers, columns: headers.map(normalizeColumn), rows, start: line.start });
  return i - index;
}

/** `key: value` (or `key = value`), a bullet allowed before; the key a short column name. */
const KEY_VALUE = /^[ \t]*(?:[-*•][ \t]+)?([A-Za-z][\w .#/()&+-]{0,39}?)[ \t]*[:=][ \t]*(\S.*)$/;

function keyValue(line: Line): { key: TableCell; value: TableCell } | undefined {
  if (line.text.length > MAX_LINE) return undefined;
  // Every pair has a ':' or '=' (exact, and cheaper than trying the pattern on each line of prose).
  if (!line.text.includes(':') && !line.text.includes('=')) return undefined;
  const m = KEY_VALUE.exec(line.text);
  if (m === null || m[1]!.split(/\s+/).length > 4) return undefined;
  const value = m[2]!.replace(/\s+$/, '');
  return {
    key: { text: m[1]!, start: line.start + line.text.indexOf(m[1]!) },
    value: { text: value, start: line.start + line.text.length - m[2]!.length },
  };
}

/**
 * Records written as blocks of `key: value` lines (a record per block, blank lines or a repeated key
 * between them), as dumps print rows they do not tabulate: the keys are the header, each block a row.
 * A block needs two keys; the run ends at a line that is neither a pair nor blank.
 */
function recordsTable(lines: Line[], index: number, tables: Table[]): number {
  if (keyValue(lines[index]!) === undefined) return 0;
  const headers: string[] = [];
  const records: Map<string, TableCell>[] = [];
  let current = new Map<string, TableCell>();
  const close = (): void => {
    if (current.size >= 2) records.push(current);
    current = new Map();
  };
  let i = index;
  let lastPair = index;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text.trim() === '') {
      close();
      continue;
    }
    const pair = keyValue(line);
    if (pair === undefined) break;
    lastPair = i;
    const name = pair.key.text;
    if (current.has(name)) close();
    if (!headers.includes(name)) {
      if (headers.length >= MAX_COLUMNS) break;
      headers.push(name);
    }
    current.set(name, pair.value);
  }
  close();
  if (records.length === 0) return 0;
  const rows = records.map((r) => headers.map((h) => r.get(h) ?? { text: '', start: -1 }));
  tables.push({ layout: 'records', headers, columns: headers.map(normalizeColumn), rows, start: lines[index]!.start });
  return lastPair - index + 1;
}

/** Indexes of the columns whose normalized name passes `test`. */
export function columnsNamed(table: Table, test: (column: string) => boolean): number[] {
  return table.columns.flatMap((c, i) => (test(c) ? [i] : []));
}
