/**
 * `vitals demo` (what `npm start` runs): the main job end to end on the embedded defaults. It starts
 * the lab, imports its organizations as the portfolio, scans them over the wire, prints the portfolio
 * summary, says where the data lives, and stops the lab.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { importOrganizations, parseOrganizationsFile } from '../../store/import-organizations.js';
import { loadReputationData } from '../../scanner/reputation-data.js';
import { importLabFeeds } from '../lab-feeds.js';
import { demoLab } from '../demo-lab.js';
import { parseWebPort } from './lab.js';
import { describeSharedDomain } from '../../store/shared-domains.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import { parseServer } from '../../net/dns/server-address.js';
import { parseCtLog } from '../../probes/dns/discovery.probe.js';
import { DEFAULT_WORDLIST } from '../../probes/dns/wordlist.js';
import { parseTrustAnchors } from '../../dnssec/trust-anchor.js';
import { runScanSession, type PortfolioTarget } from '../../scanner/scan-session.js';
import { describeDataLocation, resolveHome } from '../context.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { startProgress } from '../progress.js';
import { findingsByFactor, printScanSummary } from '../summary.js';
import { openCliStore } from '../store.js';
import { ingestPaths } from '../../darkweb/ingest/ingest.js';
import { credentialKeyForCli } from './darkweb-key.js';
import { recordDarkwebFindings } from '../../darkweb/findings.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { ExitStatus } from '../../core/errors.js';
import { buildDemoHistory, demoStudyHeadline } from '../demo-history.js';
import { addUser, removeUser } from '../../auth/service.js';
import { startServer } from '../../server/serve.js';
import { OPENAPI_PATH } from '../../server/app.js';
import type { Store } from '../../store/database.js';
import { abortOnSignals } from '../signals.js';
import { VITALS_VERSION } from '../version.js';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

const DEFAULT_SERVE_PORT = 8080;

/**
 * `--serve`: the API over the demo's data until Ctrl-C, with an admin made for this run only (its password
 * printed once, the user removed when the server stops).
 */
async function serveWithOneTimeAdmin(store: Store, port: number): Promise<void> {
  const username = `demo-admin-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  await addUser(store, { username, role: 'admin', password });
  const interruption = abortOnSignals();
  try {
    const server = await startServer({ store, host: '127.0.0.1', port, version: VITALS_VERSION });
    process.stdout.write(
      `\nServing at ${server.url} (API: ${server.url}/api/v1, OpenAPI: ${server.url}${OPENAPI_PATH})\n` +
        `One-time admin login (this run only): ${username} / ${password}\n` +
        'Ctrl-C stops the server.\n',
    );
    if (!interruption.signal.aborted) await once(interruption.signal, 'abort');
    await server.close();
  } finally {
    interruption.dispose();
    await removeUser(store, username);
  }
}

interface DemoOptions {
  home?: string;
  orgs: string;
  seed: string;
  documents: string;
  dnsPort?: string;
  webPort?: string;
  /** False with --no-history. */
  history: boolean;
  /** `--serve [port]`: true for the default port, or the port given. */
  serve?: string | boolean;
}

export function demoCommand(): Command {
  return addHomeOption(
    new Command('demo')
      .description(
        'start the lab, import its organizations, scan them, and print the portfolio summary (what `npm start` runs)',
      )
      .option('--orgs <n>', 'organizations in the lab', '25')
      .option('--seed <n>', 'seed of the lab world', '1')
      .option('--documents <n>', 'documents of the dark-web corpus to ingest (0 to skip the dark web)', '2000')
      .option('--dns-port <port>', 'DNS port of the lab (default 53, or 10053 where 53 cannot be bound)')
      .option('--web-port <port>', "HTTP port of the lab's web sites (default 80, or 10080 where 80 cannot be bound)")
      .option('--no-history', 'skip the short lab history (September 2019 to April 2020) and its study table')
      .option(
        '--serve [port]',
        'then serve the API on 127.0.0.1 (default port 8080) with a one-time admin login, until Ctrl-C (`npm start`)',
      ),
  ).action(async (options: DemoOptions) => {
    const home = resolveHome(options);
    const orgs = parseIntegerOption(options.orgs, '--orgs', 1, 30000);
    const seed = parseIntegerOption(options.seed, '--seed', 0, 2 ** 31);
    const port =
      options.dnsPort === undefined ? undefined : parseIntegerOption(options.dnsPort, '--dns-port', 1, 65535);
    const documents = parseIntegerOption(options.documents, '--documents', 0, 1_000_000);
    const servePort =
      options.serve === undefined || options.serve === false
        ? undefined
        : options.serve === true
          ? DEFAULT_SERVE_PORT
          : parseIntegerOption(options.serve, '--serve', 0, 65535);
    const log = (line: string): void => void process.stderr.write(`${line}\n`);

    const started = Date.now();
    const webPort = parseWebPort(options.webPort);
    const lab = await demoLab({ home, seed, orgs, port, documents, ...(webPort !== undefined ? { webPort } : {}) });
    log(
      lab.reusedPid === undefined
        ? `lab: ${orgs} organizations on loopback, DNS on port ${lab.port} (resolver ${lab.resolverAddress}), ` +
            `started in ${Date.now() - started} ms`
        : `lab: using the lab already running (pid ${lab.reusedPid}): ${orgs} organizations, DNS on port ` +
            `${lab.port} (resolver ${lab.resolverAddress}); it keeps running`,
    );
    const store = await openCliStore(home);
    const client = createDnsClient();
    try {
      // History first, so everything the store records stays in time order (2019-2020, then today).
      if (options.history)
        await buildDemoHistory(store, {
          seed,
          orgs,
          credentialKey: credentialKeyForCli(home),
          log,
          servicePorts: lab.ports,
        });
      const parsed = parseOrganizationsFile(lab.files.organizations);
      // The lab's world is the demo's to import: a domain an earlier import also gave another
      // organization is noted, not refused.
      const counts = await importOrganizations(store, parsed, {
        allowSharedDomains: true,
        onSharedDomain: (shared) => log(`portfolio: note: ${describeSharedDomain(shared)}`),
      });
      log(
        `portfolio: imported ${parsed.organizations.length} organizations (${counts.created} new, ` +
          `${counts.updated} updated, ${counts.unchanged} unchanged)`,
      );

      // The lab's threat feeds, so the demo shows IP reputation findings (docs/ip-reputation.md).
      const feedNetworks = await importLabFeeds(store, lab.files.feeds);
      if (feedNetworks > 0) log(`feeds: imported the lab's threat feeds (${feedNetworks} networks)`);

      const organizations = await store.organizations.list();
      const labDomains = new Set(parsed.organizations.flatMap((o) => o.domains));
      const targets: PortfolioTarget[] = organizations.flatMap((o) =>
        o.domains
          .filter((d) => labDomains.has(d))
          .map((domain) => ({ domain, organization: o.name, organizationId: o.id })),
      );
      const progress = startProgress('scanning', targets.length);
      const scanStarted = Date.now();
      const session = await runScanSession(
        store,
        targets,
        {
          client,
          resolver: parseServer(`${lab.resolverAddress}:${lab.port}`),
          nameServerPort: lab.port,
          ...(lab.webPorts ? { webPorts: { http: [lab.webPorts.http], https: [lab.webPorts.https] } } : {}),
          trustAnchors: parseTrustAnchors(readFileSync(lab.files.trustAnchor, 'utf8')),
          allowPrivate: true, // the lab lives on loopback by design
          concurrency: 64,
          timeoutMs: 2000,
          retries: 1,
          wordlist: DEFAULT_WORDLIST,
          ctNames: parseCtLog(JSON.parse(readFileSync(lab.files.ct, 'utf8'))),
          // The lab's TLS endpoints, trusted through its CA file as `scan --lab` does (`--ca`).
          tls: lab.tls
            ? { ports: [lab.tls.https, lab.tls.alt], caPem: readFileSync(lab.files.tlsCa, 'utf8') }
            : { ports: [] },
          reputation: await loadReputationData(store, targets),
          ports: lab.ports,
        },
        { demo: true, lab: { seed, orgs } },
        { onProgress: (done, _total, current) => progress.update(done, current) },
      );
      progress.stop();
      const seconds = (Date.now() - scanStarted) / 1000;
      let darkwebLine = '';
      if (lab.documents > 0) {
        // The dark-web side of the same portfolio: the lab's corpus of forum, market, paste, chat and
        // leak-site documents, analyzed on ingestion; its findings join the summary.
        const ingestProgress = startProgress('dark web', lab.documents);
        const ingest = await ingestPaths(store, [lab.files.darkwebCorpus], {
          credentialKey: credentialKeyForCli(home),
          onProgress: (p) => ingestProgress.update(p.read),
        });
        ingestProgress.stop();
        await recordDarkwebFindings(store);
        darkwebLine =
          `Dark web: ${ingest.inserted} documents ingested (${ingest.duplicates} duplicates ` +
          `dropped), ${ingest.mentions} organization mentions, in ${(ingest.elapsedMs / 1000).toFixed(1)} s.\n`;
      }
      const openFindings = await store.findings.listFindings({ status: 'open' });
      printScanSummary(
        process.stdout,
        {
          ...session,
          findings: openFindings.filter((f) => targets.some((t) => t.organizationId === f.organizationId)),
        },
        targets,
      );
      process.stdout.write(
        `Scanned ${session.counts.scanned} of ${targets.length} domains in ${seconds.toFixed(1)} s: ` +
          `${session.counts.assets} assets, ${findingsByFactor(session.findings)}, ` +
          `${session.counts.controls} good controls.\n` +
          darkwebLine +
          `Data: ${describeDataLocation(home)}\n` +
          `Lab files (ground truth, trust anchor, CT log, organizations): ${lab.files.dir}\n` +
          'Next: `npx vitals findings --severity high`, `npx vitals orgs show "<name>"`, `npx vitals darkweb ' +
          'mentions`, `npx vitals lab truth`.\n',
      );
      if (options.history) process.stdout.write(await demoStudyHeadline(store));
      for (const error of session.errors)
        process.stderr.write(`vitals: ${error.target}: ${sanitizeTerminalLine(error.message)}\n`);
      if (session.errors.length > 0) process.exitCode = ExitStatus.failure;
      if (servePort !== undefined) await serveWithOneTimeAdmin(store, servePort);
    } finally {
      await client.close();
      await store.close();
      await lab.stop();
    }
  });
}
