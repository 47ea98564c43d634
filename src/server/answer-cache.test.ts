/**
 * Cached answers follow the store: a change committed by another process (a second connection, as a CLI
 * command would make) and a change made through the API are both seen by the next request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../store/test-dialects.js';
import { call, startTestApi, type TestApi } from './api.test-support.js';

for (const dialect of testDialects('api_answers')) {
  describe(`cached answers follow the store, on ${dialect.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(dialect);
    });
    after(async () => {
      await api?.close();
    });

    const counts = async () => {
      const portfolio = await call(api, 'GET', '/api/v1/portfolio', { token: api.tokens.viewer });
      const orgs = await call(api, 'GET', '/api/v1/orgs', { token: api.tokens.viewer });
      assert.equal(portfolio.status, 200, portfolio.text);
      return [
        (portfolio.body as { organizations: number }).organizations,
        (orgs.body as { items: unknown[] }).items.length,
      ];
    };

    test('another process commits, or the API writes: the next answer has it', async (t) => {
      assert.deepEqual(await counts(), [0, 0]);
      assert.deepEqual(await counts(), [0, 0], 'kept');
      const other = await dialect.open();
      try {
        await other.organizations.upsert({
          name: 'Elsewhere',
          sector: 'clinic',
          domains: ['elsewhere.example'],
          telehealth: false,
        });
      } finally {
        await other.close();
      }
      if (dialect.name === 'PostgreSQL') {
        // The statistics collector may lag a commit by about a second (Store.dataVersion).
        await new Promise((resolve) => setTimeout(resolve, 1500));
        t.diagnostic('waited for PostgreSQL statistics');
      }
      assert.deepEqual(await counts(), [1, 1], 'a commit by another connection');
      const created = await call(api, 'POST', '/api/v1/orgs', {
        token: api.tokens.admin,
        json: { name: 'Through The API', sector: 'hospital', domains: ['through.example'], telehealth: true },
      });
      assert.equal(created.status, 200, created.text);
      assert.deepEqual(await counts(), [2, 2], 'a write through the API');
    });
  });
}
