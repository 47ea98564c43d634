/**
 * Assesses one target with a scan plan: runs the planned probes (each as soon as the probes it needs are
 * done, the others at once), then every planned check in report order over the probes it reads. A check
 * whose probe could not observe is not assessed with the probe's reason; a check that emits an id it did
 * not declare is a bug and fails the target.
 */
import type { AnyCheck, AnyProbe, ProbeTarget } from '../core/contract.js';
import type { CheckOutcome, ProbeAttempt } from '../core/types.js';
import { emptyOutcome, mergeOutcomes } from '../core/types.js';
import { probesReadBy, type ScanPlan } from './scan-plan.js';

/** What one check that ran judged: its declared finding types and the hosts where it was not assessed. */
export interface CheckRun {
  check: string;
  types: string[];
  notAssessedHosts: string[];
  /**
   * Whether it found anything to judge: a finding, a control or a not-assessed record. A web check over an
   * organization with no web site at all judged nothing, and its factor has no data (not rated, not 100).
   */
  observed?: boolean;
  /**
   * A probe the check reads could not observe the target: the check judged no host at all, though its one
   * not-assessed record names the apex. The store keeps its open findings on every host the scan covered.
   */
  unobserved?: boolean;
}

export interface Assessment {
  outcome: CheckOutcome;
  checks: CheckRun[];
  /** The result of each probe that ran, by probe id. */
  attempts: Map<string, ProbeAttempt<unknown>>;
}

/** Families' contexts for this target, by family id. */
export type FamilyContexts = ReadonlyMap<string, unknown>;

export async function assessTarget(plan: ScanPlan, target: ProbeTarget, contexts: FamilyContexts): Promise<Assessment> {
  const pending = new Map<AnyProbe, Promise<ProbeAttempt<unknown>>>();
  const run = (probe: AnyProbe): Promise<ProbeAttempt<unknown>> => {
    let attempt = pending.get(probe);
    if (!attempt) {
      attempt = runProbe(probe, target, contexts, run);
      pending.set(probe, attempt);
    }
    return attempt;
  };
  const settled = await Promise.all(plan.probes.map(run));
  const attempts = new Map(plan.probes.map((p, i) => [p.id, settled[i]!] as const));

  const outcomes: CheckOutcome[] = [];
  const checks: CheckRun[] = [];
  for (const check of plan.checks) {
    const inputs = await Promise.all(probesReadBy(plan.registry, check).map(run));
    const outcome = judge(check, target, inputs);
    const unobserved = firstFailure(inputs) !== null;
    outcomes.push(outcome);
    checks.push({
      check: check.id,
      types: [...check.findings],
      notAssessedHosts: [...new Set(outcome.notAssessed.map((n) => n.asset.host))],
      observed: outcome.findings.length + outcome.controls.length + outcome.notAssessed.length > 0,
      ...(unobserved ? { unobserved } : {}),
    });
  }
  return { outcome: mergeOutcomes(outcomes), checks, attempts };
}

async function runProbe(
  probe: AnyProbe,
  target: ProbeTarget,
  contexts: FamilyContexts,
  run: (probe: AnyProbe) => Promise<ProbeAttempt<unknown>>,
): Promise<ProbeAttempt<unknown>> {
  const inputs = await Promise.all(probe.inputs.map(run));
  const failed = firstFailure(inputs);
  if (failed) return failed;
  if (!contexts.has(probe.family)) throw new Error(`probe "${probe.id}": no context for family "${probe.family}"`);
  return probe.run(target, contexts.get(probe.family), completedResults(inputs));
}

function judge(check: AnyCheck, target: ProbeTarget, inputs: ProbeAttempt<unknown>[]): CheckOutcome {
  const failed = firstFailure(inputs);
  if (failed) {
    const outcome = emptyOutcome();
    outcome.notAssessed.push({
      check: check.id,
      asset: { host: target.domain },
      reason: `${failed.reason}: ${failed.detail}`,
    });
    return outcome;
  }
  const outcome = check.judge(target, completedResults(inputs));
  const findings = new Set<string>(check.findings);
  const controls = new Set<string>(check.controls);
  for (const f of outcome.findings)
    if (!findings.has(f.type))
      throw new Error(`check "${check.id}" emitted finding "${f.type}", which it does not declare`);
  for (const c of outcome.controls)
    if (!controls.has(c.control))
      throw new Error(`check "${check.id}" emitted control "${c.control}", which it does not declare`);
  return outcome;
}

type NotAssessedAttempt = Extract<ProbeAttempt<never>, { status: 'not_assessed' }>;

/** The first input that could not be observed: what needs it cannot be assessed either. */
function firstFailure(attempts: ProbeAttempt<unknown>[]): NotAssessedAttempt | null {
  return attempts.find((a): a is NotAssessedAttempt => a.status === 'not_assessed') ?? null;
}

function completedResults(attempts: ProbeAttempt<unknown>[]): unknown[] {
  return attempts.map((a) => (a.status === 'completed' ? a.result : undefined));
}
