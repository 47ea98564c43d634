/**
 * How the application-security checks read one host's endpoints. The "site" is the answer a browser
 * ends on when it opens the host: HTTPS when the first HTTPS port answers, plain HTTP when no HTTPS port
 * listens (the MDN HTTP Observatory's "auto" response). A failed endpoint the judgement needs makes the
 * judgement not assessed, never a pass; a host with no listening port is no web site and is not judged.
 */
import type { AssetRef, NotAssessed } from '../../core/types.js';
import type { AnsweredEndpoint, WebEndpoint, WebExchange, WebHost } from '../../probes/web/web.types.js';

export type FailedEndpoint = Extract<WebEndpoint, { state: 'failed' }>;

/** The answer a browser opening the host ends on, or why it cannot be judged. */
export type SiteView =
  | { kind: 'none' }
  | { kind: 'failed'; endpoint: FailedEndpoint }
  /** The root redirected to another host (of the organization or not): that host's answers are not this host's. */
  | { kind: 'elsewhere'; endpoint: AnsweredEndpoint; to: string }
  | { kind: 'site'; endpoint: AnsweredEndpoint; final: WebExchange; https: boolean };

function first(host: WebHost, scheme: 'http' | 'https'): WebEndpoint | undefined {
  return host.endpoints.find((e) => e.scheme === scheme);
}

/** The HTTP endpoint of the first HTTP port (80 in a default scan). */
export function httpEndpoint(host: WebHost): WebEndpoint | undefined {
  return first(host, 'http');
}

/** The host's site: the first HTTPS port's answer, else (no HTTPS listening) the first HTTP port's. */
export function siteView(host: WebHost): SiteView {
  const https = first(host, 'https');
  const http = first(host, 'http');
  let chosen: WebEndpoint | undefined;
  if (https && https.state !== 'closed') chosen = https;
  else if (http && http.state !== 'closed') chosen = http;
  if (!chosen) return { kind: 'none' };
  if (chosen.state === 'failed') return { kind: 'failed', endpoint: chosen };
  if (chosen.state !== 'answered') return { kind: 'none' };
  const final = finalExchange(chosen);
  const finalHost = new URL(chosen.finalUrl).hostname.toLowerCase();
  if (chosen.leftScope !== undefined) return { kind: 'elsewhere', endpoint: chosen, to: chosen.leftScope };
  if (finalHost !== host.host) return { kind: 'elsewhere', endpoint: chosen, to: chosen.finalUrl };
  return { kind: 'site', endpoint: chosen, final, https: chosen.finalUrl.startsWith('https:') };
}

/** The last GET of an endpoint's chain (the page), never the CORS preflight. */
export function finalExchange(endpoint: AnsweredEndpoint): WebExchange {
  const gets = endpoint.chain.filter((e) => e.method === 'GET');
  return gets[gets.length - 1]!;
}

/** Every answered endpoint of the host. */
export function answered(host: WebHost): AnsweredEndpoint[] {
  return host.endpoints.filter((e): e is AnsweredEndpoint => e.state === 'answered');
}

export function assetOf(host: WebHost, port?: number): AssetRef {
  return port === undefined ? { host: host.host, ip: host.address } : { host: host.host, ip: host.address, port };
}

export function notAssessedOf(check: string, host: WebHost, endpoint: FailedEndpoint): NotAssessed {
  return {
    check,
    asset: assetOf(host, endpoint.port),
    reason: `${endpoint.reason}: ${endpoint.scheme} port ${endpoint.port}: ${endpoint.detail}`,
  };
}

/**
 * The host's site when it can be judged; a failed endpoint adds a not-assessed record for `check` and
 * gives undefined, as do a host with nothing listening and a site served from elsewhere.
 */
export function judgeableSite(
  check: string,
  host: WebHost,
  notAssessed: NotAssessed[],
): Extract<SiteView, { kind: 'site' }> | undefined {
  const view = siteView(host);
  if (view.kind === 'failed') notAssessed.push(notAssessedOf(check, host, view.endpoint));
  return view.kind === 'site' ? view : undefined;
}
