/**
 * The dashboard's portfolio table over HTTP: each organization's worst factor, open findings by severity,
 * dark-web mentions and a monthly sparkline read from its score history, as a user of the portfolio
 * page sees them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordScoreSnapshot } from '../ratings/snapshots.js';
import { testDialects } from '../store/test-dialects.js';
import { seedOrganization } from '../../test/helpers/seed.js';
import { call, seedDocument, startTestApi, type TestApi } from './api.test-support.js';

interface Row {
  name: string;
  score: number | null;
  worst_factor: string | null;
  open_findings: Record<string, number>;
  mentions: number;
  sparkline: Array<{ month: string; score: number | null }>;
}

for (const dialect of testDialects('api_portfolio_table')) {
  let api: TestApi;
  const now = new Date();
  const monthsAgo = (n: number, day = 10) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, day)).toISOString();

  before(async () => {
    api = await startTestApi(dialect);
    const [weak] = await seedOrganization(
      api.store,
      'Weak Clinic',
      [
        { type: 'dns.spf.missing', host: 'weak-clinic.example' },
        { type: 'dns.dmarc.missing', host: 'weak-clinic.example' },
      ],
      monthsAgo(2),
    );
    await seedOrganization(api.store, 'Quiet Clinic', [], monthsAgo(1));
    const weakId = weak!.organizationId;
    // Two snapshots in one month, one the month after, one older than a year.
    for (const at of [monthsAgo(14), monthsAgo(2, 10), monthsAgo(2, 20), monthsAgo(1)])
      await recordScoreSnapshot(api.store, weakId, { at, reason: 'scan' });
    await seedDocument(
      api.store,
      {
        id: 'table-doc',
        title: 'Weak Clinic data for sale',
        text: 'selling the Weak Clinic patient database',
        class: 'data_for_sale',
        postedAt: monthsAgo(1),
      },
      [{ organizationId: weakId, snippet: 'selling the Weak Clinic patient database', matched: 'Weak Clinic' }],
    );
  });
  after(async () => {
    await api?.close();
  });

  test(`the portfolio table on ${dialect.name}: worst factor, findings, mentions, sparkline`, async () => {
    const response = await call(api, 'GET', '/api/v1/portfolio/table', { token: api.tokens.viewer });
    assert.equal(response.status, 200, response.text);
    const rows = (response.body as { organizations: Row[] }).organizations;
    const weak = rows.find((r) => r.name === 'Weak Clinic')!;
    const quiet = rows.find((r) => r.name === 'Quiet Clinic')!;
    assert.equal(weak.worst_factor, 'dns_health');
    assert.ok(weak.score !== null && weak.score < 100);
    assert.equal(
      Object.values(weak.open_findings).reduce((a, b) => a + b, 0),
      2,
    );
    assert.equal(weak.mentions, 1);
    assert.deepEqual(
      weak.sparkline.map((p) => p.month),
      [monthsAgo(2).slice(0, 7), monthsAgo(1).slice(0, 7)],
      'one point per month within the last 12, the older snapshot left out',
    );
    assert.equal(quiet.worst_factor, null);
    assert.equal(quiet.mentions, 0);
    assert.deepEqual(quiet.sparkline, []);
  });
}
