/** `vitals scan --only NAME,...` and `--skip NAME,...`: what a scan runs (src/scanner/scan-plan.ts). */
import type { Command } from 'commander';
import { REGISTRY } from '../scanner/registry.js';
import { planScan, selectableNames } from '../scanner/scan-plan.js';

export interface SelectionOptions {
  only?: string[];
  skip?: string[];
}

/** Adds --only and --skip (comma-separated, repeatable) to a command. */
export function addSelectionOptions(command: Command): Command {
  const names = selectableNames(REGISTRY);
  const list = [...names.factors, ...names.probes].join(', ');
  return command
    .option('--only <names>', `run only these factors, probes or checks, comma-separated (e.g. ${list})`, collectNames)
    .option(
      '--skip <names>',
      'leave out these factors, probes or checks; a skipped check resolves nothing',
      collectNames,
    );
}

/** The selection, validated against the registry before any work starts (exit 2 on an unknown name). */
export function parseSelection(options: SelectionOptions): { only: string[]; skip: string[] } {
  const selection = { only: options.only ?? [], skip: options.skip ?? [] };
  planScan(REGISTRY, selection);
  return selection;
}

function collectNames(value: string, previous: string[] | undefined): string[] {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return [...(previous ?? []), ...names];
}
