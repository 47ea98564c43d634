/**
 * How `vitals study` prints: the headline table (per factor and cohort: findings per domain in the first
 * and last period, the change with its 95% interval, the direction), then finding types, dark-web
 * mentions, the lifecycle and the caveats; or CSV with one row per figure (tidy: every number of the
 * JSON report, named by section, cohort, factor, type, period and measure).
 */
import type { ChangeEstimate, StudyReport } from '../study/figures.js';
import { sanitizeTerminalText } from './sanitize.js';
import { renderTable, type TableColumn } from './output.js';

const number = (value: number | null, decimals = 2): string => (value === null ? '-' : value.toFixed(decimals));

/** `+12.5%`, `-3.0%`, `-` when not estimable. */
export function formatChange(value: number | null): string {
  if (value === null) return '-';
  return `${value > 0 ? '+' : ''}${value.toFixed(1)}%`;
}

/** `[+3.1, +20.4]`; an unbounded side is `inf`. */
export function formatInterval(estimate: ChangeEstimate): string {
  if (estimate.change_pct === null) return '-';
  const side = (v: number | null, fallback: string): string =>
    v === null ? fallback : `${v > 0 ? '+' : ''}${v.toFixed(1)}`;
  return `[${side(estimate.ci_low, '-inf')}, ${side(estimate.ci_high, '+inf')}]`;
}

function changeColumns<T extends ChangeEstimate & { cohort: string; organizations: number }>(
  first: TableColumn<T>,
): TableColumn<T>[] {
  return [
    first,
    { header: 'cohort', cell: (r) => r.cohort },
    { header: 'orgs', cell: (r) => String(r.organizations), align: 'right' },
    { header: 'first/domain', cell: (r) => number(r.first, 3), align: 'right' },
    { header: 'last/domain', cell: (r) => number(r.last, 3), align: 'right' },
    { header: 'change', cell: (r) => formatChange(r.change_pct), align: 'right' },
    { header: '95% CI', cell: (r) => formatInterval(r) },
    { header: 'direction', cell: (r) => r.direction.replaceAll('_', ' ') },
  ];
}

/** The headline table alone (the demo prints this). */
export function renderHeadline(report: StudyReport): string {
  const paired = report.cohorts.find((c) => c.cohort === 'all') ?? report.cohorts[0];
  const title =
    `Study ${report.from} -> ${report.to}: findings per domain, first month against last, ` +
    `${paired?.paired ?? 0} organizations with data in both (${report.method.resamples} bootstrap resamples, ` +
    `seed ${report.method.seed})\n\n`;
  return (
    title +
    renderTable(report.factors, [
      ...changeColumns<StudyReport['factors'][number]>({ header: 'factor', cell: (r) => r.factor }),
      { header: 'change/org', cell: (r) => formatChange(r.per_organization.change_pct), align: 'right' },
    ])
  );
}

/** Everything, for the terminal. */
export function renderStudy(report: StudyReport): string {
  const parts = [renderHeadline(report)];
  if (report.comparison.length > 0) {
    parts.push(
      '\nTelehealth against the rest (change in findings per domain, percentage points):\n',
      renderTable(report.comparison, [
        { header: 'factor', cell: (r) => r.factor },
        { header: 'telehealth', cell: (r) => formatChange(r.telehealth_change_pct), align: 'right' },
        { header: 'rest', cell: (r) => formatChange(r.non_telehealth_change_pct), align: 'right' },
        { header: 'difference', cell: (r) => number(r.difference_pct_points, 1), align: 'right' },
        {
          header: '95% CI',
          cell: (r) => (r.difference_pct_points === null ? '-' : `[${number(r.ci_low, 1)}, ${number(r.ci_high, 1)}]`),
        },
        { header: 'significant', cell: (r) => (r.significant ? 'yes' : 'no') },
      ]),
    );
  }
  if (report.finding_types.length > 0) {
    parts.push(
      '\nBy finding type:\n',
      renderTable(report.finding_types, [
        ...changeColumns<StudyReport['finding_types'][number]>({ header: 'type', cell: (r) => r.type }),
      ]),
    );
  }
  if (report.by === 'month') {
    const rows = report.series.filter((s) => s.factor === 'all');
    parts.push(
      '\nEvery factor, month by month (all organizations with data that month):\n',
      renderTable(rows, [
        { header: 'period', cell: (r) => r.period },
        { header: 'cohort', cell: (r) => r.cohort },
        { header: 'orgs', cell: (r) => String(r.organizations), align: 'right' },
        { header: 'findings/org', cell: (r) => number(r.findings_per_organization, 3), align: 'right' },
        { header: 'findings/domain', cell: (r) => number(r.findings_per_domain, 3), align: 'right' },
      ]),
    );
  }
  const lifecycle = report.lifecycle?.periods.filter((p) => p.factor === 'all') ?? [];
  if (lifecycle.length > 0) {
    parts.push(
      '\nFinding lifecycle:\n',
      renderTable(lifecycle, [
        { header: 'period', cell: (r) => r.period },
        { header: 'cohort', cell: (r) => r.cohort },
        { header: 'new', cell: (r) => String(r.new), align: 'right' },
        { header: 'persisting', cell: (r) => String(r.persisting), align: 'right' },
        { header: 'resolved', cell: (r) => String(r.resolved), align: 'right' },
        { header: 'regressed', cell: (r) => String(r.regressed), align: 'right' },
        { header: 'open at end', cell: (r) => String(r.open_at_end), align: 'right' },
      ]),
    );
  }
  const mentions = report.darkweb?.mentions ?? [];
  if (mentions.length > 0) {
    parts.push(
      '\nDark-web mentions by class and month:\n',
      renderTable(mentions, [
        { header: 'month', cell: (r) => r.month },
        { header: 'class', cell: (r) => r.class },
        { header: 'cohort', cell: (r) => r.cohort },
        { header: 'mentions', cell: (r) => String(r.mentions), align: 'right' },
        { header: 'orgs', cell: (r) => String(r.organizations), align: 'right' },
      ]),
    );
  }
  parts.push('\nCaveats:\n', ...report.caveats.notes.map((n) => `- ${sanitizeTerminalText(n)}\n`));
  return parts.join('');
}

/** Columns of the CSV: one figure per row. */
export const STUDY_CSV_COLUMNS = [
  'section',
  'cohort',
  'factor',
  'type',
  'severity',
  'class',
  'period',
  'measure',
  'value',
] as const;
type CsvRow = Partial<Record<(typeof STUDY_CSV_COLUMNS)[number], string | number | null | boolean>>;

function csvField(value: string | number | null | boolean | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Every figure of the report as CSV rows (RFC 4180, CRLF line ends), streamed to `write`. */
export function writeStudyCsv(report: StudyReport, write: (text: string) => void): void {
  const row = (r: CsvRow): void => write(`${STUDY_CSV_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`);
  write(`${STUDY_CSV_COLUMNS.join(',')}\r\n`);
  const span = `${report.from}..${report.to}`;
  const change = (section: string, key: CsvRow, estimate: ChangeEstimate, scale: string): void => {
    for (const measure of ['first', 'last', 'change_pct', 'ci_low', 'ci_high', 'direction'] as const)
      row({ section, ...key, period: span, measure: `${scale}_${measure}`, value: estimate[measure] });
  };
  for (const f of report.factors) {
    const key = { cohort: f.cohort, factor: f.factor };
    row({ section: 'factor_change', ...key, period: span, measure: 'organizations', value: f.organizations });
    change('factor_change', key, f, 'per_domain');
    change('factor_change', key, f.per_organization, 'per_organization');
  }
  for (const t of report.finding_types) {
    const key = { cohort: t.cohort, factor: t.factor, type: t.type };
    row({ section: 'type_change', ...key, period: span, measure: 'organizations', value: t.organizations });
    change('type_change', key, t, 'per_domain');
    change('type_change', key, t.per_organization, 'per_organization');
  }
  for (const c of report.comparison)
    for (const measure of [
      'telehealth_change_pct',
      'non_telehealth_change_pct',
      'difference_pct_points',
      'ci_low',
      'ci_high',
      'significant',
    ] as const)
      row({ section: 'cohort_comparison', factor: c.factor, period: span, measure, value: c[measure] });
  for (const s of report.series)
    for (const measure of ['organizations', 'findings_per_organization', 'findings_per_domain'] as const)
      row({
        section: 'factor_series',
        cohort: s.cohort,
        factor: s.factor,
        period: s.period,
        measure,
        value: s[measure],
      });
  for (const s of report.finding_type_series)
    for (const measure of ['organizations', 'findings_per_organization', 'findings_per_domain'] as const)
      row({
        section: 'type_series',
        cohort: s.cohort,
        factor: s.factor,
        type: s.type,
        period: s.period,
        measure,
        value: s[measure],
      });
  const cohorts = report.cohorts.map((c) => c.cohort);
  for (const p of report.periods)
    for (const cohort of cohorts)
      row({ section: 'coverage', cohort, period: p.period, measure: 'organizations', value: p.organizations[cohort] });
  for (const c of report.cohorts)
    for (const measure of ['organizations', 'paired', 'first_only', 'last_only', 'between_only'] as const)
      row({ section: 'coverage', cohort: c.cohort, period: span, measure, value: c[measure] });
  for (const l of report.lifecycle?.periods ?? [])
    for (const measure of ['new', 'persisting', 'resolved', 'regressed', 'open_at_end'] as const)
      row({ section: 'lifecycle', cohort: l.cohort, factor: l.factor, period: l.period, measure, value: l[measure] });
  for (const r of report.lifecycle?.remediation ?? []) {
    const key = { cohort: r.cohort, factor: r.factor, severity: r.severity, period: r.period };
    row({ section: 'remediation', ...key, measure: 'resolved', value: r.resolved });
    row({ section: 'remediation', ...key, measure: 'mean_days_to_remediate', value: r.mean_days_to_remediate });
  }
  for (const m of report.darkweb?.mentions ?? []) {
    row({
      section: 'darkweb',
      cohort: m.cohort,
      class: m.class,
      period: m.month,
      measure: 'mentions',
      value: m.mentions,
    });
    row({
      section: 'darkweb',
      cohort: m.cohort,
      class: m.class,
      period: m.month,
      measure: 'organizations',
      value: m.organizations,
    });
  }
}
