/**
 * `vitals scorecard ORG [--as-of DATE] [--format table|json|html] [--pdf FILE]`: an organization's rating,
 * traced to findings; as a self-contained HTML page with charts, or that page printed to PDF.
 */
import { Command, Option } from 'commander';
import type { Scorecard } from '../../ratings/scorecard.js';
import { scorecardFor } from '../../ratings/scorecard.js';
import { inForceThrough } from '../../disputes/service.js';
import { renderScorecardHtml } from '../../report/scorecard.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { renderTable, writeJson, type TextSink } from '../output.js';
import { preparePdf, writeReportPage } from '../report-output.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';
import { ScorecardOutput } from '../../output/schemas.js';

export const SCORECARD_FORMATS = ['table', 'json', 'html'] as const;

export function scorecardCommand(): Command {
  return addHomeOption(
    new Command('scorecard')
      .description(
        "an organization's score, grade and factors, the findings that cost each point, and the fixes that gain most " +
          '(method: docs/methodology.md)',
      )
      .argument('<org>', 'organization id, name, alias or domain')
      .option('--as-of <date>', 'answer from the score history as of this date (YYYY-MM-DD, end of day UTC)')
      .addOption(
        new Option('--format <format>', 'output format (html: one self-contained page with charts)')
          .choices(SCORECARD_FORMATS)
          .default('table'),
      )
      .option('--pdf <file>', 'write the HTML scorecard as a PDF, printed by the local Chromium (docs/reports.md)'),
  ).action(
    async (
      org: string,
      options: { home?: string; asOf?: string; format: (typeof SCORECARD_FORMATS)[number]; pdf?: string },
    ) => {
      // No browser to print with, or no folder to write to: said before the store is opened.
      const pdf = preparePdf(options.pdf);
      const store = await openCliStore(resolveHome(options));
      try {
        const card = await scorecardFor(store, org, options.asOf === undefined ? {} : { asOf: options.asOf });
        if (pdf !== undefined || options.format === 'html') {
          const history = await store.scoreSnapshots.snapshotHistory(card.organization_id, { to: card.as_of });
          const points = history.map((s) => ({
            taken_at: s.takenAt,
            score: s.score,
            grade: s.grade,
            reason: s.reason,
          }));
          await writeReportPage(renderScorecardHtml(card, { history: points }), process.stdout, pdf);
        } else if (options.format === 'json') writeJson(process.stdout, ScorecardOutput, card);
        else writeScorecardTable(process.stdout, card);
      } finally {
        pdf?.discard();
        await store.close();
      }
    },
  );
}

const dash = '-';
const points = (n: number | null): string => (n === null ? dash : n.toFixed(2));
const score = (n: number | null): string => (n === null ? 'not rated' : n.toFixed(1));

/** The scorecard as text: headline, factor table, top issues, plan. */
export function writeScorecardTable(out: TextSink, card: Scorecard): void {
  const headline =
    card.score === null ? 'not rated (no factor has data yet)' : `score ${card.score.toFixed(1)}, grade ${card.grade}`;
  out.write(`${sanitizeTerminalLine(card.organization)}: ${headline}\n`);
  const from =
    card.snapshot === null
      ? 'computed now from the open findings'
      : `from the snapshot of ${card.snapshot.taken_at} (${card.snapshot.reason})`;
  out.write(`  as of ${card.as_of}, method ${card.method_version}, ${from}\n`);
  out.write(`  ${card.assets} assets, ${card.domains} domains\n\nfactors\n`);
  out.write(
    renderTable(card.factors, [
      { header: 'factor', cell: (f) => f.factor },
      { header: 'score', cell: (f) => score(f.score), align: 'right' },
      { header: 'grade', cell: (f) => f.grade ?? dash },
      { header: 'findings', cell: (f) => String(f.findings), align: 'right' },
      { header: 'points lost', cell: (f) => (f.score === null ? dash : points(f.points_lost)), align: 'right' },
    ]),
  );
  if (card.top_issues.length > 0) {
    out.write('\ntop issues\n');
    out.write(
      renderTable(card.top_issues, [
        { header: 'points lost', cell: (i) => points(i.points_lost), align: 'right' },
        { header: 'severity', cell: (i) => i.severity ?? dash },
        { header: 'type', cell: (i) => i.type },
        {
          header: 'findings',
          cell: (i) => (i.disputed > 0 ? `${i.findings} (${i.disputed} disputed)` : String(i.findings)),
        },
        { header: 'title', cell: (i) => i.title },
      ]),
    );
  }
  if (card.plan.length > 0) {
    out.write('\nplan (fixes that gain most first)\n');
    out.write(
      renderTable(card.plan, [
        { header: 'step', cell: (s) => String(s.step), align: 'right' },
        { header: 'fix', cell: (s) => s.type },
        { header: 'hosts', cell: (s) => String(s.hosts.length), align: 'right' },
        { header: 'gain', cell: (s) => `+${s.gain.toFixed(1)}`, align: 'right' },
        { header: 'score after', cell: (s) => `${s.score_after.toFixed(1)} ${s.grade_after}`, align: 'right' },
        { header: 'title', cell: (s) => s.title },
      ]),
    );
  }
  writeThirdPartySections(out, card);
}

/** Disputes (an open one still counts, marked as such), excluded hosts, and the vendors with their risk. */
function writeThirdPartySections(out: TextSink, card: Scorecard): void {
  if (card.disputes.length > 0) {
    out.write('\ndisputes (an open dispute still counts until it is accepted)\n');
    out.write(
      renderTable(card.disputes, [
        { header: 'status', cell: (d) => (d.status === 'open' ? 'disputed' : 'accepted') },
        { header: 'type', cell: (d) => d.type },
        { header: 'asset', cell: (d) => d.asset },
        { header: 'reason', cell: (d) => d.reason },
        {
          header: 'points lost',
          cell: (d) => (d.status === 'accepted' ? 'not counted' : points(d.points_lost)),
          align: 'right',
        },
        { header: 'through', cell: (d) => inForceThrough(d.expires_at) },
      ]),
    );
  }
  if (card.excluded_hosts.length > 0) {
    out.write(`\nexcluded hosts (not counted): ${sanitizeTerminalLine(card.excluded_hosts.join(', '))}\n`);
  }
  if (card.vendors.list.length > 0) {
    out.write(`\nvendors: ${sanitizeTerminalLine(card.vendors.summary.text)}\n`);
    out.write(
      renderTable(card.vendors.list, [
        { header: 'vendor', cell: (v) => v.organization },
        { header: 'telehealth', cell: (v) => (v.telehealth ? 'yes' : 'no') },
        { header: 'score', cell: (v) => (v.scored_at === null ? 'not scored' : score(v.score)), align: 'right' },
        { header: 'grade', cell: (v) => v.grade ?? dash },
      ]),
    );
  }
}
