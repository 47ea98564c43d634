import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTILE_NAME, sampleHistory, sampleScorecard } from './fixtures.test-support.js';
import { assertEscaped, assertSelfContained, chartCount, visibleText } from './page-checks.test-support.js';
import { renderScorecardHtml } from './scorecard.js';

describe('scorecard HTML page', () => {
  const page = renderScorecardHtml(sampleScorecard(), {
    history: sampleHistory(),
    generatedAt: '2026-03-01T12:05:00Z',
  });
  const text = visibleText(page);

  it('is one self-contained page: no script, nothing to load', () => {
    assertSelfContained(page);
  });

  it('shows an organization name with markup and quotes as text', () => {
    assertEscaped(page, HOSTILE_NAME);
    assert.ok(text.includes(HOSTILE_NAME), 'a reader sees the name as given');
    // Texts from the catalogue or a remediation are escaped too.
    assert.ok(text.includes('Named on a <b>leak</b> site'));
    assert.ok(text.includes('Remediate dns.dmarc.missing <carefully> & "now"'));
  });

  it('draws the factor bars, the waterfall, the history and the plan on the server', () => {
    assert.equal(chartCount(page), 4);
    assert.match(page, /aria-label="factor scores"/);
    assert.match(page, /aria-label="waterfall of lost points"/);
    assert.match(page, /aria-label="score history"/);
    assert.match(page, /aria-label="score after each fix"/);
  });

  it('gives score, grade, every factor, and not-rated factors as not rated', () => {
    assert.match(text, /71\.4 \/ 100 C /);
    for (const factor of ['DNS health', 'TLS', 'IP reputation', 'Information leak']) assert.ok(text.includes(factor));
    assert.ok(text.includes('DNS health 58.2 F 7 20.90'));
    // Five factors have no data: each row says so, with no score, grade or points.
    for (const factor of ['TLS', 'Application security', 'Network security', 'Patching cadence', 'IP reputation'])
      assert.ok(text.includes(`${factor} not rated not rated 0 –`), factor);
    assert.ok(text.includes('Rated factors 3 of 8'));
  });

  it('adds the waterfall up from 100 to the score, by finding type', () => {
    for (const step of ['−11.20', '−9.70', '−5.75', '−1.95']) assert.ok(page.includes(step), step);
  });

  it('lists the top issues with remediation and the plan with the score after each fix', () => {
    assert.ok(text.includes('No DMARC record dns.dmarc.missing Fix: Remediate dns.dmarc.missing'));
    assert.match(text, /\+8\.5 79\.9 C .*\+8\.7 88\.6 B .*\+7\.9 96\.5 A .*\+3\.5 100\.0 A/);
  });

  it('marks disputed findings', () => {
    assert.ok(text.includes('3 1 disputed'), 'the top issue counts its disputed finding');
    assert.ok(text.includes('dns.dmarc.missing disputed high a.example 4.10'), 'the finding row is marked');
    assert.ok(text.includes('10 open scored findings, 1 disputed'), 'the findings section counts it');
  });

  it('lists disputes in force (open still counts, accepted does not), excluded hosts and the vendors', () => {
    assert.ok(text.includes('Disputes and exclusions'));
    assert.ok(
      text.includes(
        'disputed still counts dns.dmarc.missing a.example compensating control: ' +
          'Mail goes through the <gateway> & is "signed" – 4.10',
      ),
    );
    assert.ok(
      text.includes('accepted not counted dns.caa.missing old.example not ours: sold in 2024 2026-06-30 00:00 UTC –'),
    );
    assert.ok(text.includes("Excluded hosts (not the organization's; their findings do not count): parked.example ."));
    assert.ok(
      text.includes('Vendor risk: elevated. 2 vendors: 1 rated, mean score 64.0; the weakest is TeleCare <Inc> (D)'),
    );
    assert.ok(text.includes('TeleCare <Inc> telehealth 64.0 D 2026-02-20 03:00 UTC'));
    assert.ok(text.includes('Billing Co never scored not rated –'));
  });

  it('prints: A4 page rules, page breaks, charts kept whole', () => {
    assert.match(page, /@page \{ size: A4;/);
    assert.match(page, /@media print/);
    assert.match(page, /class="page-break"/);
    assert.match(page, /figure \{[^}]*break-inside: avoid/);
  });

  it('reads a scorecard from history: no plan, no points per issue, says where it comes from', () => {
    const card = {
      ...sampleScorecard('Mercy Hospital'),
      source: 'snapshot' as const,
      snapshot: { taken_at: '2026-01-15T03:00:00.000Z', reason: 'scan' as const, scan_id: 's1' },
      plan: [],
      findings: [],
      top_issues: sampleScorecard().top_issues.map((i) => ({ ...i, points_lost: null, hosts: [] })),
    };
    const old = visibleText(renderScorecardHtml(card, { history: sampleHistory() }));
    assert.ok(old.includes('from the score recorded 2026-01-15 03:00 UTC (scan)'));
    assert.ok(old.includes('A scorecard read from history has no plan'));
    assert.ok(old.includes('−20.90 DNS health'), 'the waterfall falls back to factors');
    assertSelfContained(renderScorecardHtml(card));
  });

  it('an organization with no data: not rated, no chart of points, no history yet', () => {
    const card = {
      ...sampleScorecard('New Clinic'),
      score: null,
      grade: null,
      factors: sampleScorecard().factors.map((f) => ({ ...f, score: null, grade: null, findings: 0, points_lost: 0 })),
      top_issues: [],
      plan: [],
      findings: [],
    };
    const empty = renderScorecardHtml(card);
    assertSelfContained(empty);
    const words = visibleText(empty);
    assert.ok(words.includes('New Clinic Security scorecard'));
    assert.ok(words.includes('not rated'));
    assert.ok(words.includes('No score recorded yet'));
    assert.ok(words.includes('Not rated: no factor has data yet'));
    assert.equal(chartCount(empty), 1, 'only the factor bars');
  });
});
