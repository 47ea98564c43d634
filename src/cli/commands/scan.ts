/** `vitals scan`: assess the DNS and e-mail security of domains or of the portfolio's organizations. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { normalizeDomain, isAtOrBelow } from '../../core/names.js';
import { createDnsClient, parseServer } from '../../probes/dns/dns-client.js';
import type { DnsServer } from '../../probes/dns/dns-client.types.js';
import { parseCtLog } from '../../probes/dns/discovery.probe.js';
import { DEFAULT_WORDLIST } from '../../probes/dns/wordlist.js';
import { IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors, type TrustAnchor } from '../../dnssec/trust-anchor.js';
import { assertResolverReachable } from '../../scanner/scan.js';
import { defaultWorkerCount, PARALLEL_MIN_TARGETS } from '../../scanner/parallel-scan.js';
import { runScanSession, type PortfolioTarget } from '../../scanner/scan-session.js';
import { findingToJson, assetToJson, controlToJson, notAssessedToJson } from '../../scanner/report.js';
import type { Store } from '../../store/database.js';
import type { Organization } from '../../store/repos/organizations.repo.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseIntegerOption, parseServerOption, systemResolver } from '../options.js';
import { writeJson, writeJsonLine, OUTPUT_FORMATS, type OutputFormat } from '../output.js';
import { startProgress } from '../progress.js';
import { printScanSummary } from '../summary.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';
import { isProcessAlive, readLabState } from '../../lab/lab-runner.js';

interface ScanOptions {
  org?: string[];
  all?: boolean;
  resolver?: string;
  nsPort?: string;
  trustAnchor?: string;
  ct?: string;
  wordlist: boolean;
  allowPrivate?: boolean;
  lab?: boolean;
  format: OutputFormat;
  concurrency: string;
  timeout: string;
  retries: string;
  workers?: string;
  home?: string;
}

export function scanCommand(): Command {
  return addHomeOption(
    new Command('scan')
      .description(
        'scan DNS and e-mail security (SPF, DMARC, DKIM, MX, DNSSEC, CAA, name servers, zone transfer, wildcards, dangling CNAMEs) of domains or organizations, and store the findings',
      )
      .argument('[domains...]', 'domains to scan (an imported organization owning the domain gets the findings)')
      .option('--org <name>', 'scan every domain of this organization (repeatable)', collect)
      .option('--all', 'scan every organization in the portfolio')
      .option('--resolver <ip[:port]>', "DNS resolver to ask (default: the system's first name server)")
      .option('--ns-port <port>', "port of the organizations' own name servers when queried directly (default 53)")
      .option(
        '--trust-anchor <file>',
        "DNSSEC trust anchor: DS or DNSKEY records in zone-file format, as unbound's trust-anchor-file (default: the IANA root's)",
      )
      .option('--ct <file>', 'Certificate Transparency results to import for discovery (the JSON array crt.sh returns)')
      .option('--no-wordlist', 'skip discovery with the built-in wordlist of host labels')
      .option('--allow-private', 'allow targets that resolve to loopback, private or link-local addresses')
      .option(
        '--lab',
        'scan the running lab: use its resolver, name-server port, trust anchor and CT log (implies --allow-private)',
      )
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
      .option('--concurrency <n>', 'domains assessed at once', '64')
      .option('--timeout <ms>', 'timeout of one DNS query in milliseconds', '2000')
      .option('--retries <n>', 'retries of a DNS query after a timeout', '1')
      .option(
        '--workers <n>',
        `scan threads (default: 1 below ${PARALLEL_MIN_TARGETS} domains, else one per core up to 4)`,
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
  if (domainArgs.length === 0 && !options.all && (options.org ?? []).length === 0) {
    throw new CliError('name what to scan: one or more domains, --org NAME, or --all');
  }
  // Validate every domain before any work starts.
  const domains = domainArgs.map((d) => normalizeDomain(d));

  let resolver: DnsServer;
  let nameServerPort = 53;
  let anchorsText = IANA_ROOT_TRUST_ANCHORS;
  let anchorsSource = 'the IANA root trust anchor';
  let ctFile = options.ct;
  let allowPrivate = options.allowPrivate === true;
  if (options.lab) {
    const state = readLabState(home);
    if (!state || !isProcessAlive(state.pid))
      throw new CliError('--lab: no lab is running (start it with `vitals lab up`)');
    resolver = parseServer(state.resolver);
    nameServerPort = state.port;
    anchorsText = readFileSync(state.files.trustAnchor, 'utf8');
    anchorsSource = state.files.trustAnchor;
    ctFile ??= state.files.ct;
    allowPrivate = true;
  } else {
    resolver = options.resolver ? parseServerOption(options.resolver) : systemResolver();
  }
  if (options.resolver && options.lab) resolver = parseServerOption(options.resolver);
  if (options.nsPort !== undefined) nameServerPort = parseIntegerOption(options.nsPort, '--ns-port', 1, 65535);
  if (options.trustAnchor) {
    anchorsText = readTextFile(options.trustAnchor, '--trust-anchor');
    anchorsSource = options.trustAnchor;
  }
  let trustAnchors: TrustAnchor[];
  try {
    trustAnchors = parseTrustAnchors(anchorsText);
  } catch (error) {
    throw new CliError(`trust anchor ${anchorsSource}: ${(error as Error).message}`);
  }
  let ctNames: string[] = [];
  if (ctFile) {
    try {
      ctNames = parseCtLog(JSON.parse(readTextFile(ctFile, '--ct')));
    } catch (error) {
      throw error instanceof CliError ? error : new CliError(`--ct ${ctFile}: ${(error as Error).message}`);
    }
  }

  const store = await openCliStore(home);
  const client = createDnsClient();
  try {
    const createdAdHoc = new Set<string>();
    const targets = await resolveTargets(store, domains, options, createdAdHoc);
    if (targets.length === 0)
      throw new CliError(
        'nothing to scan: the portfolio has no organizations with domains (import some with `vitals orgs import FILE`)',
      );
    await assertResolverReachable(client, resolver, Math.max(timeoutMs, 1000));

    const progress = startProgress('scanning', targets.length);
    const session = await runScanSession(
      store,
      targets,
      {
        client,
        resolver,
        nameServerPort,
        trustAnchors,
        allowPrivate,
        concurrency,
        timeoutMs,
        retries,
        wordlist: options.wordlist ? DEFAULT_WORDLIST : null,
        ctNames,
        workers: workersOption ?? defaultWorkerCount(targets.length),
      },
      {
        domains,
        organizations: options.org ?? [],
        all: options.all === true,
        resolver: `${resolver.address}:${resolver.port}`,
        wordlist: options.wordlist,
      },
      {
        onProgress: (done, _total, current) => progress.update(done, current),
        onTargetRecorded: (_target, _result, findings) => {
          if (options.format === 'jsonl') for (const f of findings) writeJsonLine(process.stdout, findingToJson(f));
        },
      },
    );
    progress.stop();

    if (options.format === 'json') {
      writeJson(process.stdout, {
        scan: {
          id: session.scanId,
          started_at: session.startedAt,
          finished_at: session.finishedAt,
          resolver: `${resolver.address}:${resolver.port}`,
          trust_anchor: anchorsSource,
          wordlist: options.wordlist,
          counts: session.counts,
          errors: session.errors,
        },
        assets: session.results.flatMap((r) =>
          r.discovery ? r.discovery.assets.map((a) => assetToJson(r.target.organization ?? r.target.domain, a)) : [],
        ),
        findings: session.findings.map(findingToJson),
        controls: session.results.flatMap((r) =>
          r.outcome.controls.map((c) => controlToJson(r.target.organization ?? r.target.domain, c)),
        ),
        not_assessed: session.results.flatMap((r) =>
          r.outcome.notAssessed.map((n) => notAssessedToJson(r.target.organization ?? r.target.domain, n)),
        ),
      });
    } else if (options.format === 'table') {
      printScanSummary(process.stdout, session, targets);
    }
    for (const error of session.errors)
      process.stderr.write(`vitals: ${error.target}: ${sanitizeTerminalLine(error.message)}\n`);
    if (session.errors.length > 0) process.exitCode = session.counts.scanned === 0 ? 2 : 1;
    // An ad-hoc organization made for this run whose domain could not be scanned (a typo) is not kept.
    for (const t of targets) {
      const result = session.results.find((r) => r.target.domain === t.domain);
      if (createdAdHoc.has(t.organizationId) && result?.status !== 'scanned')
        await store.organizations.remove(t.organizationId);
    }
  } finally {
    await client.close();
    await store.close();
  }
}

/** Maps the command line onto portfolio targets; a domain outside the portfolio becomes its own organization. */
async function resolveTargets(
  store: Store,
  domains: string[],
  options: ScanOptions,
  createdAdHoc: Set<string>,
): Promise<PortfolioTarget[]> {
  const organizations = await store.organizations.list();
  const targets = new Map<string, PortfolioTarget>();
  const add = (org: Organization, domain: string): void => {
    if (!targets.has(domain)) targets.set(domain, { domain, organization: org.name, organizationId: org.id });
  };
  if (options.all) for (const org of organizations) for (const d of org.domains) add(org, d);
  for (const name of options.org ?? []) {
    const org = await store.organizations.findByNameOrAlias(name);
    if (!org) throw new CliError(`no organization named "${name}" (see \`vitals orgs list\`)`);
    if (org.domains.length === 0) throw new CliError(`organization "${org.name}" has no domains`);
    for (const d of org.domains) add(org, d);
  }
  for (const domain of domains) {
    const owner = organizations.find((o) => o.domains.some((d) => isAtOrBelow(domain, d)));
    if (owner) {
      add(owner, domain);
      continue;
    }
    const { organization, change } = await store.organizations.upsert({
      name: domain,
      sector: 'unclassified',
      domains: [domain],
      telehealth: false,
      tags: ['ad-hoc'],
    });
    if (change === 'created') createdAdHoc.add(organization.id);
    add(organization, domain);
  }
  return [...targets.values()];
}

function readTextFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
}
