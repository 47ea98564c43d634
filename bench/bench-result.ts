/** What every benchmark file returns from its exported `run()`, and how run.ts prints it. */

/** One line of the results table: a Vitals figure, the other tool's figure beside it, and the target. */
export interface BenchRow {
  what: string;
  unit: string;
  /** null when it could not be measured (the notes say why). */
  vitals: number | null;
  /** The comparison tool's figure for the same work, when there is one. */
  other: { tool: string; value: number | null } | null;
  /** The target in words (e.g. ">= 300 orgs/s"), when there is one. */
  target: string | null;
  /** Whether the target was met; null when there is no target or it could not be judged. */
  met: boolean | null;
}

/** One benchmark's outcome. */
export interface BenchResult {
  name: string;
  rows: BenchRow[];
  /** Machine-readable details (counts, durations, tool versions) written to results.json. */
  details: Record<string, unknown>;
  /** Things a reader must know: skipped comparisons, failures, caveats. */
  notes: string[];
}

/** The signature every `*.bench.ts` exports. */
export type BenchRun = () => Promise<BenchResult>;

/** Formats a figure for the table: thousands separators, 2 decimals below 10, none above 100. */
export function formatFigure(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Renders rows as a plain-text table (what, Vitals, the other tool, target, met?). */
export function renderResultsTable(rows: readonly BenchRow[]): string {
  const header = ['what', 'Vitals', 'other tool', 'target', 'met?'];
  const body = rows.map((r) => [
    r.what,
    `${formatFigure(r.vitals)} ${r.unit}`,
    r.other ? `${formatFigure(r.other.value)} ${r.unit} (${r.other.tool})` : '-',
    r.target ?? '-',
    r.met === null ? '-' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')}\n`;
}
