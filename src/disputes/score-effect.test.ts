/**
 * What a dispute does to the score, end to end through the store, the ratings service and the
 * scorecard: open, the score is the same and the finding is marked disputed; accepted, the score rises
 * by exactly the points the finding was costing (and a snapshot records it); expired, it is back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordScoreSnapshot } from '../ratings/snapshots.js';
import { scorecardFor } from '../ratings/scorecard.js';
import type { Store } from '../store/database.js';
import { testDialects } from '../store/test-dialects.js';
import { seedOrganization } from '../../test/helpers/seed.js';
import { addDispute, decideDispute, excludeAsset } from './service.js';

const SEEN = '2026-01-01T00:00:00.000Z';
const OPENED = new Date('2026-01-02T00:00:00.000Z');
const ACCEPTED = new Date('2026-01-03T00:00:00.000Z');
/** `--expires 2026-01-04`: through that day, so it lapses when 2026-01-05 begins. */
const EXPIRES = '2026-01-04';
const AFTER_EXPIRY = new Date('2026-01-06T00:00:00.000Z');

for (const dialect of testDialects('score_effect')) {
  describe(`a dispute's effect on the score, on ${dialect.name}`, () => {
    let store: Store;
    let organizationId: string;
    let leakId: string;
    let spfId: string;
    before(async () => {
      store = await dialect.open();
      // The leaked credentials are the only information_leak finding: its factor's lost points are all its own.
      const findings = await seedOrganization(
        store,
        'Effect Clinic',
        [
          { type: 'dns.spf.missing', host: 'effect-clinic.example' },
          { type: 'dns.caa.missing', host: 'effect-clinic.example' },
          { type: 'darkweb.credentials_leaked', host: 'effect-clinic.example' },
          { type: 'dns.dmarc.missing', host: 'mail.effect-clinic.example' },
        ],
        SEEN,
      );
      organizationId = findings[0]!.organizationId;
      leakId = findings.find((f) => f.type === 'darkweb.credentials_leaked')!.id;
      spfId = findings.find((f) => f.type === 'dns.spf.missing')!.id;
      await recordScoreSnapshot(store, organizationId, {
        reason: 'scan',
        at: SEEN,
        assessedFactors: ['dns_health', 'information_leak'],
      });
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    const card = (now: Date, asOf?: string) =>
      scorecardFor(store, organizationId, asOf === undefined ? { now } : { now, asOf });

    test('open: same score, disputed; accepted: up by exactly its points; expired: back', async () => {
      const before = await card(OPENED);
      const leak = before.findings.find((f) => f.id === leakId);
      assert.ok(leak && leak.points_lost > 0, 'the leak costs points');
      assert.equal(leak.disputed, false);
      assert.ok(before.score !== null && before.score < 100);

      const dispute = await addDispute(
        store,
        {
          finding: leakId.slice(0, 8),
          reason: 'compensating_control',
          note: 'passwords rotated, MFA enforced',
          expires: EXPIRES,
          by: 'alice',
        },
        { now: () => OPENED },
      );
      const open = await card(OPENED);
      assert.equal(open.score, before.score, 'an open dispute changes nothing in the score');
      assert.equal(open.findings.find((f) => f.id === leakId)?.disputed, true);
      assert.deepEqual(
        open.disputes.map((d) => [d.dispute_id, d.status, d.points_lost]),
        [[dispute.id, 'open', leak.points_lost]],
      );
      assert.equal(open.top_issues.find((i) => i.type === 'darkweb.credentials_leaked')?.disputed, 1);

      await decideDispute(store, { dispute: dispute.id, decision: 'accepted', by: 'bob' }, { now: () => ACCEPTED });
      const accepted = await card(ACCEPTED);
      // Points are in hundredths and the score has one decimal: before + points, to the score's precision.
      assert.equal(accepted.score, Math.round((before.score + leak.points_lost) * 10) / 10);
      // The other factors lose what they lost before (attributions add up to 100 - the rounded score, so a
      // factor's points can move by the score's last rounding, under 0.05): only the leak's points came back.
      const lost = (c: typeof before) =>
        c.factors.filter((f) => f.factor !== 'information_leak').map((f) => f.points_lost);
      for (const [i, points] of lost(accepted).entries()) {
        assert.ok(Math.abs(points - lost(before)[i]!) < 0.05, `${points}`);
      }
      assert.equal(accepted.factors.find((f) => f.factor === 'information_leak')?.points_lost, 0);
      assert.equal(
        accepted.findings.some((f) => f.id === leakId),
        false,
      );
      assert.deepEqual(
        accepted.disputes.map((d) => [d.status, d.points_lost]),
        [['accepted', null]],
      );
      const history = await store.scoreSnapshots.snapshotHistory(organizationId);
      assert.deepEqual(
        history.map((s) => [s.reason, s.takenAt, s.score]),
        [
          ['scan', SEEN, before.score],
          ['dispute', ACCEPTED.toISOString(), accepted.score],
        ],
      );
      // Kept in history: the scorecard as of the day the dispute was opened still counts the finding.
      const asOpened = await card(AFTER_EXPIRY, '2026-01-02');
      assert.equal(asOpened.score, before.score);
      assert.deepEqual(
        asOpened.disputes.map((d) => d.status),
        ['open'],
      );

      const expired = await card(AFTER_EXPIRY);
      assert.equal(expired.score, before.score, 'an expired dispute brings the finding back');
      assert.equal(expired.findings.find((f) => f.id === leakId)?.disputed, false);
      assert.deepEqual(expired.disputes, []);
    });

    test('a rejection leaves the score as it was and is recorded; an exclusion removes the host', async () => {
      const now = new Date('2026-01-07T00:00:00.000Z');
      const before = await card(now);
      const dispute = await addDispute(
        store,
        { finding: spfId, reason: 'false_positive', note: 'we send no mail', by: 'carol' },
        { now: () => now },
      );
      const later = new Date('2026-01-08T00:00:00.000Z');
      await decideDispute(store, { dispute: dispute.id, decision: 'rejected', by: 'dan' }, { now: () => later });
      assert.equal((await card(later)).score, before.score);
      const rejected = await store.scoreSnapshots.latestSnapshotAsOf(organizationId, later.toISOString());
      assert.deepEqual([rejected?.reason, rejected?.score], ['dispute', before.score]);

      const excludedAt = new Date('2026-01-09T00:00:00.000Z');
      await excludeAsset(
        store,
        { host: 'mail.effect-clinic.example', reason: 'the mail relay is the landlord’s', by: 'erin' },
        { now: () => excludedAt },
      );
      const excluded = await card(excludedAt);
      assert.ok(excluded.score !== null && excluded.score > before.score!, 'the excluded host no longer costs points');
      assert.equal(
        excluded.findings.some((f) => f.asset === 'mail.effect-clinic.example'),
        false,
      );
      assert.deepEqual(excluded.excluded_hosts, ['mail.effect-clinic.example']);
      const snapshot = await store.scoreSnapshots.latestSnapshotAsOf(organizationId, excludedAt.toISOString());
      assert.deepEqual([snapshot?.reason, snapshot?.score], ['exclusion', excluded.score]);
      assert.deepEqual(
        (await store.audit.list({ organizationId })).map((e) => e.action),
        ['dispute.add', 'dispute.accept', 'dispute.add', 'dispute.reject', 'asset.exclude'],
      );
    });
  });
}
