/**
 * The scan pipeline for DNS and e-mail security: for each target domain, refuse private targets
 * unless allowed, discover assets, run the probes, and turn their observations into findings with the
 * checks. Probes observe, checks judge (docs/DESIGN.md); this file only sequences them.
 */
import type { CheckOutcome } from '../core/types.js';
import { emptyOutcome } from '../core/types.js';
import type { Registry } from '../core/contract.js';
import type { DnsClient, DnsServer } from '../net/dns/dns-client.types.js';
import type { DiscoveryObservation } from '../probes/dns/discovery.types.js';
import { dnsFamily, type DnsFamilyContext, type DnsScanOptions } from '../probes/dns/dns-family.js';
import type { PortsScanOptions } from '../probes/ports/ports-family.js';
import { discoveryProbe } from '../probes/dns/dns-probes.js';
import type { TlsScanOptions } from '../probes/tls/tls-family.js';
import type { ReputationScanOptions } from '../probes/reputation/reputation-family.js';
import type { PatchingScanOptions } from '../probes/patching/patching-family.js';
import type { WebScanOptions } from '../probes/web/web-family.js';
import { REGISTRY } from './registry.js';
import { planScan, type ScanPlan } from './scan-plan.js';
import { assessTarget, type CheckRun } from './assess.js';
import { AddressPolicy } from '../net/address-policy.js';
import type { ScanNetworkSpec } from '../net/scan-network.js';
import { targetRefusal } from './target-refusal.js';
import { AppError, ExitStatus } from '../core/errors.js';
import type { AssetFingerprint, EndpointGrade } from '../core/endpoint-grade.js';
import { assetFingerprints, endpointGrades, WEB_PROBE_ID } from './endpoint-grades.js';

export interface ScanTarget {
  domain: string;
  /** Organization name, when the domain belongs to an imported organization. */
  organization: string | null;
  /** Networks the organization declares (canonical CIDR), on its first domain's target: covered hosts too. */
  networks?: readonly string[];
}

export interface ScanSettings
  extends DnsScanOptions,
    TlsScanOptions,
    PortsScanOptions,
    ReputationScanOptions,
    PatchingScanOptions,
    WebScanOptions {
  allowPrivate: boolean;
  /** Network policy, rate and transfer budget (src/net/scan-network.ts); default: from allowPrivate and resolver. */
  network?: ScanNetworkSpec;
  /** How many domains are assessed at once. */
  concurrency: number;
  /** Factors, probes or checks to run (`--only`), and to leave out (`--skip`); see scan-plan.ts. */
  only?: readonly string[];
  skip?: readonly string[];
  /** What can run; the built-in registry by default (tests register their own). */
  registry?: Registry;
  /**
   * The scan's clock (RATINGS.md "Clock"; named `clock` because `now` is DnsScanOptions' DNSSEC validation
   * time in seconds): the times recorded for the scan, its targets and its findings (first seen, last seen,
   * resolved) and the score snapshot follow it. `vitals lab history` scans at each simulated month's date
   * with it, while DNSSEC signatures are still validated at the real time. Default: the real time.
   */
  clock?: () => Date;
  /** Told of each target as it finishes: `index` is the target's position in the list given to runScan. */
  onTargetDone?: (result: TargetResult, done: number, total: number, index: number) => void;
}

export type TargetStatus = 'scanned' | 'refused' | 'failed';

export interface TargetResult {
  target: ScanTarget;
  status: TargetStatus;
  /** Why the target was refused or failed. */
  error?: string;
  discovery?: DiscoveryObservation;
  outcome: CheckOutcome;
  /** The checks that ran, with what each judged (persist.ts resolves exactly these). */
  checks?: CheckRun[];
  /** The SSL Labs-style grade of each TLS endpoint and the header grade of each web site (endpoint-grades.ts). */
  grades?: EndpointGrade[];
  /** What the web probe recognised on each host it reached: CPE names, telehealth. */
  fingerprints?: AssetFingerprint[];
  startedAt: string;
  finishedAt: string;
}

/** The configured resolver did not answer: nothing can be assessed. */
export class ResolverUnreachableError extends AppError {
  override readonly name = 'ResolverUnreachableError';
  readonly code = 'resolver-unreachable';
  override readonly exitStatus = ExitStatus.resolverUnreachable;
}

/** Checks that the resolver answers at all (any reply, even REFUSED, proves it is there). */
export async function assertResolverReachable(
  client: DnsClient,
  resolver: DnsServer,
  timeoutMs: number,
): Promise<void> {
  const reply = await client.query(resolver, '.', 'NS', { timeoutMs, retries: 1, recursionDesired: true });
  if (!reply.ok) {
    throw new ResolverUnreachableError(
      `the DNS resolver ${formatServer(resolver)} did not answer (${reply.reason}: ${reply.detail}); check --resolver`,
    );
  }
}

export function formatServer(server: DnsServer): string {
  return server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

/** The real time: the default scan clock. */
export const realClock = (): Date => new Date();

/** Runs the DNS and e-mail assessment over every target, `settings.concurrency` at a time. */
/**
 * Scans `targets`, `settings.concurrency` at a time. `claim` hands out the index of the next target to
 * scan (by default this call's own counter); threads of a parallel scan share one, so each takes the next
 * target whenever it has room and none sits idle while another has a queue. The result array has a hole
 * wherever another claimant took the target.
 */
export async function runScan(
  targets: ScanTarget[],
  settings: ScanSettings,
  claim?: () => number,
): Promise<TargetResult[]> {
  const plan = planScan(settings.registry ?? REGISTRY, settings);
  const domains = targets.map((t) => t.domain);
  // The DNS family always runs: refusing private targets and unknown domains asks DNS first.
  const dns = dnsFamily.prepare(settings, domains);
  const families = plan.registry.families
    .filter((f) => f.id !== dnsFamily.id)
    .map((f) => [f.id, f.prepare(settings, domains)] as const);
  const policy = new AddressPolicy(
    settings.network?.policy ?? {
      allowPrivate: settings.allowPrivate,
      allowedEndpoints: [settings.resolver],
      exclusions: { cidrs: [], suffixes: [] },
    },
  );
  const results: TargetResult[] = new Array(targets.length);
  let next = 0;
  const take = claim ?? ((): number => next++);
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let index = take(); index < targets.length; index = take()) {
      const target = targets[index]!;
      const dnsContext = dns.forTarget(target.domain);
      const contexts = new Map<string, unknown>([
        [dnsFamily.id, dnsContext],
        ...families.map(([id, family]) => [id, family.forTarget(target.domain)] as const),
      ]);
      const result = await scanTarget(target, plan, dnsContext, contexts, policy, settings.clock ?? realClock);
      results[index] = result;
      done++;
      settings.onTargetDone?.(result, done, targets.length, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, targets.length)) }, worker));
  return results;
}

async function scanTarget(
  target: ScanTarget,
  plan: ScanPlan,
  ctx: DnsFamilyContext,
  contexts: ReadonlyMap<string, unknown>,
  policy: AddressPolicy,
  clock: () => Date,
): Promise<TargetResult> {
  const startedAt = clock().toISOString();
  const finish = (partial: Omit<TargetResult, 'target' | 'startedAt' | 'finishedAt'>): TargetResult => ({
    target,
    startedAt,
    finishedAt: clock().toISOString(),
    ...partial,
  });
  try {
    const refusal = await targetRefusal(target.domain, ctx, policy);
    if (refusal) return finish({ status: 'refused', error: refusal, outcome: emptyOutcome() });
    // A domain that does not exist (a typo, a lapsed registration) has nothing to rate: saying "SPF
    // missing" about it would be a false finding. It is reported as failed instead.
    const soa = await ctx.client.query(ctx.resolver, target.domain, 'SOA', ctx.queryOptions);
    if (soa.ok && soa.response.rcode === 'NXDOMAIN') {
      return finish({
        status: 'failed',
        error: `${target.domain} does not exist (the resolver answered NXDOMAIN); check the spelling`,
        outcome: emptyOutcome(),
      });
    }
    const { outcome, checks, attempts } = await assessTarget(plan, { domain: target.domain }, contexts);
    const found = attempts.get(discoveryProbe.id);
    const discovery = found?.status === 'completed' ? (found.result as DiscoveryObservation) : undefined;
    const grades = endpointGrades(attempts);
    const fingerprints = assetFingerprints(attempts);
    return finish({
      status: 'scanned',
      ...(discovery ? { discovery } : {}),
      outcome,
      checks,
      ...(grades.length > 0 ? { grades } : {}),
      ...(attempts.has(WEB_PROBE_ID) ? { fingerprints } : {}),
    });
  } catch (error) {
    return finish({
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
      outcome: emptyOutcome(),
    });
  }
}
