/** `vitals dispute add | list | resolve | reject`: disputes of findings (issue #10 section 5). */
import { Command, Option } from 'commander';
import { DISPUTE_REASONS, DISPUTE_STATUSES } from '../../core/disputes.js';
import type { Dispute, DisputeDecision, DisputeReason, DisputeStatus } from '../../core/disputes.js';
import { addDispute, decideDispute, inForceThrough, shortId } from '../../disputes/service.js';
import { disputeToJson } from '../../disputes/json.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { optionalOrganization } from '../organization-option.js';
import { writeRecords } from '../output.js';
import { DisputeOutput } from '../../output/schemas.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';

/** Formats `dispute list` and `audit` print. */
export const LISTING_FORMATS = ['table', 'json'] as const;
export type ListingFormat = (typeof LISTING_FORMATS)[number];

function describe(dispute: Dispute): string {
  return `${dispute.findingType} on ${dispute.assetHost} (${dispute.organizationName})`;
}

function decisionCommand(name: 'resolve' | 'reject', decision: DisputeDecision, description: string): Command {
  return addHomeOption(
    new Command(name)
      .description(description)
      .argument('<id>', 'the dispute id (or its first 8 characters, as `vitals dispute list` prints it)')
      .option('--by <name>', 'who decides (default: the OS user name)')
      .option('--note <text>', 'why'),
  ).action(async (id: string, options: { home?: string; by?: string; note?: string }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const dispute = await decideDispute(store, {
        dispute: id,
        decision,
        ...(options.by !== undefined ? { by: options.by } : {}),
        ...(options.note !== undefined ? { note: options.note } : {}),
      });
      const effect =
        decision === 'accepted'
          ? dispute.expiresAt === null
            ? 'the finding no longer counts in the score (it stays in history)'
            : `the finding no longer counts in the score until ${dispute.expiresAt} (it stays in history)`
          : 'the finding keeps counting in the score';
      process.stdout.write(
        sanitizeTerminalLine(
          `dispute ${shortId(dispute.id)} ${decision} by ${dispute.decidedBy}: ${describe(dispute)}`,
        ) + `\n${effect}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

export function disputeCommand(): Command {
  const dispute = new Command('dispute').description(
    'dispute findings: an open dispute keeps the finding in the score, marked disputed; an accepted one removes it',
  );

  addHomeOption(
    dispute
      .command('add')
      .description('dispute a finding (it keeps counting, marked disputed, until the dispute is accepted)')
      .argument('<finding-id>', 'the finding id (or its first 8 characters, as `vitals findings` prints it)')
      .addOption(
        new Option('--reason <reason>', 'why the finding is disputed').choices(DISPUTE_REASONS).makeOptionMandatory(),
      )
      .requiredOption('--note <text>', 'the explanation, evidence or ticket reference')
      .option('--expires <date>', 'when an accepted dispute stops applying: YYYY-MM-DD (through that day, UTC)')
      .option('--by <name>', 'who disputes (default: the OS user name)'),
  ).action(
    async (
      findingId: string,
      options: { home?: string; reason: DisputeReason; note: string; expires?: string; by?: string },
    ) => {
      const store = await openCliStore(resolveHome(options));
      try {
        const created = await addDispute(store, {
          finding: findingId,
          reason: options.reason,
          note: options.note,
          ...(options.expires !== undefined ? { expires: options.expires } : {}),
          ...(options.by !== undefined ? { by: options.by } : {}),
        });
        process.stdout.write(
          `${sanitizeTerminalLine(
            `dispute ${shortId(created.id)} opened by ${created.createdBy}: ${describe(created)}`,
          )}\n` +
            'the finding keeps counting in the score, marked disputed, until the dispute is decided ' +
            `(vitals dispute resolve|reject ${shortId(created.id)})\n`,
        );
      } finally {
        await store.close();
      }
    },
  );

  addHomeOption(
    dispute
      .command('list')
      .description('list disputes, oldest first')
      .option('--org <name>', 'only this organization (name or alias)')
      .addOption(
        new Option('--status <status>', 'only this status').choices([...DISPUTE_STATUSES, 'all']).default('all'),
      )
      .addOption(new Option('--format <format>', 'output format').choices(LISTING_FORMATS).default('table')),
  ).action(async (options: { home?: string; org?: string; status: DisputeStatus | 'all'; format: ListingFormat }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const organization = await optionalOrganization(store, options.org);
      const at = new Date().toISOString();
      const disputes = await store.disputes.list({
        at,
        ...(organization !== undefined ? { organizationId: organization.id } : {}),
        ...(options.status !== 'all' ? { status: options.status } : {}),
      });
      writeRecords(
        process.stdout,
        options.format,
        DisputeOutput,
        disputes.map((d) => disputeToJson(d, at)),
        [
          { header: 'id', cell: (d) => shortId(d.id) },
          { header: 'status', cell: (d) => d.status },
          { header: 'organization', cell: (d) => d.organization },
          { header: 'finding', cell: (d) => d.finding_type },
          { header: 'asset', cell: (d) => d.asset_host },
          { header: 'reason', cell: (d) => d.reason },
          { header: 'by', cell: (d) => d.created_by },
          { header: 'opened', cell: (d) => d.created_at.slice(0, 10) },
          {
            header: 'decided',
            cell: (d) => (d.decided_at === null ? '' : `${d.decided_at.slice(0, 10)} ${d.decided_by}`),
          },
          { header: 'through', cell: (d) => inForceThrough(d.expires_at) },
        ],
        `${disputes.length} disputes`,
      );
    } finally {
      await store.close();
    }
  });

  dispute.addCommand(
    decisionCommand('resolve', 'accepted', 'accept a dispute: the finding leaves the score (until the expiry, if any)'),
  );
  dispute.addCommand(decisionCommand('reject', 'rejected', 'reject a dispute: the finding keeps counting'));
  return dispute;
}
