/**
 * Disputes of findings and exclusions of assets (issue #10 section 5). Every creation, decision and
 * exclusion writes its audit row in its own transaction (audit.repo.ts), so no change exists without
 * its record. Nothing here deletes: a decided or expired dispute stays, which is what lets the ratings
 * service answer "as of" any past date (the as-of queries at the end).
 */
import type { Kysely, Selectable } from 'kysely';
import { DISPUTE_REASONS, DisputeError, STORED_DISPUTE_STATUSES, disputeStatusAt } from '../../core/disputes.js';
import type {
  AssetExclusion,
  Dispute,
  DisputeDecision,
  DisputeReason,
  DisputeStatus,
  StoredDisputeStatus,
} from '../../core/disputes.js';
import { inTransaction, isoTimestamp, newId } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';
import type { DisputesTable } from '../schema-disputes.js';
import { appendAudit, isPostgres } from './audit.repo.js';
import { normalizeHost } from './assets.repo.js';

/** A new dispute. Timestamps are ISO 8601 (normalised to UTC here). */
export interface DisputeInput {
  findingId: string;
  reason: DisputeReason;
  note: string;
  expiresAt: string | null;
  by: string;
  at: string;
}

/** A decision on an open dispute. */
export interface DecisionInput {
  decision: DisputeDecision;
  by: string;
  at: string;
  note: string | null;
}

/** Filters of `list`; `status` is judged at `at` (an accepted dispute past its expiry is `expired`). */
export interface DisputeFilter {
  organizationId?: string;
  status?: DisputeStatus;
  at: string;
}

/** A new exclusion of `host` from `organizationId`'s assets. */
export interface ExclusionInput {
  organizationId: string;
  host: string;
  reason: string;
  by: string;
  at: string;
}

/** A dispute row with what it is about. */
type DisputeRow = Selectable<DisputesTable> & { organization_name: string; finding_type: string; asset_host: string };

function toDispute(row: DisputeRow): Dispute {
  if (!(DISPUTE_REASONS as readonly string[]).includes(row.reason)) {
    throw new StoreError('database-corrupt', `dispute ${row.id}: unknown reason ${row.reason}`);
  }
  if (!(STORED_DISPUTE_STATUSES as readonly string[]).includes(row.status)) {
    throw new StoreError('database-corrupt', `dispute ${row.id}: unknown status ${row.status}`);
  }
  return {
    id: row.id,
    findingId: row.finding_id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    findingType: row.finding_type,
    assetHost: row.asset_host,
    reason: row.reason as DisputeReason,
    note: row.note,
    status: row.status as StoredDisputeStatus,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
  };
}

/** Who did it: required, one line, bounded (it is printed in listings). */
function actorOf(by: string): string {
  const actor = by.trim();
  if (actor === '') throw new DisputeError('empty-text', 'who made the change is empty (--by NAME)');
  if (actor.length > 200 || /[\r\n]/.test(actor)) {
    throw new DisputeError('empty-text', '--by must be one line of at most 200 characters');
  }
  return actor;
}

/** A required explanation: not blank, at most 4,000 characters. */
function textOf(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new DisputeError('empty-text', `${what} is empty: say why`);
  if (trimmed.length > 4000) throw new DisputeError('empty-text', `${what} is longer than 4,000 characters`);
  return trimmed;
}

/** Data access for disputes and asset exclusions. */
export class DisputesRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  private disputeRows(db: Kysely<StoreSchema>) {
    return db
      .selectFrom('disputes')
      .innerJoin('findings', 'findings.id', 'disputes.finding_id')
      .innerJoin('organizations', 'organizations.id', 'disputes.organization_id')
      .selectAll('disputes')
      .select(['organizations.name as organization_name', 'findings.type as finding_type', 'findings.asset_host']);
  }

  /** Ids of findings (`table` `findings`) or disputes starting with `prefix` (lower-case hex), at most `limit`. */
  async idsStartingWith(table: 'findings' | 'disputes', prefix: string, limit = 2): Promise<string[]> {
    if (!/^[0-9a-f-]+$/.test(prefix)) return [];
    // The prefix holds no LIKE wildcard (checked above), so it matches literally.
    const rows = await this.db.selectFrom(table).select('id').where('id', 'like', `${prefix}%`).limit(limit).execute();
    return rows.map((r) => r.id);
  }

  /** One dispute by id. */
  async get(id: string): Promise<Dispute | undefined> {
    const row = await this.disputeRows(this.db).where('disputes.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toDispute(row);
  }

  /** Open a dispute of an open finding that has no dispute in force; writes its audit row. */
  async create(input: DisputeInput): Promise<Dispute> {
    if (!(DISPUTE_REASONS as readonly string[]).includes(input.reason)) {
      throw new DisputeError('bad-reason', `unknown dispute reason "${input.reason}" (${DISPUTE_REASONS.join(', ')})`);
    }
    const note = textOf(input.note, 'the dispute note (--note)');
    const actor = actorOf(input.by);
    const at = isoTimestamp(input.at, 'dispute time');
    const expiresAt = input.expiresAt === null ? null : isoTimestamp(input.expiresAt, 'expiry');
    if (expiresAt !== null && expiresAt <= at) {
      throw new DisputeError('past-expiry', `the expiry ${expiresAt} is not in the future (now ${at})`);
    }
    return inTransaction(this.db, async (trx) => {
      let query = trx
        .selectFrom('findings')
        .innerJoin('organizations', 'organizations.id', 'findings.organization_id')
        .select([
          'findings.id',
          'findings.organization_id',
          'findings.type',
          'findings.asset_host',
          'findings.status',
          'findings.resolved_at',
          'organizations.name as organization_name',
        ])
        .where('findings.id', '=', input.findingId);
      // PostgreSQL: lock the finding so two concurrent disputes of it cannot both pass the check below
      // (SQLite transactions already hold the database's write lock from BEGIN).
      if (isPostgres(trx)) query = query.forUpdate();
      const finding = await query.executeTakeFirst();
      if (finding === undefined) {
        throw new DisputeError('unknown-finding', `no finding with id ${input.findingId} (see \`vitals findings\`)`);
      }
      if (finding.status !== 'open') {
        throw new DisputeError(
          'finding-resolved',
          `finding ${finding.id} is resolved (since ${finding.resolved_at ?? 'unknown'}): it no longer ` +
            `counts, nothing to dispute`,
        );
      }
      const inForce = await trx
        .selectFrom('disputes')
        .select(['id', 'status', 'created_by', 'created_at'])
        .where('finding_id', '=', finding.id)
        .where('status', 'in', ['open', 'accepted'])
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .executeTakeFirst();
      if (inForce !== undefined) {
        throw new DisputeError(
          'already-disputed',
          `finding ${finding.id} already has an ${inForce.status} dispute ${inForce.id} (by ` +
            `${inForce.created_by} on ${inForce.created_at})`,
        );
      }
      const row: Selectable<DisputesTable> = {
        id: newId(),
        organization_id: finding.organization_id,
        finding_id: finding.id,
        reason: input.reason,
        note,
        status: 'open',
        expires_at: expiresAt,
        created_by: actor,
        created_at: at,
        decided_by: null,
        decided_at: null,
        decision_note: null,
      };
      await trx.insertInto('disputes').values(row).execute();
      await appendAudit(trx, {
        at,
        actor,
        action: 'dispute.add',
        organizationId: finding.organization_id,
        organizationName: finding.organization_name,
        subjectId: row.id,
        findingId: finding.id,
        findingType: finding.type,
        assetHost: finding.asset_host,
        reason: input.reason,
        note,
        details: { expires_at: expiresAt },
      });
      return toDispute({
        ...row,
        organization_name: finding.organization_name,
        finding_type: finding.type,
        asset_host: finding.asset_host,
      });
    });
  }

  /** Accept or reject an open dispute, once; writes its audit row. */
  async decide(id: string, input: DecisionInput): Promise<Dispute> {
    const actor = actorOf(input.by);
    const at = isoTimestamp(input.at, 'decision time');
    const note = input.note === null ? null : textOf(input.note, 'the decision note (--note)');
    return inTransaction(this.db, async (trx) => {
      const row = await this.disputeRows(trx).where('disputes.id', '=', id).executeTakeFirst();
      if (row === undefined)
        throw new DisputeError('unknown-dispute', `no dispute with id ${id} (see \`vitals dispute list\`)`);
      if (row.status !== 'open') {
        throw new DisputeError(
          'already-decided',
          `dispute ${id} was already ${row.status} by ${row.decided_by ?? 'unknown'} on ` +
            `${row.decided_at ?? 'unknown'}; a decision is final (open a new dispute instead)`,
        );
      }
      if (row.expires_at !== null && row.expires_at <= at) {
        throw new DisputeError(
          'dispute-expired',
          `dispute ${id} expired on ${row.expires_at} before a decision; open a new dispute if it still applies`,
        );
      }
      if (at < row.created_at) {
        throw new StoreError(
          'invalid-input',
          `decision time ${at} is before the dispute was opened (${row.created_at})`,
        );
      }
      // `status = 'open'` in the WHERE makes the decision once-only even against a concurrent one.
      const result = await trx
        .updateTable('disputes')
        .set({ status: input.decision, decided_by: actor, decided_at: at, decision_note: note })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw new DisputeError('already-decided', `dispute ${id} was decided by someone else meanwhile`);
      }
      await appendAudit(trx, {
        at,
        actor,
        action: input.decision === 'accepted' ? 'dispute.accept' : 'dispute.reject',
        organizationId: row.organization_id,
        organizationName: row.organization_name,
        subjectId: id,
        findingId: row.finding_id,
        findingType: row.finding_type,
        assetHost: row.asset_host,
        reason: row.reason,
        note,
        details: {},
      });
      return toDispute({ ...row, status: input.decision, decided_by: actor, decided_at: at, decision_note: note });
    });
  }

  /** Disputes matching `filter`, oldest first. */
  async list(filter: DisputeFilter): Promise<Dispute[]> {
    const at = isoTimestamp(filter.at, 'at');
    let query = this.disputeRows(this.db).orderBy('disputes.created_at').orderBy('disputes.id');
    if (filter.organizationId !== undefined)
      query = query.where('disputes.organization_id', '=', filter.organizationId);
    if (filter.status === 'rejected') query = query.where('disputes.status', '=', 'rejected');
    const disputes = (await query.execute()).map(toDispute);
    // `expired` depends on the moment: judged here, on the few rows a portfolio's disputes make.
    return filter.status === undefined ? disputes : disputes.filter((d) => disputeStatusAt(d, at) === filter.status);
  }

  /**
   * The dispute in force on each finding at `at`, by finding id: open (the finding still counts and is
   * shown as disputed) or accepted (it is out of the score). Of one organization when given.
   */
  async inForceByFinding(at: string | Date, organizationId?: string): Promise<Map<string, Dispute>> {
    const moment = isoTimestamp(at, 'at');
    let query = this.disputeRows(this.db)
      .where('disputes.created_at', '<=', moment)
      .where((eb) => eb.or([eb('disputes.expires_at', 'is', null), eb('disputes.expires_at', '>', moment)]))
      .where((eb) =>
        eb.or([
          eb('disputes.status', '=', 'open'),
          eb.and([eb('disputes.status', '=', 'accepted'), eb('disputes.decided_at', '<=', moment)]),
          // Decided after `at`: it was still open then.
          eb('disputes.decided_at', '>', moment),
        ]),
      );
    if (organizationId !== undefined) query = query.where('disputes.organization_id', '=', organizationId);
    const byFinding = new Map<string, Dispute>();
    for (const row of await query.execute()) {
      const dispute = toDispute(row);
      if (dispute.decidedAt !== null && dispute.decidedAt > moment) {
        byFinding.set(dispute.findingId, {
          ...dispute,
          status: 'open',
          decidedBy: null,
          decidedAt: null,
          decisionNote: null,
        });
      } else byFinding.set(dispute.findingId, dispute);
    }
    return byFinding;
  }

  /** Findings of `organizationId` whose dispute was accepted and had not expired at `asOf`: out of the score. */
  async acceptedDisputeFindingIds(organizationId: string, asOf: string | Date): Promise<Set<string>> {
    const at = isoTimestamp(asOf, 'asOf');
    const rows = await this.db
      .selectFrom('disputes')
      .select('finding_id')
      .where('organization_id', '=', organizationId)
      .where('status', '=', 'accepted')
      .where('decided_at', '<=', at)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      .execute();
    return new Set(rows.map((r) => r.finding_id));
  }

  /** Findings of `organizationId` with a dispute open (filed, not yet decided, not expired) at `asOf`. */
  async openDisputeFindingIds(organizationId: string, asOf: string | Date): Promise<Set<string>> {
    const at = isoTimestamp(asOf, 'asOf');
    const rows = await this.db
      .selectFrom('disputes')
      .select('finding_id')
      .where('organization_id', '=', organizationId)
      .where('created_at', '<=', at)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      // Decided later than `asOf` means it was still open then.
      .where((eb) => eb.or([eb('status', '=', 'open'), eb('decided_at', '>', at)]))
      .execute();
    return new Set(rows.map((r) => r.finding_id));
  }

  /** Organizations with `host` among their assets or findings' hosts, by id. */
  async organizationsWithHost(host: string): Promise<string[]> {
    const name = normalizeHost(host);
    const assets = await this.db.selectFrom('assets').select('organization_id').where('hostname', '=', name).execute();
    const findings = await this.db
      .selectFrom('findings')
      .select('organization_id')
      .distinct()
      .where('asset_host', '=', name)
      .execute();
    return [...new Set([...assets, ...findings].map((r) => r.organization_id))].sort();
  }

  /** Exclude `host` from an organization's assets; writes its audit row. */
  async exclude(input: ExclusionInput): Promise<AssetExclusion> {
    const host = normalizeHost(input.host);
    if (host === '') throw new DisputeError('unknown-host', 'the host to exclude is empty');
    const reason = textOf(input.reason, 'the exclusion reason (--reason)');
    const actor = actorOf(input.by);
    const at = isoTimestamp(input.at, 'exclusion time');
    return inTransaction(this.db, async (trx) => {
      const organization = await trx
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where('id', '=', input.organizationId)
        .executeTakeFirst();
      if (organization === undefined)
        throw new StoreError('not-found', `no organization with id ${input.organizationId}`);
      const existing = await trx
        .selectFrom('asset_exclusions')
        .select(['created_by', 'created_at'])
        .where('organization_id', '=', organization.id)
        .where('host', '=', host)
        .executeTakeFirst();
      if (existing !== undefined) {
        throw new DisputeError(
          'already-excluded',
          `${host} is already excluded from ${organization.name} (by ${existing.created_by} on ${existing.created_at})`,
        );
      }
      const row = { id: newId(), organization_id: organization.id, host, reason, created_by: actor, created_at: at };
      await trx.insertInto('asset_exclusions').values(row).execute();
      await appendAudit(trx, {
        at,
        actor,
        action: 'asset.exclude',
        organizationId: organization.id,
        organizationName: organization.name,
        subjectId: row.id,
        findingId: null,
        findingType: null,
        assetHost: host,
        reason,
        note: null,
        details: {},
      });
      return {
        id: row.id,
        organizationId: organization.id,
        organizationName: organization.name,
        host,
        reason,
        createdBy: actor,
        createdAt: at,
      };
    });
  }

  /** Exclusions, oldest first; of one organization when given. */
  async listExclusions(organizationId?: string): Promise<AssetExclusion[]> {
    let query = this.db
      .selectFrom('asset_exclusions')
      .innerJoin('organizations', 'organizations.id', 'asset_exclusions.organization_id')
      .selectAll('asset_exclusions')
      .select('organizations.name as organization_name')
      .orderBy('asset_exclusions.created_at')
      .orderBy('asset_exclusions.id');
    if (organizationId !== undefined) query = query.where('asset_exclusions.organization_id', '=', organizationId);
    return (await query.execute()).map((r) => ({
      id: r.id,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      host: r.host,
      reason: r.reason,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  /** Hosts excluded from `organizationId` at `asOf`: their findings leave its score. */
  async excludedHosts(organizationId: string, asOf: string | Date): Promise<Set<string>> {
    const at = isoTimestamp(asOf, 'asOf');
    const rows = await this.db
      .selectFrom('asset_exclusions')
      .select('host')
      .where('organization_id', '=', organizationId)
      .where('created_at', '<=', at)
      .execute();
    return new Set(rows.map((r) => r.host));
  }
}
