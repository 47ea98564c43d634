/**
 * The portfolio as one self-contained HTML page (`vitals portfolio --format html`): the grade
 * distribution, per-factor percentiles, the weakest factors and the organizations ranked. Pure: the
 * portfolio JSON in, a string out.
 */
import { chartFigure, factorColour, factorLabel, renderSvg, type ChartOption } from './charts.js';
import {
  GRADE_COLOURS,
  NOT_RATED_COLOUR,
  type SafeHtml,
  displayTime,
  fixed,
  gradeBadge,
  html,
  htmlPage,
  htmlTable,
} from './html.js';

/** Percentiles of one factor's scores over the organizations that have it rated. */
export interface PortfolioFactorView {
  factor: string;
  /** Organizations with this factor rated (the others have no data for it). */
  rated: number;
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
}

export interface PortfolioOrganizationView {
  rank: number | null;
  organization: string;
  sector?: string | null;
  telehealth?: boolean;
  score: number | null;
  grade: string | null;
  /** Points gained (positive) or lost over the trend window; null without history. */
  trend?: number | null;
  /** The factor with the lowest score, when any is rated. */
  weakest_factor?: string | null;
}

/** The portfolio JSON (`vitals portfolio --format json`): the fields the page reads. */
export interface PortfolioView {
  as_of: string;
  method_version?: string;
  /** The selection (`--sector`, `--cohort`); absent or null: everything. */
  filters?: { sector?: string | null; cohort?: string | null };
  organizations: number;
  rated: number;
  /** Every grade, best first, then `grade: null` for the organizations not rated. */
  grade_distribution: Array<{ grade: string | null; organizations: number }>;
  factors: PortfolioFactorView[];
  /** Weakest first; when absent, the factors by lowest median. */
  weakest_factors?: Array<{ factor: string }>;
  /** Best first; not rated last. */
  ranked: PortfolioOrganizationView[];
}

/** Ranked rows listed on the page at most (the JSON has them all). */
const RANKED_LISTED = 200;

function gradeChart(view: PortfolioView): SafeHtml {
  const rows = view.grade_distribution;
  const option: ChartOption = {
    grid: { left: 50, right: 20, top: 24, bottom: 30 },
    xAxis: { type: 'category', data: rows.map((r) => r.grade ?? 'not rated'), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1, name: 'organizations', nameTextStyle: { align: 'left' } },
    series: [
      {
        type: 'bar',
        barWidth: '55%',
        label: { show: true, position: 'top' },
        data: rows.map((r) => ({
          value: r.organizations,
          itemStyle: { color: r.grade === null ? NOT_RATED_COLOUR : (GRADE_COLOURS[r.grade] ?? NOT_RATED_COLOUR) },
        })),
      },
    ],
  };
  return chartFigure(
    renderSvg(option, 900, 240, 'grade distribution'),
    `Organizations per grade (${view.rated} rated of ${view.organizations}).`,
  );
}

function percentileChart(view: PortfolioView): SafeHtml {
  const rows = view.factors;
  const complete = (f: PortfolioFactorView): boolean => [f.p10, f.p25, f.median, f.p75, f.p90].every((v) => v !== null);
  const option: ChartOption = {
    grid: { left: 150, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', min: 0, max: 100, interval: 10, splitLine: { lineStyle: { color: '#eceff2' } } },
    yAxis: { type: 'category', inverse: true, data: rows.map((f) => factorLabel(f.factor)), axisTick: { show: false } },
    series: [
      {
        type: 'boxplot',
        layout: 'horizontal',
        boxWidth: [8, 16],
        data: rows.map((f) =>
          complete(f)
            ? {
                value: [f.p10!, f.p25!, f.median!, f.p75!, f.p90!],
                itemStyle: {
                  color: `${factorColour(f.factor)}33`,
                  borderColor: factorColour(f.factor),
                  borderWidth: 1.5,
                },
              }
            : { value: [] },
        ),
      },
      {
        // Factors nobody has data for are named as such, where their box would be.
        type: 'scatter',
        symbolSize: 0,
        data: rows.flatMap((f, i) => (complete(f) ? [] : [[0, i]])),
        label: { show: true, position: 'right', formatter: 'not rated', color: '#6e7781', fontStyle: 'italic' },
      },
    ],
  };
  return chartFigure(
    renderSvg(option, 900, 40 + rows.length * 30, 'factor percentiles'),
    'Factor scores across the portfolio: the box spans the 25th to 75th percentile with the median inside, ' +
      'the whiskers reach the 10th and 90th. Only organizations with the factor rated count.',
  );
}

function weakest(view: PortfolioView): PortfolioFactorView[] {
  const byName = new Map(view.factors.map((f) => [f.factor, f]));
  if (view.weakest_factors !== undefined)
    return view.weakest_factors.map((w) => byName.get(w.factor)).filter((f): f is PortfolioFactorView => !!f);
  return view.factors
    .filter((f) => f.median !== null)
    .sort((a, b) => a.median! - b.median! || a.factor.localeCompare(b.factor))
    .slice(0, 3);
}

function trend(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value === 0 ? '0.0' : `${value > 0 ? '▲ +' : '▼ '}${value.toFixed(1)}`;
}

function selection(view: PortfolioView): string {
  const parts = [
    view.filters?.sector ? `sector ${view.filters.sector}` : null,
    view.filters?.cohort ? `cohort ${view.filters.cohort}` : null,
  ].filter((p) => p !== null);
  return parts.length === 0 ? 'every organization' : parts.join(', ');
}

/** The portfolio page. */
export function renderPortfolioHtml(view: PortfolioView, options: { generatedAt?: string } = {}): string {
  const generated = options.generatedAt ?? new Date().toISOString();
  const weak = weakest(view);
  const ranked = view.ranked.slice(0, RANKED_LISTED);
  const body = html`<section><h2>Grades</h2>${gradeChart(view)}</section>
<section><h2>Factors across the portfolio</h2>${percentileChart(view)}
${htmlTable(view.factors, [
  { header: 'Factor', cell: (f) => factorLabel(f.factor) },
  { header: 'Rated orgs', cell: (f) => f.rated, numeric: true },
  { header: 'P10', cell: (f) => fixed(f.p10, 1), numeric: true },
  { header: 'P25', cell: (f) => fixed(f.p25, 1), numeric: true },
  { header: 'Median', cell: (f) => fixed(f.median, 1), numeric: true },
  { header: 'P75', cell: (f) => fixed(f.p75, 1), numeric: true },
  { header: 'P90', cell: (f) => fixed(f.p90, 1), numeric: true },
])}</section>
<section><h2>Weakest factors</h2>${
    weak.length === 0
      ? html`<p class="muted">No factor is rated yet.</p>`
      : html`<ol>${weak.map(
          (f) =>
            html`<li><strong>${factorLabel(f.factor)}</strong>: median ${fixed(f.median, 1)}, a quarter of the
${f.rated} rated organizations at or below ${fixed(f.p25, 1)}.</li>`,
        )}</ol>`
  }</section>
<section class="page-break"><h2>Organizations ranked</h2>
<p>${view.ranked.length} organizations, best score first; organizations not rated (no data yet) last.${
    ranked.length < view.ranked.length ? ` The first ${ranked.length} are listed; the JSON has all.` : ''
  }</p>
${htmlTable(ranked, [
  { header: 'Rank', cell: (o) => o.rank ?? '–', numeric: true },
  {
    header: 'Organization',
    cell: (o) => html`${o.organization}${o.telehealth ? html` <span class="tag">telehealth</span>` : ''}`,
  },
  { header: 'Sector', cell: (o) => o.sector ?? '–' },
  { header: 'Score', cell: (o) => fixed(o.score, 1), numeric: true },
  { header: 'Grade', cell: (o) => gradeBadge(o.grade) },
  { header: 'Trend', cell: (o) => trend(o.trend), numeric: true },
  { header: 'Weakest factor', cell: (o) => (o.weakest_factor ? factorLabel(o.weakest_factor) : '–') },
])}</section>`;
  return htmlPage({
    title: `Portfolio: ${view.organizations} organizations`,
    heading: html`<h1>Portfolio: ${view.organizations} organizations</h1>
<p>Security ratings as of ${displayTime(view.as_of)}, ${selection(view)}; ${view.rated} rated.</p>`,
    body,
    footer: html`Vitals portfolio${view.method_version ? `, method ${view.method_version}` : ''}.
Generated ${displayTime(generated)}.`,
  });
}
