/** Option parsing shared by commands: every value from the command line is validated here. */
import type { Command } from 'commander';
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
