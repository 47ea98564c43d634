/**
 * The scorecard of one organization (issue #10 section 2): score, grade, every factor, the top issues
 * and the what-if plan, now (computed from the open findings) or as of a past date (read from the
 * latest snapshot at or before it, with the method version it was scored with).
 */
import { getFindingType } from '../catalogue/catalogue.js';
import { getScoringMethod } from '../catalogue/scoring-method.js';
import { canonicalName, InvalidInputError, isAtOrBelow } from '../core/names.js';
import { SEVERITIES } from '../core/types.js';
import type { Severity } from '../core/types.js';
import { topIssues, whatIfPlan } from '../scoring/plan.js';
import { rate } from '../scoring/rate.js';
import type { Store } from '../store/database.js';
import type { Organization } from '../core/organization.js';
import { ratingInputs } from './rating-input.js';
import { snapshotFactors } from './snapshots.js';
import { scorecardSections } from './scorecard-sections.js';
import type { Scorecard, ScorecardIssue, ScorecardThirdPartySections } from '../core/scorecard.js';

export type { Scorecard, ScorecardFinding, ScorecardIssue, ScorecardPlanStep } from '../core/scorecard.js';

/**
 * The organization a user named: by id, by name or alias (case-insensitive), or by a domain it owns
 * (or a name below one). Throws InvalidInputError naming what was tried.
 */
export async function resolveOrganization(store: Store, reference: string): Promise<Organization> {
  const ref = reference.trim();
  if (ref === '') throw new InvalidInputError('no organization given');
  const found =
    (await store.organizations.getById(ref)) ??
    (await store.organizations.findByNameOrAlias(ref)) ??
    (await byDomain(store, ref));
  if (found === undefined) {
    throw new InvalidInputError(
      `no organization "${reference}": not an id, name, alias or domain of the portfolio (see \`vitals orgs list\`)`,
    );
  }
  return found;
}

async function byDomain(store: Store, name: string): Promise<Organization | undefined> {
  const host = canonicalName(name);
  const owners = (await store.organizations.list()).filter((o) => o.domains.some((d) => isAtOrBelow(host, d)));
  if (owners.length > 1) {
    throw new InvalidInputError(
      `"${name}" belongs to several organizations (${owners.map((o) => o.name).join(', ')}): name one of them`,
    );
  }
  return owners[0];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `--as-of`: a date (YYYY-MM-DD, meaning the end of that day, UTC) or an ISO 8601 timestamp with a zone.
 * A moment after `now` is refused (there is no history of the future); today means up to now.
 */
export function parseAsOf(text: string, now: Date = new Date()): string {
  const value = text.trim();
  let moment: Date;
  const date = DATE_ONLY.exec(value);
  if (date !== null) {
    moment = new Date(`${value}T23:59:59.999Z`);
    // Date accepts 2026-02-31 as March 3rd: a real calendar date round-trips.
    if (Number.isNaN(moment.getTime()) || moment.toISOString().slice(0, 10) !== value) {
      throw new InvalidInputError(`--as-of ${text}: not a calendar date (expected YYYY-MM-DD)`);
    }
  } else if (TIMESTAMP.test(value)) {
    moment = new Date(value);
    if (Number.isNaN(moment.getTime())) throw new InvalidInputError(`--as-of ${text}: not a valid timestamp`);
  } else {
    throw new InvalidInputError(`--as-of ${text}: expected a date YYYY-MM-DD or an ISO 8601 timestamp`);
  }
  if (moment.getTime() > now.getTime()) {
    if (date !== null && value === now.toISOString().slice(0, 10)) return now.toISOString();
    throw new InvalidInputError(`--as-of ${text} is in the future`);
  }
  return moment.toISOString();
}

/** Options of scorecardFor. */
export interface ScorecardOptions {
  /** Answer from history as of this moment (see parseAsOf); absent: now, from the open findings. */
  asOf?: string;
  now?: Date;
}

/** The scorecard of `organization` (an id, name, alias or domain). */
export async function scorecardFor(
  store: Store,
  organization: string,
  options: ScorecardOptions = {},
): Promise<Scorecard> {
  const org = await resolveOrganization(store, organization);
  const now = options.now ?? new Date();
  const card =
    options.asOf !== undefined
      ? await snapshotScorecard(store, org, parseAsOf(options.asOf, now))
      : await liveScorecard(store, org, now.toISOString());
  return { ...card, ...(await scorecardSections(store, org.id, card.as_of, card.findings)) };
}

/** A scorecard without its dispute and vendor sections (scorecardFor adds them). */
type CoreScorecard = Omit<Scorecard, keyof ScorecardThirdPartySections>;

async function liveScorecard(store: Store, org: Organization, asOf: string): Promise<CoreScorecard> {
  const method = getScoringMethod();
  const input = (await ratingInputs(store, [org.id], asOf)).get(org.id)!;
  const rating = rate(input, method);
  const hundredths = (n: number): number => n / 100;
  return {
    organization: org.name,
    organization_id: org.id,
    as_of: asOf,
    method_version: rating.methodVersion,
    source: 'live',
    snapshot: null,
    score: rating.score,
    grade: rating.grade,
    assets: input.assetCount,
    domains: org.domains.length,
    factors: snapshotFactors(rating),
    top_issues: topIssues(rating, method).map((i) => ({
      type: i.type,
      title: getFindingType(i.type).title,
      factor: i.factor,
      severity: i.severity,
      findings: i.findings,
      disputed: i.disputed,
      hosts: i.hosts,
      points_lost: hundredths(i.pointsLostHundredths),
    })),
    plan: whatIfPlan(input, method).map((s, index) => {
      const type = getFindingType(s.type);
      return {
        step: index + 1,
        type: s.type,
        title: type.title,
        factor: s.factor,
        severity: s.severity,
        findings: s.findingIds.length,
        hosts: s.hosts,
        score_before: s.scoreBefore,
        score_after: s.scoreAfter,
        gain: s.gain,
        grade_after: s.gradeAfter,
        remediation: type.remediation,
      };
    }),
    findings: rating.findings.map((f) => ({
      id: f.id,
      type: f.type,
      factor: f.factor,
      severity: f.severity,
      asset: f.assetHost,
      disputed: f.disputed,
      points_lost: hundredths(f.pointsLostHundredths),
    })),
  };
}

async function snapshotScorecard(store: Store, org: Organization, asOf: string): Promise<CoreScorecard> {
  const snapshot = await store.scoreSnapshots.latestSnapshotAsOf(org.id, asOf);
  if (snapshot === undefined) {
    const first = (await store.scoreSnapshots.snapshotHistory(org.id))[0];
    throw new InvalidInputError(
      first === undefined
        ? `no score recorded for ${org.name} yet (scores are recorded by scans: run \`vitals scan --org ...\`)`
        : `no score recorded for ${org.name} at or before ${asOf} (history starts ${first.takenAt})`,
    );
  }
  // Snapshots keep counts and points per finding type, not the findings themselves: the issues are listed
  // by the points they cost (without points on snapshots older than migration 0011: most severe first),
  // and there is no plan for the past.
  const points = snapshot.findingPoints;
  const issues = Object.entries(snapshot.findingCounts).map(([type, findings]): ScorecardIssue => {
    const known = safeFindingType(type);
    return {
      type,
      title: known?.title ?? type,
      factor: known?.factor ?? null,
      severity: known?.severity ?? null,
      findings,
      disputed: 0,
      hosts: [],
      points_lost: points === undefined ? null : (points[type] ?? 0),
    };
  });
  const rank = (s: Severity | null): number => (s === null ? SEVERITIES.length : SEVERITIES.indexOf(s));
  issues.sort(
    (a, b) =>
      (b.points_lost ?? 0) - (a.points_lost ?? 0) ||
      rank(a.severity) - rank(b.severity) ||
      b.findings - a.findings ||
      (a.type < b.type ? -1 : 1),
  );
  return {
    organization: org.name,
    organization_id: org.id,
    as_of: asOf,
    method_version: snapshot.methodVersion,
    source: 'snapshot',
    snapshot: { taken_at: snapshot.takenAt, reason: snapshot.reason, scan_id: snapshot.scanId },
    score: snapshot.score,
    grade: snapshot.grade,
    assets: snapshot.assetCount,
    domains: snapshot.domainCount,
    factors: snapshot.factors,
    top_issues: issues.slice(0, getScoringMethod().topIssues),
    plan: [],
    findings: [],
  };
}

function safeFindingType(type: string): ReturnType<typeof getFindingType> | undefined {
  try {
    return getFindingType(type);
  } catch {
    // A type a later catalogue dropped: still listed, by id.
    return undefined;
  }
}
