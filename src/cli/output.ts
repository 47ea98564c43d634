/**
 * Output helpers shared by every command: plain-text tables, JSON and JSON Lines, and the severity
 * colours a terminal gets.
 */
import type { z } from 'zod';
import { sanitizeTerminalLine, sanitizeTerminalText } from './sanitize.js';

export const OUTPUT_FORMATS = ['table', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Anything text can be written to: a stream, or a collector of chunks. */
export interface TextSink {
  write(text: string): unknown;
}

/** Rows written per `write` call: few calls, and never the whole table in one string. */
const TABLE_CHUNK_ROWS = 1_000;

/**
 * Writes rows as an aligned text table, streaming: a first pass measures the columns (a loop, never a
 * spread into `Math.max`, which overflows the stack beyond about 100,000 rows), a second writes the
 * lines in chunks. Every cell is sanitized of control characters (see sanitize.ts).
 */
export function writeTable<T>(out: TextSink, rows: readonly T[], columns: ReadonlyArray<TableColumn<T>>): void {
  const widths = columns.map((c) => sanitizeTerminalLine(c.header).length);
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const length = sanitizeTerminalLine(columns[i]!.cell(row)).length;
      if (length > widths[i]!) widths[i] = length;
    }
  }
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out.write(`${line(columns.map((c) => sanitizeTerminalLine(c.header)))}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  let chunk = '';
  let inChunk = 0;
  for (const row of rows) {
    chunk += `${line(columns.map((c) => sanitizeTerminalLine(c.cell(row))))}\n`;
    if (++inChunk === TABLE_CHUNK_ROWS) {
      out.write(chunk);
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk !== '') out.write(chunk);
}

/** Renders rows as an aligned text table in one string (for small tables; large ones use `writeTable`). */
export function renderTable<T>(rows: readonly T[], columns: ReadonlyArray<TableColumn<T>>): string {
  const parts: string[] = [];
  writeTable({ write: (text: string) => parts.push(text) }, rows, columns);
  return parts.join('');
}

/**
 * Prints `value` as indented JSON once it passes `schema` (src/output/schemas.ts): output that drifts from
 * its contract is an error, never printed. The value itself is printed, in its own field order.
 */
export function writeJson(out: TextSink, schema: z.ZodType, value: unknown): void {
  schema.parse(value);
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One JSON Lines record, checked against `schema` as `writeJson` does. */
export function writeJsonLine(out: TextSink, schema: z.ZodType, value: unknown): void {
  schema.parse(value);
  out.write(`${JSON.stringify(value)}\n`);
}

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '\x1b[35m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};

/** Colours a severity word when writing to a terminal that has not asked for no colour. */
export function severityLabel(severity: string, colour: boolean): string {
  if (!colour) return severity;
  const code = SEVERITY_COLOURS[severity];
  return code ? `${code}${severity}\x1b[0m` : severity;
}

export function useColour(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined;
}

/** A column of a text table. */
export interface TableColumn<T> {
  header: string;
  cell: (row: T) => string;
  align?: 'left' | 'right';
}

/**
 * Prints records as a JSON array, as JSON Lines, or as a table followed by `footer` (for example
 * "12 findings"): the one output switch every listing command shares.
 */
export function writeRecords<T>(
  out: TextSink,
  format: OutputFormat,
  schema: z.ZodType,
  rows: readonly T[],
  columns: ReadonlyArray<TableColumn<T>>,
  footer?: string,
): void {
  if (format === 'json') writeJson(out, schema.array(), rows);
  else if (format === 'jsonl') for (const row of rows) writeJsonLine(out, schema, row);
  else {
    writeTable(out, rows, columns);
    if (footer !== undefined) out.write(`${sanitizeTerminalText(footer)}\n`);
  }
}
