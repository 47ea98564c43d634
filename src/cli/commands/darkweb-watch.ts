/**
 * `vitals darkweb watch add | list | remove | run | alerts`: watchlists of organizations, terms and
 * regular expressions over dark-web documents, and their alerts, delivered to signed webhooks.
 */
import { Command, Option } from 'commander';
import type { Store } from '../../store/database.js';
import { DELIVERY_STATUSES } from '../../core/alerts.js';
import type { DeliveryStatus } from '../../core/alerts.js';
import { addWatchlist } from '../../darkweb/watch/watchlists.js';
import { evaluateWatchlists } from '../../darkweb/watch/evaluate.js';
import { deliverPendingAlerts } from '../../darkweb/watch/deliver.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseDateOption, parseIntegerOption } from '../options.js';
import { OUTPUT_FORMATS, renderTable, writeJson, writeJsonLine, writeRecords } from '../output.js';
import type { OutputFormat } from '../output.js';
import { startProgress } from '../progress.js';
import { openCliStore } from '../store.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { ExitStatus } from '../../core/errors.js';
import { AlertOutput, WatchlistOutput, WatchRunOutput } from '../../output/schemas.js';
import { alertToJson, watchlistRows } from '../../views/darkweb.js';

const ALERT_STATUS_FILTERS = [...DELIVERY_STATUSES, 'not_sent'] as const;

/** `vitals darkweb watch` and its subcommands. */
export function watchCommand(): Command {
  const watch = new Command('watch').description(
    'watchlists of organizations, terms and regular expressions: new matches become alerts, delivered to ' +
      'webhooks signed with HMAC-SHA256',
  );

  addHomeOption(
    watch
      .command('add')
      .description('add a watchlist (exactly one of --org, --term, --regex)')
      .option('--org <name>', 'an organization (name or alias): alerts on its dark-web mentions')
      .option('--term <text>', 'a word or phrase, matched case-insensitively on word boundaries in title and text')
      .option(
        '--regex <re>',
        'a regular expression in RE2 syntax (linear-time: no backreferences or lookarounds), matched in title and text',
      )
      .option('--ignore-case', 'make --regex case-insensitive')
      .option('--name <name>', 'watchlist name (default org:NAME, term:TEXT or regex:RE)')
      .option('--webhook <url>', 'POST each new alert to this http(s) URL')
      .option(
        '--secret <secret>',
        'HMAC-SHA256 key for the X-Vitals-Signature header (at least 16 characters; generated and shown once ' +
          'if omitted)',
      )
      .option('--only-new', 'skip documents already stored: alert only on documents ingested from now on'),
  ).action(
    async (options: {
      home?: string;
      org?: string;
      term?: string;
      regex?: string;
      ignoreCase?: boolean;
      name?: string;
      webhook?: string;
      secret?: string;
      onlyNew?: boolean;
    }) => {
      await withStore(options, async (store) => {
        const { watchlist, generatedSecret } = await addWatchlist(store, options);
        process.stdout.write(
          `added watchlist "${watchlist.name}" (${watchlist.kind}: ` +
            `${watchlist.pattern}${watchlist.flags ? ` /${watchlist.flags}` : ''})\n`,
        );
        if (watchlist.webhookUrl !== null)
          process.stdout.write(`webhook: ${sanitizeTerminalLine(watchlist.webhookUrl)}\n`);
        if (generatedSecret !== undefined) {
          process.stdout.write(
            `signing secret (shown once; receivers verify X-Vitals-Signature with it): ${generatedSecret}\n`,
          );
        }
        process.stdout.write(
          watchlist.highWaterSeq > 0
            ? `documents up to #${watchlist.highWaterSeq} are skipped; run \`vitals darkweb watch run\` after ` +
                `new ingestion\n`
            : 'run `vitals darkweb watch run` to evaluate it over the stored documents\n',
        );
      });
    },
  );

  addHomeOption(
    watch
      .command('list')
      .description('list watchlists')
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table')),
  ).action(async (options: { home?: string; format: OutputFormat }) => {
    await withStore(options, async (store) => {
      const rows = await watchlistRows(store);
      writeRecords(
        process.stdout,
        options.format,
        WatchlistOutput,
        rows,
        [
          { header: 'name', cell: (r) => r.name },
          { header: 'kind', cell: (r) => r.kind },
          { header: 'pattern', cell: (r) => (r.flags ? `/${r.pattern}/${r.flags}` : r.pattern) },
          { header: 'webhook', cell: (r) => r.webhook ?? '-' },
          { header: 'evaluated through', cell: (r) => `#${r.evaluated_through_seq}`, align: 'right' },
          { header: 'alerts', cell: (r) => String(r.alerts), align: 'right' },
        ],
        `${rows.length} watchlists`,
      );
    });
  });

  addHomeOption(
    watch
      .command('remove')
      .description('remove a watchlist with its alerts and undelivered webhooks')
      .argument('<name>', 'watchlist name'),
  ).action(async (name: string, options: { home?: string }) => {
    await withStore(options, async (store) => {
      const watchlist = await store.alerts.getWatchlist(name);
      if (watchlist === undefined)
        throw new CliError(`no watchlist named "${name}" (see \`vitals darkweb watch list\`)`);
      await store.alerts.removeWatchlist(watchlist.id);
      process.stdout.write(`removed watchlist "${sanitizeTerminalLine(watchlist.name)}"\n`);
    });
  });

  addHomeOption(
    watch
      .command('run')
      .description(
        'evaluate watchlists over documents they have not seen yet, then deliver pending alerts to their webhooks',
      )
      .option('--watchlist <name>', 'only this watchlist (repeatable)', collect)
      .option('--no-deliver', 'create alerts but do not send webhooks')
      .option('--retry-failed', 'give deliveries that exhausted their attempts a fresh budget first')
      .option('--max-attempts <n>', 'attempts per alert before it is marked failed', '5')
      .option('--timeout <ms>', 'timeout of one webhook attempt in milliseconds', '10000')
      .option('--backoff <ms>', 'delay before the first retry, doubled each time, with jitter', '500')
      .option('--backoff-max <ms>', 'longest delay between two attempts', '30000')
      .option('--batch-size <n>', 'documents per batch (and per transaction)', '200')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action(async (options: RunOptions) => {
    await runWatch(options);
  });

  addHomeOption(
    watch
      .command('alerts')
      .description('list alerts, newest first, with their delivery state')
      .option('--watchlist <name>', 'only this watchlist')
      .addOption(
        new Option('--status <status>', 'only alerts whose delivery is in this state').choices(ALERT_STATUS_FILTERS),
      )
      .option('--since <date>', 'only alerts created at or after this ISO date')
      .option('--limit <n>', 'at most this many alerts')
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table')),
  ).action(
    async (options: {
      home?: string;
      watchlist?: string;
      status?: DeliveryStatus | 'not_sent';
      since?: string;
      limit?: string;
      format: OutputFormat;
    }) => {
      await withStore(options, async (store) => {
        const watchlistId =
          options.watchlist === undefined ? undefined : (await requireWatchlist(store, options.watchlist)).id;
        const since = options.since === undefined ? undefined : parseDateOption(options.since, '--since');
        const limit =
          options.limit === undefined ? undefined : parseIntegerOption(options.limit, '--limit', 1, 1_000_000);
        const alerts = await store.alerts.listAlerts({
          ...(watchlistId === undefined ? {} : { watchlistId }),
          ...(options.status === undefined ? {} : { delivery: options.status }),
          ...(since === undefined ? {} : { since }),
          ...(limit === undefined ? {} : { limit }),
        });
        const organizations = new Map((await store.organizations.list()).map((o) => [o.id, o.name]));
        const rows = alerts.map((a) => alertToJson(a, organizations));
        if (options.format === 'json') writeJson(process.stdout, AlertOutput.array(), rows);
        else if (options.format === 'jsonl') for (const r of rows) writeJsonLine(process.stdout, AlertOutput, r);
        else {
          process.stdout.write(
            renderTable(rows, [
              { header: 'created', cell: (r) => r.created_at },
              { header: 'watchlist', cell: (r) => r.watchlist },
              { header: 'document', cell: (r) => r.doc_id },
              { header: 'matched', cell: (r) => clip(r.matched, 40) },
              {
                header: 'delivery',
                cell: (r) =>
                  r.delivery === null ? 'no webhook' : `${r.delivery.status} (${r.delivery.attempts} attempts)`,
              },
              { header: 'snippet', cell: (r) => clip(r.snippet, 60) },
            ]),
          );
          process.stdout.write(`${rows.length} alerts\n`);
        }
      });
    },
  );

  return watch;
}

interface RunOptions {
  home?: string;
  watchlist?: string[];
  deliver: boolean;
  retryFailed?: boolean;
  maxAttempts: string;
  timeout: string;
  backoff: string;
  backoffMax: string;
  batchSize: string;
  format: 'table' | 'json';
}

async function runWatch(options: RunOptions): Promise<void> {
  const maxAttempts = parseIntegerOption(options.maxAttempts, '--max-attempts', 1, 100);
  const timeoutMs = parseIntegerOption(options.timeout, '--timeout', 100, 300_000);
  const backoffBaseMs = parseIntegerOption(options.backoff, '--backoff', 0, 3_600_000);
  const backoffMaxMs = parseIntegerOption(options.backoffMax, '--backoff-max', backoffBaseMs, 3_600_000);
  const batchSize = parseIntegerOption(options.batchSize, '--batch-size', 1, 100_000);
  await withStore(options, async (store) => {
    const ids: string[] = [];
    for (const name of options.watchlist ?? []) ids.push((await requireWatchlist(store, name)).id);
    const chosen = (await store.alerts.listWatchlists()).filter((w) => ids.length === 0 || ids.includes(w.id));
    const maxSeq = await store.alerts.maxDocumentSeq();
    // Progress = documents evaluated over all chosen watchlists, counting from where each one stood.
    const marks = new Map(chosen.map((w) => [w.name, Math.min(w.highWaterSeq, maxSeq)]));
    const progress = startProgress('watchlists', chosen.length * maxSeq);
    const evaluations = await evaluateWatchlists(store, {
      ...(ids.length > 0 ? { watchlistIds: ids } : {}),
      batchSize,
      onProgress: ({ watchlist, throughSeq }) => {
        marks.set(watchlist, throughSeq);
        progress.update(
          [...marks.values()].reduce((a, b) => a + b, 0),
          watchlist,
        );
      },
    });
    progress.stop();

    let retried = 0;
    let delivery: Awaited<ReturnType<typeof deliverPendingAlerts>> | undefined;
    if (options.deliver) {
      if (options.retryFailed) retried = await store.alerts.retryFailedDeliveries();
      // Deliveries can take a while (retries wait with backoff): a terminal sees how far they got.
      const due = (await store.alerts.deliveryCounts()).due;
      const deliveryProgress = startProgress('delivering', due);
      const attempted = new Set<string>();
      delivery = await deliverPendingAlerts(store.alerts, {
        maxAttempts,
        timeoutMs,
        backoffBaseMs,
        backoffMaxMs,
        onAttempt: ({ alertId }) => {
          attempted.add(alertId);
          deliveryProgress.update(Math.min(attempted.size, due), alertId);
        },
      });
      deliveryProgress.stop();
    }
    const outbox = await store.alerts.deliveryCounts();
    const errors = evaluations.filter((e) => e.error !== undefined);

    if (options.format === 'json') {
      writeJson(process.stdout, WatchRunOutput, {
        watchlists: evaluations.map((e) => ({
          name: e.watchlist,
          kind: e.kind,
          documents: e.documents,
          new_alerts: e.created,
          evaluated_through_seq: e.throughSeq,
          error: e.error ?? null,
        })),
        delivery: delivery === undefined ? null : { ...delivery, retried_failed: retried },
        outbox,
      });
    } else {
      process.stdout.write(
        renderTable(evaluations, [
          { header: 'watchlist', cell: (e) => e.watchlist },
          { header: 'kind', cell: (e) => e.kind },
          { header: 'documents', cell: (e) => String(e.documents), align: 'right' },
          { header: 'new alerts', cell: (e) => String(e.created), align: 'right' },
          { header: 'evaluated through', cell: (e) => `#${e.throughSeq}`, align: 'right' },
          { header: 'error', cell: (e) => e.error ?? '' },
        ]),
      );
      if (delivery === undefined) process.stdout.write('webhooks: not sent (--no-deliver)\n');
      else {
        // "to retry later" is every alert still owed, whichever run left it pending.
        const later = outbox.nextAttemptAt === null ? '' : `, next attempt from ${outbox.nextAttemptAt}`;
        process.stdout.write(
          `webhooks: ${delivery.delivered} delivered, ${delivery.failed} failed after ${maxAttempts} attempts, ` +
            `${outbox.pending} to retry later${later} (${delivery.attempts} requests)\n`,
        );
      }
      process.stdout.write(
        `outbox: ${outbox.pending} pending (${outbox.leased} leased), ` +
          `${outbox.delivered} delivered, ${outbox.failed} failed\n`,
      );
    }
    for (const receiver of delivery?.unavailableReceivers ?? []) {
      process.stderr.write(
        `vitals: ${sanitizeTerminalLine(`webhook ${receiver.url} is not answering (${receiver.lastError})`)}: ` +
          `given up for this run, its ${receiver.pending} alert(s) stay in the outbox for the next run\n`,
      );
    }
    if (outbox.leased > 0) {
      // After a kill -9 the killed run's leases stay until they expire; nothing is lost meanwhile.
      process.stderr.write(
        `vitals: ${outbox.leased} alert(s) are leased by another run (or one that was killed) until ` +
          `${outbox.leasedUntil}; any run after that time delivers them\n`,
      );
    }
    for (const e of errors)
      process.stderr.write(`vitals: ${sanitizeTerminalLine(`watchlist "${e.watchlist}" not evaluated: ${e.error}`)}\n`);
    if (delivery !== undefined && outbox.failed > 0) {
      process.stderr.write(
        `vitals: ${outbox.failed} alert(s) could not be delivered ` +
          '(see `vitals darkweb watch alerts --status failed --format json`; ' +
          'retry with `vitals darkweb watch run --retry-failed`)\n',
      );
    }
    // Non-zero for cron and CI: something needs a look (a watchlist not evaluated, failed alerts left in
    // the outbox, a receiver not answering).
    const undelivered = delivery !== undefined && (outbox.failed > 0 || delivery.unavailableReceivers.length > 0);
    if (errors.length > 0 || undelivered) process.exitCode = ExitStatus.failure;
  });
}

async function withStore(options: { home?: string }, work: (store: Store) => Promise<void>): Promise<void> {
  const store = await openCliStore(resolveHome(options));
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

async function requireWatchlist(store: Store, name: string) {
  const watchlist = await store.alerts.getWatchlist(name);
  if (watchlist === undefined) throw new CliError(`no watchlist named "${name}" (see \`vitals darkweb watch list\`)`);
  return watchlist;
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
