/**
 * The study as one self-contained HTML page a researcher could publish (`vitals study --format html`):
 * what was compared, the method, the headline table, a forest plot of the changes, a chart per factor
 * (first against last month, with the bootstrap interval), telehealth against the rest, finding types,
 * lifecycle and dark-web figures when present, and the caveats (coverage, organizations without data).
 * Pure: the study JSON in, a string out. Every figure of the page is in the JSON and the CSV.
 */
import type { ALL_FACTORS, ChangeEstimate, Cohort, FactorChange, StudyReport } from '../study/figures.js';
import {
  barOffsets,
  chartFigure,
  factorColour,
  factorLabel,
  renderSvg,
  whiskerSeries,
  type ChartOption,
} from './charts.js';
import {
  type HtmlColumn,
  type SafeHtml,
  displayTime,
  fixed,
  html,
  htmlPage,
  htmlTable,
  signedPercent,
} from './html.js';

/** The study JSON as `vitals study --format json` prints it. */
export type StudyView = StudyReport;

const COHORT_LABELS: Record<Cohort, string> = {
  all: 'All organizations',
  telehealth: 'Telehealth',
  non_telehealth: 'The rest',
};
const COHORT_COLOURS: Record<Cohort, string> = { all: '#1f4e79', telehealth: '#e69f00', non_telehealth: '#56b4e9' };

const DIRECTION_LABELS: Record<string, string> = {
  improved: 'improved (fewer findings)',
  declined: 'declined (more findings)',
  no_significant_change: 'no significant change',
  insufficient_data: 'insufficient data',
};

const ALL: typeof ALL_FACTORS = 'all';

function monthLabel(period: string): string {
  const [year, month] = period.split('-');
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const name = names[Number(month) - 1];
  return name === undefined || year === undefined ? period : `${name} ${year}`;
}

function interval(low: number | null, high: number | null): string {
  if (low === null && high === null) return '–';
  return `${low === null ? '−∞' : signedPercent(low)} to ${high === null ? '+∞' : signedPercent(high)}`;
}

/** Short words for tables; DIRECTION_LABELS says what they mean in the key results. */
const DIRECTION_TAGS: Record<string, string> = {
  improved: 'improved',
  declined: 'declined',
  no_significant_change: 'no sig. change',
  insufficient_data: 'no estimate',
};

function directionTag(direction: string): SafeHtml {
  return html`<span class="tag dir-${direction}" title="${DIRECTION_LABELS[direction] ?? direction}">${
    DIRECTION_TAGS[direction] ?? direction
  }</span>`;
}

/** The cohorts the report holds, in their fixed order. */
function cohortsOf(report: StudyView): Cohort[] {
  return report.cohorts.map((c) => c.cohort);
}

/** The cohort the headline table reads: `all` when present, else the one reported. */
function headlineCohort(report: StudyView): Cohort {
  const cohorts = cohortsOf(report);
  return cohorts.includes('all') ? 'all' : (cohorts[0] ?? 'all');
}

function heading(report: StudyView): SafeHtml {
  const cohort = headlineCohort(report);
  const organizations = report.cohorts.find((c) => c.cohort === cohort);
  return html`<h1>Healthcare security posture: ${monthLabel(report.from)} to ${monthLabel(report.to)}</h1>
<p>Findings per organization and per domain, factor by factor, from ${report.from} to ${report.to}${
    report.by === 'month' ? ', month by month' : ''
  }; ${COHORT_LABELS[cohort].toLowerCase()}${
    organizations === undefined
      ? ''
      : `: ${organizations.organizations} organizations with data, ${organizations.paired} in both months compared`
  }.</p>`;
}

/** Plain sentences of the headline results, for readers who stop at the top. */
function keyFindings(report: StudyView): SafeHtml {
  const cohort = headlineCohort(report);
  const rows = report.factors.filter((f) => f.cohort === cohort && f.factor !== ALL);
  const named = (direction: string): string[] =>
    rows
      .filter((f) => f.direction === direction)
      .map((f) => `${factorLabel(f.factor)} (${signedPercent(f.change_pct)})`);
  const improved = named('improved');
  const declined = named('declined');
  const total = report.factors.find((f) => f.cohort === cohort && f.factor === ALL);
  const items: SafeHtml[] = [];
  if (total !== undefined && total.change_pct !== null)
    items.push(
      html`<li>All factors together: ${signedPercent(total.change_pct)} findings per domain (95% CI ${interval(
        total.ci_low,
        total.ci_high,
      )}), ${DIRECTION_LABELS[total.direction] ?? total.direction}.</li>`,
    );
  items.push(html`<li>Improved: ${improved.length === 0 ? 'no factor' : improved.join(', ')}.</li>`);
  items.push(html`<li>Declined: ${declined.length === 0 ? 'no factor' : declined.join(', ')}.</li>`);
  const overall = report.comparison.find((c) => c.factor === ALL);
  if (overall !== undefined && overall.difference_pct_points !== null)
    items.push(
      html`<li>Telehealth organizations ${signedPercent(overall.telehealth_change_pct)} against ${signedPercent(
        overall.non_telehealth_change_pct,
      )} for the rest: a difference of ${fixed(overall.difference_pct_points, 1)} percentage points (95% CI ${interval(
        overall.ci_low,
        overall.ci_high,
      ).replace(/%/g, '')})${overall.significant ? '' : ', not significant'}.</li>`,
    );
  return html`<div class="note"><strong>Key results</strong><ul>${items}</ul></div>`;
}

function methodSection(report: StudyView): SafeHtml {
  const m = report.method;
  const facts: Array<[string, string]> = [
    ['Unit', 'the organization (each counts once, whatever its size)'],
    ['Headline measure', 'open scored findings per domain, averaged over organizations'],
    ...m.measures.map((text, i): [string, string] => [i === 0 ? 'Measures' : '', text]),
    ['Data per month', m.snapshot_rule],
    ['Change', m.change],
    ['Pairing', m.pairing],
    ['Interval', `${Math.round(m.confidence * 100)}% ${m.interval}`],
    ['Bootstrap', `${m.resamples} resamples, seed ${m.seed} (the same data and seed give the same intervals)`],
    [
      'Direction',
      'findings are weaknesses: an interval entirely above 0 is a decline, entirely below 0 an improvement',
    ],
  ];
  return html`<section><h2>Method</h2><dl class="facts">${facts.map(
    ([term, text]) => html`<dt>${term}</dt><dd>${text}</dd>`,
  )}</dl></section>`;
}

/** The columns of a change, for factors and finding types alike. */
function changeColumns<T extends ChangeEstimate & { organizations: number; per_organization: ChangeEstimate }>(): Array<
  HtmlColumn<T>
> {
  return [
    { header: 'Paired orgs', cell: (f) => String(f.organizations), numeric: true },
    { header: 'First', cell: (f) => fixed(f.first, 3), numeric: true },
    { header: 'Last', cell: (f) => fixed(f.last, 3), numeric: true },
    { header: 'Change', cell: (f) => signedPercent(f.change_pct), numeric: true },
    { header: '95% CI', cell: (f) => interval(f.ci_low, f.ci_high), numeric: true },
    { header: 'Direction', cell: (f) => directionTag(f.direction) },
    { header: 'Per org.', cell: (f) => signedPercent(f.per_organization.change_pct), numeric: true },
  ];
}

function headlineTable(report: StudyView): SafeHtml {
  const cohort = headlineCohort(report);
  const rows = report.factors.filter((f) => f.cohort === cohort);
  return html`<section><h2>Headline table</h2>
<p>${COHORT_LABELS[cohort]}: findings per domain in ${report.from} (first) and ${report.to} (last), over the
organizations with data in both; the last column gives the same change measured per organization.</p>
${htmlTable(rows, [{ header: 'Factor', cell: (f) => factorLabel(f.factor) }, ...changeColumns<FactorChange>()])}
</section>`;
}

/** Change per factor with its interval, one marker per cohort: the study on one figure. */
function forestPlot(report: StudyView): SafeHtml {
  const cohorts = cohortsOf(report);
  const factors = [...new Set(report.factors.map((f) => f.factor))];
  const estimable = report.factors.filter((f) => f.change_pct !== null);
  if (estimable.length === 0) return html`<p class="muted">No change could be estimated.</p>`;
  const rowHeight = 14 + cohorts.length * 12;
  const offsets = barOffsets(cohorts.length, 10, 0.2);
  const series: NonNullable<ChartOption['series']> = [];
  cohorts.forEach((cohort, c) => {
    const rows = report.factors.filter((f) => f.cohort === cohort && f.change_pct !== null);
    const at = (f: FactorChange): number => factors.indexOf(f.factor);
    series.push({
      type: 'scatter',
      name: COHORT_LABELS[cohort],
      symbolSize: 8,
      itemStyle: { color: COHORT_COLOURS[cohort] },
      symbolOffset: [0, offsets[c]!],
      data: rows.map((f) => [f.change_pct, at(f)]),
      z: 11,
    });
    const bounded = rows.filter((f) => f.ci_low !== null && f.ci_high !== null);
    series.push(
      whiskerSeries(
        `${COHORT_LABELS[cohort]} interval`,
        bounded.map((f) => [at(f), f.ci_low!, f.ci_high!] as const),
        { horizontal: true, offset: offsets[c]!, colour: COHORT_COLOURS[cohort] },
      ),
    );
  });
  const option: ChartOption = {
    legend: { top: 0, data: cohorts.map((c) => COHORT_LABELS[c]) },
    grid: { left: 150, right: 30, top: 30, bottom: 40 },
    xAxis: {
      type: 'value',
      name: 'change in findings per domain (%)',
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { formatter: (v: number) => `${v > 0 ? '+' : ''}${v}%` },
      splitLine: { lineStyle: { color: '#eceff2' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: factors.map(factorLabel),
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: '#f3f4f6' } },
    },
    series: [
      ...series,
      {
        type: 'line',
        data: [],
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          data: [{ xAxis: 0 }],
          lineStyle: { color: '#57606a', type: 'solid' },
        },
      },
    ],
  };
  return chartFigure(
    renderSvg(option, 900, 80 + factors.length * rowHeight, 'change per factor with 95% intervals'),
    `Change from ${report.from} to ${report.to} in findings per domain, per factor and cohort, with its 95% ` +
      'bootstrap interval. Right of 0: more findings (a decline); left of 0: fewer (an improvement).',
  );
}

/** One factor: first and last month per cohort, the last month's bar with the interval of the change. */
function factorChart(report: StudyView, factor: string): SafeHtml | null {
  const cohorts = cohortsOf(report);
  const rows = cohorts.map((c) => report.factors.find((f) => f.cohort === c && f.factor === factor));
  if (rows.every((r) => r === undefined || r.first === null)) return null;
  const barWidth = 22;
  const gap = 0.3;
  const offsets = barOffsets(cohorts.length, barWidth, gap);
  const series: NonNullable<ChartOption['series']> = cohorts.map((cohort, c) => ({
    type: 'bar',
    name: COHORT_LABELS[cohort],
    barWidth,
    barGap: `${gap * 100}%`,
    itemStyle: { color: COHORT_COLOURS[cohort] },
    data: [rows[c]?.first ?? null, rows[c]?.last ?? null],
  }));
  cohorts.forEach((cohort, c) => {
    const row = rows[c];
    if (row === undefined || row.first === null || row.ci_low === null || row.ci_high === null) return;
    // The interval of the change, drawn where it puts the last month: first x (1 + change).
    const low = row.first * (1 + row.ci_low / 100);
    const high = row.first * (1 + row.ci_high / 100);
    series.push(whiskerSeries(`${cohort} interval`, [[1, low, high]], { offset: offsets[c]! }));
  });
  const change = rows.find((r) => r !== undefined);
  const option: ChartOption = {
    title: {
      text: factorLabel(factor),
      subtext: change === undefined ? '' : `${signedPercent(change.change_pct)} (${COHORT_LABELS[change.cohort]})`,
      left: 'center',
      textStyle: { fontSize: 13, color: factorColour(factor) },
      subtextStyle: { fontSize: 11 },
    },
    legend: {
      bottom: 0,
      itemWidth: 12,
      itemHeight: 8,
      textStyle: { fontSize: 10 },
      data: cohorts.map((c) => COHORT_LABELS[c]),
    },
    grid: { left: 46, right: 12, top: 52, bottom: 50 },
    xAxis: { type: 'category', data: [monthLabel(report.from), monthLabel(report.to)] },
    yAxis: { type: 'value', name: 'findings / domain', nameTextStyle: { fontSize: 10, align: 'left' } },
    series,
  };
  return renderSvg(option, 430, 300, `${factorLabel(factor)}: first and last month`);
}

function factorCharts(report: StudyView): SafeHtml {
  const factors = [...new Set(report.factors.map((f) => f.factor))];
  const charts = factors.map((f) => factorChart(report, f)).filter((c): c is SafeHtml => c !== null);
  if (charts.length === 0) return html``;
  return html`<section class="page-break"><h2>Factor by factor</h2>
<div class="small-multiples">${charts.map((c) => html`<figure>${c}</figure>`)}</div>
<p class="muted">Mean findings per domain over the paired organizations, in the first and the last month. The
whisker on the last month is the 95% bootstrap interval of the change, drawn where it would put the last month
(first × (1 + change)).</p></section>`;
}

/** Monthly means per factor (`--by month`), headline cohort. */
function seriesChart(report: StudyView): SafeHtml {
  const periods = report.periods.map((p) => p.period);
  if (periods.length <= 2) return html``;
  const cohort = headlineCohort(report);
  const factors = [...new Set(report.series.filter((s) => s.cohort === cohort).map((s) => s.factor))].filter(
    (f) => f !== ALL,
  );
  const option: ChartOption = {
    legend: { top: 0, data: factors.map(factorLabel) },
    grid: { left: 50, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: periods.map(monthLabel) },
    yAxis: { type: 'value', name: 'findings / domain', nameTextStyle: { align: 'left' } },
    series: factors.map((factor) => ({
      type: 'line',
      name: factorLabel(factor),
      itemStyle: { color: factorColour(factor) },
      lineStyle: { color: factorColour(factor), width: 2 },
      data: periods.map(
        (p) =>
          report.series.find((s) => s.cohort === cohort && s.factor === factor && s.period === p)
            ?.findings_per_domain ?? null,
      ),
    })),
  };
  return chartFigure(
    renderSvg(option, 900, 300, 'findings per domain by month'),
    `${COHORT_LABELS[cohort]}: mean findings per domain each month, every organization with data that month ` +
      '(descriptive: not paired).',
  );
}

function comparisonSection(report: StudyView): SafeHtml {
  if (report.comparison.length === 0)
    return html`<section><h2>Telehealth against the rest</h2><p class="muted">Only one cohort was studied
(--cohort): no comparison.</p></section>`;
  const rows = report.comparison;
  const factors = rows.map((r) => factorLabel(r.factor));
  const option: ChartOption = {
    legend: { top: 0 },
    grid: { left: 190, right: 60, top: 30, bottom: 30 },
    xAxis: {
      type: 'value',
      axisLabel: { formatter: (v: number) => `${v > 0 ? '+' : ''}${v}%` },
      splitLine: { lineStyle: { color: '#eceff2' } },
    },
    yAxis: { type: 'category', inverse: true, data: factors, axisTick: { show: false } },
    series: (['telehealth', 'non_telehealth'] as const).map((cohort) => ({
      type: 'bar',
      name: COHORT_LABELS[cohort],
      barWidth: 10,
      itemStyle: { color: COHORT_COLOURS[cohort] },
      label: { show: true, fontSize: 9, formatter: (p) => signedPercent(p.value as number) },
      // Labels outside the bar's end: right of a rise, left of a fall.
      data: rows.map((r) => {
        const value = cohort === 'telehealth' ? r.telehealth_change_pct : r.non_telehealth_change_pct;
        return { value, label: { position: value !== null && value < 0 ? 'left' : 'right' } };
      }),
    })),
  };
  return html`<section><h2>Telehealth against the rest</h2>
${chartFigure(
  renderSvg(option, 900, 70 + rows.length * 34, 'telehealth against the rest'),
  'Change in findings per domain, telehealth organizations against the rest.',
)}
${htmlTable(rows, [
  { header: 'Factor', cell: (r) => factorLabel(r.factor) },
  { header: 'Telehealth', cell: (r) => signedPercent(r.telehealth_change_pct), numeric: true },
  { header: 'The rest', cell: (r) => signedPercent(r.non_telehealth_change_pct), numeric: true },
  { header: 'Difference (points)', cell: (r) => fixed(r.difference_pct_points, 1), numeric: true },
  { header: '95% CI', cell: (r) => interval(r.ci_low, r.ci_high).replace(/%/g, ''), numeric: true },
  { header: 'Significant', cell: (r) => (r.significant ? 'yes' : 'no') },
])}</section>`;
}

function findingTypesSection(report: StudyView): SafeHtml {
  const cohort = headlineCohort(report);
  const rows = report.finding_types.filter((t) => t.cohort === cohort);
  if (rows.length === 0) return html``;
  return html`<section class="page-break"><h2>Finding types</h2>
<p>${COHORT_LABELS[cohort]}: each finding type (RDP, FTP, SPF...) on its own, same measures.</p>
${htmlTable(rows, [
  { header: 'Finding type', cell: (t) => html`<code>${t.type}</code>` },
  { header: 'Factor', cell: (t) => factorLabel(t.factor) },
  ...changeColumns<(typeof rows)[number]>(),
])}</section>`;
}

function lifecycleSection(report: StudyView): SafeHtml {
  const lifecycle = report.lifecycle;
  if (lifecycle === undefined) return html``;
  const cohort = headlineCohort(report);
  const rows = lifecycle.periods.filter((p) => p.cohort === cohort && p.factor === ALL);
  const remediation = lifecycle.remediation.filter((r) => r.cohort === cohort && r.factor !== ALL);
  if (rows.length === 0 && remediation.length === 0) return html``;
  return html`<section><h2>Finding lifecycle</h2>
${htmlTable(
  rows,
  [
    { header: 'Month', cell: (r) => r.period },
    { header: 'New', cell: (r) => r.new, numeric: true },
    { header: 'Persisting', cell: (r) => r.persisting, numeric: true },
    { header: 'Resolved', cell: (r) => r.resolved, numeric: true },
    { header: 'Regressed', cell: (r) => r.regressed, numeric: true },
    { header: 'Open at end', cell: (r) => r.open_at_end, numeric: true },
  ],
  `${COHORT_LABELS[cohort]}, every factor`,
)}
${
  remediation.length === 0
    ? ''
    : htmlTable(
        remediation,
        [
          { header: 'Month', cell: (r) => r.period },
          { header: 'Factor', cell: (r) => factorLabel(r.factor) },
          { header: 'Severity', cell: (r) => r.severity },
          { header: 'Resolved', cell: (r) => r.resolved, numeric: true },
          { header: 'Mean days to remediate', cell: (r) => fixed(r.mean_days_to_remediate, 1), numeric: true },
        ],
        'Days to remediate',
      )
}</section>`;
}

function darkwebSection(report: StudyView): SafeHtml {
  const cohort = headlineCohort(report);
  const mentions = (report.darkweb?.mentions ?? []).filter((m) => m.cohort === cohort);
  if (mentions.length === 0) return html``;
  return html`<section><h2>Dark-web mentions</h2>
${htmlTable(mentions, [
  { header: 'Month', cell: (m) => m.month },
  { header: 'Class', cell: (m) => m.class },
  { header: 'Mentions', cell: (m) => m.mentions, numeric: true },
  { header: 'Organizations', cell: (m) => m.organizations, numeric: true },
])}</section>`;
}

function caveatsSection(report: StudyView): SafeHtml {
  const c = report.caveats;
  const left = c.organizations - c.paired;
  const share = c.organizations === 0 ? 0 : (100 * c.paired) / c.organizations;
  return html`<section><h2>Caveats</h2>
<p>${c.organizations} organizations have data in the study's months; ${c.paired} (${fixed(share, 1)}%) have it in
both months compared and carry every change. ${left} are left out of the changes: ${c.first_only} with data in
${report.from} only, ${c.last_only} in ${report.to} only${
    report.by === 'month' ? `, ${c.between_only} only in the months between` : ''
  }.${
    c.without_domains > 0
      ? ` ${c.without_domains} snapshots named no domain (no per-domain figure) and were left out.`
      : ''
  } Organizations never scored in these months are not in the study at all: the figures describe the portfolio as
scanned, not every healthcare organization.</p>
${htmlTable(report.cohorts, [
  { header: 'Cohort', cell: (r) => COHORT_LABELS[r.cohort] },
  { header: 'With data', cell: (r) => r.organizations, numeric: true },
  { header: 'Paired', cell: (r) => r.paired, numeric: true },
  { header: `${report.from} only`, cell: (r) => r.first_only, numeric: true },
  { header: `${report.to} only`, cell: (r) => r.last_only, numeric: true },
  { header: 'Between only', cell: (r) => r.between_only, numeric: true },
])}
${htmlTable(
  report.periods,
  [
    { header: 'Month', cell: (p) => p.period },
    { header: 'All', cell: (p) => p.organizations.all, numeric: true },
    { header: 'Telehealth', cell: (p) => p.organizations.telehealth, numeric: true },
    { header: 'The rest', cell: (p) => p.organizations.non_telehealth, numeric: true },
  ],
  'Organizations with data per month',
)}
${c.notes.length === 0 ? '' : html`<ul>${c.notes.map((n) => html`<li>${n}</li>`)}</ul>`}
</section>`;
}

const STUDY_CSS = `
.small-multiples { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 18px; }
.small-multiples figure { margin: 0; }
.tag.dir-improved { color: #1a7f37; } .tag.dir-declined { color: #cf222e; }
.tag.dir-no_significant_change, .tag.dir-insufficient_data { color: #57606a; }
`;

/** The study page. */
export function renderStudyHtml(report: StudyView, options: { generatedAt?: string } = {}): string {
  const generated = options.generatedAt ?? new Date().toISOString();
  const body = html`${keyFindings(report)}
<section><h2>Changes at a glance</h2>${forestPlot(report)}${seriesChart(report)}</section>
${headlineTable(report)}
${methodSection(report)}
${factorCharts(report)}
${comparisonSection(report)}
${findingTypesSection(report)}
${lifecycleSection(report)}
${darkwebSection(report)}
${caveatsSection(report)}`;
  return htmlPage({
    title: `Study ${report.from} to ${report.to}`,
    css: STUDY_CSS,
    heading: heading(report),
    body,
    footer: html`Made with Vitals (vitals study --from ${report.from} --to ${report.to}${
      report.by === 'month' ? ' --by month' : ''
    }); every figure is in the study's JSON and CSV output. Generated ${displayTime(generated)}.`,
  });
}
