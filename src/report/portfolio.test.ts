import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTILE_NAME, samplePortfolio } from './fixtures.test-support.js';
import { assertEscaped, assertSelfContained, chartCount, visibleText } from './page-checks.test-support.js';
import { renderPortfolioHtml } from './portfolio.js';

describe('portfolio HTML page', () => {
  const view = samplePortfolio();
  const page = renderPortfolioHtml(view, { generatedAt: '2026-03-01T12:05:00Z' });
  const text = visibleText(page);

  it('is one self-contained page with organization names escaped', () => {
    assertSelfContained(page);
    assertEscaped(page, HOSTILE_NAME);
  });

  it('charts the grade distribution, the score histogram and the factor percentiles', () => {
    assert.equal(chartCount(page), 3);
    assert.match(page, /aria-label="grade distribution"/);
    assert.match(page, /aria-label="score histogram"/);
    assert.match(page, /aria-label="factor percentiles"/);
    assert.ok(text.includes('11 rated, 1 scored without data for any factor, 1 never scored'));
    assert.ok(text.includes('median 77.3, quartiles 65.8 and 88.5, mean 74.0'));
  });

  it('tables every percentile, a factor nobody has as not rated', () => {
    assert.ok(text.includes('DNS health 11 45.2 58.0 71.5 84.0 93.1 21.50'));
    assert.ok(text.includes('TLS 0 – – – – – –'));
  });

  it('names the weakest factors by the points they cost', () => {
    assert.ok(
      text.includes(
        'DNS health : 21.50 points lost on average; median factor score 71.5 over 11 rated organizations. ' +
          'Hacker chatter : 3.25 points lost',
      ),
    );
  });

  it('ranks the organizations with grade, those without a score last and told apart', () => {
    assert.ok(text.includes('1 Organization A telehealth telehealth 94.2 A DNS health 2026-02-27 03:00 UTC'));
    assert.ok(text.includes(`5 ${HOSTILE_NAME} hospital 79.9 C`));
    assert.ok(text.includes('– Organization L hospital not rated not rated – 2026-02-27 03:00 UTC'));
    assert.ok(text.includes('– Organization M telehealth telehealth never scored not rated – –'));
  });

  it('with --vendors-of: the vendor-risk summary on top, the selection named', () => {
    const vendors = renderPortfolioHtml({
      ...view,
      filters: { sector: null, cohort: null, vendors_of: 'Mercy <Hospital>' },
      vendor_risk: {
        level: 'high',
        vendors: 3,
        rated: 3,
        unrated: 0,
        grades: { A: 1, B: 1, C: 0, D: 0, F: 1 },
        mean_score: 71.2,
        weakest: null,
        text: '1 of 3 vendors is graded F',
      },
    });
    assertSelfContained(vendors);
    const words = visibleText(vendors);
    assert.ok(words.includes('Vendor risk: high. 1 of 3 vendors is graded F'));
    assert.ok(words.includes('the vendors of Mercy <Hospital>'));
  });
});
