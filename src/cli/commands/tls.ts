/**
 * `vitals tls ENDPOINT`: one endpoint assessed by hand, like sslscan: the scan's TLS probe (hand-built
 * ClientHellos through the network policy; the address from the resolver, never the OS), its checks, and
 * the SSL Labs grade, as a table, JSON or SARIF.
 */
import { isIP } from 'node:net';
import { Command, Option } from 'commander';
import { ExitStatus } from '../../core/errors.js';
import { normalizeDomain } from '../../core/names.js';
import { isLabRunning } from '../../lab/lab-process.js';
import { readLabState } from '../../lab/lab-runner.js';
import type { DnsServer } from '../../net/dns/dns-client.types.js';
import { parseServer } from '../../net/dns/server-address.js';
import { NetworkGuard } from '../../net/guarded-socket.js';
import { createScanDnsClient, scanNetworkSpec } from '../../net/scan-network.js';
import { resolveHost } from '../../probes/dns/resolve-host.js';
import { createTrustStore } from '../../probes/tls/certificate.js';
import { assessEndpoint } from '../../probes/tls/tls-endpoint.js';
import { TLS_DEFAULTS } from '../../probes/tls/tls-family.js';
import { GuardedOrigin, webSecureContext } from '../../probes/web/http-client.js';
import { WEB_DEFAULTS } from '../../probes/web/web-family.js';
import { type EndpointHsts, hstsOfAnswer } from '../../scanner/endpoint-grades.js';
import { SarifLogOutput, TlsReportOutput } from '../../output/schemas.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseIntegerOption, parseServerOption, systemResolver } from '../options.js';
import { writeJson } from '../output.js';
import { toSarif } from '../sarif.js';
import { readCaFile } from '../tls-options.js';
import { buildTlsReport, renderTlsReport, tlsReportToJson } from '../tls-report.js';

interface TlsOptions {
  ca?: string;
  resolver?: string;
  allowPrivate?: boolean;
  lab?: boolean;
  groups: boolean;
  timeout: string;
  format: 'table' | 'json' | 'sarif';
  home?: string;
}

export function tlsCommand(): Command {
  return addHomeOption(
    new Command('tls')
      .description(
        'assess the TLS of one endpoint (host[:port], default port 443): versions, suites, groups, certificate, ' +
          'SSL Labs grade and findings',
      )
      .argument('<endpoint>', 'host[:port], IPv4[:port] or [IPv6]:port')
      .option('--ca <file>', 'PEM certificates to trust besides the bundled Mozilla roots')
      .option('--resolver <ip[:port]>', "DNS resolver to ask (default: the system's first name server)")
      .option('--allow-private', 'allow loopback, private and link-local addresses')
      .option('--lab', 'the running lab: its resolver, CA and HTTPS port (implies --allow-private)')
      .option('--no-groups', 'do not test key-exchange groups one by one')
      .option('--timeout <ms>', 'timeout of one connection step in milliseconds', String(TLS_DEFAULTS.replyTimeoutMs))
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table')),
  ).action(async (endpoint: string, options: TlsOptions) => {
    await runTls(endpoint, options);
  });
}

/** `host`, `host:port`, `1.2.3.4:port`, `::1`, `[::1]:port`; a URL's scheme and path are dropped. */
export function parseEndpoint(text: string): { host: string; port: number | null } {
  let rest = text.trim().replace(/^https?:\/\//i, '');
  rest = rest.replace(/\/.*$/, '');
  if (rest === '') throw new CliError('name the endpoint: host[:port]');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    if (isIP(bracketed[1]!) !== 6) throw new CliError(`"${bracketed[1]}" is not an IPv6 address`);
    return { host: bracketed[1]!, port: portOf(bracketed[2]) };
  }
  if (isIP(rest) === 6) return { host: rest, port: null };
  const colon = rest.lastIndexOf(':');
  const host = colon >= 0 ? rest.slice(0, colon) : rest;
  const port = colon >= 0 ? portOf(rest.slice(colon + 1)) : null;
  if (isIP(host) === 4) return { host, port };
  return { host: normalizeDomain(host), port };
}

function portOf(text: string | undefined): number | null {
  return text === undefined ? null : parseIntegerOption(text, 'the endpoint port', 1, 65535);
}

async function runTls(endpointArg: string, options: TlsOptions): Promise<void> {
  const { host, port: givenPort } = parseEndpoint(endpointArg);
  const timeoutMs = parseIntegerOption(options.timeout, '--timeout', 50, 120_000);
  let resolver: DnsServer = options.resolver ? parseServerOption(options.resolver) : systemResolver();
  let caFile = options.ca;
  let port = givenPort ?? 443;
  let allowPrivate = options.allowPrivate === true;
  if (options.lab) {
    const state = readLabState(resolveHome(options));
    if (!state || !isLabRunning(state)) throw new CliError('--lab: no lab is running (start it with `vitals lab up`)');
    if (!options.resolver) resolver = parseServer(state.resolver);
    caFile ??= state.files.tlsCa;
    if (givenPort === null && state.tls) port = state.tls.https;
    allowPrivate = true;
  }
  const caPem = caFile === undefined ? null : readCaFile(caFile);
  const network = scanNetworkSpec({ allowPrivate, resolver });
  const address = isIP(host) !== 0 ? host : await resolveAddress(host, resolver, network, timeoutMs);
  const guard = new NetworkGuard({ policy: network.policy });
  const refusal = guard.check(address, port);
  if (refusal) throw new CliError(`${host} (${address}): ${refusal.reason}`);
  const observation = await assessEndpoint(
    { host, address, port },
    {
      guard,
      trust: createTrustStore(caPem),
      limits: { connectTimeoutMs: timeoutMs, replyTimeoutMs: timeoutMs, maxBytes: TLS_DEFAULTS.maxReplyBytes },
      endpointTimeoutMs: TLS_DEFAULTS.endpointTimeoutMs,
      maxConnections: TLS_DEFAULTS.maxConnectionsPerEndpoint,
      groups: options.groups,
      now: () => new Date(),
    },
  );
  const hsts =
    observation.status === 'completed'
      ? await fetchHsts({ host, address, port }, guard, caPem ?? undefined, timeoutMs)
      : undefined;
  const report = buildTlsReport(observation, hsts);
  if (options.format === 'json') writeJson(process.stdout, TlsReportOutput, tlsReportToJson(report));
  else if (options.format === 'sarif') writeJson(process.stdout, SarifLogOutput, toSarif(report.findings));
  else process.stdout.write(renderTlsReport(report));
  // Nothing to grade is a failed assessment, as sslscan's "could not connect".
  if (observation.status !== 'completed') process.exitCode = 1;
}

/**
 * The HSTS of the endpoint's answer to `GET /` over HTTPS, as SSL Labs reads it for A+: through the same
 * guard as the handshakes, the certificate not required to verify (the grade judges trust itself).
 * Undefined when no HTTP answer comes back (not an HTTPS web server): the grade stops at A.
 */
async function fetchHsts(
  target: { host: string; address: string; port: number },
  guard: NetworkGuard,
  caPem: string | undefined,
  timeoutMs: number,
): Promise<EndpointHsts> {
  const origin = new GuardedOrigin(
    guard,
    { scheme: 'https', ...target, secureContext: webSecureContext(caPem) },
    { ...WEB_DEFAULTS.limits, connectTimeoutMs: timeoutMs },
  );
  try {
    const answer = await origin.request('/', { overflow: 'truncate', maxBodyBytes: 512 });
    return answer.ok ? hstsOfAnswer(answer.headers) : undefined;
  } finally {
    await origin.close();
  }
}

/** The host's first IPv4 address (else IPv6) from the resolver: never the operating system's. */
async function resolveAddress(
  host: string,
  resolver: DnsServer,
  network: ReturnType<typeof scanNetworkSpec>,
  timeoutMs: number,
): Promise<string> {
  const client = createScanDnsClient(network);
  try {
    const ctx = {
      client,
      resolver,
      nameServerPort: 53,
      queryOptions: { timeoutMs, retries: 1 },
      now: () => Math.floor(Date.now() / 1000),
    };
    for (const type of ['A', 'AAAA'] as const) {
      const r = await resolveHost(ctx, host, type);
      if (r.status === 'exists') return r.addresses[0]!;
      if (r.status === 'failed')
        throw new CliError(`${host}: the resolver could not answer (${r.reason})`, ExitStatus.resolverUnreachable);
      if (r.status === 'nxdomain') throw new CliError(`${host} does not exist (NXDOMAIN)`);
    }
    throw new CliError(`${host} has no A or AAAA record`);
  } finally {
    await client.close();
  }
}
