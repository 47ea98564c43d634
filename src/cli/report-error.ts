/**
 * How the CLI ends on an error: the exit status and the message come from the error's `exitStatus` and
 * message (every expected failure is an AppError), never from recognising its class or its text.
 */
import { CommanderError } from 'commander';
import { AppError, ExitStatus } from '../core/errors.js';
import { sanitizeTerminalLine, sanitizeTerminalText } from './sanitize.js';

/** Prints what went wrong on `err` and returns the exit status; `verbose` adds the stack of an unexpected error. */
export function reportError(error: unknown, err: { write(text: string): unknown }, verbose: boolean): ExitStatus {
  // Commander's own exit (usage error, --help, --version) has printed its message already.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitStatus.ok : ExitStatus.badInput;
  if (error instanceof AppError) {
    err.write(`vitals: ${sanitizeTerminalText(error.message)}\n`);
    return error.exitStatus;
  }
  // A bug or an unforeseen failure: one line, the stack only when asked for.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  if (!verbose) err.write(`vitals: unexpected error: ${sanitizeTerminalLine(message)} (-v shows the stack trace)\n`);
  else err.write(`vitals: unexpected error: ${sanitizeTerminalText(stack ?? message)}\n`);
  return ExitStatus.failure;
}

/** Whether the command line asks for verbose output (`-v`/`--verbose` anywhere before `--`). */
export function wantsVerbose(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '-v' || a === '--verbose');
}
