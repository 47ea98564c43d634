/**
 * Findings and their lifecycle. A finding's identity is organization + type + asset host + asset
 * port. Each scan reports what it saw and which hosts it covered; from that, in one transaction:
 * - seen again: first_seen kept, last_seen / evidence / last scan updated;
 * - seen again after being resolved: reopened (resolved_at cleared, reopen_count + 1);
 * - not seen, on a covered host: resolved with resolved_at;
 * - not seen, on a host the scan did not cover (or where the check could not run): left untouched,
 *   because absence of evidence there is not evidence of a fix.
 */
import type { Kysely, Selectable } from 'kysely';
import { FACTORS, SEVERITIES } from '../../core/types.js';
import type { AssetRef, Factor, Severity } from '../../core/types.js';
import { FINDING_STATUSES } from '../../core/finding.js';
import type { Finding, FindingInput, FindingStatus, LifecycleSummary, ScanCoverage } from '../../core/finding.js';
import { chunks, inTransaction, isoTimestamp, newId, objectFromJson, toJson } from '../codec.js';
import { capEvidence } from '../../core/evidence-text.js';
import { StoreError } from '../errors.js';
import type { FindingEventsTable, FindingsTable, StoreSchema } from '../schema.js';
import { normalizeHost } from './assets.repo.js';

/** Options of `recordScanResults`. */
export interface RecordScanOptions {
  /** When findings not seen again count as resolved; defaults to now. */
  resolvedAt?: string | Date;
}

/** Transitions recorded in `finding_events`. */
export const FINDING_EVENT_KINDS = ['opened', 'resolved', 'reopened'] as const;
export type FindingEventKind = (typeof FINDING_EVENT_KINDS)[number];

/** A finding and its history, for `importHistory`. */
export interface HistoricalFinding {
  organizationId: string;
  type: string;
  factor: Factor;
  severity: Severity;
  host: string;
  evidence?: Record<string, unknown>;
  /** Transitions in time order; the first is `opened`. */
  events: ReadonlyArray<{ event: FindingEventKind; at: string }>;
  /** When a scan last saw it. */
  lastSeen: string;
  /** The scan that last saw it. */
  scanId: string;
}

/** One stored lifecycle transition. */
export interface FindingEvent {
  id: string;
  findingId: string;
  organizationId: string;
  type: string;
  factor: string;
  severity: string;
  event: FindingEventKind;
  at: string;
  scanId: string | null;
}

/** Filters for `listFindings`; all optional, combined with AND. */
export interface FindingFilter {
  organizationId?: string;
  factor?: Factor;
  severity?: Severity;
  status?: FindingStatus;
  type?: string;
  assetHost?: string;
}

/** Port 0 is reserved (RFC 6335 section 6); the column uses it for "no port". */
const NO_PORT = 0;

interface NormalizedFinding {
  key: string;
  organizationId: string;
  type: string;
  factor: Factor;
  severity: Severity;
  host: string;
  ip: string | null;
  port: number;
  evidence: string;
  observedAt: string;
}

function identityKey(organizationId: string, type: string, host: string, port: number): string {
  return JSON.stringify([organizationId, type, host, port]);
}

function normalizeInput(input: FindingInput, index: number): NormalizedFinding {
  const where = `finding #${index} (${String(input.type)})`;
  if (typeof input.type !== 'string' || input.type.trim() === '')
    throw new StoreError('invalid-input', `${where}: empty type`);
  if (!(FACTORS as readonly string[]).includes(input.factor)) {
    throw new StoreError('invalid-input', `${where}: unknown factor ${String(input.factor)}`);
  }
  if (!(SEVERITIES as readonly string[]).includes(input.severity)) {
    throw new StoreError('invalid-input', `${where}: unknown severity ${String(input.severity)}`);
  }
  const host = normalizeHost(input.asset.host);
  if (host === '') throw new StoreError('invalid-input', `${where}: empty asset host`);
  const port = input.asset.port ?? NO_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StoreError('invalid-input', `${where}: invalid port ${String(input.asset.port)}`);
  }
  const type = input.type.trim();
  return {
    key: identityKey(input.organizationId, type, host, port),
    organizationId: input.organizationId,
    type,
    factor: input.factor,
    severity: input.severity,
    host,
    ip: input.asset.ip ?? null,
    port,
    // Evidence is bounded at the store boundary, whatever a check or a hostile server produced.
    evidence: toJson(capEvidence(input.evidence)),
    observedAt: isoTimestamp(input.observedAt, `${where} observedAt`),
  };
}

function toFinding(row: Selectable<FindingsTable> & { organization_name: string }): Finding {
  if (
    !(FACTORS as readonly string[]).includes(row.factor) ||
    !(SEVERITIES as readonly string[]).includes(row.severity)
  ) {
    throw new StoreError('database-corrupt', `finding ${row.id}: unknown factor or severity`);
  }
  if (!(FINDING_STATUSES as readonly string[]).includes(row.status)) {
    throw new StoreError('database-corrupt', `finding ${row.id}: unknown status ${row.status}`);
  }
  const port = Number(row.asset_port);
  const asset: AssetRef = { host: row.asset_host };
  if (row.asset_ip !== null) asset.ip = row.asset_ip;
  if (port !== NO_PORT) asset.port = port;
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    type: row.type,
    factor: row.factor as Factor,
    severity: row.severity as Severity,
    asset,
    evidence: objectFromJson(row.evidence, 'findings.evidence'),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    status: row.status as FindingStatus,
    resolvedAt: row.resolved_at,
    reopenCount: Number(row.reopen_count),
    lastScanId: row.last_scan_id,
  };
}

/** Most severe first, then by organization, type, host and port: a stable order for reports. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.organizationName.localeCompare(b.organizationName) ||
    a.type.localeCompare(b.type) ||
    a.asset.host.localeCompare(b.asset.host) ||
    (a.asset.port ?? 0) - (b.asset.port ?? 0)
  );
}

/** Data access for findings, including the scan-to-scan lifecycle. */
export class FindingsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Apply one scan's findings and coverage to the stored findings, in one transaction. */
  async recordScanResults(
    scanId: string,
    coverage: readonly ScanCoverage[],
    findings: readonly FindingInput[],
    options: RecordScanOptions = {},
  ): Promise<LifecycleSummary> {
    const resolvedAt = isoTimestamp(options.resolvedAt ?? new Date(), 'resolvedAt');
    // Validate everything before the first write. A check may report the same weakness twice (two
    // resolvers, two probes): the latest sighting wins.
    const seen = new Map<string, NormalizedFinding>();
    findings.forEach((input, index) => {
      const finding = normalizeInput(input, index);
      const previous = seen.get(finding.key);
      if (previous === undefined || finding.observedAt >= previous.observedAt) seen.set(finding.key, finding);
    });
    const summary: LifecycleSummary = { created: 0, seenAgain: 0, reopened: 0, resolved: 0 };
    // Every transition is also recorded as an event: the row keeps only the current state.
    const events: FindingEventsTable[] = [];
    const event = (
      row: Pick<FindingsTable, 'id' | 'organization_id' | 'type' | 'factor' | 'severity'>,
      kind: FindingEventKind,
      at: string,
    ): void => {
      events.push({
        id: newId(),
        finding_id: row.id,
        organization_id: row.organization_id,
        type: row.type,
        factor: row.factor,
        severity: row.severity,
        event: kind,
        at,
        scan_id: scanId,
      });
    };

    await inTransaction(this.db, async (trx) => {
      const scan = await trx.selectFrom('scans').select('id').where('id', '=', scanId).executeTakeFirst();
      if (scan === undefined) throw new StoreError('not-found', `no scan with id ${scanId}`);

      const organizationIds = [
        ...new Set([...coverage.map((c) => c.organizationId), ...[...seen.values()].map((f) => f.organizationId)]),
      ];
      const existing = new Map<string, Selectable<FindingsTable>>();
      for (const part of chunks(organizationIds)) {
        const rows = await trx.selectFrom('findings').selectAll().where('organization_id', 'in', part).execute();
        for (const row of rows) {
          existing.set(identityKey(row.organization_id, row.type, row.asset_host, Number(row.asset_port)), row);
        }
      }

      for (const finding of seen.values()) {
        const row = existing.get(finding.key);
        if (row === undefined) {
          const id = newId();
          await trx
            .insertInto('findings')
            .values({
              id,
              organization_id: finding.organizationId,
              type: finding.type,
              factor: finding.factor,
              severity: finding.severity,
              asset_host: finding.host,
              asset_ip: finding.ip,
              asset_port: finding.port,
              evidence: finding.evidence,
              first_seen: finding.observedAt,
              last_seen: finding.observedAt,
              status: 'open',
              resolved_at: null,
              reopen_count: 0,
              last_scan_id: scanId,
            })
            .execute();
          event(
            {
              id,
              organization_id: finding.organizationId,
              type: finding.type,
              factor: finding.factor,
              severity: finding.severity,
            },
            'opened',
            finding.observedAt,
          );
          summary.created += 1;
          continue;
        }
        const reopening = row.status === 'resolved';
        await trx
          .updateTable('findings')
          .set({
            // The catalogue may have re-rated the type since: take the current factor and severity.
            factor: finding.factor,
            severity: finding.severity,
            asset_ip: finding.ip ?? row.asset_ip,
            evidence: finding.evidence,
            first_seen: finding.observedAt < row.first_seen ? finding.observedAt : row.first_seen,
            last_seen: finding.observedAt > row.last_seen ? finding.observedAt : row.last_seen,
            status: 'open',
            resolved_at: null,
            reopen_count: Number(row.reopen_count) + (reopening ? 1 : 0),
            last_scan_id: scanId,
          })
          .where('id', '=', row.id)
          .execute();
        if (reopening) {
          summary.reopened += 1;
          event({ ...row, factor: finding.factor, severity: finding.severity }, 'reopened', finding.observedAt);
        } else summary.seenAgain += 1;
      }

      const toResolve: string[] = [];
      for (const covered of coverage) {
        const hosts = new Set(covered.assetHosts.map(normalizeHost));
        const keptHosts = new Set<string>();
        const keptTypes = new Map<string, Set<string>>();
        for (const gap of covered.notAssessed ?? []) {
          const host = normalizeHost(gap.host);
          if (gap.types === undefined) keptHosts.add(host);
          else for (const type of gap.types) keptTypes.set(host, (keptTypes.get(host) ?? new Set()).add(type));
        }
        const types = covered.types === undefined ? undefined : new Set(covered.types);
        for (const [key, row] of existing) {
          if (row.organization_id !== covered.organizationId || row.status !== 'open') continue;
          if (types !== undefined && !types.has(row.type)) continue;
          if (!hosts.has(row.asset_host) || seen.has(key)) continue;
          if (keptHosts.has(row.asset_host) || keptTypes.get(row.asset_host)?.has(row.type) === true) continue;
          toResolve.push(row.id);
          event(row, 'resolved', resolvedAt);
          // The same organization may appear twice in `coverage`: resolve each finding once.
          row.status = 'resolved';
        }
      }
      for (const part of chunks(toResolve)) {
        await trx
          .updateTable('findings')
          .set({ status: 'resolved', resolved_at: resolvedAt })
          .where('id', 'in', part)
          .execute();
      }
      summary.resolved = toResolve.length;
      for (const part of chunks(events)) await trx.insertInto('finding_events').values(part).execute();
    });
    return summary;
  }

  /** Findings matching `filter`, most severe first. */
  async listFindings(filter: FindingFilter = {}): Promise<Finding[]> {
    let query = this.db
      .selectFrom('findings')
      .innerJoin('organizations', 'organizations.id', 'findings.organization_id')
      .selectAll('findings')
      .select('organizations.name as organization_name');
    if (filter.organizationId !== undefined)
      query = query.where('findings.organization_id', '=', filter.organizationId);
    if (filter.factor !== undefined) query = query.where('findings.factor', '=', filter.factor);
    if (filter.severity !== undefined) query = query.where('findings.severity', '=', filter.severity);
    if (filter.status !== undefined) query = query.where('findings.status', '=', filter.status);
    if (filter.type !== undefined) query = query.where('findings.type', '=', filter.type);
    if (filter.assetHost !== undefined)
      query = query.where('findings.asset_host', '=', normalizeHost(filter.assetHost));
    const rows = await query.execute();
    return rows.map(toFinding).sort(compareFindings);
  }

  /**
   * Every finding's lifecycle events before `before` (all when omitted), grouped by finding and in time
   * order within a finding, read in pages (keyset) so that millions of events never sit in memory
   * together. `order: 'organization'` also groups the findings by organization (one organization's
   * findings arrive together), for scoring history one organization at a time.
   */
  async *streamEvents(
    options: { before?: string; pageSize?: number; order?: 'finding' | 'organization' } = {},
  ): AsyncGenerator<FindingEvent> {
    const pageSize = options.pageSize ?? 5_000;
    const before = options.before === undefined ? undefined : isoTimestamp(options.before, 'before');
    const byOrganization = options.order === 'organization';
    let after: { organization: string; finding: string; at: string; id: string } | undefined;
    for (;;) {
      let query = this.db
        .selectFrom('finding_events')
        .select(['id', 'finding_id', 'organization_id', 'type', 'factor', 'severity', 'event', 'at', 'scan_id']);
      if (byOrganization) query = query.orderBy('organization_id');
      query = query.orderBy('finding_id').orderBy('at').orderBy('id').limit(pageSize);
      if (before !== undefined) query = query.where('at', '<', before);
      if (after !== undefined) {
        const { organization, finding, at, id } = after;
        query = query.where((eb) => {
          const withinFinding = [
            eb('finding_id', '>', finding),
            eb.and([eb('finding_id', '=', finding), eb('at', '>', at)]),
            eb.and([eb('finding_id', '=', finding), eb('at', '=', at), eb('id', '>', id)]),
          ];
          if (!byOrganization) return eb.or(withinFinding);
          return eb.or([
            eb('organization_id', '>', organization),
            eb.and([eb('organization_id', '=', organization), eb.or(withinFinding)]),
          ]);
        });
      }
      const rows = await query.execute();
      for (const row of rows) {
        if (!(FINDING_EVENT_KINDS as readonly string[]).includes(row.event))
          throw new StoreError('database-corrupt', `finding event ${row.id}: unknown event ${row.event}`);
        yield {
          id: row.id,
          findingId: row.finding_id,
          organizationId: row.organization_id,
          type: row.type,
          factor: row.factor,
          severity: row.severity,
          event: row.event as FindingEventKind,
          at: row.at,
          scanId: row.scan_id,
        };
      }
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { organization: last.organization_id, finding: last.finding_id, at: last.at, id: last.id };
    }
  }

  /**
   * Loads findings with their whole recorded history at once (events in time order, the first one
   * `opened`), in multi-row statements inside one transaction: how generated history goes straight into
   * the store (the study benchmark). The findings rows are derived from the events, as the lifecycle
   * would have left them. Returns the number of findings written.
   */
  async importHistory(findings: readonly HistoricalFinding[]): Promise<number> {
    const rows: FindingsTable[] = [];
    const events: FindingEventsTable[] = [];
    findings.forEach((input, index) => {
      const normalized = normalizeInput(
        { ...input, asset: { host: input.host }, evidence: input.evidence ?? {}, observedAt: input.lastSeen },
        index,
      );
      const first = input.events[0];
      if (first === undefined || first.event !== 'opened')
        throw new StoreError('invalid-input', `finding #${index} (${input.type}): history must start with opened`);
      const id = newId();
      const last = input.events[input.events.length - 1]!;
      rows.push({
        id,
        organization_id: input.organizationId,
        type: normalized.type,
        factor: normalized.factor,
        severity: normalized.severity,
        asset_host: normalized.host,
        asset_ip: null,
        asset_port: normalized.port,
        evidence: normalized.evidence,
        first_seen: isoTimestamp(first.at),
        last_seen: normalized.observedAt,
        status: last.event === 'resolved' ? 'resolved' : 'open',
        resolved_at: last.event === 'resolved' ? isoTimestamp(last.at) : null,
        reopen_count: input.events.filter((e) => e.event === 'reopened').length,
        last_scan_id: input.scanId,
      });
      for (const e of input.events)
        events.push({
          id: newId(),
          finding_id: id,
          organization_id: input.organizationId,
          type: normalized.type,
          factor: normalized.factor,
          severity: normalized.severity,
          event: e.event,
          at: isoTimestamp(e.at),
          scan_id: input.scanId,
        });
    });
    await inTransaction(this.db, async (trx) => {
      // 15 columns x 500 rows stays under SQLite's and PostgreSQL's bound-parameter limits.
      for (const part of chunks(rows)) await trx.insertInto('findings').values(part).execute();
      for (const part of chunks(events)) await trx.insertInto('finding_events').values(part).execute();
    });
    return rows.length;
  }

  /** Number of findings per status for one organization (or all). */
  async countByStatus(organizationId?: string): Promise<Record<FindingStatus, number>> {
    let query = this.db
      .selectFrom('findings')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('status');
    if (organizationId !== undefined) query = query.where('organization_id', '=', organizationId);
    const rows = await query.execute();
    const counts: Record<FindingStatus, number> = { open: 0, resolved: 0 };
    // count() is a bigint on PostgreSQL, which pg returns as a string: convert explicitly.
    for (const row of rows) if (row.status === 'open' || row.status === 'resolved') counts[row.status] = Number(row.n);
    return counts;
  }
}
