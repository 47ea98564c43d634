/** `vitals findings`: read stored findings, filtered. */
import { Command, Option } from 'commander';
import { FACTORS, SEVERITIES, type Factor, type Severity } from '../../core/types.js';
import { FINDING_STATUSES, type FindingStatus } from '../../core/finding.js';
import type { FindingJson } from '../../scanner/report.js';
import { findingRows } from '../../views/findings.js';
import { resolveHome } from '../context.js';
import { shortId } from '../../disputes/service.js';
import { optionalOrganization } from '../organization-option.js';
import { addHomeOption } from '../options.js';
import { writeJson, writeRecords } from '../output.js';
import { FindingOutput, SarifLogOutput } from '../../output/schemas.js';
import { FINDING_REPORT_FORMATS, toSarif, type FindingReportFormat } from '../sarif.js';
import { openCliStore } from '../store.js';

export function findingsCommand(): Command {
  return addHomeOption(
    new Command('findings')
      .description('list stored findings (open ones unless --status says otherwise), most severe first')
      .option('--org <name>', 'only this organization (name or alias)')
      .addOption(new Option('--factor <factor>', 'only this factor').choices(FACTORS))
      .addOption(new Option('--severity <severity>', 'only this severity').choices(SEVERITIES))
      .addOption(
        new Option('--status <status>', 'open, resolved or all').choices([...FINDING_STATUSES, 'all']).default('open'),
      )
      .addOption(new Option('--format <format>', 'output format').choices(FINDING_REPORT_FORMATS).default('table')),
  ).action(
    async (options: {
      home?: string;
      org?: string;
      factor?: Factor;
      severity?: Severity;
      status: FindingStatus | 'all';
      format: FindingReportFormat;
    }) => {
      const store = await openCliStore(resolveHome(options));
      try {
        const organizationId = (await optionalOrganization(store, options.org))?.id;
        const rows = await findingRows(store, {
          ...(organizationId !== undefined ? { organizationId } : {}),
          ...(options.factor !== undefined ? { factor: options.factor } : {}),
          ...(options.severity !== undefined ? { severity: options.severity } : {}),
          ...(options.status !== 'all' ? { status: options.status } : {}),
        });
        if (options.format === 'sarif') {
          writeJson(process.stdout, SarifLogOutput, toSarif(rows));
          return;
        }
        writeRecords(
          process.stdout,
          options.format,
          FindingOutput,
          rows,
          [
            { header: 'id', cell: (f) => shortId(f.id) },
            { header: 'severity', cell: (f) => f.severity },
            { header: 'organization', cell: (f) => f.organization },
            { header: 'type', cell: (f) => f.type },
            { header: 'asset', cell: (f) => f.asset.host },
            { header: 'status', cell: (f) => f.status },
            { header: 'first seen', cell: (f) => f.first_seen.slice(0, 19) },
            { header: 'last seen', cell: (f) => f.last_seen.slice(0, 19) },
            { header: 'dispute', cell: disputeCell },
          ],
          `${rows.length} findings`,
        );
      } finally {
        await store.close();
      }
    },
  );
}

/** What the table says about a finding's standing: disputed (still counts), accepted or excluded (does not). */
function disputeCell(finding: FindingJson): string {
  if (finding.asset_excluded === true) return 'host excluded';
  if (!finding.dispute) return '';
  return finding.dispute.status === 'open'
    ? `disputed (${finding.dispute.reason})`
    : `accepted (${finding.dispute.reason})`;
}
