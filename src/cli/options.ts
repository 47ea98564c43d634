/** Option parsing shared by commands: every value from the command line is validated here. */
import { getServers } from 'node:dns';
import type { Command } from 'commander';
import { parseServer } from '../net/dns/server-address.js';
import type { DnsServer } from '../net/dns/dns-client.types.js';
import { readCappedTextFile } from '../core/capped-file.js';
import { AppError } from '../core/errors.js';
import { CliError } from './errors.js';

/** Adds `--home DIR` (all state lives there; default $VITALS_HOME or ~/.vitals) to a command. */
export function addHomeOption(command: Command): Command {
  return command.option('--home <dir>', 'folder holding all Vitals state (default: $VITALS_HOME or ~/.vitals)');
}

export function parseIntegerOption(value: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw new CliError(`${flag} must be a whole number, not "${value}"`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new CliError(`${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

/** `--resolver IP[:PORT]`, validated. */
export function parseServerOption(text: string): DnsServer {
  try {
    return parseServer(text);
  } catch (error) {
    throw new CliError(`--resolver: ${(error as Error).message}`);
  }
}

/** The system's first configured name server (only read, never asked through the OS resolver library). */
export function systemResolver(): DnsServer {
  const first = getServers()[0];
  if (!first) throw new CliError('no system DNS resolver is configured; pass --resolver IP[:PORT]');
  return parseServer(first);
}

/** `--since DATE` and the like: an ISO-8601 date or date-time, returned as an ISO timestamp. */
export function parseDateOption(value: string, flag: string): string {
  const date = new Date(value);
  if (value.trim() === '' || Number.isNaN(date.getTime()))
    throw new CliError(`${flag}: "${value}" is not a date (use ISO-8601, e.g. 2025-01-31)`);
  return date.toISOString();
}

/** The text of a file the user named with `flag`, within its size cap; a missing file is one clear line. */
export function readInputFile(path: string, cap: number, flag: string): string {
  try {
    return readCappedTextFile(path, cap, flag);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
