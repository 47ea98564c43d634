/** `vitals orgs import | list | show`: the portfolio of monitored organizations. */
import { Command, Option } from 'commander';
import { importOrganizations, parseOrganizationsFile } from '../../store/import-organizations.js';
import { describeSharedDomain } from '../../store/shared-domains.js';
import { SEVERITIES } from '../../core/types.js';
import { resolveHome, describeDataLocation } from '../context.js';
import { addHomeOption } from '../options.js';
import { renderTable, writeJson, writeRecords, OUTPUT_FORMATS, type OutputFormat } from '../output.js';
import { openCliStore } from '../store.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { latestEndpointGrades, organizationDetail, organizationRows } from '../../views/organizations.js';
import { patchingCadence } from '../../core/patching-cadence.js';
import { writeScorecardTable } from './scorecard.js';
import { resolveOrganization, scorecardFor } from '../../ratings/scorecard.js';
import { AliasJudgementOutput, OrganizationDetailOutput, OrganizationOutput } from '../../output/schemas.js';
import { judgePortfolioAliases } from '../../darkweb/ingest/alias-evidence.js';
import { writeEndpointGrades } from '../endpoint-grades-table.js';

export function orgsCommand(): Command {
  const orgs = new Command('orgs').description('manage the portfolio of monitored organizations');

  addHomeOption(
    orgs
      .command('import')
      .description(
        'import organizations from a .csv or .json file (columns: name, domains separated by ";", sector, ' +
          'telehealth, aliases separated by ";", tags, vendors: names of organizations in the portfolio it ' +
          'depends on, separated by ";"); a file with any bad row is rejected whole',
      )
      .argument('<file>', 'the .csv or .json file')
      .option(
        '--allow-shared-domains',
        'import even when two organizations own the same domain (refused by default: they would share its findings)',
      ),
  ).action(async (file: string, options: { home?: string; allowSharedDomains?: boolean }) => {
    const parsed = parseOrganizationsFile(file);
    const home = resolveHome(options);
    const store = await openCliStore(home);
    try {
      const counts = await importOrganizations(store, parsed, {
        allowSharedDomains: options.allowSharedDomains === true,
        onSharedDomain: (shared) =>
          process.stderr.write(
            `vitals: note: ${sanitizeTerminalLine(describeSharedDomain(shared))} (allowed by --allow-shared-domains)\n`,
          ),
      });
      const judgements = await judgePortfolioAliases(store, parsed.organizations);
      const ambiguous = judgements.filter((j) => j.ambiguous);
      const byReason = new Map<string, number>();
      for (const j of ambiguous) byReason.set(j.reason, (byReason.get(j.reason) ?? 0) + 1);
      process.stdout.write(
        `imported ${parsed.organizations.length} organizations from ${file}: ${counts.created} created, ` +
          `${counts.updated} updated, ${counts.unchanged} unchanged\n` +
          `aliases: ${judgements.length} judged, ${ambiguous.length} ambiguous` +
          `${byReason.size > 0 ? ` (${[...byReason].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}` +
          `; see vitals orgs aliases\n` +
          `data: ${describeDataLocation(home)}\n`,
      );
    } finally {
      await store.close();
    }
  });

  addHomeOption(
    orgs
      .command('aliases')
      .description(
        'show how each alias is judged: unambiguous (counts alone) or ambiguous (counts only with the full name, ' +
          'domain or e-mail domain in the document, or a sector noun attached: "X hospital"), the reason and its ' +
          'corpus counts',
      )
      .option('--org <name>', 'only this organization (id, name, alias or domain)')
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table')),
  ).action(async (options: { home?: string; org?: string; format: OutputFormat }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const organizations = await store.organizations.list();
      let only: string | undefined;
      if (options.org !== undefined) only = (await resolveOrganization(store, options.org)).id;
      const names = new Map(organizations.map((o) => [o.id, o.name]));
      const rows = (await store.organizations.aliasJudgements(only))
        .map((j) => ({
          org: names.get(j.organizationId) ?? j.organizationId,
          alias: j.alias,
          ambiguous: j.ambiguous,
          reason: j.reason,
          detail: j.detail,
          occurrences: j.occurrences,
          standalone: j.standalone,
        }))
        .sort((a, b) => a.org.localeCompare(b.org) || a.alias.localeCompare(b.alias));
      writeRecords(
        process.stdout,
        options.format,
        AliasJudgementOutput,
        rows,
        [
          { header: 'organization', cell: (r) => r.org },
          { header: 'alias', cell: (r) => r.alias },
          { header: 'judgement', cell: (r) => (r.ambiguous ? 'ambiguous' : 'unambiguous') },
          { header: 'reason', cell: (r) => r.reason },
          { header: 'seen', cell: (r) => String(r.occurrences), align: 'right' as const },
          { header: 'alone', cell: (r) => String(r.standalone), align: 'right' as const },
          { header: 'detail', cell: (r) => r.detail },
        ],
        `${rows.length} aliases`,
      );
    } finally {
      await store.close();
    }
  });

  addHomeOption(
    orgs
      .command('list')
      .description(
        'list the portfolio with score, grade, trend (points since 30 days ago) and open findings by severity',
      )
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table')),
  ).action(async (options: { home?: string; format: OutputFormat }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const rows = await organizationRows(store);
      writeRecords(
        process.stdout,
        options.format,
        OrganizationOutput,
        rows,
        [
          { header: 'name', cell: (r) => r.name },
          { header: 'sector', cell: (r) => r.sector },
          { header: 'telehealth', cell: (r) => (r.telehealth ? 'yes' : 'no') },
          { header: 'domains', cell: (r) => r.domains.join(' ') },
          { header: 'score', cell: (r) => (r.score === null ? '-' : r.score.toFixed(1)), align: 'right' as const },
          { header: 'grade', cell: (r) => r.grade ?? '-' },
          { header: 'trend', cell: (r) => formatTrend(r.trend), align: 'right' as const },
          ...SEVERITIES.map((s) => ({
            header: s,
            cell: (r: (typeof rows)[number]) => String(r.open_findings[s]),
            align: 'right' as const,
          })),
        ],
        `${rows.length} organizations`,
      );
    } finally {
      await store.close();
    }
  });

  addHomeOption(
    orgs
      .command('show')
      .description(
        'show one organization (by name, alias, id or a domain it owns) with its score, factor breakdown, ' +
          'vendors, assets and findings',
      )
      .argument('<name>', 'organization name, alias, id or domain')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action(async (name: string, options: { home?: string; format: string }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const org = await resolveOrganization(store, name);
      if (options.format === 'json') {
        writeJson(process.stdout, OrganizationDetailOutput, await organizationDetail(store, org));
        return;
      }
      const assets = await store.assets.list(org.id);
      const findings = await store.findings.listFindings({ organizationId: org.id });
      const card = await scorecardFor(store, org.id);
      const out = process.stdout;
      const safe = sanitizeTerminalLine;
      out.write(`${safe(org.name)}\n  sector: ${org.sector}${org.telehealth ? ' (telehealth)' : ''}\n`);
      out.write(`  domains: ${safe(org.domains.join(', '))}\n`);
      if (org.aliases.length > 0) out.write(`  aliases: ${safe(org.aliases.join(', '))}\n`);
      if (org.tags.length > 0) out.write(`  tags: ${safe(org.tags.join(', '))}\n`);
      out.write('\n');
      writeScorecardTable(out, { ...card, top_issues: [], plan: [] });
      if (card.vendors.list.length > 0) out.write(`\n${safe(card.vendors.summary.text)}\n`);
      const cadence = patchingCadence(findings);
      out.write(
        `\npatching cadence: ${
          cadence.median_days_to_patch === null
            ? 'no vulnerable version has gone yet'
            : `median ${cadence.median_days_to_patch} days from a vulnerable version first seen to its disappearance`
        } (${cadence.resolved} gone, ${cadence.open} still seen)\n`,
      );
      out.write(`\nassets (${assets.length})\n`);
      if (assets.length > 0) {
        out.write(
          renderTable(assets, [
            { header: 'host', cell: (a) => a.hostname },
            { header: 'addresses', cell: (a) => a.addresses.join(' ') },
            { header: 'discovered by', cell: (a) => a.sources.join(',') },
            { header: 'last seen', cell: (a) => a.lastSeen },
            { header: 'tags', cell: (a) => a.tags.join(',') },
            { header: 'software (CPE)', cell: (a) => a.cpes.join(' ') },
          ]),
        );
      }
      const grades = await latestEndpointGrades(store, org.id);
      out.write(`\nendpoint grades (${grades.length})\n`);
      if (grades.length > 0) writeEndpointGrades(out, grades);
      out.write(
        `\nfindings (${findings.filter((f) => f.status === 'open').length} open, ` +
          `${findings.filter((f) => f.status === 'resolved').length} resolved)\n`,
      );
      if (findings.length > 0) {
        out.write(
          renderTable(findings, [
            { header: 'severity', cell: (f) => f.severity },
            { header: 'type', cell: (f) => f.type },
            { header: 'asset', cell: (f) => f.asset.host },
            { header: 'status', cell: (f) => f.status },
            { header: 'first seen', cell: (f) => f.firstSeen },
            { header: 'last seen', cell: (f) => f.lastSeen },
          ]),
        );
      }
    } finally {
      await store.close();
    }
  });

  return orgs;
}

/** A trend cell: signed points, or '-' when there is nothing to compare with. */
function formatTrend(trend: number | null): string {
  if (trend === null) return '-';
  return trend > 0 ? `+${trend.toFixed(1)}` : trend.toFixed(1);
}
