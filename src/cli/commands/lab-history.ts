/** `vitals lab history`: a month-by-month history of the lab, scanned for real (docs/lab-history.md). */
import { Command, Option } from 'commander';
import { runLabHistory, type MonthSummary } from '../lab-history-run.js';
import { monthsBetween } from '../../study/periods.js';
import { describeDataLocation, resolveHome } from '../context.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { renderTable, writeJson } from '../output.js';
import { openCliStore } from '../store.js';
import { credentialKeyForCli } from './darkweb-key.js';
import { recordHistorySnapshots } from '../history-snapshots.js';
import { LabHistoryOutput } from '../../output/schemas.js';

/** Largest lab a history runs on: each month scans every organization. */
const MAX_HISTORY_ORGS = 5_000;

export function labHistoryCommand(): Command {
  return addHomeOption(
    new Command('history')
      .description(
        'evolve the lab month by month with a seeded model (patches applied and missed, telehealth rollouts with ' +
          'weaker configurations, DNS fixes, new dark-web mentions) and scan it at each month, with the scan clock ' +
          'set to that month, so `vitals study` has history to read; runs its own lab on loopback',
      )
      .requiredOption('--from <YYYY-MM>', 'first month (scanned as the world was built)')
      .requiredOption('--to <YYYY-MM>', 'last month')
      .option('--orgs <n>', 'organizations in the lab', '100')
      .option('--seed <n>', 'seed of the lab world and of the model', '1')
      .option('--documents <n>', 'dark-web documents per organization and month before the pandemic', '2')
      .option('--wordlist', 'also try the default wordlist at each scan (finds wordlist-only hosts; much slower)')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action(
    async (options: {
      home?: string;
      from: string;
      to: string;
      orgs: string;
      seed: string;
      documents: string;
      wordlist?: boolean;
      format: 'table' | 'json';
    }) => {
      monthsBetween(options.from, options.to);
      const orgs = parseIntegerOption(options.orgs, '--orgs', 1, MAX_HISTORY_ORGS);
      const seed = parseIntegerOption(options.seed, '--seed', 0, 2 ** 31);
      const documents = parseIntegerOption(options.documents, '--documents', 0, 100);
      const home = resolveHome(options);
      const store = await openCliStore(home);
      try {
        const months = await runLabHistory(store, {
          from: options.from,
          to: options.to,
          seed,
          orgs,
          documentsPerOrganization: documents,
          wordlist: options.wordlist === true,
          credentialKey: credentialKeyForCli(home),
          recordSnapshots: recordHistorySnapshots,
          onMonth: (m) =>
            process.stderr.write(
              `history: ${m.month}: scanned ${m.scanned} organizations at ${m.scanAt}, ${m.findings} findings, ` +
                `${m.documents} dark-web documents\n`,
            ),
        });
        if (options.format === 'json')
          writeJson(process.stdout, LabHistoryOutput, { from: options.from, to: options.to, seed, orgs, months });
        else process.stdout.write(renderHistory(months, options.from, options.to, home));
      } finally {
        await store.close();
      }
    },
  );
}

function renderHistory(months: readonly MonthSummary[], from: string, to: string, home: string): string {
  return (
    renderTable(months, [
      { header: 'month', cell: (m) => m.month },
      { header: 'DNS fixes', cell: (m) => String(m.events.dns_fix), align: 'right' },
      { header: 'patched', cell: (m) => String(m.events.patch_applied), align: 'right' },
      { header: 'missed', cell: (m) => String(m.events.patch_missed), align: 'right' },
      { header: 'drifted', cell: (m) => String(m.events.drifted), align: 'right' },
      { header: 'rollouts', cell: (m) => String(m.events.telehealth_rollout), align: 'right' },
      { header: 'scanned', cell: (m) => String(m.scanned), align: 'right' },
      { header: 'findings', cell: (m) => String(m.findings), align: 'right' },
      { header: 'documents', cell: (m) => String(m.documents), align: 'right' },
      { header: 'mentions', cell: (m) => String(m.mentions), align: 'right' },
      { header: 'snapshots', cell: (m) => String(m.snapshots), align: 'right' },
    ]) +
    `Data: ${describeDataLocation(home)}\n` +
    `Next: \`vitals study --from ${from} --to ${to}\` (add --by month for every month, --format json or csv).\n`
  );
}
