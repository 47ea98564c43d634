/** `vitals feeds import | list | remove`: the threat feeds IP reputation matches addresses against. */
import { Command, Option } from 'commander';
import { FEED_CATEGORIES } from '../../core/reputation.js';
import { parseFeedFormat } from '../../intel/reputation/feed-file.js';
import { readFeedFile } from '../../intel/reputation/feed-import-file.js';
import { FEED_FORMATS } from '../../intel/reputation/feed-types.js';
import { resolveHome, describeDataLocation } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption } from '../options.js';
import { renderTable } from '../output.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';

function describeSkipped(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped).map(([reason, count]) => `${count} ${reason}`);
  return parts.length === 0 ? '' : ` (skipped, listing no address: ${parts.join(', ')})`;
}

export function feedsCommand(): Command {
  const feeds = new Command('feeds').description('threat feeds for IP reputation (botnet C2, malware, spam...)');

  addHomeOption(
    feeds
      .command('import')
      .description(
        'import threat feeds: plain IP/CIDR lists (FireHOL, Spamhaus DROP/EDROP, blocklist.de, the Tor exit list), ' +
          "Spamhaus DROP JSON, abuse.ch Feodo Tracker and URLhaus CSV, Tor's exit-addresses, MISP events and " +
          'STIX 2.1 bundles; a re-import of a feed replaces its entries and keeps first-listed dates',
      )
      .argument('<files...>', 'feed files; each is one feed, named after the file unless --name')
      .option('--name <name>', 'feed name (one file only)')
      .addOption(
        new Option('--category <category>', 'what the listed addresses did (default: what the format implies)').choices(
          FEED_CATEGORIES,
        ),
      )
      .addOption(
        new Option('--format <format>', 'file format (default: detected from the content)').choices(FEED_FORMATS),
      ),
  ).action(async (files: string[], options: { home?: string; name?: string; category?: string; format?: string }) => {
    if (options.name !== undefined && files.length > 1)
      throw new CliError('--name names one feed: give one file, or import the files one by one');
    const now = new Date();
    const format = options.format === undefined ? undefined : parseFeedFormat(options.format);
    // Every file is read and checked before anything is written: one bad file imports nothing.
    const imports = files.map((file) =>
      readFeedFile(file, {
        now,
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.category !== undefined ? { category: options.category } : {}),
        ...(format !== undefined ? { format } : {}),
      }),
    );
    const names = imports.map((i) => i.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new CliError(`two files would both be feed "${twice}"; import them one by one`);
    const home = resolveHome(options);
    const store = await openCliStore(home);
    try {
      for (const [i, feed] of imports.entries()) {
        const counts = await store.reputation.replaceFeed(feed, now);
        const line =
          `feed ${feed.name} (${feed.format}, ${feed.category}) from ${files[i]}: ${feed.entries.length} ` +
          `networks: ${counts.added} new, ${counts.kept} still listed, ${counts.removed} delisted` +
          describeSkipped(feed.skipped);
        process.stdout.write(`${sanitizeTerminalLine(line)}\n`);
      }
      process.stdout.write(`data: ${describeDataLocation(home)}\n`);
    } finally {
      await store.close();
    }
  });

  addHomeOption(feeds.command('list').description('list the imported feeds')).action(
    async (options: { home?: string }) => {
      const store = await openCliStore(resolveHome(options));
      try {
        const list = await store.reputation.listFeeds();
        if (list.length === 0) {
          process.stdout.write('no feeds imported (vitals feeds import FILE...)\n');
          return;
        }
        process.stdout.write(
          renderTable(list, [
            { header: 'feed', cell: (f) => f.name },
            { header: 'format', cell: (f) => f.format },
            { header: 'networks', cell: (f) => String(f.entries), align: 'right' },
            { header: 'imported', cell: (f) => f.importedAt },
          ]),
        );
      } finally {
        await store.close();
      }
    },
  );

  addHomeOption(
    feeds.command('remove').description('remove a feed and its entries').argument('<name>', 'the feed name'),
  ).action(async (name: string, options: { home?: string }) => {
    const store = await openCliStore(resolveHome(options));
    try {
      if (!(await store.reputation.removeFeed(name)))
        throw new CliError(`no feed named "${name}" (see \`vitals feeds list\`)`);
      process.stdout.write(`removed feed ${sanitizeTerminalLine(name)}\n`);
    } finally {
      await store.close();
    }
  });
  return feeds;
}
