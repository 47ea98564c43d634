/**
 * Consistency rules of a registry (core/contract.ts), checked when it is loaded: names are unique
 * across factors, probes and checks; every probe's family and inputs, and every probe a check reads, are
 * registered (inputs before the probes that need them); every declared finding and control id is in the
 * catalogue, with the check's factor; no finding type has two owners. A complete registry (the real one)
 * also emits every catalogue finding of the factors it scans.
 */
import type { AnyCheck, Registry } from '../core/contract.js';
import { FACTORS } from '../core/types.js';
import { getCatalogue } from '../catalogue/catalogue.js';

/** Every rule the registry breaks, one sentence each (empty when valid). */
export function registryProblems(registry: Registry, options: { complete?: boolean } = {}): string[] {
  const problems: string[] = [];
  const catalogue = getCatalogue();
  const findingFactor = new Map(catalogue.findings.map((f) => [f.id, f.factor]));
  const controls = new Set(catalogue.controls.map((c) => c.id));

  const names = new Map<string, string>(FACTORS.map((f) => [f, 'factor']));
  for (const [kind, items] of [
    ['probe', registry.probes],
    ['check', registry.checks],
  ] as const) {
    for (const { id } of items) {
      const previous = names.get(id);
      if (previous) problems.push(`${kind} "${id}" has the name of a ${previous}`);
      names.set(id, kind);
    }
  }

  const families = new Set(registry.families.map((f) => f.id));
  const seenProbes = new Set<unknown>();
  for (const probe of registry.probes) {
    if (!families.has(probe.family)) problems.push(`probe "${probe.id}": no family "${probe.family}" is registered`);
    for (const input of probe.inputs)
      if (!seenProbes.has(input)) problems.push(`probe "${probe.id}" needs "${input.id}", not registered before it`);
    seenProbes.add(probe);
  }

  // Checks name the probes they read by id (core/contract.ts, probeRef).
  const registeredIds = new Set(registry.probes.map((p) => p.id));
  const owner = new Map<string, string>();
  for (const check of registry.checks) {
    for (const { probe } of check.reads)
      if (!registeredIds.has(probe))
        problems.push(`check "${check.id}" reads probe "${probe}", which is not registered`);
    for (const id of check.findings) {
      const factor = findingFactor.get(id);
      if (factor === undefined) problems.push(`check "${check.id}" declares finding "${id}", not in the catalogue`);
      else if (factor !== check.factor)
        problems.push(`check "${check.id}" (${check.factor}) declares "${id}" of factor ${factor}`);
      const other = owner.get(id);
      if (other) problems.push(`finding "${id}" is declared by checks "${other}" and "${check.id}"`);
      owner.set(id, check.id);
    }
    for (const id of check.controls)
      if (!controls.has(id)) problems.push(`check "${check.id}" declares control "${id}", not in the catalogue`);
  }

  if (options.complete) {
    const scanned = new Set(registry.checks.map((c) => c.factor));
    for (const finding of catalogue.findings)
      if (scanned.has(finding.factor) && !owner.has(finding.id))
        problems.push(`catalogue finding "${finding.id}" (${finding.factor}) is emitted by no check`);
  }
  return problems;
}

/** Returns `registry`, or throws an Error listing every problem. */
export function assertValidRegistry<R extends Registry>(registry: R, options: { complete?: boolean } = {}): R {
  const problems = registryProblems(registry, options);
  if (problems.length > 0) throw new Error(`invalid scan registry:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return registry;
}

/** The finding types a check's outcome may carry, as a set (the scanner refuses the others). */
export function declaredIds(check: AnyCheck): { findings: Set<string>; controls: Set<string> } {
  return { findings: new Set(check.findings), controls: new Set(check.controls) };
}
