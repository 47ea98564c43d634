/**
 * The one base of every error Vitals raises for its users. Each carries a stable string `code` (what a
 * program, such as the CLI now or an API later, keys on) and the CLI exit status it ends with, so no
 * caller ever has to recognise an error by its class or its message text.
 */

/** The exit statuses of `vitals` (README, "Commands"); nothing else ends the CLI. */
export const ExitStatus = {
  ok: 0,
  /** Some work failed (targets, records, alerts), no lab runs for `lab status`, or an unexpected error. */
  failure: 1,
  /** Bad input (an unknown option or value, an invalid name, a missing or oversized file) or a store error. */
  badInput: 2,
  /** The DNS resolver did not answer: nothing could be assessed. */
  resolverUnreachable: 3,
  /** `scan --fail-on SEVERITY` found an open finding at or above SEVERITY. */
  failOn: 4,
  /** Interrupted by Ctrl-C (128 + SIGINT), after saving what was done. */
  interrupted: 130,
} as const;

export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

export interface AppErrorOptions {
  /** Default: `ExitStatus.badInput`, as most errors a user sees are about what they gave. */
  exitStatus?: ExitStatus;
  cause?: unknown;
}

/** An expected failure: its message is one clear statement for the user (no stack trace needed). */
export abstract class AppError extends Error {
  /** Stable, kebab-case; part of the contract like a JSON field name. */
  abstract readonly code: string;
  readonly exitStatus: ExitStatus;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitStatus = options.exitStatus ?? ExitStatus.badInput;
  }
}

/**
 * Puts `context` (say `--wordlist ` or `search: `) before the message of an AppError, for a caller that knows
 * which input failed; code and exit status stay. Other errors are returned untouched: they are bugs.
 */
export function withContext(error: unknown, context: string): unknown {
  if (error instanceof AppError) error.message = `${context}${error.message}`;
  return error;
}
