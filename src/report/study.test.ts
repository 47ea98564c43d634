import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTILE_NAME, sampleStudy } from './fixtures.test-support.js';
import { assertEscaped, assertSelfContained, chartCount, visibleText } from './page-checks.test-support.js';
import { renderStudyHtml } from './study.js';

describe('study HTML report', () => {
  const report = sampleStudy('month');
  const page = renderStudyHtml(report, { generatedAt: '2026-03-01T00:00:00Z' });
  const text = visibleText(page);

  it('is one self-contained page: no script, nothing to load', () => {
    assertSelfContained(page);
  });

  it('has the method, the headline table, the comparison and the caveats', () => {
    for (const heading of ['Method', 'Headline table', 'Factor by factor', 'Telehealth against the rest', 'Caveats'])
      assert.ok(text.includes(` ${heading} `), heading);
    assert.ok(text.includes(report.method.snapshot_rule));
    assert.ok(text.includes('400 resamples, seed 3'));
  });

  it('prints every headline figure of the JSON in the table', () => {
    for (const row of report.factors.filter((f) => f.cohort === 'all')) {
      const change = `${row.change_pct! > 0 ? '+' : ''}${row.change_pct!.toFixed(1)}%`;
      const first = row.first!.toFixed(3);
      const last = row.last!.toFixed(3);
      assert.ok(text.includes(`${row.organizations} ${first} ${last} ${change}`), `${row.factor}: ${change}`);
    }
  });

  it('draws the forest plot, the monthly series, a chart per factor and the cohort comparison', () => {
    const factors = new Set(report.factors.map((f) => f.factor)).size;
    assert.equal(factors, 4, 'all, and three factors');
    assert.equal(chartCount(page), 1 + 1 + factors + 1);
    assert.match(page, /aria-label="Network security: first and last month"/);
  });

  it('says which factors improved and which declined, and telehealth against the rest', () => {
    assert.match(text, /Improved: DNS health \(-\d+\.\d%\)\./);
    assert.match(text, /Declined: Network security \(\+\d+\.\d%\)\./);
    assert.match(text, /Telehealth organizations \+\d+\.\d% against -\d+\.\d% for the rest/);
  });

  it('states coverage: organizations with data in one month only are counted, not hidden', () => {
    assert.ok(text.includes('40 organizations have data'));
    assert.ok(text.includes('38 (95.0%) have it in both months compared'));
    assert.ok(text.includes('1 with data in 2019-09 only, 1 in 2020-04 only'));
    for (const note of report.caveats.notes) assert.ok(text.includes(note), note);
  });

  it('one cohort only (--cohort telehealth): no comparison, the table reads that cohort', () => {
    const tele = sampleStudy('span', 'telehealth');
    const words = visibleText(renderStudyHtml(tele));
    assert.ok(words.includes('Only one cohort was studied'));
    assert.ok(words.includes('Telehealth: findings per domain in 2019-09 (first)'));
  });

  it('escapes texts it is given (notes come from the service)', () => {
    const hostile = { ...report, caveats: { ...report.caveats, notes: [HOSTILE_NAME] } };
    const escaped = renderStudyHtml(hostile);
    assertSelfContained(escaped);
    assertEscaped(escaped, HOSTILE_NAME);
  });
});
