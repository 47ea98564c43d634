/**
 * A scan as a caller asks for it (the CLI now, the API later): which domains and organizations, and
 * the scan settings. It maps the request onto portfolio targets (a domain outside the portfolio gets an
 * ad-hoc organization), checks that the resolver answers, runs the scan session, and removes the ad-hoc
 * organizations whose domain could not be scanned (a typo is not kept in the portfolio).
 */
import { isAtOrBelow } from '../core/names.js';
import type { Store } from '../store/database.js';
import type { Organization } from '../core/organization.js';
import { defaultWorkerCount } from './parallel-scan.js';
import { assertResolverReachable, type ScanSettings } from './scan.js';
import { SCAN_DEFAULTS } from './scan-defaults.js';
import { planScan } from './scan-plan.js';
import { REGISTRY } from './registry.js';
import { runScanSession } from './scan-session.js';
import type { PortfolioTarget, ScanSessionHooks, ScanSessionResult } from './scan-session.js';
import { AppError } from '../core/errors.js';
import { loadReputationData } from './reputation-data.js';
import { ipReputationProbe } from '../probes/reputation/ip-reputation.probe.js';
import { softwareProbe } from '../probes/patching/software.probe.js';
import { mergeVulnRecords, shippedVulnDatabase, type VulnDatabase } from '../intel/vulns/vuln-data.js';

/** What to scan: domains (validated names), organizations by name or alias, or the whole portfolio. */
export interface ScanRequest {
  domains: readonly string[];
  organizations: readonly string[];
  all: boolean;
}

/** A request that names nothing scannable (an unknown organization, an empty portfolio). */
export class ScanRequestError extends AppError {
  override readonly name = 'ScanRequestError';
  readonly code = 'scan-request-invalid';
}

export interface ScanServiceHooks extends ScanSessionHooks {
  /** Called once the targets are known and the resolver answers, before the first target is scanned. */
  onTargetsResolved?: (targets: readonly PortfolioTarget[]) => void;
}

export interface ScanServiceResult {
  targets: PortfolioTarget[];
  session: ScanSessionResult;
}

/**
 * Runs the scan of `request`. `scope` is stored with the scan row beside the request itself.
 * `settings.workers` defaults to one thread below SCAN_DEFAULTS.parallelMinTargets targets.
 */
export async function scanPortfolio(
  store: Store,
  request: ScanRequest,
  settings: Omit<ScanSettings, 'onTargetDone'> & { workers?: number },
  scope: Record<string, unknown> = {},
  hooks: ScanServiceHooks = {},
): Promise<ScanServiceResult> {
  // A bad --only or --skip is refused before anything is written.
  const plan = planScan(settings.registry ?? REGISTRY, settings);
  const adHoc = new Set<string>();
  let session: ScanSessionResult | null = null;
  let targets: PortfolioTarget[] = [];
  try {
    targets = await resolveScanTargets(store, request, adHoc);
    if (targets.length === 0)
      throw new ScanRequestError(
        'nothing to scan: the portfolio has no organizations with domains (import some with `vitals orgs import FILE`)',
      );
    await assertResolverReachable(
      settings.client,
      settings.resolver,
      Math.max(settings.timeoutMs, SCAN_DEFAULTS.resolverCheckMinTimeoutMs),
    );
    hooks.onTargetsResolved?.(targets);
    const reputation =
      settings.reputation ??
      (plan.probes.some((p) => p.id === ipReputationProbe.id) ? await loadReputationData(store, targets) : undefined);
    const vulnerabilities =
      settings.vulnerabilities ??
      (plan.probes.some((p) => p.id === softwareProbe.id) ? await loadVulnerabilities(store) : undefined);
    session = await runScanSession(
      store,
      targets,
      {
        ...settings,
        ...(reputation ? { reputation } : {}),
        ...(vulnerabilities ? { vulnerabilities } : {}),
        workers: settings.workers ?? defaultWorkerCount(targets.length),
      },
      {
        domains: request.domains,
        organizations: request.organizations,
        all: request.all,
        ...(settings.only?.length ? { only: settings.only } : {}),
        ...(settings.skip?.length ? { skip: settings.skip } : {}),
        ...scope,
      },
      hooks,
    );
    return { targets, session };
  } finally {
    // An ad-hoc organization made for this request whose domain was not scanned (a typo, an unreachable
    // resolver) is not kept.
    const scanned = new Set(session?.results.filter((r) => r.status === 'scanned').map((r) => r.target.domain));
    for (const t of targets)
      if (adHoc.has(t.organizationId) && !scanned.has(t.domain)) await store.organizations.remove(t.organizationId);
  }
}

/** The shipped vulnerability data with what `vitals vulns import` stored merged in. */
async function loadVulnerabilities(store: Store): Promise<VulnDatabase> {
  const shipped = shippedVulnDatabase();
  const { records, sources } = await store.vulns.all();
  if (records.length === 0) return shipped;
  return mergeVulnRecords(shipped, records, `${shipped.dated}; imported: ${sources.join(', ')}`);
}

/** Maps a request onto portfolio targets; a domain outside the portfolio becomes its own organization. */
export async function resolveScanTargets(
  store: Store,
  request: ScanRequest,
  createdAdHoc: Set<string>,
): Promise<PortfolioTarget[]> {
  const organizations = await store.organizations.list();
  const targets = new Map<string, PortfolioTarget>();
  const add = (org: Organization, domain: string): void => {
    if (!targets.has(domain)) targets.set(domain, { domain, organization: org.name, organizationId: org.id });
  };
  if (request.all) for (const org of organizations) for (const d of org.domains) add(org, d);
  for (const name of request.organizations) {
    const org = await store.organizations.findByNameOrAlias(name);
    if (!org) throw new ScanRequestError(`no organization named "${name}" (see \`vitals orgs list\`)`);
    if (org.domains.length === 0) throw new ScanRequestError(`organization "${org.name}" has no domains`);
    for (const d of org.domains) add(org, d);
  }
  for (const domain of request.domains) {
    const owner = organizations.find((o) => o.domains.some((d) => isAtOrBelow(domain, d)));
    if (owner) {
      add(owner, domain);
      continue;
    }
    const { organization, change } = await store.organizations.upsert({
      name: domain,
      sector: 'unclassified',
      domains: [domain],
      telehealth: false,
      tags: ['ad-hoc'],
    });
    if (change === 'created') createdAdHoc.add(organization.id);
    add(organization, domain);
  }
  return [...targets.values()];
}
