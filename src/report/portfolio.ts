/**
 * The portfolio as one self-contained HTML page (`vitals portfolio --format html`): the grade
 * distribution, per-factor percentiles, the weakest factors and the organizations ranked. Pure: the
 * portfolio JSON in, a string out.
 */
import { chartFigure, factorColour, factorLabel, renderSvg, type ChartOption } from './charts.js';
import { GRADES } from '../core/score-snapshots.js';
import type { Percentiles, PortfolioFactor, PortfolioReport, RankedOrganization } from '../core/scorecard.js';
import {
  GRADE_COLOURS,
  NOT_RATED_COLOUR,
  type SafeHtml,
  displayTime,
  fixed,
  gradeBadge,
  gradeColour,
  html,
  htmlPage,
  htmlTable,
} from './html.js';

/** The page renders the portfolio JSON (`vitals portfolio --format json`) as it is. */
export type PortfolioView = PortfolioReport;
export type PercentilesView = Percentiles;
export type PortfolioFactorView = PortfolioFactor;
export type PortfolioOrganizationView = RankedOrganization;

/** Ranked rows listed on the page at most (the JSON has them all). */
const RANKED_LISTED = 200;

function gradeChart(view: PortfolioView): SafeHtml {
  const rows: Array<{ label: string; count: number; colour: string }> = [
    ...GRADES.map((grade) => ({
      label: grade,
      count: view.grade_distribution[grade] ?? 0,
      colour: GRADE_COLOURS[grade] ?? NOT_RATED_COLOUR,
    })),
    { label: 'not rated', count: view.not_rated, colour: NOT_RATED_COLOUR },
    { label: 'never scored', count: view.not_scored, colour: '#c8ccd1' },
  ];
  const option: ChartOption = {
    grid: { left: 50, right: 20, top: 24, bottom: 30 },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1, name: 'organizations', nameTextStyle: { align: 'left' } },
    series: [
      {
        type: 'bar',
        barWidth: '55%',
        label: { show: true, position: 'top' },
        data: rows.map((r) => ({ value: r.count, itemStyle: { color: r.colour } })),
      },
    ],
  };
  return chartFigure(
    renderSvg(option, 900, 240, 'grade distribution'),
    `Organizations per grade: ${view.rated} rated, ${view.not_rated} scored without data for any factor, ` +
      `${view.not_scored} never scored.`,
  );
}

function histogramChart(view: PortfolioView): SafeHtml {
  if (view.rated === 0) return html``;
  const bins = view.histogram;
  const label = (b: { from: number; to: number }): string => (b.to >= 100 ? `${b.from}–100` : `${b.from}–${b.to - 1}`);
  const option: ChartOption = {
    grid: { left: 50, right: 20, top: 24, bottom: 30 },
    xAxis: { type: 'category', data: bins.map(label), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1, name: 'organizations', nameTextStyle: { align: 'left' } },
    series: [
      {
        type: 'bar',
        barWidth: '90%',
        label: { show: true, position: 'top', formatter: (p) => ((p.value as number) > 0 ? String(p.value) : '') },
        data: bins.map((b) => ({ value: b.count, itemStyle: { color: gradeColour(gradeOfBin(b.from)) } })),
      },
    ],
  };
  const s = view.score;
  return chartFigure(
    renderSvg(option, 900, 220, 'score histogram'),
    `Overall scores of the rated organizations: median ${fixed(s.p50, 1)}, quartiles ${fixed(s.p25, 1)} and ` +
      `${fixed(s.p75, 1)}, mean ${fixed(s.mean, 1)}.`,
  );
}

/** The grade of the scores a histogram bin holds (bins are ten points wide, on grade boundaries). */
function gradeOfBin(from: number): string {
  return from >= 90 ? 'A' : from >= 80 ? 'B' : from >= 70 ? 'C' : from >= 60 ? 'D' : 'F';
}

function percentileChart(view: PortfolioView): SafeHtml {
  const rows = view.factors;
  const complete = (f: PortfolioFactorView): boolean => [f.p10, f.p25, f.p50, f.p75, f.p90].every((v) => v !== null);
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
                value: [f.p10!, f.p25!, f.p50!, f.p75!, f.p90!],
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

function selection(view: PortfolioView): string {
  const parts = [
    view.filters.vendors_of === null ? null : `the vendors of ${view.filters.vendors_of}`,
    view.filters.sector === null ? null : `sector ${view.filters.sector}`,
    view.filters.cohort === null ? null : `cohort ${view.filters.cohort}`,
  ].filter((p) => p !== null);
  return parts.length === 0 ? 'every organization' : parts.join(', ');
}

function scoreCell(o: PortfolioOrganizationView): SafeHtml | string {
  if (o.score !== null) return fixed(o.score, 1);
  return html`<span class="muted">${o.scored_at === null ? 'never scored' : 'not rated'}</span>`;
}

/** The portfolio page. */
export function renderPortfolioHtml(view: PortfolioView, options: { generatedAt?: string } = {}): string {
  const generated = options.generatedAt ?? new Date().toISOString();
  const ranked = view.ranked.slice(0, RANKED_LISTED);
  const byFactor = new Map(view.factors.map((f) => [f.factor, f]));
  const body = html`${
    view.vendor_risk === null
      ? ''
      : html`<div class="note"><strong>Vendor risk: ${view.vendor_risk.level}.</strong> ${view.vendor_risk.text}</div>`
  }
<section><h2>Grades</h2>${gradeChart(view)}${histogramChart(view)}</section>
<section><h2>Factors across the portfolio</h2>${percentileChart(view)}
${htmlTable(view.factors, [
  { header: 'Factor', cell: (f) => factorLabel(f.factor) },
  { header: 'Rated orgs', cell: (f) => f.rated, numeric: true },
  { header: 'P10', cell: (f) => fixed(f.p10, 1), numeric: true },
  { header: 'P25', cell: (f) => fixed(f.p25, 1), numeric: true },
  { header: 'Median', cell: (f) => fixed(f.p50, 1), numeric: true },
  { header: 'P75', cell: (f) => fixed(f.p75, 1), numeric: true },
  { header: 'P90', cell: (f) => fixed(f.p90, 1), numeric: true },
  { header: 'Mean points lost', cell: (f) => fixed(f.mean_points_lost, 2), numeric: true },
])}</section>
<section><h2>Weakest factors</h2>${
    view.weakest_factors.length === 0
      ? html`<p class="muted">No factor costs points yet.</p>`
      : html`<p>The factors that cost the rated organizations the most points, on average:</p>
<ol>${view.weakest_factors.map(
          (f) =>
            html`<li><strong>${factorLabel(f.factor)}</strong>: ${fixed(f.mean_points_lost, 2)} points lost on average;
median factor score ${fixed(f.p50, 1)} over ${byFactor.get(f.factor)?.rated ?? 0} rated organizations.</li>`,
        )}</ol>`
  }</section>
<section class="page-break"><h2>Organizations ranked</h2>
<p>${view.ranked.length} organizations, best score first (equal scores share a rank); those without a score
last.${ranked.length < view.ranked.length ? ` The first ${ranked.length} are listed; the JSON has all.` : ''}</p>
${htmlTable(ranked, [
  { header: 'Rank', cell: (o) => o.rank ?? '–', numeric: true },
  {
    header: 'Organization',
    cell: (o) => html`${o.organization}${o.telehealth ? html` <span class="tag">telehealth</span>` : ''}`,
  },
  { header: 'Sector', cell: (o) => o.sector },
  { header: 'Score', cell: scoreCell, numeric: true },
  { header: 'Grade', cell: (o) => gradeBadge(o.grade) },
  { header: 'Weakest factor', cell: (o) => (o.weakest_factor === null ? '–' : factorLabel(o.weakest_factor)) },
  { header: 'Scored', cell: (o) => (o.scored_at === null ? '–' : displayTime(o.scored_at)) },
])}</section>`;
  const methods = view.method_versions.length === 0 ? '' : `, method ${view.method_versions.join(', ')}`;
  return htmlPage({
    title: `Portfolio: ${view.organizations} organizations`,
    heading: html`<h1>Portfolio: ${view.organizations} organizations</h1>
<p>Security ratings as of ${displayTime(view.as_of)}, ${selection(view)}: each organization's latest score.</p>`,
    body,
    footer: html`Vitals portfolio${methods}. Generated ${displayTime(generated)}.`,
  });
}
