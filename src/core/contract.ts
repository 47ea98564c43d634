/**
 * The probe and check contract. Probes observe, checks judge: a probe talks to the network through its
 * family's context and returns an attempt (observed data, or not assessed with a reason); a check is a
 * pure function from the results of the probes it reads to findings, controls and not-assessed records.
 * The scanner only knows these shapes and the registry that lists them (docs/DESIGN.md, "Adding a check").
 * No dependencies: these are types and identity helpers that keep the inference in one place.
 */
import type { CheckOutcome, Factor, ProbeAttempt } from './types.js';

/** What every probe gets from the target: the domain under assessment (an apex). */
export interface ProbeTarget {
  readonly domain: string;
}

/**
 * One kind of observation (the DNS look-ups of e-mail authentication, a DNSSEC validation, a TLS
 * handshake...). `Ctx` is its family's per-target context (sockets, resolver, timeouts, settings);
 * `Inputs` are the probes whose results it needs first, handed to `run` in the same order.
 */
export interface Probe<
  Ctx = unknown,
  Out = unknown,
  Inputs extends readonly AnyProbe[] = readonly AnyProbe[],
  Id extends string = string,
> {
  /** Unique among probes, checks and factors (a kebab slug: `email-auth`). */
  readonly id: Id;
  /** The family whose context `run` receives (`dns`). */
  readonly family: string;
  /** One line for `--help` and error messages. */
  readonly description: string;
  readonly inputs: Inputs;
  /**
   * Observes `target`. Failing to observe is a value (`not_assessed` with a reason); a thrown error is a
   * bug and fails the target. Method syntax on purpose: a registry holds probes of every family.
   */
  run(target: ProbeTarget, ctx: Ctx, inputs: ResultsOf<Inputs>): Promise<ProbeAttempt<Out>>;
}

/** Any probe, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the context and output types differ per probe.
export type AnyProbe = Probe<any, any, readonly any[]>;

/** The result type of a probe. */
export type ProbeOutput<P> = P extends Probe<never, infer Out, readonly AnyProbe[]> ? Out : never;

/** The completed results of a list of probes, in the same order. */
export type ResultsOf<Ps extends readonly AnyProbe[]> = { -readonly [K in keyof Ps]: ProbeOutput<Ps[K]> };

/**
 * How a check names a probe it reads: the probe's id, and (for the compiler only) its result type.
 * Checks are pure judges and must not load probe code (the network), so they refer to a probe by id
 * with a type-only import of its declaration; the scanner finds the probe in the registry by that id.
 */
export interface ProbeRef<Id extends string = string, Out = unknown> {
  /** The probe's id (not `id`, so that a probe object itself is no ProbeRef and cannot lose its type). */
  readonly probe: Id;
  /** Never set at run time: carries the probe's result type to the check's `judge`. */
  readonly resultType?: Out;
}

/** The completed results of the probes a check reads, in the same order. */
export type ResultsOfRefs<Rs extends readonly ProbeRef[]> = {
  -readonly [K in keyof Rs]: Rs[K] extends ProbeRef<string, infer Out> ? Out : never;
};

/**
 * A reference to probe `P` for a check's `reads`: `probeRef<typeof emailAuthProbe>('email-auth')`, with
 * `import type { emailAuthProbe }`. The type argument is required (no default inference), and the id must
 * be that probe's id, so a typo or a mismatched type does not compile.
 */
export function probeRef<P extends AnyProbe = never>(id: P['id']): ProbeRef<P['id'], ProbeOutput<P>> {
  return { probe: id };
}

/**
 * One judgement over probe results. `judge` is pure and sees completed results only: when a probe it
 * reads was not assessed, the scanner records the check as not assessed with the probe's reason instead.
 * `findings` and `controls` list every id it can emit (catalogue ids); the scanner resolves exactly the
 * declared finding types of the checks that ran, and refuses an emitted id that was not declared.
 */
export interface Check<
  Reads extends readonly ProbeRef[] = readonly ProbeRef[],
  FindingId extends string = string,
  ControlId extends string = string,
> {
  /** Unique among probes, checks and factors (a dotted id: `dns.spf`). */
  readonly id: string;
  readonly factor: Factor;
  readonly description: string;
  /** The probes it reads (`probeRef`), in the order `judge` receives their results. */
  readonly reads: Reads;
  readonly findings: readonly FindingId[];
  readonly controls: readonly ControlId[];
  judge(target: ProbeTarget, results: ResultsOfRefs<Reads>): CheckOutcome<FindingId, ControlId>;
}

/** Any check, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the probe results differ per check.
export type AnyCheck = Check<readonly ProbeRef<string, any>[], string, string>;

/**
 * A probe family: the per-target context its probes share. `prepare` runs once per scan with the scan's
 * settings and targets (shared sockets, caches); `forTarget` gives one target's context.
 */
export interface ProbeFamily<Settings = unknown, Ctx = unknown> {
  readonly id: string;
  prepare(settings: Settings, domains: readonly string[]): { forTarget(domain: string): Ctx };
}

/** Everything a scan can run: the families, then probes and checks in report order. */
export interface Registry {
  // biome-ignore lint/suspicious/noExplicitAny: each family reads its own part of the scan settings.
  readonly families: readonly ProbeFamily<any, unknown>[];
  readonly probes: readonly AnyProbe[];
  readonly checks: readonly AnyCheck[];
}

/** Declares a probe with its types inferred from `run` and `inputs`. */
export function defineProbe<
  Ctx,
  Out,
  const Inputs extends readonly AnyProbe[] = readonly [],
  const Id extends string = string,
>(probe: Probe<Ctx, Out, Inputs, Id>): Probe<Ctx, Out, Inputs, Id> {
  return probe;
}
