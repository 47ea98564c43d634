/** Many snapshots in one call: all written, or none (a bad row or an unknown organization). */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FACTORS } from '../../core/types.js';
import type { ScoreSnapshotInput } from '../../core/score-snapshots.js';
import { testDialects } from '../test-dialects.js';

const dialects = testDialects('snapshot_batch');
after(async () => {
  for (const dialect of dialects) await dialect.dispose();
});

const row = (organizationId: string, takenAt: string, score: number): ScoreSnapshotInput => ({
  organizationId,
  scanId: null,
  takenAt,
  reason: 'history',
  methodVersion: 'test',
  score,
  grade: 'A',
  factors: FACTORS.map((factor) => ({ factor, score: null, grade: null, findings: 0, points_lost: 0 })),
  findingCounts: {},
  domainCount: 1,
  assetCount: 1,
});

for (const dialect of dialects) {
  describe(`insertScoreSnapshots on ${dialect.name}`, () => {
    test('writes every row, and nothing when one row is bad', async () => {
      const store = await dialect.open();
      try {
        const { organization } = await store.organizations.upsert({
          name: 'Batch Clinic',
          sector: 'clinic',
          domains: ['batch.test'],
          telehealth: false,
        });
        const id = organization.id;
        const rows = Array.from({ length: 1200 }, (_, i) =>
          row(id, new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(), 90),
        );
        assert.equal(await store.scoreSnapshots.insertScoreSnapshots(rows), 1200);
        const history = await store.scoreSnapshots.snapshotHistory(id);
        assert.equal(history.length, 1200, 'more than two statement chunks, all written');

        await assert.rejects(
          store.scoreSnapshots.insertScoreSnapshots([row(id, '2021-01-01T00:00:00Z', 101)]),
          /score/,
        );
        await assert.rejects(
          store.scoreSnapshots.insertScoreSnapshots([
            row(id, '2021-01-01T00:00:00Z', 90),
            row('no-such-organization', '2021-01-01T00:00:00Z', 90),
          ]),
        );
        assert.equal((await store.scoreSnapshots.snapshotHistory(id)).length, 1200, 'a failed batch writes nothing');
      } finally {
        await store.close();
      }
    });
  });
}
