/** `vitals audit`: the append-only log of disputes, decisions and exclusions (who, when, why). */
import { Command, Option } from 'commander';
import { auditToJson } from '../../disputes/json.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { optionalOrganization } from '../organization-option.js';
import { writeRecords } from '../output.js';
import { AuditEntryOutput } from '../../output/schemas.js';
import { openCliStore } from '../store.js';
import { LISTING_FORMATS, type ListingFormat } from './dispute.js';

export function auditCommand(): Command {
  return addHomeOption(
    new Command('audit')
      .description('print the audit log of disputes, decisions and exclusions, oldest first (never rewritten)')
      .option('--org <name>', 'only this organization (name or alias)')
      .addOption(new Option('--format <format>', 'output format').choices(LISTING_FORMATS).default('table')),
  ).action(async (options: { home?: string; org?: string; format: ListingFormat }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const organization = await optionalOrganization(store, options.org);
      const entries = await store.audit.list(organization !== undefined ? { organizationId: organization.id } : {});
      writeRecords(
        process.stdout,
        options.format,
        AuditEntryOutput,
        entries.map(auditToJson),
        [
          { header: '#', cell: (e) => String(e.seq), align: 'right' },
          { header: 'when', cell: (e) => e.at.slice(0, 19).replace('T', ' ') },
          { header: 'who', cell: (e) => e.actor },
          { header: 'action', cell: (e) => e.action },
          { header: 'organization', cell: (e) => e.organization },
          { header: 'what', cell: (e) => [e.finding_type, e.asset_host].filter((v) => v !== null).join(' on ') },
          { header: 'why', cell: (e) => [e.reason, e.note].filter((v) => v !== null).join(': ') },
        ],
        `${entries.length} entries`,
      );
    } finally {
      await store.close();
    }
  });
}
