/** `vitals scan`: assess the DNS and e-mail security of domains or of the portfolio's organizations. */
import { Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '../../core/types.js';
import { chooseWordlist } from '../wordlist-option.js';
import { PERMUTATION_LIMIT } from '../../probes/dns/permutations.js';
import { defaultWorkerCount, PARALLEL_MIN_TARGETS } from '../../scanner/parallel-scan.js';
import { SCAN_DEFAULTS } from '../../scanner/scan-defaults.js';
import { scanPortfolio } from '../../scanner/scan-service.js';
import { findingToJson, scanReportToJson } from '../../scanner/report.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { writeJson, writeJsonLine } from '../output.js';
import { startProgress, type Progress } from '../progress.js';
import { printFindingList, printScanSummary } from '../summary.js';
import { collectTargetDomains } from '../targets-file.js';
import { AtomicFile } from '../atomic-write.js';
import { applyFailOn } from '../fail-on.js';
import { createScanLog, targetLogEntry } from '../scan-log.js';
import { FINDING_REPORT_FORMATS, toSarif, type FindingReportFormat } from '../sarif.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';
import { addSelectionOptions, parseSelection, type SelectionOptions } from '../scan-selection.js';
import { scanSourcesFromOptions } from '../scan-sources.js';
import { createScanDnsClient } from '../../net/scan-network.js';
import { DEFAULT_PUBLIC_RATE } from '../../net/rate-limit.js';
import { scanNetworkFromOptions } from '../network-options.js';
import { ExitStatus } from '../../core/errors.js';
import { FindingOutput, SarifLogOutput, ScanReportOutput } from '../../output/schemas.js';

interface ScanOptions extends SelectionOptions {
  org?: string[];
  all?: boolean;
  resolver?: string;
  nsPort?: string;
  trustAnchor?: string;
  ct?: string;
  /** A file of labels, `false` for --no-wordlist, undefined for the built-in list. */
  wordlist?: string | false;
  permutations?: boolean;
  allowPrivate?: boolean;
  lab?: boolean;
  format: FindingReportFormat;
  list?: string;
  output?: string;
  failOn?: Severity;
  silent?: boolean;
  verbose?: boolean;
  concurrency: string;
  timeout: string;
  retries: string;
  workers?: string;
  exclude?: string;
  rate?: string;
  ca?: string;
  tlsPorts?: string;
  ports?: string;
  home?: string;
}

export function scanCommand(): Command {
  return addHomeOption(
    addSelectionOptions(new Command('scan'))
      .description(
        'scan DNS and e-mail security (SPF, DMARC, DKIM, MX, DNSSEC, CAA, name servers, zone transfer, ' +
          'wildcards, dangling CNAMEs) and exposed network services (RDP, SMB, databases, DICOM, HL7...) of domains ' +
          'or organizations, and store the findings',
      )
      .argument(
        '[domains...]',
        'domains to scan, "-" for a list on standard input ' +
          '(an imported organization owning the domain gets the findings)',
      )
      .option('-l, --list <file>', 'scan the domains listed in FILE, one per line, # comments ("-": standard input)')
      .option('--org <name>', 'scan every domain of this organization (repeatable)', collect)
      .option('--all', 'scan every organization in the portfolio')
      .option('--resolver <ip[:port]>', "DNS resolver to ask (default: the system's first name server)")
      .option('--ns-port <port>', "port of the organizations' own name servers when queried directly (default 53)")
      .option(
        '--trust-anchor <file>',
        "DNSSEC trust anchor: DS or DNSKEY records in zone-file format, as unbound's trust-anchor-file " +
          "(default: the IANA root's)",
      )
      .option('--ct <file>', 'Certificate Transparency results to import for discovery (the JSON array crt.sh returns)')
      .option(
        '--wordlist <file>',
        'host labels to try instead of the built-in list (one per line, # comments; e.g. a 20,000 or 110,000 list)',
      )
      .option('--no-wordlist', 'skip discovery with a wordlist of host labels')
      .option(
        '--permutations',
        `also try alterations of discovered names (numbers, -dev, -test, -staging, regions...; at most ` +
          `${PERMUTATION_LIMIT}` +
          ' per domain), except where the zone has a wildcard',
      )
      .option('--allow-private', 'allow targets that resolve to loopback, private or link-local addresses')
      .option(
        '--ca <file>',
        'PEM certificates to trust besides the bundled Mozilla roots: self-signed ones as roots, others as known ' +
          'intermediates (the lab passes its CA)',
      )
      .option('--tls-ports <list>', 'ports to assess TLS on, on every discovered host (default 443,8443)')
      .option(
        '--lab',
        'scan the running lab: use its resolver, name-server port, trust anchor, CT log, TLS ports and CA ' +
          '(implies --allow-private)',
      )
      .addOption(new Option('--format <format>', 'output format').choices(FINDING_REPORT_FORMATS).default('table'))
      .option(
        '-o, --output <file>',
        'write the output to FILE (replaced only when complete); the terminal shows progress',
      )
      .addOption(
        new Option(
          '--fail-on <severity>',
          'exit with status 4 when a finding at or above SEVERITY is open after the scan',
        ).choices(SEVERITIES),
      )
      .option('-q, --silent', 'no progress and no summary: only the requested output and errors')
      .option('-v, --verbose', 'a JSON log on standard error: scan start and end, each target with its status and time')
      .option('--concurrency <n>', 'domains assessed at once', String(SCAN_DEFAULTS.concurrency))
      .option('--timeout <ms>', 'timeout of one DNS query in milliseconds', String(SCAN_DEFAULTS.timeoutMs))
      .option('--retries <n>', 'retries of a DNS query after a timeout', String(SCAN_DEFAULTS.retries))
      .option(
        '--ports <list>',
        'TCP ports to scan on every discovered address, e.g. 22,80,8000-8100 (default: the healthcare list ' +
          'in docs/network.md)',
      )
      .option('--exclude <file>', 'CIDRs, addresses and domain suffixes never to contact, one a line (# comments)')
      .option(
        '--rate <n>',
        `queries and connection attempts per second, across all threads (default ${DEFAULT_PUBLIC_RATE}; ` +
          'none with --lab; 0 for no limit)',
      )
      .option(
        '--workers <n>',
        `scan threads (default: 1 below ${PARALLEL_MIN_TARGETS} domains, else one per core up to ` +
          `${SCAN_DEFAULTS.maxWorkers})`,
      ),
  ).action(async (domains: string[], options: ScanOptions) => {
    await runScanCommand(domains, options);
  });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function runScanCommand(domainArgs: string[], options: ScanOptions): Promise<void> {
  const home = resolveHome(options);
  const concurrency = parseIntegerOption(options.concurrency, '--concurrency', 1, 10_000);
  const timeoutMs = parseIntegerOption(options.timeout, '--timeout', 50, 120_000);
  const retries = parseIntegerOption(options.retries, '--retries', 0, 10);
  const workersOption =
    options.workers === undefined ? undefined : parseIntegerOption(options.workers, '--workers', 1, 64);
  // Validate every domain (arguments, -l FILE, standard input) before any work starts.
  const domains = await collectTargetDomains(domainArgs, options.list);
  if (domains.length === 0 && !options.all && (options.org ?? []).length === 0) {
    throw new CliError('name what to scan: one or more domains, -l FILE, --org NAME, or --all');
  }
  const selection = parseSelection(options);

  const { resolver, nameServerPort, trustAnchors, anchorsSource, ctNames, allowPrivate, tls, ports, webPorts } =
    scanSourcesFromOptions(options, home);
  const wordlist = chooseWordlist(options.wordlist);
  // A warning, not an error: --silent leaves it out. The skipped lines it quotes are the user's text.
  if (wordlist.warning && !options.silent) process.stderr.write(`vitals: ${sanitizeTerminalLine(wordlist.warning)}\n`);

  const network = scanNetworkFromOptions(options, resolver, allowPrivate);
  const output = options.output !== undefined ? new AtomicFile(options.output) : undefined;
  const sink = output ?? process.stdout;
  const log = createScanLog(options.verbose === true);
  const store = await openCliStore(home);
  const client = createScanDnsClient(network);
  try {
    // The bar starts once the service knows how many targets there are.
    const progress: { bar: Progress | null } = { bar: null };
    const { targets, session } = await scanPortfolio(
      store,
      { domains, organizations: options.org ?? [], all: options.all === true },
      {
        client,
        resolver,
        nameServerPort,
        trustAnchors,
        allowPrivate,
        network,
        concurrency,
        timeoutMs,
        retries,
        wordlist: wordlist.labels,
        permutations: options.permutations === true,
        ctNames,
        tls,
        ...(ports ? { ports } : {}),
        ...(webPorts ? { webPorts } : {}),
        ...selection,
        ...(workersOption === undefined ? {} : { workers: workersOption }),
      },
      {
        resolver: `${resolver.address}:${resolver.port}`,
        wordlist: wordlist.labels !== null,
        wordlist_file: wordlist.file,
        permutations: options.permutations === true,
      },
      {
        onTargetsResolved: (resolved) => {
          progress.bar = startProgress('scanning', resolved.length, process.stderr, {
            enabled: !options.silent && !options.verbose,
          });
          log.scanStart({
            targets: resolved.length,
            resolver: `${resolver.address}:${resolver.port}`,
            workers: workersOption ?? defaultWorkerCount(resolved.length),
            concurrency,
            format: options.format,
            ...(options.output !== undefined ? { output: options.output } : {}),
          });
        },
        onProgress: (done, _total, current) => progress.bar?.update(done, current),
        onTargetRecorded: (target, result, findings) => {
          if (options.format === 'jsonl')
            for (const f of findings) writeJsonLine(sink, FindingOutput, findingToJson(f));
          log.targetDone(targetLogEntry(target.organization, result, findings.length));
        },
      },
    );
    progress.bar?.stop();
    for (const r of session.results)
      if (r.status !== 'scanned') log.targetDone(targetLogEntry(r.target.organization ?? r.target.domain, r));

    if (options.format === 'json') {
      writeJson(
        sink,
        ScanReportOutput,
        scanReportToJson(session, {
          resolver: `${resolver.address}:${resolver.port}`,
          trust_anchor: anchorsSource,
          wordlist: wordlist.labels !== null,
          wordlist_file: wordlist.file,
          permutations: options.permutations === true,
        }),
      );
    } else if (options.format === 'sarif') {
      writeJson(sink, SarifLogOutput, toSarif(session.findings.map(findingToJson), session));
    } else if (options.format === 'table') {
      if (options.silent && !output) printFindingList(sink, session.findings);
      else printScanSummary(sink, session, targets);
    }
    output?.commit();
    if (output && !options.silent) printScanSummary(process.stdout, session, targets);
    for (const error of session.errors)
      process.stderr.write(`vitals: ${error.target}: ${sanitizeTerminalLine(error.message)}\n`);
    if (session.errors.length > 0)
      process.exitCode = session.counts.scanned === 0 ? ExitStatus.badInput : ExitStatus.failure;
    log.scanEnd({
      scanId: session.scanId,
      elapsedMs: Date.parse(session.finishedAt) - Date.parse(session.startedAt),
      counts: session.counts,
      errors: session.errors.length,
    });
    if (options.failOn) await applyFailOn(store, new Set(targets.map((t) => t.organizationId)), options.failOn);
  } finally {
    output?.discard();
    log.flush();
    await client.close();
    await store.close();
  }
}
