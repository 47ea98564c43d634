/** `vitals findings`: read stored findings, filtered. */
import { Command, Option } from 'commander';
import { FACTORS, SEVERITIES, type Factor, type Severity } from '../../core/types.js';
import { FINDING_STATUSES, type FindingStatus } from '../../store/repos/findings.repo.js';
import { findingToJson } from '../../scanner/report.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption } from '../options.js';
import { renderTable, writeJson, writeJsonLine, OUTPUT_FORMATS, type OutputFormat } from '../output.js';
import { openCliStore } from '../store.js';

export function findingsCommand(): Command {
  return addHomeOption(
    new Command('findings')
      .description('list stored findings (open ones unless --status says otherwise), most severe first')
      .option('--org <name>', 'only this organization (name or alias)')
      .addOption(new Option('--factor <factor>', 'only this factor').choices(FACTORS))
      .addOption(new Option('--severity <severity>', 'only this severity').choices(SEVERITIES))
      .addOption(new Option('--status <status>', 'open, resolved or all').choices([...FINDING_STATUSES, 'all']).default('open'))
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table')),
  ).action(async (options: { home?: string; org?: string; factor?: Factor; severity?: Severity; status: FindingStatus | 'all'; format: OutputFormat }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      let organizationId: string | undefined;
      if (options.org !== undefined) {
        const org = await store.organizations.findByNameOrAlias(options.org);
        if (!org) throw new CliError(`no organization named "${options.org}" (see \`vitals orgs list\`)`);
        organizationId = org.id;
      }
      const findings = await store.findings.listFindings({
        ...(organizationId !== undefined ? { organizationId } : {}),
        ...(options.factor !== undefined ? { factor: options.factor } : {}),
        ...(options.severity !== undefined ? { severity: options.severity } : {}),
        ...(options.status !== 'all' ? { status: options.status } : {}),
      });
      if (options.format === 'json') writeJson(process.stdout, findings.map(findingToJson));
      else if (options.format === 'jsonl') for (const f of findings) writeJsonLine(process.stdout, findingToJson(f));
      else {
        process.stdout.write(
          renderTable(findings, [
            { header: 'severity', cell: (f) => f.severity },
            { header: 'organization', cell: (f) => f.organizationName },
            { header: 'type', cell: (f) => f.type },
            { header: 'asset', cell: (f) => f.asset.host },
            { header: 'status', cell: (f) => f.status },
            { header: 'first seen', cell: (f) => f.firstSeen.slice(0, 19) },
            { header: 'last seen', cell: (f) => f.lastSeen.slice(0, 19) },
          ]),
        );
        process.stdout.write(`${findings.length} findings\n`);
      }
    } finally {
      await store.close();
    }
  });
}
