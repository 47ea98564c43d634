/**
 * User regular expressions run on hostile text, so they never run on V8's backtracking engine: a
 * pattern such as `(a+)+$` takes exponential time there (ReDoS). They run on RE2 (the `re2` package,
 * Google's automaton engine), whose matching time is linear in the text for every pattern it
 * accepts. RE2 has no backreferences and no lookarounds (https://github.com/google/re2/wiki/Syntax):
 * such patterns are rejected at `watch add`, never approximated.
 */
import { createRequire } from 'node:module';
import type RE2Module from 're2';
import { AppError } from '../../core/errors.js';

/** A watchlist pattern (term or regular expression) that cannot be used; the message says why. */
export class WatchPatternError extends AppError {
  override readonly name = 'WatchPatternError';
  readonly code = 'watch-pattern-invalid';
}

/** Longest regular-expression source accepted: keeps compiled automata (and listings) small. */
export const MAX_REGEX_LENGTH = 1000;

/** Flags a watchlist regular expression may carry: only case-insensitivity changes what matches. */
export const REGEX_FLAGS = ['', 'i'] as const;
/** One of REGEX_FLAGS. */
export type RegexFlags = (typeof REGEX_FLAGS)[number];

/** Short texts on which a pattern that can match the empty string shows it. */
const EMPTY_MATCH_PROBES = ['', 'a', ' a ', '0', '\n'];

type Re2Constructor = typeof RE2Module;
/** A compiled RE2 pattern (a RegExp subclass that matches in linear time). */
export type SafeRegex = InstanceType<Re2Constructor>;

let re2: Re2Constructor | undefined;
let re2LoadError: unknown;

/**
 * Load RE2 lazily: it is a native addon, and a machine where it failed to build must still run every
 * other command. Without it, regex watchlists are refused (never run on the backtracking engine).
 */
function loadRe2(): Re2Constructor {
  if (re2 !== undefined) return re2;
  if (re2LoadError === undefined) {
    try {
      re2 = createRequire(import.meta.url)('re2') as Re2Constructor;
      return re2;
    } catch (error) {
      re2LoadError = error;
    }
  }
  const detail = re2LoadError instanceof Error ? re2LoadError.message.split('\n')[0] : String(re2LoadError);
  throw new WatchPatternError(
    `regular-expression watchlists need the re2 package (a linear-time engine), which could not be loaded: ${detail}`,
  );
}

/** True when RE2 is installed and loads, so regex watchlists can run. */
export function safeRegexAvailable(): boolean {
  try {
    loadRe2();
    return true;
  } catch {
    return false;
  }
}

/**
 * Compile `source` with RE2 (global, plus `i` when asked). Throws `WatchPatternError` for an empty or
 * over-long pattern, a pattern RE2 does not support (backreference, lookaround...), or a syntax error.
 */
export function compileSafeRegex(source: string, flags: string = ''): SafeRegex {
  if (source === '') throw new WatchPatternError('the regular expression is empty');
  if (source.length > MAX_REGEX_LENGTH) {
    throw new WatchPatternError(
      `the regular expression is ${source.length} characters long; at most ${MAX_REGEX_LENGTH} are accepted`,
    );
  }
  if (!(REGEX_FLAGS as readonly string[]).includes(flags)) {
    throw new WatchPatternError(`unsupported regular-expression flags "${flags}" (only "i" is accepted)`);
  }
  const RE2 = loadRe2();
  let compiled: SafeRegex;
  try {
    compiled = new RE2(source, `${flags}u`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WatchPatternError(
      `regular expression /${source}/ is not accepted: ${detail} (watchlists use RE2 syntax, which runs in ` +
        `linear time: no backreferences or lookarounds)`,
    );
  }
  // An expression that can match the empty string (`a*`, `x?`, `\b`) would alert on every document.
  for (const probe of EMPTY_MATCH_PROBES) {
    const match = compiled.exec(probe);
    if (match !== null && match[0] === '') {
      throw new WatchPatternError(
        `regular expression /${source}/ can match an empty string, so it would match almost every document`,
      );
    }
  }
  return compiled;
}
