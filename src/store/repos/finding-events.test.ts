/** The findings repo records every lifecycle transition as an event, and streams them back grouped by finding. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingInput } from '../../core/finding.js';
import type { FindingEvent } from './findings.repo.js';
import { testDialects } from '../test-dialects.js';

const dialects = testDialects('finding_events');
after(async () => {
  for (const dialect of dialects) await dialect.dispose();
});

for (const dialect of dialects) {
  describe(`finding events on ${dialect.name}`, () => {
    test('opened, resolved and reopened are recorded at the scan times, and streamed in pages', async () => {
      const store = await dialect.open();
      try {
        const { organization } = await store.organizations.upsert({
          name: 'Events Clinic',
          sector: 'clinic',
          domains: ['events.test'],
          telehealth: false,
        });
        const finding = (type: string, at: string): FindingInput => ({
          type,
          organizationId: organization.id,
          factor: 'dns_health',
          severity: 'medium',
          asset: { host: 'events.test' },
          evidence: {},
          observedAt: at,
        });
        const coverage = [{ organizationId: organization.id, assetHosts: ['events.test'] }];
        const scan = async (at: string, types: string[]) => {
          const { id } = await store.scans.create({ scope: {} });
          await store.findings.recordScanResults(
            id,
            coverage,
            types.map((t) => finding(t, at)),
            { resolvedAt: at },
          );
        };
        await scan('2020-01-05T00:00:00.000Z', ['dns.spf.missing', 'dns.caa.missing']);
        await scan('2020-02-05T00:00:00.000Z', ['dns.caa.missing']); // SPF fixed
        await scan('2020-03-05T00:00:00.000Z', ['dns.spf.missing', 'dns.caa.missing']); // SPF back

        const events: FindingEvent[] = [];
        for await (const e of store.findings.streamEvents({ pageSize: 2 })) events.push(e);
        const [spf] = await store.findings.listFindings({ type: 'dns.spf.missing' });
        const [caa] = await store.findings.listFindings({ type: 'dns.caa.missing' });
        const history = (id: string) => events.filter((e) => e.findingId === id).map((e) => [e.event, e.at]);
        assert.deepEqual(history(spf!.id), [
          ['opened', '2020-01-05T00:00:00.000Z'],
          ['resolved', '2020-02-05T00:00:00.000Z'],
          ['reopened', '2020-03-05T00:00:00.000Z'],
        ]);
        assert.deepEqual(history(caa!.id), [['opened', '2020-01-05T00:00:00.000Z']]);
        assert.equal(events.length, 4, 'pages of two still yield every event once');
        // Grouped by finding: one finding's events are consecutive.
        const order = events.map((e) => e.findingId);
        assert.deepEqual(order, [...order].sort());

        const before: FindingEvent[] = [];
        for await (const e of store.findings.streamEvents({ before: '2020-03-01T00:00:00Z' })) before.push(e);
        assert.equal(before.length, 3, 'the reopening in March is after the cut');
      } finally {
        await store.close();
      }
    });
  });
}
