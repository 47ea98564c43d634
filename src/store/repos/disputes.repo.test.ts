/** Disputes, exclusions and the append-only audit log, on every dialect the run can reach. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DisputeError } from '../../core/disputes.js';
import type { Store } from '../database.js';
import { AUDIT_LOG_APPEND_ONLY } from '../migrations/0006-disputes-audit.js';
import { testDialects } from '../test-dialects.js';
import type { Finding } from '../../core/finding.js';
import { seedOrganization } from '../../../test/helpers/seed.js';

const T0 = '2025-03-01T09:00:00.000Z';
const T1 = '2025-03-02T09:00:00.000Z';
const T2 = '2025-03-03T09:00:00.000Z';
const T3 = '2025-03-04T09:00:00.000Z';
const T4 = '2025-03-05T09:00:00.000Z';

/** An organization with one scan's open findings of the given types, all on `host`. */
function orgWithFindings(store: Store, name: string, host: string, types: string[]): Promise<Finding[]> {
  return seedOrganization(
    store,
    name,
    types.map((type) => ({ type, host })),
    T0,
  );
}

async function rejectsWith(work: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof DisputeError, `expected a DisputeError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

for (const dialect of testDialects('disputes')) {
  describe(`disputes on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test('a dispute is open, then accepted once; the as-of sets follow its history and expiry', async () => {
      const [spf, dmarc] = await orgWithFindings(store, 'Dispute Clinic', 'dispute-clinic.example', [
        'dns.spf.missing',
        'dns.dmarc.missing',
      ]);
      assert.ok(spf && dmarc);
      const orgId = spf.organizationId;
      const dispute = await store.disputes.create({
        findingId: spf.id,
        reason: 'compensating_control',
        note: 'mail goes through the gateway that signs everything',
        expiresAt: T4,
        by: 'alice',
        at: T1,
      });
      assert.equal(dispute.status, 'open');
      assert.equal(dispute.findingType, spf.type);
      assert.equal(dispute.organizationName, 'Dispute Clinic');

      assert.deepEqual(await store.disputes.openDisputeFindingIds(orgId, T1), new Set([spf.id]));
      assert.deepEqual(await store.disputes.openDisputeFindingIds(orgId, T0), new Set());
      assert.deepEqual(await store.disputes.acceptedDisputeFindingIds(orgId, T1), new Set());

      await rejectsWith(
        store.disputes.create({
          findingId: spf.id,
          reason: 'fixed',
          note: 'again',
          expiresAt: null,
          by: 'bob',
          at: T1,
        }),
        'already-disputed',
        /already has an open dispute/,
      );

      const accepted = await store.disputes.decide(dispute.id, {
        decision: 'accepted',
        by: 'carol',
        at: T2,
        note: 'gateway checked',
      });
      assert.equal(accepted.status, 'accepted');
      assert.equal(accepted.decidedBy, 'carol');
      await rejectsWith(
        store.disputes.decide(dispute.id, { decision: 'rejected', by: 'dave', at: T3, note: null }),
        'already-decided',
        /already accepted by carol/,
      );

      // Before the decision it was open; from the decision to the expiry accepted; after it, neither.
      assert.deepEqual(await store.disputes.openDisputeFindingIds(orgId, T1), new Set([spf.id]));
      assert.deepEqual(await store.disputes.acceptedDisputeFindingIds(orgId, T1), new Set());
      assert.deepEqual(await store.disputes.openDisputeFindingIds(orgId, T2), new Set());
      assert.deepEqual(await store.disputes.acceptedDisputeFindingIds(orgId, T3), new Set([spf.id]));
      assert.deepEqual(await store.disputes.acceptedDisputeFindingIds(orgId, T4), new Set());

      // What listings show: the dispute in force on each finding, as it stood then.
      const standing = async (at: string) =>
        [...(await store.disputes.inForceByFinding(at, orgId))].map(
          ([finding, d]) => `${finding === spf.id} ${d.status}`,
        );
      assert.deepEqual(await standing(T0), []);
      assert.deepEqual(await standing(T1), ['true open']);
      assert.deepEqual(await standing(T3), ['true accepted']);
      assert.deepEqual(await standing(T4), []);
      assert.deepEqual(
        (await store.disputes.list({ organizationId: orgId, status: 'accepted', at: T3 })).map((d) => d.id),
        [dispute.id],
      );
      assert.deepEqual(
        (await store.disputes.list({ organizationId: orgId, status: 'expired', at: T4 })).map((d) => d.id),
        [dispute.id],
      );
      assert.deepEqual(await store.disputes.list({ organizationId: orgId, status: 'accepted', at: T4 }), []);

      // Once expired, the finding can be disputed again.
      const again = await store.disputes.create({
        findingId: spf.id,
        reason: 'accepted_risk',
        note: 'the board accepts it for another quarter',
        expiresAt: null,
        by: 'alice',
        at: T4,
      });
      assert.equal(again.status, 'open');
    });

    test('rejected disputes stay in the list and never leave the score; clear errors for bad input', async () => {
      const [finding] = await orgWithFindings(store, 'Reject Clinic', 'reject-clinic.example', ['dns.spf.missing']);
      assert.ok(finding);
      const dispute = await store.disputes.create({
        findingId: finding.id,
        reason: 'false_positive',
        note: 'we think the record is there',
        expiresAt: null,
        by: 'alice',
        at: T1,
      });
      await store.disputes.decide(dispute.id, { decision: 'rejected', by: 'bob', at: T2, note: 'it is not' });
      assert.deepEqual(await store.disputes.acceptedDisputeFindingIds(finding.organizationId, T3), new Set());
      assert.deepEqual(await store.disputes.openDisputeFindingIds(finding.organizationId, T3), new Set());
      assert.deepEqual(await store.disputes.openDisputeFindingIds(finding.organizationId, T1), new Set([finding.id]));
      assert.equal((await store.disputes.get(dispute.id))?.status, 'rejected');

      const base = { findingId: finding.id, note: 'n', expiresAt: null, by: 'x', at: T3 } as const;
      await rejectsWith(store.disputes.create({ ...base, reason: 'because' as never }), 'bad-reason', /false_positive/);
      await rejectsWith(store.disputes.create({ ...base, reason: 'fixed', expiresAt: T2 }), 'past-expiry');
      await rejectsWith(store.disputes.create({ ...base, reason: 'fixed', note: '  ' }), 'empty-text');
      await rejectsWith(
        store.disputes.create({ ...base, reason: 'fixed', findingId: '00000000-0000-0000-0000-000000000000' }),
        'unknown-finding',
      );
      await rejectsWith(
        store.disputes.decide('00000000-0000-0000-0000-000000000000', {
          decision: 'accepted',
          by: 'x',
          at: T3,
          note: null,
        }),
        'unknown-dispute',
      );
      assert.deepEqual(await store.disputes.idsStartingWith('disputes', dispute.id.slice(0, 8)), [dispute.id]);
      assert.deepEqual(await store.disputes.idsStartingWith('findings', '%'), []);
    });

    test('an open dispute past its expiry cannot be decided', async () => {
      const [finding] = await orgWithFindings(store, 'Lapse Clinic', 'lapse-clinic.example', ['dns.spf.missing']);
      assert.ok(finding);
      const dispute = await store.disputes.create({
        findingId: finding.id,
        reason: 'accepted_risk',
        note: 'until the migration',
        expiresAt: T2,
        by: 'alice',
        at: T1,
      });
      await rejectsWith(
        store.disputes.decide(dispute.id, { decision: 'accepted', by: 'bob', at: T3, note: null }),
        'dispute-expired',
      );
      assert.equal(
        (await store.disputes.list({ status: 'expired', at: T3 })).some((d) => d.id === dispute.id),
        true,
      );
    });

    test('exclusions: once per host, from their time on; organizations found by host', async () => {
      const [finding] = await orgWithFindings(store, 'Exclude Clinic', 'exclude-clinic.example', ['dns.spf.missing']);
      assert.ok(finding);
      const orgId = finding.organizationId;
      assert.deepEqual(await store.disputes.organizationsWithHost('EXCLUDE-CLINIC.example.'), [orgId]);
      assert.deepEqual(await store.disputes.organizationsWithHost('nobody.example'), []);
      const exclusion = await store.disputes.exclude({
        organizationId: orgId,
        host: 'Exclude-Clinic.Example',
        reason: 'sold to another practice in 2024',
        by: 'alice',
        at: T1,
      });
      assert.equal(exclusion.host, 'exclude-clinic.example');
      assert.deepEqual(await store.disputes.excludedHosts(orgId, T0), new Set());
      assert.deepEqual(await store.disputes.excludedHosts(orgId, T1), new Set(['exclude-clinic.example']));
      await rejectsWith(
        store.disputes.exclude({ organizationId: orgId, host: 'exclude-clinic.example', reason: 'r', by: 'b', at: T2 }),
        'already-excluded',
        /already excluded from Exclude Clinic \(by alice/,
      );
      assert.deepEqual(
        (await store.disputes.listExclusions(orgId)).map((e) => [e.host, e.reason, e.createdBy]),
        [['exclude-clinic.example', 'sold to another practice in 2024', 'alice']],
      );
    });

    test('the audit log has a row per change, in order, written with it; a refused change writes none', async () => {
      const [finding] = await orgWithFindings(store, 'Audit Clinic', 'audit-clinic.example', ['dns.spf.missing']);
      assert.ok(finding);
      const orgId = finding.organizationId;
      const dispute = await store.disputes.create({
        findingId: finding.id,
        reason: 'not_ours',
        note: 'the host is the landlord’s',
        expiresAt: T4,
        by: 'alice',
        at: T1,
      });
      await store.disputes.decide(dispute.id, { decision: 'accepted', by: 'bob', at: T2, note: 'lease checked' });
      await assert.rejects(store.disputes.decide(dispute.id, { decision: 'rejected', by: 'eve', at: T3, note: null }));
      await store.disputes.exclude({
        organizationId: orgId,
        host: 'audit-clinic.example',
        reason: 'r',
        by: 'carol',
        at: T3,
      });

      const entries = await store.audit.list({ organizationId: orgId });
      assert.deepEqual(
        entries.map((e) => [e.action, e.actor, e.at, e.reason, e.note]),
        [
          ['dispute.add', 'alice', T1, 'not_ours', 'the host is the landlord’s'],
          ['dispute.accept', 'bob', T2, 'not_ours', 'lease checked'],
          ['asset.exclude', 'carol', T3, 'r', null],
        ],
      );
      assert.equal(entries[0]?.subjectId, dispute.id);
      assert.equal(entries[0]?.findingId, finding.id);
      assert.deepEqual(entries[0]?.details, { expires_at: T4 });
      // seq numbers the whole log gap-free, across organizations.
      const all = await store.audit.list();
      assert.deepEqual(
        all.map((e) => e.seq),
        all.map((_, i) => i + 1),
      );

      // A change that fails after its audit row is written rolls back both.
      await assert.rejects(
        store.transaction(async (repos) => {
          await repos.disputes.exclude({ organizationId: orgId, host: 'other.example', reason: 'r', by: 'x', at: T4 });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await store.audit.list({ organizationId: orgId })).length, 3);
      assert.deepEqual(await store.disputes.excludedHosts(orgId, T4), new Set(['audit-clinic.example']));
    });

    test('the database refuses UPDATE and DELETE on the audit log, from any connection', async () => {
      const before = await store.audit.list();
      assert.ok(before.length > 0);
      const attempts = [`UPDATE audit_log SET actor = 'mallory'`, `DELETE FROM audit_log`];
      if (dialect.name === 'PostgreSQL') attempts.push('TRUNCATE audit_log');
      for (const statement of attempts) {
        await assert.rejects(dialect.runSql(statement), new RegExp(AUDIT_LOG_APPEND_ONLY), statement);
      }
      assert.deepEqual(await store.audit.list(), before);
      // Appending is what the log is for: a plain INSERT still works.
      await dialect.runSql(
        `INSERT INTO audit_log (seq, id, at, actor, action, organization_id, organization_name, subject_id, details)
         VALUES (${before.length + 1}, 'manual', '${T4}', 'dba', 'asset.exclude', 'o', 'O', 's', '{}')`,
      );
      assert.equal((await store.audit.list()).length, before.length + 1);
    });

    test('deleting an organization takes its disputes and exclusions but not its audit rows', async () => {
      const [finding] = await orgWithFindings(store, 'Gone Clinic', 'gone-clinic.example', ['dns.spf.missing']);
      assert.ok(finding);
      await store.disputes.create({
        findingId: finding.id,
        reason: 'fixed',
        note: 'patched',
        expiresAt: null,
        by: 'alice',
        at: T1,
      });
      assert.equal(await store.organizations.remove(finding.organizationId), true);
      assert.deepEqual(await store.disputes.list({ organizationId: finding.organizationId, at: T2 }), []);
      const kept = await store.audit.list({ organizationId: finding.organizationId });
      assert.deepEqual(
        kept.map((e) => [e.action, e.organizationName]),
        [['dispute.add', 'Gone Clinic']],
      );
    });
  });
}
