/**
 * Output helpers shared by every command: plain-text tables, JSON and JSON Lines, and the severity
 * colours a terminal gets.
 */
import type { Writable } from 'node:stream';

export const OUTPUT_FORMATS = ['table', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Renders rows as an aligned text table; `columns` gives header and cell for each column. */
export function renderTable<T>(rows: readonly T[], columns: ReadonlyArray<TableColumn<T>>): string {
  const cells = rows.map((row) => columns.map((c) => sanitizeCell(c.cell(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

/** Control characters from hostile data (TXT records, names) never reach the terminal raw. */
function sanitizeCell(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function writeJson(out: Writable, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeJsonLine(out: Writable, value: unknown): void {
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
  out: Writable,
  format: OutputFormat,
  rows: readonly T[],
  columns: ReadonlyArray<TableColumn<T>>,
  footer?: string,
): void {
  if (format === 'json') writeJson(out, rows);
  else if (format === 'jsonl') for (const row of rows) writeJsonLine(out, row);
  else {
    out.write(renderTable(rows, columns));
    if (footer !== undefined) out.write(`${footer}\n`);
  }
}
