/**
 * The dashboard's charts, drawn on the server with ECharts' SVG renderer (SSR) from the same records the
 * API serves, so the browser runs no chart code and the CSP keeps `script-src 'self'; style-src 'self'`
 * with no exception. ECharts' SVG carries `style` attributes and a hover `<style>` sheet, which a strict
 * CSP refuses when the SVG is opened as a document: `staticSvg` turns the first into presentation
 * attributes and drops the second (a static image has no hover). Every chart gets `role="img"`, an
 * `aria-label` and a `<title>`; the dashboard shows it as an `<img>` with alt text beside a data table.
 */
import { echarts } from '../report/echarts.js';
import type { z } from 'zod';
import type { FactorScoreOutput, PortfolioOutput, ScorecardOutput, StudyOutput } from '../output/schemas.js';

type Option = Record<string, unknown>;

/** One rendered chart: the SVG and the sentence that names it. */
export interface Chart {
  svg: string;
  label: string;
}

const PALETTE = { line: '#0b5cad', loss: '#a11212', gain: '#1e6b2e', muted: '#555555', grid: '#d0d0d0' };
/** Presentation attributes ECharts writes into `style`; anything else in a style attribute is dropped. */
const PRESENTATION = new Set(['font-size', 'font-family', 'font-weight', 'font-style']);

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** ECharts' SSR output made static, CSP-clean and labelled. */
export function staticSvg(svg: string, label: string): string {
  const safe = escapeXml(label);
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ style="([^"]*)"/g, (_all, declarations: string) =>
      declarations
        .split(';')
        .map((d) => d.split(':').map((part) => part.trim()))
        .filter(([name, value]) => name !== undefined && value !== undefined && value !== '' && PRESENTATION.has(name))
        .map(([name, value]) => ` ${name}="${value}"`)
        .join(''),
    )
    .replace(/<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${safe}"><title>${safe}</title>`);
}

/** Render `option` to a static SVG of this size. */
export function renderChart(option: Option, label: string, width = 640, height = 260): Chart {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'sans-serif', color: '#1a1a1a' },
      color: [PALETTE.line, '#a3420b', PALETTE.gain, '#7a5a00'],
      ...option,
    });
    return { svg: staticSvg(chart.renderToSVGString(), label), label };
  } finally {
    chart.dispose();
  }
}

const scoreAxis = { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: PALETTE.grid } } };
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The score over time, one point per snapshot. */
export function scoreHistoryChart(
  organization: string,
  points: ReadonlyArray<{ taken_at: string; score: number | null }>,
): Chart {
  const scored = points.filter((p) => p.score !== null);
  return renderChart(
    {
      grid: { left: 48, right: 24, top: 24, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { ...scoreAxis, name: 'score' },
      series: [{ type: 'line', step: 'end', data: scored.map((p) => [p.taken_at, p.score]), symbolSize: 5 }],
    },
    `Score history of ${organization}: ${scored.length} scored snapshots` +
      (scored.length > 0 ? `, latest ${scored.at(-1)!.score}` : ''),
  );
}

/** Each factor's score as a horizontal bar (factors that were not rated are named, with no bar). */
export function factorChart(organization: string, factors: ReadonlyArray<z.infer<typeof FactorScoreOutput>>): Chart {
  const rows = [...factors].reverse();
  return renderChart(
    {
      grid: { left: 170, right: 40, top: 16, bottom: 28 },
      xAxis: { ...scoreAxis },
      yAxis: { type: 'category', data: rows.map((f) => (f.score === null ? `${f.factor} (not rated)` : f.factor)) },
      series: [
        {
          type: 'bar',
          data: rows.map((f) => f.score),
          label: { show: true, position: 'right', color: '#1a1a1a' },
        },
      ],
    },
    `Factor scores of ${organization}`,
    640,
    Math.max(160, 40 + rows.length * 22),
  );
}

type Card = z.infer<typeof ScorecardOutput>;

/**
 * The lost-points waterfall: from 100, each factor's lost points (the rating's attribution, which adds up
 * exactly to 100 - score), down to the score.
 */
export function waterfallChart(card: Pick<Card, 'organization' | 'score' | 'factors'>): Chart {
  const losses = card.factors.filter((f) => f.points_lost > 0).sort((a, b) => b.points_lost - a.points_lost);
  const names = ['100', ...losses.map((f) => f.factor), 'score'];
  const base: number[] = [0];
  const drop: Array<number | null> = [null];
  const total: Array<number | null> = [100];
  let level = 100;
  for (const f of losses) {
    level = round1(level - f.points_lost);
    base.push(level);
    drop.push(f.points_lost);
    total.push(null);
  }
  base.push(0);
  drop.push(null);
  total.push(card.score);
  return renderChart(
    {
      grid: { left: 48, right: 24, top: 24, bottom: 70 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { ...scoreAxis },
      series: [
        { type: 'bar', stack: 'w', data: base, itemStyle: { color: 'transparent' }, silent: true },
        {
          type: 'bar',
          stack: 'w',
          data: drop,
          itemStyle: { color: PALETTE.loss },
          label: { show: true, position: 'top', color: '#1a1a1a', formatter: '−{c}' },
        },
        {
          type: 'bar',
          stack: 'w',
          data: total,
          itemStyle: { color: PALETTE.line },
          label: { show: true, position: 'top', color: '#1a1a1a' },
        },
      ],
    },
    card.score === null
      ? `Lost points of ${card.organization}: not rated`
      : `Lost points of ${card.organization}: from 100 to ${card.score} over ${losses.length} factors`,
  );
}

/** The what-if plan: the score now and after each step, with the grade reached. */
export function planChart(card: Pick<Card, 'organization' | 'score' | 'plan'>): Chart {
  const names = ['now', ...card.plan.map((s) => `${s.step}. ${s.type}`)];
  const scores = [card.score, ...card.plan.map((s) => s.score_after)];
  const last = card.plan.at(-1);
  return renderChart(
    {
      grid: { left: 48, right: 24, top: 24, bottom: 90 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { ...scoreAxis },
      series: [
        {
          type: 'bar',
          data: scores,
          itemStyle: { color: PALETTE.gain },
          label: { show: true, position: 'top', color: '#1a1a1a' },
        },
      ],
    },
    last === undefined
      ? `What-if plan of ${card.organization}: nothing to fix`
      : `What-if plan of ${card.organization}: ${card.plan.length} steps ` +
          `from ${card.score} to ${last.score_after} (${last.grade_after})`,
  );
}

type Portfolio = z.infer<typeof PortfolioOutput>;

/** How many organizations have each grade. */
export function gradeChart(portfolio: Pick<Portfolio, 'grade_distribution' | 'organizations' | 'not_rated'>): Chart {
  const grades = (Object.keys(portfolio.grade_distribution) as Array<keyof Portfolio['grade_distribution']>).sort();
  return renderChart(
    {
      grid: { left: 60, right: 24, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: [...grades, 'not rated'] },
      yAxis: { type: 'value', name: 'organizations', minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: [...grades.map((g) => portfolio.grade_distribution[g] ?? 0), portfolio.not_rated],
          label: { show: true, position: 'top', color: '#1a1a1a' },
        },
      ],
    },
    `Grades of ${portfolio.organizations} organizations`,
    480,
    240,
  );
}

type Study = z.infer<typeof StudyOutput>;

/** The study's headline: each factor's change in findings per domain, with its confidence interval. */
export function studyChangeChart(study: Pick<Study, 'from' | 'to' | 'factors'>, cohort: string): Chart {
  const rows = study.factors.filter((f) => f.cohort === cohort && f.change_pct !== null);
  return renderChart(
    {
      grid: { left: 170, right: 40, top: 24, bottom: 32 },
      xAxis: { type: 'value', name: '% change' },
      yAxis: { type: 'category', data: rows.map((f) => f.factor) },
      series: [
        {
          type: 'bar',
          data: rows.map((f) => ({
            value: round1(f.change_pct!),
            itemStyle: { color: f.change_pct! > 0 ? PALETTE.loss : PALETTE.gain },
          })),
          label: { show: true, position: 'right', color: '#1a1a1a', formatter: '{c}%' },
        },
        {
          // The interval as a thin line across each bar.
          type: 'custom',
          renderItem: (_params: unknown, api: { value: (i: number) => number; coord: (p: number[]) => number[] }) => {
            const low = api.coord([api.value(1), api.value(0)]);
            const high = api.coord([api.value(2), api.value(0)]);
            return {
              type: 'line',
              shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] },
              style: { stroke: '#1a1a1a', lineWidth: 1.5 },
            };
          },
          data: rows.map((f, i) => [i, f.ci_low ?? f.change_pct, f.ci_high ?? f.change_pct]),
          encode: { x: [1, 2], y: 0 },
        },
      ],
    },
    `Change in findings per domain by factor, ${study.from} to ${study.to}, ${cohort} organizations`,
    640,
    Math.max(160, 60 + rows.length * 24),
  );
}

/** Findings per domain over the study's periods, one line per cohort (all factors together). */
export function studySeriesChart(study: Pick<Study, 'from' | 'to' | 'series'>): Chart {
  const rows = study.series.filter((s) => s.factor === 'all');
  const periods = [...new Set(rows.map((s) => s.period))].sort();
  const cohorts = [...new Set(rows.map((s) => s.cohort))];
  return renderChart(
    {
      grid: { left: 56, right: 24, top: 40, bottom: 32 },
      legend: { top: 0, textStyle: { color: '#1a1a1a' } },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', name: 'per domain' },
      series: cohorts.map((cohort) => ({
        type: 'line',
        name: cohort,
        data: periods.map((p) => rows.find((s) => s.period === p && s.cohort === cohort)?.findings_per_domain ?? null),
      })),
    },
    `Findings per domain by period, ${study.from} to ${study.to}, by cohort`,
  );
}
