/**
 * `vitals darkweb crawl URL... --proxy socks5h://HOST:PORT`: crawl hidden services through SOCKS5 and store the pages
 * as documents.
 */
import { abortOnSignals } from '../signals.js';
import { Command, Option } from 'commander';
import { crawlIntoStore } from '../../darkweb/crawl/crawl-to-store.js';
import { parseSeedUrl, type CrawledPage, type CrawlEvent } from '../../darkweb/crawl/crawler.js';
import { parseSocks5hUrl, type Socks5Proxy } from '../../darkweb/crawl/socks5-client.js';
import { recordDarkwebFindings } from '../../darkweb/findings.js';
import { SOURCE_TYPES, type SourceType } from '../../darkweb/types.js';
import { describeDataLocation, resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { OUTPUT_FORMATS, renderTable, writeJson, writeJsonLine, type OutputFormat } from '../output.js';
import { startProgress } from '../progress.js';
import { openCliStore } from '../store.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { credentialKeyForCli } from './darkweb-key.js';
import { ExitStatus } from '../../core/errors.js';
import { CrawlPageOutput, CrawlSummaryOutput } from '../../output/schemas.js';

interface CrawlCommandOptions {
  home?: string;
  proxy?: string;
  depth: string;
  maxPages: string;
  delay: string;
  timeout: string;
  retries: string;
  sourceType?: SourceType;
  findings: boolean;
  format: OutputFormat;
}

/** Problems printed in full; the rest are counted. */
const PROBLEMS_SHOWN = 20;

/** The `crawl` subcommand. */
export function crawlCommand(): Command {
  return addHomeOption(
    new Command('crawl')
      .description(
        'crawl .onion (and clear-web) sites through a SOCKS5 proxy that resolves host names (Tor: ' +
          "socks5h://127.0.0.1:9050), breadth-first within each seed's site, one request at a time per site, " +
          'and store every page as a dark-web document',
      )
      .argument('<urls...>', 'seed URLs (http or https)')
      .option(
        '--proxy <url>',
        'SOCKS5 proxy, socks5h://IP:PORT (the proxy resolves names; nothing is resolved locally)',
      )
      .option('--depth <n>', 'links followed from a seed', '2')
      .option('--max-pages <n>', 'pages stored at most, over all seeds', '200')
      .option('--delay <ms>', 'pause between two requests to the same site', '1000')
      .option('--timeout <ms>', 'deadline of one request, proxy handshake included', '60000')
      .option(
        '--retries <n>',
        'retries after a network error, 5xx or 429 (exponential backoff, Retry-After honoured)',
        '3',
      )
      .addOption(
        new Option(
          '--source-type <type>',
          'source type of every page (default: inferred from the URL and the page)',
        ).choices(SOURCE_TYPES),
      )
      .option('--no-findings', 'do not update the dark-web findings of the portfolio afterwards')
      .addOption(
        new Option(
          '--format <format>',
          'output: a summary table, one JSON summary, or one JSON line per page as it is stored',
        )
          .choices(OUTPUT_FORMATS)
          .default('table'),
      ),
  ).action(async (urls: string[], options: CrawlCommandOptions) => {
    await runCrawl(urls, options);
  });
}

async function runCrawl(urls: string[], options: CrawlCommandOptions): Promise<void> {
  if (!options.proxy)
    throw new CliError(
      '--proxy socks5h://IP:PORT is required: pages are only ever fetched through a SOCKS5 proxy (Tor listens ' +
        'on socks5h://127.0.0.1:9050)',
    );
  let proxy: Socks5Proxy;
  try {
    proxy = parseSocks5hUrl(options.proxy);
  } catch (error) {
    throw new CliError(`--proxy: ${(error as Error).message}`);
  }
  const seeds = urls.map((u) => {
    try {
      return parseSeedUrl(u).href;
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  });
  const depth = parseIntegerOption(options.depth, '--depth', 0, 50);
  const maxPages = parseIntegerOption(options.maxPages, '--max-pages', 1, 1_000_000);
  const delayMs = parseIntegerOption(options.delay, '--delay', 0, 3_600_000);
  const timeoutMs = parseIntegerOption(options.timeout, '--timeout', 100, 600_000);
  const retries = parseIntegerOption(options.retries, '--retries', 0, 20);

  const home = resolveHome(options);
  const store = await openCliStore(home);
  // Ctrl-C: stop fetching, commit the pages already handed over, report.
  const interruption = abortOnSignals();
  const bar = startProgress('crawling', maxPages);
  let barStopped = false;
  const progress = {
    update: bar.update,
    stop: (): void => {
      if (!barStopped) bar.stop();
      barStopped = true;
    },
  };
  const problems: string[] = [];
  let problemCount = 0;
  const pages: CrawledPage[] = [];
  try {
    const onEvent = (event: CrawlEvent): void => {
      if (event.type === 'page') progress.update(event.stored, event.url);
      if (event.type === 'failed') {
        problemCount += 1;
        if (problems.length < PROBLEMS_SHOWN) problems.push(`${event.url}: ${event.reason}`);
      }
    };
    const result = await crawlIntoStore(store, seeds, {
      proxy,
      depth,
      maxPages,
      delayMs,
      timeoutMs,
      retries,
      signal: interruption.signal,
      onEvent,
      ingest: { credentialKey: credentialKeyForCli(home) },
      ...(options.sourceType !== undefined ? { sourceType: options.sourceType } : {}),
      onPage: (page) => {
        if (options.format === 'jsonl') writeJsonLine(process.stdout, CrawlPageOutput, pageToJson(page));
        else pages.push(page);
      },
    });
    progress.stop();
    const { crawl, ingest } = result;
    const interrupted = interruption.signal.aborted;
    const findings =
      options.findings && !interrupted && ingest.inserted > 0 ? await recordDarkwebFindings(store) : undefined;

    if (options.format === 'json') {
      writeJson(process.stdout, CrawlSummaryOutput, {
        crawl: {
          pages: crawl.pages,
          requests: crawl.requests,
          failed: crawl.failed,
          skipped: crawl.skipped,
          out_of_scope_links: crawl.outOfScopeLinks,
          left_over: crawl.leftOver,
          interrupted,
        },
        documents: {
          new: ingest.inserted,
          duplicates: ingest.duplicates,
          near_duplicates: ingest.nearDuplicates,
          rejected: ingest.rejected,
          mentions: ingest.mentions,
          mentions_by_class: ingest.mentionsByClass,
        },
        pages: pages.map(pageToJson),
        findings:
          findings === undefined ? null : { open: findings.findings.length, organizations: findings.organizations },
      });
    } else if (options.format === 'table') {
      const out = process.stdout;
      if (pages.length > 0) {
        out.write(
          renderTable(pages, [
            { header: 'type', cell: (p) => p.sourceType },
            { header: 'depth', cell: (p) => String(p.depth), align: 'right' },
            { header: 'url', cell: (p) => p.url },
            { header: 'title', cell: (p) => (p.title ?? '').slice(0, 60) },
          ]),
        );
      }
      out.write(
        `pages: ${crawl.pages} stored, ${crawl.requests} requests, ${crawl.failed.length} failed, ` +
          `${crawl.skipped.length} skipped, ${crawl.outOfScopeLinks} off-site links not ` +
          `followed${crawl.leftOver > 0 ? `, ${crawl.leftOver} left for lack of --max-pages` : ''}\n`,
      );
      out.write(
        `documents: ${ingest.inserted} new, ${ingest.duplicates} duplicates, ${ingest.nearDuplicates} ` +
          `near-duplicates, ${ingest.mentions} organization mentions\n`,
      );
      if (findings !== undefined)
        out.write(`dark-web findings: ${findings.findings.length} open over ${findings.organizations} organizations\n`);
      out.write(`data: ${describeDataLocation(home)}\n`);
    }
    for (const p of problems) process.stderr.write(`vitals: ${sanitizeTerminalLine(p)}\n`);
    if (problemCount > problems.length)
      process.stderr.write(`vitals: ... and ${problemCount - problems.length} more pages failed\n`);
    if (interrupted) {
      process.stderr.write('vitals: interrupted; the pages fetched so far are stored\n');
      process.exitCode = ExitStatus.interrupted;
    } else if (crawl.pages === 0) process.exitCode = ExitStatus.failure;
  } finally {
    progress.stop();
    interruption.dispose();
    await store.close();
  }
}

function pageToJson(page: CrawledPage): Record<string, unknown> {
  return {
    url: page.url,
    site: page.site,
    depth: page.depth,
    source_type: page.sourceType,
    title: page.title ?? null,
    author: page.author ?? null,
    posted_at: page.postedAt ?? null,
    format: page.format,
    fetched_at: page.fetchedAt,
  };
}
