/** Option parsing shared by commands: every value from the command line is validated here. */
import { getServers } from 'node:dns';
import type { Command } from 'commander';
import { parseServer } from '../net/dns/server-address.js';
import type { DnsServer } from '../net/dns/dns-client.types.js';
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
