/**
 * `defineCheck` binds the check contract (core/contract.ts) to the catalogue: a check can only declare,
 * and so only emit, finding and control ids that src/catalogue/catalogue.json defines (the union types
 * of src/catalogue/ids.ts). A check written as one `judge` function is held at compile time to the ids it
 * declares; the scanner refuses, at run time, any undeclared id a check still emits.
 */
import type { Check, ProbeRef } from '../core/contract.js';
import type { CheckOutcome } from '../core/types.js';
import type { ControlId, FindingId } from '../catalogue/ids.js';

/** An outcome whose ids are catalogue ids. */
export type CatalogueOutcome = CheckOutcome<FindingId, ControlId>;

/** Declares a check; the types of `judge`'s results follow `reads`. */
export function defineCheck<
  const Reads extends readonly ProbeRef[],
  const F extends FindingId = never,
  const C extends ControlId = never,
>(check: Check<Reads, F, C>): Check<Reads, F, C> {
  return check;
}
