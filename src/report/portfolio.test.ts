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

  it('charts the grade distribution and the factor percentiles', () => {
    assert.equal(chartCount(page), 2);
    assert.match(page, /aria-label="grade distribution"/);
    assert.match(page, /aria-label="factor percentiles"/);
    assert.ok(text.includes('Organizations per grade (11 rated of 12)'));
  });

  it('tables every percentile, a factor nobody has as not rated', () => {
    assert.ok(text.includes('DNS health 11 45.2 58.0 71.5 84.0 93.1'));
    assert.ok(text.includes('TLS 0 – – – – –'));
  });

  it('names the weakest factors', () => {
    assert.ok(
      text.includes(
        'Weakest factors DNS health : median 71.5, a quarter of the 11 rated organizations at or below 58.0. ' +
          'Hacker chatter : median 92.0',
      ),
    );
  });

  it('ranks the organizations, not-rated last, with grade and trend', () => {
    assert.ok(text.includes('1 Organization A telehealth telehealth 94.2 A ▲ +1.5 DNS health'));
    assert.ok(text.includes(`5 ${HOSTILE_NAME} hospital 79.9 C ▲ +1.5`));
    assert.ok(text.includes('– Organization L hospital – not rated – –'));
  });
});
