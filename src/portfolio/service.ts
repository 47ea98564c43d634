/**
 * `vitals portfolio` and the scorecard's vendor section, over the store: the organizations selected
 * (by sector, cohort, or as one organization's vendors) with their latest score snapshots.
 */
import type { Sector } from '../core/types.js';
import type { StoreRepos } from '../store/database.js';
import { isoTimestamp } from '../store/codec.js';
import { summarizePortfolio } from './summary.js';
import type { PortfolioMember } from './summary.js';
import { vendorRisk } from './vendor-risk.js';
import type { PortfolioCohort, PortfolioReport, VendorGrade, VendorRiskSummary } from '../core/scorecard.js';

export { PORTFOLIO_COHORTS as COHORTS } from '../core/scorecard.js';
export type { PortfolioCohort as Cohort, PortfolioReport } from '../core/scorecard.js';

/** Which organizations the portfolio covers; all when nothing is given. Filters combine with AND. */
export interface PortfolioRequest {
  sector?: Sector;
  cohort?: PortfolioCohort;
  /** Only this organization's vendors (its id). */
  vendorsOf?: string;
  /** The date looked at; default now. */
  asOf?: string | Date;
}

/** The portfolio as of the request's date. */
export async function portfolioReport(repos: StoreRepos, request: PortfolioRequest = {}): Promise<PortfolioReport> {
  const asOf = isoTimestamp(request.asOf ?? new Date(), 'asOf');
  let organizations = await repos.organizations.list();
  let vendorsOf: string | null = null;
  if (request.vendorsOf !== undefined) {
    const client = await repos.organizations.getById(request.vendorsOf);
    vendorsOf = client?.name ?? request.vendorsOf;
    const vendorIds = new Set(await repos.vendors.vendorsOf(request.vendorsOf));
    organizations = organizations.filter((o) => vendorIds.has(o.id));
  }
  if (request.sector !== undefined) organizations = organizations.filter((o) => o.sector === request.sector);
  if (request.cohort !== undefined) {
    const telehealth = request.cohort === 'telehealth';
    organizations = organizations.filter((o) => o.telehealth === telehealth);
  }
  const snapshots = await repos.scoreSnapshots.latestSnapshotsAsOf(asOf);
  const members: PortfolioMember[] = organizations.map((o) => ({
    id: o.id,
    name: o.name,
    sector: o.sector,
    telehealth: o.telehealth,
    snapshot: snapshots.get(o.id),
  }));
  return {
    as_of: asOf,
    filters: { sector: request.sector ?? null, cohort: request.cohort ?? null, vendors_of: vendorsOf },
    ...summarizePortfolio(members),
    vendor_risk: request.vendorsOf === undefined ? null : vendorRisk(members).summary,
  };
}

/** An organization's vendors with their grades as of `asOf`, worst first, and the vendor-risk summary. */
export async function vendorGrades(
  repos: StoreRepos,
  organizationId: string,
  asOf: string | Date,
): Promise<{ vendors: VendorGrade[]; summary: VendorRiskSummary }> {
  const at = isoTimestamp(asOf, 'asOf');
  const inputs = [];
  for (const id of await repos.vendors.vendorsOf(organizationId)) {
    const vendor = await repos.organizations.getById(id);
    if (vendor === undefined) continue;
    inputs.push({
      name: vendor.name,
      telehealth: vendor.telehealth,
      snapshot: await repos.scoreSnapshots.latestSnapshotAsOf(id, at),
    });
  }
  return vendorRisk(inputs);
}
