/**
 * Scoring a whole portfolio's history from stored findings: for every organization and every month, the
 * findings open at that month's snapshot time (from their lifecycle events, read one organization at a
 * time in organization order), rated with the scoring method (src/scoring, the same `rate` the ratings
 * service uses) and written as `history` snapshots in multi-row batches.
 *
 * What it assumes of the generated history (study-history.ts): every organization is scanned every month
 * and has one host, its apex, so a finding open at a month's snapshot was last confirmed by that month's
 * scan, and the organization's size is one asset. The method sees only DNS health assessed (the lab
 * model's factor) plus the factor of any open finding.
 */
import { getScoringMethod } from '../src/catalogue/scoring-method.js';
import type { ScoreSnapshotInput } from '../src/core/score-snapshots.js';
import type { Factor, Severity } from '../src/core/types.js';
import { FACTORS } from '../src/core/types.js';
import { findingPoints, snapshotFactors } from '../src/ratings/snapshots.js';
import { rate } from '../src/scoring/rate.js';
import type { RatingInput, ScoringFinding } from '../src/scoring/types.js';
import type { Store } from '../src/store/database.js';
import type { FindingEvent } from '../src/store/repos/findings.repo.js';
import { scanDate } from '../src/lab/history/model.js';

/** A month's snapshot comes two hours after its scan (as in `vitals lab history`). */
const SNAPSHOT_DELAY_MS = 2 * 60 * 60 * 1000;
/** Snapshots written per statement batch. */
const WRITE_BATCH = 8_000;

/** Scores every organization at every month; returns the number of snapshots written. */
export async function scoreHistory(store: Store, months: readonly string[]): Promise<number> {
  const method = getScoringMethod();
  const snapshotTimes = months.map((m) => new Date(Date.parse(scanDate(m)) + SNAPSHOT_DELAY_MS).toISOString());
  const scanTimes = months.map(scanDate);
  const organizations = new Map((await store.organizations.list()).map((o) => [o.id, o]));
  const scored = new Set<string>();
  let buffer: ScoreSnapshotInput[] = [];
  let written = 0;
  const flush = async (): Promise<void> => {
    written += await store.scoreSnapshots.insertScoreSnapshots(buffer);
    buffer = [];
  };

  const scoreOrganization = async (organizationId: string, events: readonly FindingEvent[]): Promise<void> => {
    const organization = organizations.get(organizationId);
    if (organization === undefined) return;
    scored.add(organizationId);
    const host = organization.domains[0] ?? organization.name;
    // Each finding's events, in time order (the stream's order within a finding).
    const byFinding = new Map<string, FindingEvent[]>();
    for (const e of events) {
      const list = byFinding.get(e.findingId);
      if (list === undefined) byFinding.set(e.findingId, [e]);
      else list.push(e);
    }
    for (let m = 0; m < months.length; m++) {
      const asOf = snapshotTimes[m]!;
      const findings: ScoringFinding[] = [];
      for (const [id, list] of byFinding) {
        let open = false;
        for (const e of list) {
          if (e.at > asOf) break;
          open = e.event !== 'resolved';
        }
        if (!open) continue;
        const first = list[0]!;
        findings.push({
          id,
          type: first.type,
          factor: first.factor as Factor,
          severity: first.severity as Severity,
          assetHost: host,
          lastConfirmedAt: scanTimes[m]!,
          disputed: false,
        });
      }
      const assessed = new Set<Factor>(['dns_health', ...findings.map((f) => f.factor)]);
      const input: RatingInput = {
        asOf,
        assetCount: 1,
        assessedFactors: FACTORS.filter((f) => assessed.has(f)),
        findings,
      };
      const rating = rate(input, method);
      const counts: Record<string, number> = {};
      for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
      buffer.push({
        organizationId,
        scanId: null,
        takenAt: asOf,
        reason: 'history',
        methodVersion: rating.methodVersion,
        score: rating.score,
        grade: rating.grade,
        factors: snapshotFactors(rating),
        findingCounts: counts,
        findingPoints: findingPoints(rating),
        domainCount: organization.domains.length,
        assetCount: 1,
      });
    }
    if (buffer.length >= WRITE_BATCH) await flush();
  };

  let current: string | undefined;
  let events: FindingEvent[] = [];
  // Every event up to the last snapshot, included.
  const before = new Date(Date.parse(snapshotTimes[snapshotTimes.length - 1]!) + 1).toISOString();
  for await (const e of store.findings.streamEvents({ order: 'organization', before })) {
    if (e.organizationId !== current) {
      if (current !== undefined) await scoreOrganization(current, events);
      current = e.organizationId;
      events = [];
    }
    events.push(e);
  }
  if (current !== undefined) await scoreOrganization(current, events);
  // Organizations without any finding in the whole history are rated too (every factor clean).
  for (const id of organizations.keys()) if (!scored.has(id)) await scoreOrganization(id, []);
  await flush();
  return written;
}
