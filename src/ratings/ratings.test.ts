/**
 * The ratings service over a real store (SQLite, and PostgreSQL when VITALS_TEST_DATABASE_URL is set):
 * scorecards now and as of a date, snapshots, organization lookup and trends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getScoringMethod } from '../catalogue/scoring-method.js';
import { recordDarkwebFindings } from '../darkweb/findings.js';
import { factorsAssessed } from '../scanner/persist.js';
import { InvalidInputError } from '../core/names.js';
import { rate } from '../scoring/rate.js';
import type { Store } from '../store/database.js';
import type { FindingInput } from '../core/finding.js';
import { testDialects } from '../store/test-dialects.js';
import { currentScores } from './portfolio-scores.js';
import { parseAsOf, resolveOrganization, scorecardFor } from './scorecard.js';
import { recordScoreSnapshot } from './snapshots.js';

const T0 = '2026-03-01T10:00:00.000Z';
const NOW = new Date('2026-03-02T00:00:00.000Z');

for (const dialect of testDialects('ratings')) {
  describe(`ratings service on ${dialect.name}`, () => {
    let store: Store;
    let clinicId: string;
    before(async () => {
      store = await dialect.open();
      const { organization } = await store.organizations.upsert({
        name: 'Ratings Clinic',
        sector: 'clinic',
        domains: ['ratings-clinic.example'],
        aliases: ['RC'],
        telehealth: false,
      });
      clinicId = organization.id;
      await store.assets.upsertMany(
        clinicId,
        [
          { hostname: 'ratings-clinic.example', sources: ['apex'], addresses: [] },
          { hostname: 'www.ratings-clinic.example', sources: ['wordlist'], addresses: [] },
        ],
        T0,
      );
      const finding = (type: string, host: string, severity: FindingInput['severity']): FindingInput => ({
        organizationId: clinicId,
        type,
        factor: 'dns_health',
        severity,
        asset: { host },
        evidence: {},
        observedAt: T0,
      });
      const scan = await store.scans.create({ scope: {}, startedAt: T0 });
      await store.findings.recordScanResults(
        scan.id,
        [{ organizationId: clinicId, assetHosts: ['ratings-clinic.example'] }],
        [
          finding('dns.dmarc.missing', 'ratings-clinic.example', 'medium'),
          finding('dns.cname.dangling', 'old.ratings-clinic.example', 'high'),
          finding('dns.cname.dangling', 'www.ratings-clinic.example', 'high'),
        ],
      );
      await recordScoreSnapshot(store, clinicId, {
        reason: 'scan',
        at: T0,
        scanId: scan.id,
        assessedFactors: ['dns_health'],
      });
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test('the scan snapshot: DNS rated, everything else not rated, method version stored', async () => {
      const [snapshot] = await store.scoreSnapshots.snapshotHistory(clinicId);
      assert.ok(snapshot);
      // DNS: 15 + 7.5 + 6 = 28.5 (2 assets: no size scaling) -> 100 e^-0.57 = 56.55 -> 56.6, F.
      assert.equal(snapshot.score, 56.6);
      assert.equal(snapshot.grade, 'F');
      assert.equal(snapshot.methodVersion, getScoringMethod().version);
      assert.deepEqual(snapshot.findingCounts, { 'dns.cname.dangling': 2, 'dns.dmarc.missing': 1 });
      assert.equal(snapshot.assetCount, 2);
      assert.equal(snapshot.domainCount, 1);
      const rated = snapshot.factors.filter((f) => f.score !== null).map((f) => f.factor);
      assert.deepEqual(rated, ['dns_health']);
      assert.equal(snapshot.factors.find((f) => f.factor === 'dns_health')?.points_lost, 43.4);
    });

    test('the live scorecard: issue JSON shape, lost points add up, plan ends at 100', async () => {
      const card = await scorecardFor(store, 'Ratings Clinic', { now: NOW });
      assert.equal(card.source, 'live');
      assert.equal(card.as_of, NOW.toISOString());
      assert.equal(card.score, 56.6);
      for (const key of [
        'organization',
        'as_of',
        'method_version',
        'score',
        'grade',
        'factors',
        'top_issues',
        'plan',
      ]) {
        assert.ok(key in card, key);
      }
      const tls = card.factors.find((f) => f.factor === 'tls');
      assert.deepEqual(tls, { factor: 'tls', score: null, grade: null, findings: 0, points_lost: 0 });
      const lost = (xs: { points_lost: number | null }[]): number =>
        xs.reduce((sum, x) => sum + Math.round((x.points_lost ?? 0) * 100), 0);
      assert.equal(lost(card.factors), Math.round((100 - card.score!) * 100));
      assert.equal(lost(card.findings), Math.round((100 - card.score!) * 100));
      assert.deepEqual(
        card.top_issues.map((i) => [i.type, i.findings, i.hosts.length]),
        [
          ['dns.cname.dangling', 2, 2],
          ['dns.dmarc.missing', 1, 1],
        ],
      );
      assert.equal(card.plan[0]?.type, 'dns.cname.dangling');
      assert.equal(card.plan.at(-1)?.score_after, 100);
      assert.ok(card.plan[0]!.remediation.length > 0);
    });

    test('as of a date: answered from the latest snapshot at or before it, errors before history', async () => {
      const card = await scorecardFor(store, clinicId, { asOf: '2026-03-01', now: NOW });
      assert.equal(card.source, 'snapshot');
      assert.equal(card.as_of, '2026-03-01T23:59:59.999Z');
      assert.equal(card.snapshot?.taken_at, T0);
      assert.equal(card.score, 56.6);
      assert.deepEqual(card.plan, []);
      // The snapshot kept the points each type cost: they add up to what the score lost, largest first.
      assert.deepEqual(card.top_issues.map((i) => [i.type, i.findings]).sort(), [
        ['dns.cname.dangling', 2],
        ['dns.dmarc.missing', 1],
      ]);
      const points = card.top_issues.map((i) => i.points_lost!);
      assert.ok(points.every((p) => p > 0));
      assert.deepEqual(
        points,
        [...points].sort((a, b) => b - a),
      );
      assert.equal(Math.round(points.reduce((a, b) => a + b, 0) * 100), Math.round((100 - card.score!) * 100));
      await assert.rejects(
        scorecardFor(store, clinicId, { asOf: '2026-02-28', now: NOW }),
        /history starts 2026-03-01/,
      );
    });

    test('a snapshot without a scan keeps the factors rated before; resolving findings raises the score', async () => {
      const scan = await store.scans.create({ scope: {}, startedAt: '2026-03-01T12:00:00Z' });
      await store.findings.recordScanResults(
        scan.id,
        [{ organizationId: clinicId, assetHosts: ['old.ratings-clinic.example'], types: ['dns.cname.dangling'] }],
        [],
        { resolvedAt: '2026-03-01T12:00:00Z' },
      );
      const snapshot = await recordScoreSnapshot(store, clinicId, { reason: 'dispute', at: '2026-03-01T12:00:00Z' });
      // 15 + 6 = 21 -> 100 e^-0.42 = 65.70
      assert.equal(snapshot.score, 65.7);
      assert.deepEqual(
        snapshot.factors.filter((f) => f.score !== null).map((f) => f.factor),
        ['dns_health'],
      );
      const input = {
        asOf: '2026-03-01T12:00:00.000Z',
        assetCount: 2,
        assessedFactors: ['dns_health' as const],
        findings: [],
      };
      assert.equal(rate(input, getScoringMethod()).score, 100);
    });

    test('a snapshot is written in the caller transaction and rolls back with it', async () => {
      const before = (await store.scoreSnapshots.snapshotHistory(clinicId)).length;
      await assert.rejects(
        store.transaction(async (repos) => {
          await recordScoreSnapshot(repos, clinicId, { reason: 'exclusion', at: '2026-03-01T13:00:00Z' });
          throw new Error('decision failed');
        }),
        /decision failed/,
      );
      assert.equal((await store.scoreSnapshots.snapshotHistory(clinicId)).length, before);
    });

    test('organizations by id, name, alias, domain or a name below it; unknown ones are a clear error', async () => {
      for (const ref of [clinicId, 'ratings clinic', 'rc', 'ratings-clinic.example', 'WWW.Ratings-Clinic.example.']) {
        assert.equal((await resolveOrganization(store, ref)).id, clinicId, ref);
      }
      await assert.rejects(
        resolveOrganization(store, 'nobody.example'),
        (e: unknown) => e instanceof InvalidInputError && /not an id, name, alias or domain/.test(e.message),
      );
    });

    test('trend: points since the snapshot of 30 days ago (or the first one)', async () => {
      const { organization } = await store.organizations.upsert({
        name: 'Trend Hospital',
        sector: 'hospital',
        domains: ['trend.example'],
        telehealth: false,
      });
      const unrated = (await currentScores(store, [organization.id], NOW)).get(organization.id)!;
      assert.deepEqual([unrated.score, unrated.grade, unrated.trend, unrated.trendSince], [null, null, null, null]);
      // A first snapshot of an hour ago is no history yet: no trend, not "0.0".
      await store.scoreSnapshots.insertScoreSnapshot({
        organizationId: organization.id,
        scanId: null,
        takenAt: new Date(NOW.getTime() - 3_600_000).toISOString(),
        reason: 'scan',
        methodVersion: '1.0.0',
        score: 100,
        grade: 'A',
        factors: [{ factor: 'dns_health', score: 100, grade: 'A', findings: 0, points_lost: 0 }],
        findingCounts: {},
        domainCount: 1,
        assetCount: 1,
      });
      const first = (await currentScores(store, [organization.id], NOW)).get(organization.id)!;
      assert.deepEqual([first.score, first.trend, first.trendSince], [100, null, null]);
      await store.scoreSnapshots.insertScoreSnapshot({
        organizationId: organization.id,
        scanId: null,
        takenAt: '2026-01-01T00:00:00Z',
        reason: 'history',
        methodVersion: '1.0.0',
        score: 61.5,
        grade: 'D',
        factors: [{ factor: 'dns_health', score: 61.5, grade: 'D', findings: 2, points_lost: 38.5 }],
        findingCounts: { 'dns.spf.missing': 2 },
        domainCount: 1,
        assetCount: 1,
      });
      // DNS was rated in January and has no open finding now: 100, 38.5 points up.
      const now = (await currentScores(store, [organization.id], NOW)).get(organization.id)!;
      assert.equal(now.score, 100);
      assert.equal(now.trend, 38.5);
      assert.equal(now.trendSince, '2026-01-01T00:00:00.000Z');
    });
  });
}

describe('--as-of parsing', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  test('a date is the end of that day; today is up to now; timestamps keep their zone', () => {
    assert.equal(parseAsOf('2026-03-01', now), '2026-03-01T23:59:59.999Z');
    assert.equal(parseAsOf('2026-06-15', now), now.toISOString());
    assert.equal(parseAsOf('2026-03-01T10:00:00+02:00', now), '2026-03-01T08:00:00.000Z');
  });
  test('bad or future dates are refused with what was expected', () => {
    assert.throws(() => parseAsOf('2026-02-31', now), /not a calendar date/);
    assert.throws(() => parseAsOf('yesterday', now), /expected a date YYYY-MM-DD/);
    assert.throws(() => parseAsOf('2026-03-01T10:00:00', now), /expected a date/);
    assert.throws(() => parseAsOf('2026-06-16', now), /in the future/);
  });
});

describe('snapshots written by scans', () => {
  test('a target scan assesses the factors of the checks that could judge it, not of those that could not', () => {
    const result = {
      target: { domain: 'a.example', organization: 'A' },
      status: 'scanned' as const,
      outcome: { findings: [], controls: [], notAssessed: [] },
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
      checks: [
        { check: 'spf', types: ['dns.spf.missing'], notAssessedHosts: [] },
        { check: 'leaks', types: ['darkweb.phi_exposure'], notAssessedHosts: ['a.example'] },
      ],
    };
    assert.deepEqual(factorsAssessed(result), ['dns_health']);
  });

  for (const dialect of testDialects('ratings_darkweb')) {
    test(
      `${dialect.name}: the dark-web analysis rates the dark-web factors of every organization it ` + `covered`,
      async () => {
        const store = await dialect.open();
        try {
          const { organization } = await store.organizations.upsert({
            name: 'Quiet Pharmacy',
            sector: 'pharmacy',
            domains: ['quiet.example'],
            telehealth: false,
          });
          const at = new Date('2026-04-01T00:00:00Z');
          await recordDarkwebFindings(store, { now: at });
          const [snapshot] = await store.scoreSnapshots.snapshotHistory(organization.id);
          assert.equal(snapshot?.takenAt, at.toISOString());
          assert.equal(snapshot?.reason, 'scan');
          // No mentions: both dark-web factors are assessed and clean, DNS was never looked at.
          assert.deepEqual(
            snapshot?.factors.filter((f) => f.score !== null).map((f) => [f.factor, f.score]),
            [
              ['hacker_chatter', 100],
              ['information_leak', 100],
            ],
          );
          assert.equal(snapshot?.score, 100);
        } finally {
          await store.close();
          await dialect.dispose();
        }
      },
    );
  }
});

for (const dialect of testDialects('ratings_disputes')) {
  test(
    `${dialect.name}: an open dispute still costs points and shows; accepted it leaves the score until it ` +
      `expires; an excluded host's findings leave it`,
    async () => {
      const store = await dialect.open();
      try {
        const { organization } = await store.organizations.upsert({
          name: 'Dispute Clinic',
          sector: 'clinic',
          domains: ['dispute.example'],
          telehealth: false,
        });
        const id = organization.id;
        const t = (day: number) => `2026-05-${String(day).padStart(2, '0')}T00:00:00.000Z`;
        const scan = await store.scans.create({ scope: {}, startedAt: t(1) });
        const base = { organizationId: id, factor: 'dns_health' as const, evidence: {}, observedAt: t(1) };
        await store.findings.recordScanResults(
          scan.id,
          [{ organizationId: id, assetHosts: ['dispute.example'] }],
          [
            { ...base, type: 'dns.spf.missing', severity: 'medium', asset: { host: 'dispute.example' } },
            { ...base, type: 'dns.cname.dangling', severity: 'high', asset: { host: 'legacy.dispute.example' } },
          ],
        );
        // 15 + 6 = 21 -> 100 e^-0.42 = 65.7
        const first = await recordScoreSnapshot(store, id, {
          reason: 'scan',
          at: t(1),
          assessedFactors: ['dns_health'],
        });
        assert.equal(first.score, 65.7);
        const dangling = (await store.findings.listFindings({ organizationId: id, type: 'dns.cname.dangling' }))[0]!;

        const dispute = await store.disputes.create({
          findingId: dangling.id,
          reason: 'not_ours',
          note: 'the legacy host went to a vendor',
          expiresAt: t(20),
          by: 'ciso',
          at: t(2),
        });
        const open = await scorecardFor(store, id, { now: new Date(t(3)) });
        assert.equal(open.score, 65.7, 'an open dispute stays in the score');
        assert.equal(open.findings.find((f) => f.id === dangling.id)?.disputed, true);
        assert.equal(open.top_issues.find((i) => i.type === 'dns.cname.dangling')?.disputed, 1);

        await store.disputes.decide(dispute.id, { decision: 'accepted', by: 'rater', at: t(4), note: null });
        // Only SPF: 6 -> 100 e^-0.12 = 88.7
        assert.equal((await recordScoreSnapshot(store, id, { reason: 'dispute', at: t(4) })).score, 88.7);
        // History keeps what was scored before the decision.
        assert.equal((await scorecardFor(store, id, { asOf: '2026-05-03', now: new Date(t(5)) })).score, 65.7);

        await store.disputes.exclude({
          organizationId: id,
          host: 'dispute.example',
          reason: 'parked',
          by: 'ciso',
          at: t(6),
        });
        const excluded = await recordScoreSnapshot(store, id, { reason: 'exclusion', at: t(6) });
        assert.equal(excluded.score, 100, 'nothing left to score, DNS still rated');
        assert.deepEqual(excluded.findingCounts, {});

        // The acceptance expires on the 20th: the dangling CNAME counts again (15 -> 74.1).
        assert.equal((await scorecardFor(store, id, { now: new Date(t(21)) })).score, 74.1);
      } finally {
        await store.close();
        await dialect.dispose();
      }
    },
  );
}
