/**
 * The scorecard as one self-contained HTML page (`vitals scorecard ORG --format html`, and the PDF
 * printed from it): score and grade, factor bars, a waterfall of the points lost, the score history, the
 * top issues with their remediation, the what-if plan, the findings (disputed ones marked). Pure: the
 * scorecard JSON and its history in, a string out.
 */
import type { MarkAreaComponentOption } from 'echarts';
import { getFindingType } from '../catalogue/catalogue.js';
import type {
  Scorecard,
  ScorecardDispute,
  ScorecardFinding,
  ScorecardIssue,
  ScorecardPlanStep,
  VendorGrade,
} from '../core/scorecard.js';
import { chartFigure, factorColour, factorLabel, renderSvg, type ChartOption } from './charts.js';
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

/**
 * The page renders the scorecard JSON (`vitals scorecard --format json`) as it is: the views are the
 * domain's JSON shapes, so the page and the JSON cannot drift apart.
 */
export type ScorecardView = Scorecard;
export type ScorecardFactorView = Scorecard['factors'][number];
export type ScorecardIssueView = ScorecardIssue;
export type ScorecardPlanStepView = ScorecardPlanStep;
export type ScorecardFindingView = ScorecardFinding;
export type ScorecardDisputeView = ScorecardDispute;
export type ScorecardVendorView = VendorGrade;

/** One point of the score history (a stored snapshot). */
export interface ScoreHistoryPoint {
  taken_at: string;
  score: number | null;
  grade: string | null;
  reason: string;
}

export interface ScorecardPageOptions {
  /** The organization's snapshots, oldest first. */
  history?: readonly ScoreHistoryPoint[];
  /** When the page was made (the footer says so); default: now. */
  generatedAt?: string;
}

/** Waterfall steps at most; the rest are added up in one "other findings" step. */
const WATERFALL_STEPS = 12;
/** Findings listed on the page at most (the JSON has them all). */
const FINDINGS_LISTED = 60;
/** Hosts named per issue or fix at most. */
const HOSTS_LISTED = 4;

/** The lowest score of each grade (the method's thresholds, issue #10); bands of the score charts. */
const GRADE_BANDS: ReadonlyArray<readonly [string, number, number]> = [
  ['A', 90, 100],
  ['B', 80, 90],
  ['C', 70, 80],
  ['D', 60, 70],
  ['F', 0, 60],
];

function catalogueEntry(type: string): ReturnType<typeof getFindingType> | undefined {
  try {
    return getFindingType(type);
  } catch {
    // A type the catalogue no longer has: shown by its id, without remediation.
    return undefined;
  }
}

function severityTag(severity: string | null): SafeHtml | string {
  return severity === null ? '–' : html`<span class="tag sev-${severity}">${severity}</span>`;
}

function hostList(hosts: readonly string[]): SafeHtml {
  const shown = hosts.slice(0, HOSTS_LISTED);
  const more = hosts.length - shown.length;
  return html`${shown.map((h, i) => html`${i > 0 ? ', ' : ''}<code>${h}</code>`)}${
    more > 0 ? html` <span class="muted">and ${more} more</span>` : ''
  }`;
}

/** Bands of grade colours behind a vertical score axis from `min` to 100, each labelled to the right. */
function gradeBands(min: number): MarkAreaComponentOption {
  return {
    silent: true,
    data: GRADE_BANDS.filter(([, , high]) => high > min).map(([grade, low, high]) => [
      {
        yAxis: Math.max(low, min),
        itemStyle: { color: GRADE_COLOURS[grade], opacity: 0.09 },
        label: { show: true, formatter: grade, position: 'right', distance: 12, color: '#57606a' },
      },
      { yAxis: high },
    ]),
  } as MarkAreaComponentOption;
}

/** The bottom of a score axis: ten points under the lowest score, on a multiple of ten. */
function axisFloor(scores: readonly number[]): number {
  return Math.max(0, Math.floor((Math.min(...scores) - 10) / 10) * 10);
}

function factorBars(card: ScorecardView): SafeHtml {
  const factors = card.factors;
  const option: ChartOption = {
    grid: { left: 150, right: 70, top: 10, bottom: 28 },
    xAxis: { type: 'value', min: 0, max: 100, interval: 10, splitLine: { lineStyle: { color: '#eceff2' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: factors.map((f) => factorLabel(f.factor)),
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        barWidth: 16,
        data: factors.map((f) =>
          f.score === null
            ? {
                value: 0,
                itemStyle: { color: NOT_RATED_COLOUR },
                label: { show: true, position: 'right', formatter: 'not rated', color: '#6e7781', fontStyle: 'italic' },
              }
            : {
                value: f.score,
                itemStyle: { color: gradeColour(f.grade) },
                label: { show: true, position: 'right', formatter: `${f.score.toFixed(1)}  ${f.grade ?? ''}` },
              },
        ),
      },
    ],
  };
  return chartFigure(
    renderSvg(option, 900, 40 + factors.length * 30, 'factor scores'),
    'Factor scores, 0 to 100, coloured by grade. A factor not rated has no data yet and is left out of the ' +
      'overall score.',
  );
}

interface WaterfallStep {
  label: string;
  factor: string | null;
  points: number;
}

/** Lost points per finding type (live scorecards) or per factor (from a snapshot), largest first. */
function waterfallSteps(card: ScorecardView): WaterfallStep[] {
  const titles = new Map<string, string>();
  for (const item of [...card.top_issues, ...card.plan])
    if (item.title !== undefined) titles.set(item.type, item.title);
  const findings = card.findings ?? [];
  let steps: WaterfallStep[];
  if (findings.some((f) => f.points_lost > 0)) {
    const byType = new Map<string, WaterfallStep>();
    for (const f of findings) {
      const step = byType.get(f.type) ?? {
        label: titles.get(f.type) ?? catalogueEntry(f.type)?.title ?? f.type,
        factor: f.factor,
        points: 0,
      };
      step.points += f.points_lost;
      byType.set(f.type, step);
    }
    steps = [...byType.values()];
  } else {
    steps = card.factors.map((f) => ({ label: factorLabel(f.factor), factor: f.factor, points: f.points_lost }));
  }
  steps = steps.filter((s) => s.points >= 0.005).sort((a, b) => b.points - a.points || a.label.localeCompare(b.label));
  if (steps.length > WATERFALL_STEPS) {
    const rest = steps.slice(WATERFALL_STEPS - 1);
    steps = [
      ...steps.slice(0, WATERFALL_STEPS - 1),
      { label: `${rest.length} other finding types`, factor: null, points: rest.reduce((s, r) => s + r.points, 0) },
    ];
  }
  return steps;
}

function waterfall(card: ScorecardView): SafeHtml {
  if (card.score === null) return html`<p class="muted">Not rated: no factor has data yet, so no point is lost.</p>`;
  const steps = waterfallSteps(card);
  if (steps.length === 0) return html`<p>No point lost: no open finding costs anything.</p>`;
  const labels = ['Full score', ...steps.map((s) => s.label), 'Score'];
  const base: number[] = [0];
  const lost: Array<{ value: number; itemStyle: { color: string } }> = [
    { value: 100, itemStyle: { color: '#8c959f' } },
  ];
  let level = 100;
  for (const step of steps) {
    level -= step.points;
    base.push(Math.max(0, level));
    lost.push({ value: step.points, itemStyle: { color: factorColour(step.factor) } });
  }
  base.push(0);
  lost.push({ value: card.score, itemStyle: { color: gradeColour(card.grade) } });
  const option: ChartOption = {
    grid: { left: 270, right: 150, top: 10, bottom: 28 },
    xAxis: { type: 'value', min: 0, max: 100, interval: 10, splitLine: { lineStyle: { color: '#eceff2' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      axisTick: { show: false },
      // Long titles wrap onto a second line rather than lose their end.
      axisLabel: { width: 260, overflow: 'break', lineHeight: 13 },
    },
    series: [
      { type: 'bar', stack: 'w', data: base, itemStyle: { color: 'transparent' }, silent: true, barWidth: 14 },
      {
        type: 'bar',
        stack: 'w',
        barWidth: 14,
        data: lost,
        label: {
          show: true,
          position: 'right',
          formatter: (p) => {
            const i = p.dataIndex;
            const v = p.value as number;
            if (i === 0 || i === labels.length - 1) return v.toFixed(1);
            const factor = steps[i - 1]!.factor;
            return `−${v.toFixed(2)}${factor === null ? '' : `  ${factorLabel(factor)}`}`;
          },
        },
      },
    ],
  };
  const byWhat = (card.findings ?? []).some((f) => f.points_lost > 0) ? 'finding type' : 'factor';
  return chartFigure(
    renderSvg(option, 900, 40 + labels.length * 32, 'waterfall of lost points'),
    `From 100 to the score: the points each ${byWhat} costs (coloured by factor); they add up to 100 − score.`,
  );
}

function history(card: ScorecardView, points: readonly ScoreHistoryPoint[]): SafeHtml {
  const rated = points.filter((p) => p.score !== null).map((p) => [p.taken_at, p.score as number] as [string, number]);
  const last = rated[rated.length - 1];
  if (card.source !== 'snapshot' && card.score !== null && (last === undefined || last[0] < card.as_of))
    rated.push([card.as_of, card.score]);
  if (rated.length === 0) return html`<p class="muted">No score recorded yet: scans record one each time.</p>`;
  const floor = axisFloor(rated.map((r) => r[1]));
  const option: ChartOption = {
    grid: { left: 50, right: 40, top: 18, bottom: 34 },
    xAxis: { type: 'time', splitLine: { show: false } },
    yAxis: { type: 'value', min: floor, max: 100 },
    series: [
      {
        type: 'line',
        data: rated,
        symbolSize: 7,
        lineStyle: { width: 2.5, color: '#1f4e79' },
        itemStyle: { color: '#1f4e79' },
        label: {
          show: rated.length <= 12,
          position: 'top',
          formatter: (p) => (p.value as [string, number])[1].toFixed(1),
        },
        markArea: gradeBands(floor),
      },
    ],
  };
  const note =
    rated.length === 1 ? ' Only one score so far: the line grows with every scan, dispute decision or exclusion.' : '';
  return chartFigure(
    renderSvg(option, 900, 260, 'score history'),
    `Overall score at each recorded scoring event (scan, dispute decision, exclusion), on bands of grades.${note}`,
  );
}

function planChart(card: ScorecardView): SafeHtml {
  const plan = card.plan;
  const first = plan[0]!;
  const scores = [first.score_before, ...plan.map((s) => s.score_after)];
  const grades = [card.grade, ...plan.map((s) => s.grade_after)];
  const option: ChartOption = {
    grid: { left: 50, right: 40, top: 24, bottom: 30 },
    xAxis: { type: 'category', data: ['now', ...plan.map((s) => `fix ${s.step}`)], boundaryGap: true },
    yAxis: { type: 'value', min: axisFloor(scores), max: 100 },
    series: [
      {
        type: 'line',
        step: 'end',
        data: scores.map((value, i) => ({ value, itemStyle: { color: gradeColour(grades[i] ?? null) } })),
        symbolSize: 9,
        lineStyle: { color: '#57606a', width: 2 },
        label: { show: true, position: 'top', formatter: (p) => (p.value as number).toFixed(1) },
        markArea: gradeBands(axisFloor(scores)),
      },
    ],
  };
  return chartFigure(
    renderSvg(option, 900, 250, 'score after each fix'),
    'What if: the score after each fix of the plan, the fix that gains most first (each point coloured by its grade).',
  );
}

function factorTable(card: ScorecardView): SafeHtml {
  return htmlTable(card.factors, [
    { header: 'Factor', cell: (f) => factorLabel(f.factor) },
    {
      header: 'Score',
      cell: (f) => (f.score === null ? html`<span class="muted">not rated</span>` : fixed(f.score, 1)),
      numeric: true,
    },
    { header: 'Grade', cell: (f) => gradeBadge(f.grade) },
    { header: 'Open findings', cell: (f) => f.findings, numeric: true },
    { header: 'Points lost', cell: (f) => (f.score === null ? '–' : fixed(f.points_lost, 2)), numeric: true },
  ]);
}

function issueTitle(type: string, title: string | undefined): SafeHtml {
  return html`<strong>${title ?? catalogueEntry(type)?.title ?? type}</strong><br><code>${type}</code>`;
}

function topIssues(card: ScorecardView): SafeHtml {
  if (card.top_issues.length === 0) return html`<p>No open finding.</p>`;
  const planned = new Map(card.plan.map((s) => [s.type, s.remediation]));
  return htmlTable(card.top_issues, [
    { header: 'Severity', cell: (i) => severityTag(i.severity) },
    {
      header: 'Issue and remediation',
      cell: (i) => {
        const remediation = planned.get(i.type) ?? catalogueEntry(i.type)?.remediation;
        return html`${issueTitle(i.type, i.title)}${
          remediation === undefined ? '' : html`<div class="remediation">Fix: ${remediation}</div>`
        }${i.hosts.length > 0 ? html`<div class="remediation">On ${hostList(i.hosts)}</div>` : ''}`;
      },
    },
    { header: 'Factor', cell: (i) => (i.factor === null ? '–' : factorLabel(i.factor)) },
    {
      header: 'Findings',
      cell: (i) =>
        html`${i.findings}${i.disputed > 0 ? html`<br><span class="tag disputed">${i.disputed} disputed</span>` : ''}`,
      numeric: true,
    },
    { header: 'Points lost', cell: (i) => fixed(i.points_lost, 2), numeric: true },
  ]);
}

function planSection(card: ScorecardView): SafeHtml {
  if (card.plan.length === 0) {
    const why =
      card.source === 'snapshot'
        ? 'A scorecard read from history has no plan: plans are computed from the open findings now.'
        : 'Nothing to fix gains a point.';
    return html`<p class="muted">${why}</p>`;
  }
  return html`${planChart(card)}${htmlTable(card.plan, [
    { header: 'Step', cell: (s) => s.step, numeric: true },
    { header: 'Fix', cell: (s) => issueTitle(s.type, s.title) },
    { header: 'Severity', cell: (s) => severityTag(s.severity) },
    { header: 'Hosts', cell: (s) => hostList(s.hosts) },
    { header: 'Gain', cell: (s) => `+${fixed(s.gain, 1)}`, numeric: true },
    {
      header: 'Score after',
      cell: (s) => html`${fixed(s.score_after, 1)} ${gradeBadge(s.grade_after)}`,
      numeric: true,
    },
  ])}`;
}

function findingsSection(card: ScorecardView): SafeHtml {
  const findings = card.findings ?? [];
  if (findings.length === 0) return html``;
  const disputed = findings.filter((f) => f.disputed).length;
  const shown = findings.slice(0, FINDINGS_LISTED);
  return html`<section class="page-break"><h2>Findings and the points they cost</h2>
<p>${findings.length} open scored finding${findings.length === 1 ? '' : 's'}${
    disputed > 0
      ? html`, <span class="tag disputed">${disputed} disputed</span>: a finding under an open dispute stays in the
score until the dispute is accepted`
      : ''
  }.${shown.length < findings.length ? ` The ${shown.length} costing most are listed; the JSON has all.` : ''}</p>
${htmlTable(shown, [
  { header: 'Finding', cell: (f) => html`<code>${f.id.slice(0, 8)}</code>` },
  {
    header: 'Type',
    cell: (f) => html`<code>${f.type}</code>${f.disputed ? html` <span class="tag disputed">disputed</span>` : ''}`,
  },
  { header: 'Severity', cell: (f) => severityTag(f.severity) },
  { header: 'Asset', cell: (f) => html`<code>${f.asset}</code>` },
  { header: 'Points lost', cell: (f) => fixed(f.points_lost, 2), numeric: true },
])}</section>`;
}

function disputesSection(card: ScorecardView): SafeHtml {
  const disputes = card.disputes ?? [];
  const excluded = card.excluded_hosts ?? [];
  if (disputes.length === 0 && excluded.length === 0) return html``;
  return html`<section><h2>Disputes and exclusions</h2>${
    disputes.length === 0
      ? ''
      : htmlTable(disputes, [
          {
            header: 'Status',
            cell: (d) =>
              d.status === 'open'
                ? html`<span class="tag disputed">disputed</span><br><span class="muted">still counts</span>`
                : html`<span class="tag">accepted</span><br><span class="muted">not counted</span>`,
          },
          { header: 'Finding', cell: (d) => html`<code>${d.type}</code><br><code>${d.asset}</code>` },
          { header: 'Reason and note', cell: (d) => html`${d.reason.replace(/_/g, ' ')}: ${d.note}` },
          { header: 'Expires', cell: (d) => (d.expires_at === null ? '–' : displayTime(d.expires_at)) },
          {
            header: 'Points lost',
            cell: (d) => (d.status === 'accepted' ? '–' : fixed(d.points_lost, 2)),
            numeric: true,
          },
        ])
  }${
    excluded.length === 0
      ? ''
      : html`<p>Excluded hosts (not the organization's; their findings do not count): ${excluded.map(
          (h, i) => html`${i > 0 ? ', ' : ''}<code>${h}</code>`,
        )}.</p>`
  }</section>`;
}

function vendorsSection(card: ScorecardView): SafeHtml {
  const vendors = card.vendors;
  if (vendors === undefined || vendors.list.length === 0) return html``;
  return html`<section><h2>Vendors</h2>
<div class="note"><strong>Vendor risk: ${vendors.summary.level}.</strong> ${vendors.summary.text}</div>
${htmlTable(vendors.list, [
  {
    header: 'Vendor',
    cell: (v) => html`${v.organization}${v.telehealth ? html` <span class="tag">telehealth</span>` : ''}`,
  },
  {
    header: 'Score',
    cell: (v) =>
      v.score !== null
        ? fixed(v.score, 1)
        : html`<span class="muted">${v.scored_at === null ? 'never scored' : 'not rated'}</span>`,
    numeric: true,
  },
  { header: 'Grade', cell: (v) => gradeBadge(v.grade) },
  { header: 'Scored', cell: (v) => (v.scored_at === null ? '–' : displayTime(v.scored_at)) },
])}</section>`;
}

function heading(card: ScorecardView): SafeHtml {
  const from =
    card.snapshot === null || card.snapshot === undefined
      ? 'computed from the open findings'
      : `from the score recorded ${displayTime(card.snapshot.taken_at)} (${card.snapshot.reason})`;
  const size = [
    card.assets === undefined ? null : `${card.assets} asset${card.assets === 1 ? '' : 's'}`,
    card.domains === undefined ? null : `${card.domains} domain${card.domains === 1 ? '' : 's'}`,
  ].filter((s) => s !== null);
  return html`<h1>${card.organization}</h1>
<p>Security scorecard as of ${displayTime(card.as_of)}, ${from}.</p>
<div class="headline">
  <div class="score">${card.score === null ? 'not rated' : card.score.toFixed(1)}${
    card.score === null ? '' : html`<small> / 100</small>`
  }</div>
  ${
    card.grade === null
      ? html`<div class="grade-big" style="background:${NOT_RATED_COLOUR}">–</div>`
      : html`<div class="grade-big" style="background:${gradeColour(card.grade)}">${card.grade}</div>`
  }
  <dl class="facts">
    <dt>Method</dt><dd>version ${card.method_version} (docs/methodology.md)</dd>
    ${size.length > 0 ? html`<dt>Size</dt><dd>${size.join(', ')}</dd>` : ''}
    <dt>Rated factors</dt><dd>${card.factors.filter((f) => f.score !== null).length} of ${card.factors.length}</dd>
  </dl>
</div>`;
}

/** The scorecard page. */
export function renderScorecardHtml(card: ScorecardView, options: ScorecardPageOptions = {}): string {
  const generated = options.generatedAt ?? new Date().toISOString();
  const body = html`<section><h2>Factors</h2>${factorBars(card)}${factorTable(card)}</section>
<section><h2>Where the points go</h2>${waterfall(card)}</section>
<section><h2>Score history</h2>${history(card, options.history ?? [])}</section>
<section><h2>Top issues</h2>${topIssues(card)}</section>
<section><h2>Plan: the fixes that gain most</h2>${planSection(card)}</section>
${disputesSection(card)}
${vendorsSection(card)}
${findingsSection(card)}`;
  return htmlPage({
    title: `${card.organization}: security scorecard`,
    heading: heading(card),
    body,
    footer: html`Vitals scorecard, method ${card.method_version}. Every lost point is traced to a finding; the
arithmetic is published in docs/methodology.md. Generated ${displayTime(generated)}.`,
  });
}
