/** `vitals assets exclude | excluded`: hosts that are not the organization's (issue #10 section 5). */
import { Command } from 'commander';
import { excludeAsset } from '../../disputes/service.js';
import { exclusionToJson } from '../../disputes/json.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { optionalOrganization } from '../organization-option.js';
import { writeRecords } from '../output.js';
import { AssetExclusionOutput } from '../../output/schemas.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';
import { Option } from 'commander';
import { LISTING_FORMATS, type ListingFormat } from './dispute.js';

export function assetsCommand(): Command {
  const assets = new Command('assets').description("an organization's assets: exclude the ones that are not its own");

  addHomeOption(
    assets
      .command('exclude')
      .description("exclude a host that is not the organization's: its findings leave the organization's score")
      .argument('<host>', 'the host name (as `vitals orgs show ORG` lists it)')
      .requiredOption(
        '--reason <text>',
        "why the host is not the organization's (sold, a tenant, a shared platform...)",
      )
      .option('--org <name>', 'the organization (needed when several have this host)')
      .option('--by <name>', 'who excludes it (default: the OS user name)'),
  ).action(async (host: string, options: { home?: string; reason: string; org?: string; by?: string }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const organization = await optionalOrganization(store, options.org);
      const exclusion = await excludeAsset(store, {
        host,
        reason: options.reason,
        ...(organization !== undefined ? { organizationId: organization.id } : {}),
        ...(options.by !== undefined ? { by: options.by } : {}),
      });
      process.stdout.write(
        `${sanitizeTerminalLine(
          `${exclusion.host} excluded from ${exclusion.organizationName} by ${exclusion.createdBy}`,
        )}\n` + "its findings no longer count in the organization's score (they stay in history)\n",
      );
    } finally {
      await store.close();
    }
  });

  addHomeOption(
    assets
      .command('excluded')
      .description('list excluded hosts, oldest first')
      .option('--org <name>', 'only this organization (name or alias)')
      .addOption(new Option('--format <format>', 'output format').choices(LISTING_FORMATS).default('table')),
  ).action(async (options: { home?: string; org?: string; format: ListingFormat }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const organization = await optionalOrganization(store, options.org);
      const exclusions = await store.disputes.listExclusions(organization?.id);
      writeRecords(
        process.stdout,
        options.format,
        AssetExclusionOutput,
        exclusions.map(exclusionToJson),
        [
          { header: 'organization', cell: (e) => e.organization },
          { header: 'host', cell: (e) => e.host },
          { header: 'reason', cell: (e) => e.reason },
          { header: 'by', cell: (e) => e.created_by },
          { header: 'since', cell: (e) => e.created_at.slice(0, 10) },
        ],
        `${exclusions.length} excluded hosts`,
      );
    } finally {
      await store.close();
    }
  });
  return assets;
}
