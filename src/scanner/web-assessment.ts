/**
 * One web site assessed by hand (`vitals web URL`, like the MDN HTTP Observatory's command line): the
 * host resolved through the scanner's resolver, its HTTPS and HTTP endpoints fetched through the
 * NetworkGuard exactly as a scan fetches them, and the application_security checks run over the result.
 * Nothing is stored.
 */
import net from 'node:net';
import { AppError } from '../core/errors.js';
import { canonicalName } from '../core/names.js';
import { type CheckOutcome, mergeOutcomes } from '../core/types.js';
import type { DnsClient, DnsServer } from '../net/dns/dns-client.types.js';
import { NetworkGuard } from '../net/guarded-socket.js';
import type { ScanNetworkSpec } from '../net/scan-network.js';
import { Semaphore } from '../net/concurrency.js';
import { WEB_DEFAULTS, type WebFamilyContext, type WebPorts } from '../probes/web/web-family.js';
import { endpointContext, preferredAddress, probeWebHost } from '../probes/web/web.probe.js';
import { resolveHost } from '../probes/dns/resolve-host.js';
import { webSecureContext } from '../probes/web/http-client.js';
import type { WebHost, WebObservation } from '../probes/web/web.types.js';
import { REGISTRY } from './registry.js';

/** The URL names nothing Vitals can fetch, or its host does not resolve. */
export class WebTargetError extends AppError {
  override readonly name = 'WebTargetError';
  readonly code = 'web-target-invalid';
}

export interface WebTarget {
  host: string;
  /** Ports to fetch: the URL's own port for its scheme, else 443 and 80. */
  ports: WebPorts;
}

/** Reads `example.org`, `https://example.org/`, `http://192.0.2.1:8080/` (paths are ignored: the root is assessed). */
export function parseWebTarget(text: string): WebTarget {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new WebTargetError(`"${text}" is not a URL or host name`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebTargetError(`"${text}": only http and https URLs can be assessed`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new WebTargetError(`"${text}" names no host`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || url.port === '')
    return { host: canonicalHost(host), ports: WEB_DEFAULTS.ports };
  const port = Number(url.port);
  return {
    host: canonicalHost(host),
    ports: url.protocol === 'https:' ? { https: [port], http: [] } : { https: [], http: [port] },
  };
}

function canonicalHost(host: string): string {
  return net.isIP(host) ? host : canonicalName(host);
}

export interface WebAssessmentOptions {
  client: DnsClient;
  resolver: DnsServer;
  network: ScanNetworkSpec;
  timeoutMs: number;
  retries: number;
  /** The host's address when it is already known (the name is then not resolved). */
  address?: string;
  /** Extra trusted CA certificates (PEM), as `--ca`: whether certificates verify depends on them. */
  extraCa?: string;
}

export interface WebAssessment {
  host: WebHost;
  outcome: CheckOutcome;
}

/** Redirects are followed within the host's parent domain (www.example.org: example.org and below). */
function scopeOf(host: string): string {
  if (net.isIP(host)) return host;
  const labels = host.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : host;
}

export async function assessWebSite(target: WebTarget, options: WebAssessmentOptions): Promise<WebAssessment> {
  const ctx: WebFamilyContext = {
    domain: scopeOf(target.host),
    guard: new NetworkGuard({ policy: options.network.policy, rate: options.network.rate }),
    ports: target.ports,
    limits: WEB_DEFAULTS.limits,
    maxRedirects: WEB_DEFAULTS.maxRedirects,
    slots: new Semaphore(WEB_DEFAULTS.concurrentEndpoints),
    client: options.client,
    resolver: options.resolver,
    queryOptions: { timeoutMs: options.timeoutMs, retries: options.retries },
    secureContext: webSecureContext(options.extraCa),
  };
  let address: string | undefined = options.address ?? (net.isIP(target.host) ? target.host : undefined);
  if (address === undefined) {
    const resolution = await resolveHost(
      {
        client: options.client,
        resolver: options.resolver,
        nameServerPort: 53,
        queryOptions: ctx.queryOptions,
        now: () => 0,
      },
      target.host,
    );
    if (resolution.status === 'failed')
      throw new WebTargetError(`${target.host} could not be resolved (${resolution.reason}); check --resolver`);
    if (resolution.status !== 'exists')
      throw new WebTargetError(`${target.host} has no address (${resolution.status})`);
    address = preferredAddress(resolution.addresses);
  }
  const host = await probeWebHost(ctx, endpointContext(ctx, new Map([[target.host, address!]])), target.host, address!);
  const observation: WebObservation = { domain: ctx.domain, hosts: [host] };
  const checks = REGISTRY.checks.filter((c) => c.factor === 'application_security');
  const outcome = mergeOutcomes(checks.map((c) => c.judge({ domain: ctx.domain }, [observation])));
  return { host, outcome };
}
