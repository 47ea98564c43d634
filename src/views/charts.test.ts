import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planChart, scoreHistoryChart, staticSvg, waterfallChart } from './charts.js';

const factors = [
  { factor: 'dns_health' as const, score: 50, grade: 'F' as const, findings: 2, points_lost: 20.3 },
  { factor: 'tls' as const, score: 90, grade: 'A' as const, findings: 1, points_lost: 8.2 },
  { factor: 'ip_reputation' as const, score: null, grade: null, findings: 0, points_lost: 0 },
];

test('a chart is a labelled image a strict CSP accepts: no style attribute, no style sheet, no script', () => {
  const chart = waterfallChart({ organization: 'Clinic <script>alert(1)</script>', score: 71.5, factors });
  assert.match(chart.svg, /^<svg [^>]*role="img" aria-label="Lost points of Clinic &#60;script&#62;/);
  assert.match(
    chart.svg,
    /<title>Lost points of Clinic &#60;script&#62;alert\(1\)&#60;\/script&#62;: from 100 to 71.5/,
  );
  assert.doesNotMatch(chart.svg, /style=|<style|<script/);
  assert.match(chart.svg, /font-size="12px"/, 'text keeps its size as a presentation attribute');
});

test('the waterfall names each factor that lost points with its loss, and ends at the score', () => {
  const { svg } = waterfallChart({ organization: 'Clinic', score: 71.5, factors });
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  for (const label of ['dns_health', 'tls', '−20.3', '−8.2', '71.5', '100']) assert.ok(texts.includes(label), label);
  assert.ok(!texts.includes('ip_reputation'), 'a factor that lost nothing is not a step');
});

test('the history and plan charts say what they show', () => {
  const history = scoreHistoryChart('Clinic', [
    { taken_at: '2026-01-01T00:00:00Z', score: 50 },
    { taken_at: '2026-02-01T00:00:00Z', score: null },
    { taken_at: '2026-03-01T00:00:00Z', score: 64.2 },
  ]);
  assert.equal(history.label, 'Score history of Clinic: 2 scored snapshots, latest 64.2');
  const plan = planChart({ organization: 'Clinic', score: 60, plan: [] });
  assert.equal(plan.label, 'What-if plan of Clinic: nothing to fix');
});

test('staticSvg keeps only presentation properties from style attributes', () => {
  const out = staticSvg(
    '<svg a="1"><text style="font-size:9px;cursor:pointer;">x</text><style>.a{}</style></svg>',
    'L',
  );
  assert.equal(out, '<svg a="1" role="img" aria-label="L"><title>L</title><text font-size="9px">x</text></svg>');
});
