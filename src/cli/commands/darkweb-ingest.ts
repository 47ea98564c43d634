/** `vitals darkweb ingest PATH...`: store dark-web documents from files and folders, then derive dark-web findings. */
import { abortOnSignals } from '../signals.js';
import { Command, Option } from 'commander';
import { recordDarkwebFindings } from '../../darkweb/findings.js';
import type { DarkwebFindingsResult } from '../../darkweb/findings.js';
import { ingestPaths } from '../../darkweb/ingest/ingest.js';
import type { IngestProblem, IngestSummary } from '../../darkweb/ingest/ingest.js';
import { DOCUMENT_CLASSES, SOURCE_TYPES } from '../../darkweb/types.js';
import type { SourceType } from '../../darkweb/types.js';
import { describeDataLocation, resolveHome } from '../context.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { writeJson } from '../output.js';
import { startProgress } from '../progress.js';
import { openCliStore } from '../store.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { credentialKeyForCli } from './darkweb-key.js';
import { ExitStatus } from '../../core/errors.js';
import { IngestSummaryOutput } from '../../output/schemas.js';

interface IngestCommandOptions {
  home?: string;
  batchSize: string;
  analyze: boolean;
  findings: boolean;
  source?: string;
  sourceType?: SourceType;
  format: 'table' | 'json';
}

/** Problems printed in full; the rest are counted. */
const PROBLEMS_SHOWN = 20;

/** The `ingest` subcommand. */
export function ingestCommand(): Command {
  return addHomeOption(
    new Command('ingest')
      .description(
        'ingest dark-web documents: JSONL ({id?, source, source_type, url, title, author, posted_at, text or ' +
          'html} per line), HTML files or folders, plain-text pastes, Telegram JSON exports (result.json); ' +
          'resumable after an interruption',
      )
      .argument('<paths...>', 'files or folders')
      .option('--batch-size <n>', 'documents committed per transaction', '1000')
      .option('--no-analyze', 'store documents without entity extraction, organization matching or classification')
      .option('--no-findings', 'do not update the dark-web findings of the portfolio afterwards')
      .option('--source <name>', 'source name of HTML and text files (default: the page host or the file name)')
      .addOption(
        new Option(
          '--source-type <type>',
          'source type of HTML and text files (default: forum for HTML, paste for text)',
        ).choices(SOURCE_TYPES),
      )
      .addOption(
        new Option('--format <format>', 'output format of the summary').choices(['table', 'json']).default('table'),
      ),
  ).action(async (paths: string[], options: IngestCommandOptions) => {
    await runIngest(paths, options);
  });
}

async function runIngest(paths: string[], options: IngestCommandOptions): Promise<void> {
  const batchSize = parseIntegerOption(options.batchSize, '--batch-size', 1, 100_000);
  const home = resolveHome(options);
  const store = await openCliStore(home);
  // Ctrl-C: finish the current batch and stop cleanly; a re-run continues from the checkpoint.
  const interruption = abortOnSignals();
  const problems: IngestProblem[] = [];
  let problemCount = 0;
  let progress: ReturnType<typeof startProgress> | undefined;
  try {
    const defaults: { source?: string; sourceType?: SourceType } = {};
    if (options.source !== undefined) defaults.source = options.source;
    if (options.sourceType !== undefined) defaults.sourceType = options.sourceType;
    let summary: IngestSummary;
    try {
      summary = await ingestPaths(store, paths, {
        batchSize,
        analyze: options.analyze,
        ...(options.analyze ? { credentialKey: credentialKeyForCli(home) } : {}),
        defaults,
        signal: interruption.signal,
        onProgress: (p) => {
          progress ??= startProgress('ingesting (KiB)', Math.ceil(p.bytesTotal / 1024));
          progress.update(Math.floor(p.bytesDone / 1024), `${p.read} read, ${p.inserted} new`);
        },
        onProblem: (p) => {
          problemCount += 1;
          if (problems.length < PROBLEMS_SHOWN) problems.push(p);
        },
      });
    } finally {
      progress?.stop();
    }
    const findings =
      options.findings && options.analyze && !summary.interrupted ? await recordDarkwebFindings(store) : undefined;
    if (options.format === 'json')
      writeJson(process.stdout, IngestSummaryOutput, summaryToJson(summary, findings, problemCount));
    else printSummary(summary, findings, describeDataLocation(home));
    for (const p of problems) process.stderr.write(`vitals: ${sanitizeTerminalLine(`${p.where}: ${p.message}`)}\n`);
    if (problemCount > problems.length)
      process.stderr.write(`vitals: ... and ${problemCount - problems.length} more records not stored\n`);
    if (summary.interrupted) {
      process.stderr.write('vitals: interrupted; what was read is committed, run the same command again to continue\n');
      process.exitCode = ExitStatus.interrupted;
    } else if (summary.failedFiles.length > 0 || summary.rejected > 0) {
      // Records left out are data the user believes was ingested: never a silent success.
      const parts: string[] = [];
      if (summary.rejected > 0) parts.push(`${summary.rejected} of ${summary.read} records not stored`);
      if (summary.failedFiles.length > 0) parts.push(`${summary.failedFiles.length} files unreadable`);
      process.stderr.write(`vitals: ingest incomplete: ${parts.join(', ')} (listed above); exit status 1\n`);
      process.exitCode = ExitStatus.failure;
    }
  } finally {
    interruption.dispose();
    await store.close();
  }
}

function summaryToJson(
  s: IngestSummary,
  findings: DarkwebFindingsResult | undefined,
  problems: number,
): Record<string, unknown> {
  return {
    documents: {
      read: s.read,
      new: s.inserted,
      duplicates: s.duplicates,
      near_duplicates: s.nearDuplicates,
      rejected: s.rejected,
    },
    documents_by_class: s.documentsByClass,
    mentions: s.mentions,
    mentions_by_class: s.mentionsByClass,
    entities: s.entities,
    credentials: s.credentials,
    skipped_files: s.skippedFiles,
    failed_files: s.failedFiles,
    problems,
    interrupted: s.interrupted,
    demoted_aliases: s.demotedAliases,
    seconds: s.elapsedMs / 1000,
    docs_per_second: s.docsPerSecond,
    findings:
      findings === undefined
        ? null
        : {
            scan_id: findings.scanId,
            organizations: findings.organizations,
            open: findings.findings.length,
            ...findings.lifecycle,
          },
  };
}

function printSummary(s: IngestSummary, findings: DarkwebFindingsResult | undefined, location: string): void {
  const out = process.stdout;
  out.write(
    `documents: ${s.read} read, ${s.inserted} new, ${s.duplicates} duplicates, ${s.nearDuplicates} ` +
      `near-duplicates, ${s.rejected} rejected\n`,
  );
  out.write(
    `mentions: ${s.mentions}${
      s.mentions > 0
        ? ` (${DOCUMENT_CLASSES.filter((c) => s.mentionsByClass[c] > 0)
            .map((c) => `${c} ${s.mentionsByClass[c]}`)
            .join(', ')})`
        : ''
    }\n`,
  );
  out.write(`entities: ${s.entities}, credential pairs: ${s.credentials}\n`);
  if (s.skippedFiles.length > 0) out.write(`skipped ${s.skippedFiles.length} files of unknown type\n`);
  for (const demoted of s.demotedAliases)
    out.write(`alias now ambiguous (corpus evidence): ${sanitizeTerminalLine(demoted)}\n`);
  out.write(`time: ${(s.elapsedMs / 1000).toFixed(1)} s, ${s.docsPerSecond} docs/s\n`);
  if (findings !== undefined) {
    const l = findings.lifecycle;
    out.write(
      `dark-web findings: ${findings.findings.length} open over ${findings.organizations} organizations ` +
        `(${l.created} new, ${l.seenAgain} seen again, ${l.reopened} reopened, ${l.resolved} resolved)\n`,
    );
  }
  out.write(`data: ${location}\n`);
}
