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

    test('generated history goes straight in, and streams back grouped by organization', async () => {
      const store = await dialect.open();
      try {
        const org = async (name: string) =>
          (await store.organizations.upsert({ name, sector: 'clinic', domains: [`${name}.test`], telehealth: false }))
            .organization.id;
        const [a, b] = [await org('history-a'), await org('history-b')];
        const { id: scanId } = await store.scans.create({ scope: {} });
        const history = (
          organizationId: string,
          type: string,
          events: Array<['opened' | 'resolved' | 'reopened', string]>,
        ) => ({
          organizationId,
          type,
          factor: 'dns_health' as const,
          severity: 'medium' as const,
          host: `${organizationId}.test`,
          events: events.map(([event, at]) => ({ event, at })),
          lastSeen: events[events.length - 1]![1],
          scanId,
        });
        const written = await store.findings.importHistory([
          history(b, 'dns.spf.missing', [
            ['opened', '2020-01-15T12:00:00Z'],
            ['resolved', '2020-02-15T12:00:00Z'],
            ['reopened', '2020-03-15T12:00:00Z'],
          ]),
          history(a, 'dns.caa.missing', [
            ['opened', '2020-01-15T12:00:00Z'],
            ['resolved', '2020-04-15T12:00:00Z'],
          ]),
          history(a, 'dns.spf.missing', [['opened', '2020-02-15T12:00:00Z']]),
        ]);
        assert.equal(written, 3);
        const [reopened] = await store.findings.listFindings({ organizationId: b, type: 'dns.spf.missing' });
        assert.deepEqual(
          [reopened?.status, reopened?.firstSeen, reopened?.resolvedAt, reopened?.reopenCount],
          ['open', '2020-01-15T12:00:00.000Z', null, 1],
        );
        const [resolved] = await store.findings.listFindings({ organizationId: a, type: 'dns.caa.missing' });
        assert.equal(resolved?.resolvedAt, '2020-04-15T12:00:00.000Z');

        const mine = new Set([a, b]);
        const order: string[] = [];
        for await (const e of store.findings.streamEvents({ order: 'organization', pageSize: 2 }))
          if (mine.has(e.organizationId)) order.push(e.organizationId);
        assert.equal(order.length, 6);
        // One organization's events together, whichever page boundary falls in between.
        assert.deepEqual(order, [...order].sort());
        await assert.rejects(
          store.findings.importHistory([history(a, 'dns.mx.missing', [['resolved', '2020-01-15T12:00:00Z']])]),
          /must start with opened/,
        );
      } finally {
        await store.close();
      }
    });
  });
}
