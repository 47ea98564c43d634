/** `vitals serve`: the REST API (and the dashboard) over the store, until Ctrl-C. */
import { once } from 'node:events';
import { Command } from 'commander';
import { FILE_CAPS } from '../../core/capped-file.js';
import { DEFAULT_WORDLIST } from '../../probes/dns/wordlist.js';
import { createScanDnsClient } from '../../net/scan-network.js';
import { SCAN_DEFAULTS } from '../../scanner/scan-defaults.js';
import type { ScanEnvironment } from '../../server/scan-jobs.js';
import { OPENAPI_PATH } from '../../server/app.js';
import { startServer } from '../../server/serve.js';
import { describeDataLocation, resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { scanNetworkFromOptions } from '../network-options.js';
import { addHomeOption, parseIntegerOption, readInputFile } from '../options.js';
import { scanSourcesFromOptions, type ScanSourceOptions } from '../scan-sources.js';
import { abortOnSignals } from '../signals.js';
import { openCliStore } from '../store.js';
import { VITALS_VERSION } from '../version.js';

interface ServeOptions extends ScanSourceOptions {
  home?: string;
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  scan: boolean;
  rate?: string;
}

export function serveCommand(): Command {
  return addHomeOption(
    new Command('serve')
      .description(
        'serve the REST API (/api/v1, OpenAPI document at /api/v1/openapi.json) over the store until Ctrl-C; ' +
          'clients authenticate with tokens from `vitals tokens create` or log in as a user from `vitals users add`',
      )
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--port <n>', 'port to listen on (0: any free port)', '8080')
      .option('--tls-cert <file>', 'PEM certificate (chain): serve HTTPS, with Secure cookies and HSTS')
      .option('--tls-key <file>', 'PEM private key of --tls-cert')
      .option('--no-scan', 'refuse POST /api/v1/scans (by default scans use the options below, as `vitals scan`)')
      .option('--lab', 'scans go to the running lab (its resolver, name-server port, trust anchor and CT log)')
      .option('--resolver <ip[:port]>', "DNS resolver scans ask (default: the system's first name server)")
      .option('--allow-private', 'allow scan targets that resolve to loopback, private or link-local addresses')
      .option('--rate <n>', 'queries per second of a scan, across all threads (0: no limit)')
      .option('--ca <file>', 'extra trusted CA certificates (PEM) for the TLS checks of scans, as `vitals scan --ca`')
      .option('--tls-ports <list>', 'TLS ports scans assess, as `vitals scan --tls-ports` (e.g. 443,8443)'),
  ).action(async (options: ServeOptions) => {
    const home = resolveHome(options);
    const port = parseIntegerOption(options.port, '--port', 0, 65535);
    if ((options.tlsCert === undefined) !== (options.tlsKey === undefined))
      throw new CliError('--tls-cert and --tls-key go together');
    const tls =
      options.tlsCert === undefined || options.tlsKey === undefined
        ? undefined
        : {
            cert: readInputFile(options.tlsCert, FILE_CAPS.pem, '--tls-cert'),
            key: readInputFile(options.tlsKey, FILE_CAPS.pem, '--tls-key'),
          };
    const sources = options.scan ? scanSourcesFromOptions(options, home) : undefined;
    const network = sources && scanNetworkFromOptions(options, sources.resolver, sources.allowPrivate);
    const client = network && createScanDnsClient(network);
    const scan: ScanEnvironment | undefined =
      sources && network && client
        ? {
            settings: {
              client,
              resolver: sources.resolver,
              nameServerPort: sources.nameServerPort,
              trustAnchors: sources.trustAnchors,
              allowPrivate: sources.allowPrivate,
              network,
              concurrency: SCAN_DEFAULTS.concurrency,
              timeoutMs: SCAN_DEFAULTS.timeoutMs,
              retries: SCAN_DEFAULTS.retries,
              wordlist: DEFAULT_WORDLIST,
              permutations: false,
              ctNames: sources.ctNames,
              tls: sources.tls,
            },
            describe: {
              resolver: `${sources.resolver.address}:${sources.resolver.port}`,
              trust_anchor: sources.anchorsSource,
              wordlist: true,
              wordlist_file: null,
              permutations: false,
            },
          }
        : undefined;
    const store = await openCliStore(home);
    const interruption = abortOnSignals();
    try {
      const server = await startServer({
        store,
        host: options.host,
        port,
        version: VITALS_VERSION,
        ...(tls === undefined ? {} : { tls }),
        ...(scan === undefined ? {} : { scan }),
      });
      process.stdout.write(
        `vitals: serving the API at ${server.url}/api/v1 (OpenAPI: ${server.url}${OPENAPI_PATH})\n` +
          `data: ${describeDataLocation(home)}\n` +
          `scans: ${scan === undefined ? 'disabled (--no-scan)' : `through ${scan.describe.resolver}`}\n` +
          'Ctrl-C stops the server\n',
      );
      if (!interruption.signal.aborted) await once(interruption.signal, 'abort');
      process.stdout.write('vitals: stopping (waiting for a running scan, if any)\n');
      await server.close();
    } finally {
      interruption.dispose();
      await client?.close();
      await store.close();
    }
  });
}
