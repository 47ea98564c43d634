/**
 * What one scan runs, from the registry and `--only` / `--skip` (names of factors, probes or checks).
 * `--only` keeps the checks of a named factor, a named check, and the checks that read nothing but a
 * named probe and its inputs; the probes those checks read (and the probes they need) run, as do the
 * named probes. `--skip` removes the checks of a named factor, a named check, and a named probe with
 * every probe that needs it and every check that reads one of them. A check that does not run resolves
 * nothing (persist.ts).
 */
import type { AnyCheck, AnyProbe, Registry } from '../core/contract.js';
import { FACTORS } from '../core/types.js';
import { AppError } from '../core/errors.js';

export interface ScanSelection {
  only?: readonly string[];
  skip?: readonly string[];
}

export interface ScanPlan {
  registry: Registry;
  /** Probes to run, in registry order (inputs before the probes that need them). */
  probes: AnyProbe[];
  /** Checks to run, in registry order (report order). */
  checks: AnyCheck[];
}

/** A name given to --only or --skip that the registry does not know, or a selection that leaves nothing. */
export class ScanSelectionError extends AppError {
  override readonly name = 'ScanSelectionError';
  readonly code = 'scan-selection-invalid';
}

/** The names --only and --skip accept, grouped by kind (factors that have checks, probes, checks). */
export function selectableNames(registry: Registry): { factors: string[]; probes: string[]; checks: string[] } {
  return {
    factors: [...new Set(registry.checks.map((c) => c.factor))],
    probes: registry.probes.map((p) => p.id),
    checks: registry.checks.map((c) => c.id),
  };
}

export function planScan(registry: Registry, selection: ScanSelection = {}): ScanPlan {
  const only = selection.only ?? [];
  const skip = selection.skip ?? [];
  validateNames(registry, [...only, ...skip]);
  const probeNamed = (names: readonly string[]) => registry.probes.filter((p) => names.includes(p.id));
  const checkNamed = (names: readonly string[]) =>
    registry.checks.filter((c) => names.includes(c.id) || names.includes(c.factor));

  let checks = [...registry.checks];
  const readsOf = (c: AnyCheck): AnyProbe[] => probesReadBy(registry, c);
  // Probes that run without a check reading them: discovery records the assets it finds on its own.
  const read = new Set(registry.checks.flatMap(readsOf));
  let standalone = registry.probes.filter((p) => !read.has(p));
  if (only.length > 0) {
    const named = withInputs(probeNamed(only));
    const onlyChecks = new Set(checkNamed(only));
    checks = checks.filter((c) => onlyChecks.has(c) || (c.reads.length > 0 && readsOf(c).every((p) => named.has(p))));
    standalone = probeNamed(only);
  }
  const skipped = probeNamed(skip);
  const removed = new Set(registry.probes.filter((p) => skipped.some((s) => withInputs([p]).has(s))));
  const skippedChecks = new Set(checkNamed(skip));
  checks = checks.filter((c) => !skippedChecks.has(c) && !readsOf(c).some((p) => removed.has(p)));
  const probes = withInputs([...checks.flatMap(readsOf), ...standalone.filter((p) => !removed.has(p))]);
  if (checks.length === 0 && probes.size === 0) throw new ScanSelectionError('--only and --skip leave nothing to scan');
  return { registry, probes: registry.probes.filter((p) => probes.has(p)), checks };
}

/**
 * The registered probes a check reads, in its order. A check names them by id (`probeRef`) so that it
 * never loads probe code; an id the registry lacks is a bug (registry-validation.ts reports it on load).
 */
export function probesReadBy(registry: Registry, check: AnyCheck): AnyProbe[] {
  return check.reads.map((ref) => {
    const probe = registry.probes.find((p) => p.id === ref.probe);
    if (!probe) throw new Error(`check "${check.id}" reads probe "${ref.probe}", which is not registered`);
    return probe;
  });
}

/** The probes and, recursively, the probes they need. */
function withInputs(probes: readonly AnyProbe[]): Set<AnyProbe> {
  const out = new Set<AnyProbe>();
  const visit = (p: AnyProbe): void => {
    if (out.has(p)) return;
    out.add(p);
    for (const input of p.inputs) visit(input);
  };
  for (const p of probes) visit(p);
  return out;
}

function validateNames(registry: Registry, names: readonly string[]): void {
  const valid = selectableNames(registry);
  const known = new Set([...valid.factors, ...valid.probes, ...valid.checks]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length === 0) return;
  const pending = unknown.filter((n) => (FACTORS as readonly string[]).includes(n));
  if (pending.length === unknown.length)
    throw new ScanSelectionError(
      `no checks of ${pending.length === 1 ? 'factor' : 'factors'} ${pending.map((n) => `"${n}"`).join(', ')} ` +
        `exist yet; valid factors: ${valid.factors.join(', ')}`,
    );
  throw new ScanSelectionError(
    `unknown ${unknown.length === 1 ? 'name' : 'names'} ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
      `valid factors: ${valid.factors.join(', ')}; probes: ${valid.probes.join(', ')}; ` +
      `checks: ${valid.checks.join(', ')}`,
  );
}
