/** `vitals darkweb mentions`: which monitored organizations the dark-web documents mention, and how. */
import { Command, Option } from 'commander';
import { DOCUMENT_CLASSES } from '../../darkweb/types.js';
import type { DocumentClass } from '../../darkweb/types.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { OUTPUT_FORMATS, writeJson, writeJsonLine, writeTable } from '../output.js';
import type { OutputFormat } from '../output.js';
import { openCliStore } from '../store.js';
import { MentionOutput } from '../../output/schemas.js';
import { mentionToJson } from '../../views/darkweb.js';

export { mentionToJson } from '../../views/darkweb.js';

interface MentionsOptions {
  home?: string;
  org?: string;
  class?: DocumentClass;
  since?: string;
  limit?: string;
  format: OutputFormat;
}

/** The `mentions` subcommand. */
export function mentionsCommand(): Command {
  return addHomeOption(
    new Command('mentions')
      .description('list mentions of monitored organizations in dark-web documents, newest first')
      .option('--org <name>', 'only this organization (name or alias)')
      .addOption(new Option('--class <class>', 'only mentions in documents of this class').choices(DOCUMENT_CLASSES))
      .option('--since <date>', 'only documents posted (or, undated, ingested) at or after this ISO-8601 date')
      .option('--limit <n>', 'at most this many mentions')
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table')),
  ).action(async (options: MentionsOptions) => {
    const filter: { organizationId?: string; class?: string; since?: string; limit?: number } = {};
    if (options.class !== undefined) filter.class = options.class;
    if (options.since !== undefined) {
      const since = new Date(options.since);
      if (options.since.trim() === '' || Number.isNaN(since.getTime()))
        throw new CliError(`--since must be an ISO-8601 date such as 2025-01-31, not "${options.since}"`);
      filter.since = since.toISOString();
    }
    if (options.limit !== undefined) filter.limit = parseIntegerOption(options.limit, '--limit', 1, 10_000_000);
    const store = await openCliStore(resolveHome(options));
    try {
      if (options.org !== undefined) {
        const org = await store.organizations.findByNameOrAlias(options.org);
        if (org === undefined) throw new CliError(`no organization named "${options.org}" (see \`vitals orgs list\`)`);
        filter.organizationId = org.id;
      }
      const mentions = await store.darkweb.listMentions(filter);
      if (options.format === 'json') writeJson(process.stdout, MentionOutput.array(), mentions.map(mentionToJson));
      else if (options.format === 'jsonl')
        for (const m of mentions) writeJsonLine(process.stdout, MentionOutput, mentionToJson(m));
      else {
        writeTable(process.stdout, mentions, [
          { header: 'posted', cell: (m) => (m.postedAt ?? '').slice(0, 10) },
          { header: 'organization', cell: (m) => m.organizationName },
          { header: 'class', cell: (m) => m.class },
          { header: 'conf', cell: (m) => m.confidence.toFixed(2), align: 'right' },
          { header: 'source', cell: (m) => m.sourceType },
          { header: 'document', cell: (m) => m.documentId },
          { header: 'snippet', cell: (m) => (m.snippet.length > 80 ? `${m.snippet.slice(0, 77)}...` : m.snippet) },
        ]);
        process.stdout.write(`${mentions.length} mentions\n`);
      }
    } finally {
      await store.close();
    }
  });
}
