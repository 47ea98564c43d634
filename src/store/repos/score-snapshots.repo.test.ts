import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ScoreSnapshotInput, SnapshotFactor } from '../../core/score-snapshots.js';
import { FACTORS } from '../../core/types.js';
import { openStore, SQLITE_FILE_NAME } from '../database.js';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { MIGRATIONS, createMigrator } from '../migrations/migrator.js';
import { testDialects } from '../test-dialects.js';

const factors: SnapshotFactor[] = FACTORS.map((factor) =>
  factor === 'dns_health'
    ? { factor, score: 74.1, grade: 'C', findings: 1, points_lost: 25.9 }
    : { factor, score: null, grade: null, findings: 0, points_lost: 0 },
);

function snapshot(
  organizationId: string,
  takenAt: string,
  extra: Partial<ScoreSnapshotInput> = {},
): ScoreSnapshotInput {
  return {
    organizationId,
    scanId: null,
    takenAt,
    reason: 'scan',
    methodVersion: '1.0.0',
    score: 74.1,
    grade: 'C',
    factors,
    findingCounts: { 'dns.spf.missing': 1 },
    domainCount: 1,
    assetCount: 3,
    ...extra,
  };
}

for (const dialect of testDialects('snapshots')) {
  describe(`score snapshots on ${dialect.name}`, () => {
    let store: Store;
    let orgA: string;
    let orgB: string;
    before(async () => {
      store = await dialect.open();
      const upsert = (name: string) =>
        store.organizations.upsert({ name, sector: 'hospital', domains: [`${name}.example`], telehealth: false });
      orgA = (await upsert('snap-a')).organization.id;
      orgB = (await upsert('snap-b')).organization.id;
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test('a snapshot reads back exactly as written, scores as plain numbers', async () => {
      const written = await store.scoreSnapshots.insertScoreSnapshot(
        snapshot(orgA, '2026-01-10T12:00:00Z', { scanId: 'scan-1' }),
      );
      assert.equal(written.takenAt, '2026-01-10T12:00:00.000Z');
      const read = await store.scoreSnapshots.latestSnapshotAsOf(orgA, '2026-01-10T12:00:00.000Z');
      assert.deepEqual(read, written);
      assert.equal(read?.score, 74.1);
      assert.equal(read?.factors.find((f) => f.factor === 'tls')?.score, null);
    });

    test('as of: the latest at or before the moment, nothing before the first', async () => {
      await store.scoreSnapshots.insertScoreSnapshot(snapshot(orgA, '2026-02-10T12:00:00Z', { score: 80, grade: 'B' }));
      await store.scoreSnapshots.insertScoreSnapshot(
        snapshot(orgA, '2026-03-10T12:00:00Z', { score: null, grade: null, reason: 'dispute' }),
      );
      const at = (asOf: string) => store.scoreSnapshots.latestSnapshotAsOf(orgA, asOf);
      assert.equal(await at('2026-01-10T11:59:59.999Z'), undefined);
      assert.equal((await at('2026-02-10T12:00:00.000Z'))?.score, 80);
      assert.equal((await at('2026-03-01T00:00:00.000Z'))?.grade, 'B');
      const latest = await at('2027-01-01T00:00:00.000Z');
      assert.equal(latest?.score, null);
      assert.equal(latest?.reason, 'dispute');
      assert.equal(await store.scoreSnapshots.latestSnapshotAsOf(orgB, '2027-01-01T00:00:00Z'), undefined);
    });

    test('history: oldest first within inclusive bounds, one organization only', async () => {
      await store.scoreSnapshots.insertScoreSnapshot(snapshot(orgB, '2026-02-15T00:00:00Z'));
      const all = await store.scoreSnapshots.snapshotHistory(orgA);
      assert.deepEqual(
        all.map((s) => s.takenAt),
        ['2026-01-10T12:00:00.000Z', '2026-02-10T12:00:00.000Z', '2026-03-10T12:00:00.000Z'],
      );
      const window = await store.scoreSnapshots.snapshotHistory(orgA, {
        from: '2026-02-10T12:00:00Z',
        to: '2026-03-10T12:00:00Z',
      });
      assert.deepEqual(
        window.map((s) => s.score),
        [80, null],
      );
    });

    test('stream: every snapshot in range in (organization, taken_at) order, across pages', async () => {
      const from = '2026-01-01T00:00:00Z';
      const to = '2026-12-31T23:59:59Z';
      for (let i = 0; i < 5; i++) {
        await store.scoreSnapshots.insertScoreSnapshot(snapshot(orgB, `2026-0${i + 4}-01T00:00:00Z`));
      }
      // Two snapshots at the same instant are both kept and both streamed.
      await store.scoreSnapshots.insertScoreSnapshot(snapshot(orgB, '2026-04-01T00:00:00Z', { reason: 'exclusion' }));
      const streamed = [];
      for await (const s of store.scoreSnapshots.streamSnapshots({ from, to }, 3)) streamed.push(s);
      const expected = [
        ...(await store.scoreSnapshots.snapshotHistory(orgA, { from, to })),
        ...(await store.scoreSnapshots.snapshotHistory(orgB, { from, to })),
      ].sort((a, b) =>
        a.organizationId !== b.organizationId
          ? a.organizationId < b.organizationId
            ? -1
            : 1
          : a.takenAt < b.takenAt
            ? -1
            : a.takenAt > b.takenAt
              ? 1
              : a.id < b.id
                ? -1
                : 1,
      );
      assert.equal(streamed.length, 3 + 7);
      assert.deepEqual(streamed, expected);
      const narrow = [];
      for await (const s of store.scoreSnapshots.streamSnapshots({
        from: '2026-02-01T00:00:00Z',
        to: '2026-02-28T00:00:00Z',
      }))
        narrow.push([s.organizationId, s.takenAt]);
      const feb = [
        [orgA, '2026-02-10T12:00:00.000Z'],
        [orgB, '2026-02-15T00:00:00.000Z'],
      ];
      assert.deepEqual(narrow, orgA < orgB ? feb : feb.reverse());
    });

    test('bad rows are refused before any write, with what is wrong', async () => {
      const before = (await store.scoreSnapshots.snapshotHistory(orgA)).length;
      await assert.rejects(
        store.scoreSnapshots.insertScoreSnapshot(snapshot(orgA, '2026-05-01T00:00:00Z', { score: 101 })),
        (e: unknown) => e instanceof StoreError && e.code === 'invalid-input' && /score/.test(e.message),
      );
      await assert.rejects(
        store.scoreSnapshots.insertScoreSnapshot(snapshot(orgA, '2026-05-01T00:00:00Z', { grade: null })),
        /null together/,
      );
      await assert.rejects(
        store.scoreSnapshots.insertScoreSnapshot(
          snapshot(orgA, '2026-05-01T00:00:00Z', { reason: 'whim' as ScoreSnapshotInput['reason'] }),
        ),
        /reason/,
      );
      await assert.rejects(store.scoreSnapshots.insertScoreSnapshot(snapshot(orgA, 'soon')), /takenAt/);
      await assert.rejects(
        store.scoreSnapshots.insertScoreSnapshot(snapshot('no-such-org', '2026-05-01T00:00:00Z')),
        (e: unknown) => e instanceof StoreError && e.code === 'not-found',
      );
      assert.equal((await store.scoreSnapshots.snapshotHistory(orgA)).length, before);
    });

    test("an organization's removal takes its snapshots with it", async () => {
      const { organization } = await store.organizations.upsert({
        name: 'snap-gone',
        sector: 'clinic',
        domains: ['snap-gone.example'],
        telehealth: false,
      });
      await store.scoreSnapshots.insertScoreSnapshot(snapshot(organization.id, '2026-01-01T00:00:00Z'));
      assert.equal(await store.organizations.remove(organization.id), true);
      assert.deepEqual(await store.scoreSnapshots.snapshotHistory(organization.id), []);
    });
  });
}

describe('migration order', () => {
  test('a database that already ran 0007 accepts an earlier-numbered migration (0006) landing later', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vitals-migration-order-'));
    try {
      await (await openStore({ home })).close();
      const db = new Kysely<unknown>({
        dialect: new SqliteDialect({ database: new Database(join(home, SQLITE_FILE_NAME)) }),
      });
      try {
        const late = {
          async up(trx: Kysely<unknown>) {
            await trx.schema.createTable('late_landing').addColumn('id', 'text').execute();
          },
        };
        const { error, results } = await createMigrator(db, {
          ...MIGRATIONS,
          '0006-late-landing': late,
        }).migrateToLatest();
        assert.equal(error, undefined);
        assert.deepEqual(
          results?.map((r) => [r.migrationName, r.status]),
          [['0006-late-landing', 'Success']],
        );
      } finally {
        await db.destroy();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
