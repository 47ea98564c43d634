/** `vitals portfolio`: how the portfolio stands, from each organization's latest score snapshot. */
import { Command, Option } from 'commander';
import { GRADES } from '../../core/score-snapshots.js';
import { STORED_SECTORS, type Sector } from '../../core/types.js';
import { COHORTS, portfolioReport, type Cohort, type PortfolioReport } from '../../portfolio/service.js';
import { renderPortfolioHtml } from '../../report/portfolio.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { requireOrganization } from '../organization-option.js';
import { renderTable, writeJson, type TextSink } from '../output.js';
import { preparePdf, writeReportPage } from '../report-output.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';
import { LISTING_FORMATS } from './dispute.js';

export const PORTFOLIO_FORMATS = [...LISTING_FORMATS, 'html'] as const;
type PortfolioFormat = (typeof PORTFOLIO_FORMATS)[number];
import { PortfolioOutput } from '../../output/schemas.js';

/** Widest bar of a histogram, in characters. */
const BAR_WIDTH = 40;

/** A bar proportional to `count` (the largest count fills BAR_WIDTH); any count above 0 shows. */
export function bar(count: number, largest: number): string {
  if (count === 0 || largest === 0) return '';
  return '█'.repeat(Math.max(1, Math.round((count / largest) * BAR_WIDTH)));
}

const fixed1 = (n: number | null): string => (n === null ? '-' : n.toFixed(1));

function writeText(out: TextSink, report: PortfolioReport): void {
  const scope = [
    report.filters.vendors_of !== null ? `vendors of ${report.filters.vendors_of}` : null,
    report.filters.sector !== null ? `sector ${report.filters.sector}` : null,
    report.filters.cohort !== null ? `cohort ${report.filters.cohort}` : null,
  ].filter((s) => s !== null);
  out.write(
    sanitizeTerminalLine(
      `portfolio: ${report.organizations} ` +
        `organization${report.organizations === 1 ? '' : 's'}` +
        `${scope.length > 0 ? ` (${scope.join(', ')})` : ''}, as of ` +
        `${report.as_of.slice(0, 16).replace('T', ' ')} UTC`,
    ) +
      `\nrated ${report.rated}, not rated ${report.not_rated}, never scored ${report.not_scored}` +
      (report.method_versions.length > 0 ? `; method ${report.method_versions.join(', ')}` : '') +
      '\n',
  );
  if (report.vendor_risk !== null) out.write(`${sanitizeTerminalLine(report.vendor_risk.text)}\n`);

  const largestGrade = Math.max(...GRADES.map((g) => report.grade_distribution[g]));
  out.write('\ngrades\n');
  for (const grade of GRADES) {
    const count = report.grade_distribution[grade];
    out.write(`  ${grade}  ${bar(count, largestGrade).padEnd(BAR_WIDTH)}  ${count}\n`);
  }
  const s = report.score;
  out.write(`\nscores (median ${fixed1(s.p50)}, p25 ${fixed1(s.p25)}, p75 ${fixed1(s.p75)}, mean ${fixed1(s.mean)})\n`);
  const largestBin = Math.max(...report.histogram.map((b) => b.count));
  for (const bin of [...report.histogram].reverse()) {
    const label = bin.to === 100 ? `${bin.from}-100` : `${bin.from}-${bin.to - 1}`;
    out.write(`  ${label.padStart(6)}  ${bar(bin.count, largestBin).padEnd(BAR_WIDTH)}  ${bin.count}\n`);
  }

  out.write('\nfactors (factor scores of the rated organizations)\n');
  out.write(
    renderTable(report.factors, [
      { header: 'factor', cell: (f) => f.factor },
      { header: 'rated', cell: (f) => String(f.rated), align: 'right' },
      { header: 'p10', cell: (f) => fixed1(f.p10), align: 'right' },
      { header: 'p25', cell: (f) => fixed1(f.p25), align: 'right' },
      { header: 'median', cell: (f) => fixed1(f.p50), align: 'right' },
      { header: 'p75', cell: (f) => fixed1(f.p75), align: 'right' },
      { header: 'p90', cell: (f) => fixed1(f.p90), align: 'right' },
      { header: 'mean points lost', cell: (f) => f.mean_points_lost?.toFixed(2) ?? '-', align: 'right' },
    ]),
  );
  out.write(
    `weakest factors: ${
      report.weakest_factors.length === 0
        ? 'none (no points lost)'
        : report.weakest_factors
            .map((f) => `${f.factor} (${f.mean_points_lost.toFixed(2)} points lost on average)`)
            .join(', ')
    }\n`,
  );

  out.write('\norganizations, best first\n');
  out.write(
    renderTable(report.ranked, [
      { header: 'rank', cell: (r) => (r.rank === null ? '-' : String(r.rank)), align: 'right' },
      { header: 'organization', cell: (r) => r.organization },
      { header: 'sector', cell: (r) => r.sector },
      { header: 'telehealth', cell: (r) => (r.telehealth ? 'yes' : 'no') },
      {
        header: 'score',
        cell: (r) => (r.score === null ? (r.scored_at === null ? 'not scored' : 'not rated') : r.score.toFixed(1)),
        align: 'right',
      },
      { header: 'grade', cell: (r) => r.grade ?? '-' },
      { header: 'weakest factor', cell: (r) => r.weakest_factor ?? '' },
    ]),
  );
}

export function portfolioCommand(): Command {
  return addHomeOption(
    new Command('portfolio')
      .description(
        'grade distribution, per-factor percentiles, weakest factors and the organizations ranked, from their ' +
          'latest scores',
      )
      .addOption(new Option('--sector <sector>', 'only this sector').choices(STORED_SECTORS))
      .addOption(new Option('--cohort <cohort>', 'telehealth organizations or the rest').choices(COHORTS))
      .option(
        '--vendors-of <org>',
        "only this organization's vendors (the vendors import column), with a vendor-risk summary",
      )
      .addOption(
        new Option('--format <format>', 'output format (html: one self-contained page with charts)')
          .choices(PORTFOLIO_FORMATS)
          .default('table'),
      )
      .option('--pdf <file>', 'write the HTML page as a PDF, printed by the local Chromium (docs/reports.md)'),
  ).action(
    async (options: {
      home?: string;
      sector?: Sector;
      cohort?: Cohort;
      vendorsOf?: string;
      format: PortfolioFormat;
      pdf?: string;
    }) => {
      const pdf = preparePdf(options.pdf);
      const store = await openCliStore(resolveHome(options));
      try {
        const client =
          options.vendorsOf === undefined ? undefined : await requireOrganization(store, options.vendorsOf);
        const report = await portfolioReport(store, {
          ...(options.sector !== undefined ? { sector: options.sector } : {}),
          ...(options.cohort !== undefined ? { cohort: options.cohort } : {}),
          ...(client !== undefined ? { vendorsOf: client.id } : {}),
        });
        if (pdf !== undefined || options.format === 'html')
          await writeReportPage(renderPortfolioHtml(report), process.stdout, pdf);
        else if (options.format === 'json') writeJson(process.stdout, PortfolioOutput, report);
        else writeText(process.stdout, report);
      } finally {
        pdf?.discard();
        await store.close();
      }
    },
  );
}
