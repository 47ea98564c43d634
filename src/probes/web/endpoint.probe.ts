/**
 * One endpoint of a host (a scheme and a port): the root page with its redirects (followed within the
 * organization's scope, recorded either way), the cookies of the session, a CORS preflight from an
 * origin Vitals made up, the sensitive paths, and the versions of the JavaScript libraries the page loads.
 */
import type { SecureContext } from 'node:tls';
import { headerValue, headerValues } from '../../core/http-headers.js';
import { LIBRARY_HEAD_BYTES, librariesFromContent, librariesFromUrl } from '../../core/js-libraries.js';
import type { NetworkGuard } from '../../net/guarded-socket.js';
import { type FetchLimits, GuardedOrigin, type OriginTarget, type RawResponse } from './http-client.js';
import { readPageFacts } from './page-facts.js';
import { SENSITIVE_PATHS } from './sensitive-paths.js';
import type {
  AnsweredEndpoint,
  BodyFacts,
  LibrarySighting,
  SensitivePathResult,
  WebEndpoint,
  WebExchange,
  WebScheme,
} from './web.types.js';

/** What fetching one host's endpoints needs. */
export interface EndpointContext {
  guard: NetworkGuard;
  limits: FetchLimits;
  maxRedirects: number;
  /** Whether a host name belongs to the organization (redirects are followed only there). */
  inScope(host: string): boolean;
  /** An address for an in-scope host a redirect leads to, from the scanner's resolver; null if none. */
  resolve(host: string): Promise<string | null>;
  /** Fetch the sensitive paths and the page's scripts (off for a quick look). */
  deep: boolean;
  /** The TLS context of the scan (`webSecureContext`: system roots plus `--ca`). */
  secureContext?: SecureContext;
}

/** The made-up origin of the CORS preflight: a server that echoes it trusts any origin. */
export const CORS_PROBE_ORIGIN = 'https://vitals-cors-check.example';

/** Most same-origin scripts whose head is read for a library banner. */
const MAX_SCRIPTS_READ = 8;

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const ACCEPT_HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function defaultPort(scheme: WebScheme): number {
  return scheme === 'https' ? 443 : 80;
}

/** `scheme://host[:port]/path` with the port left out when it is the scheme's default. */
export function endpointUrl(scheme: WebScheme, host: string, port: number, path = '/'): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${hostPart}${port === defaultPort(scheme) ? '' : `:${port}`}${path}`;
}

function originKey(url: URL): string {
  return `${url.protocol}//${url.hostname}:${url.port || defaultPort(url.protocol === 'https:' ? 'https' : 'http')}`;
}

/** Fetches one endpoint of `host` at `address`; never throws for what the server does. */
export async function probeEndpoint(
  ctx: EndpointContext,
  host: string,
  address: string,
  scheme: WebScheme,
  port: number,
): Promise<WebEndpoint> {
  const origins = new Map<string, GuardedOrigin>();
  const originFor = async (url: URL): Promise<GuardedOrigin | null> => {
    const key = originKey(url);
    const existing = origins.get(key);
    if (existing) return existing;
    const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const target: OriginTarget = {
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      host: hostname,
      address: hostname === host ? address : ((await ctx.resolve(hostname)) ?? ''),
      port: Number(url.port) || defaultPort(url.protocol === 'https:' ? 'https' : 'http'),
      ...(ctx.secureContext ? { secureContext: ctx.secureContext } : {}),
    };
    if (target.address === '') return null;
    const origin = new GuardedOrigin(ctx.guard, target, ctx.limits);
    origins.set(key, origin);
    return origin;
  };
  try {
    return await fetchEndpoint(ctx, host, scheme, port, originFor);
  } finally {
    await Promise.all([...origins.values()].map((o) => o.close()));
  }
}

async function fetchEndpoint(
  ctx: EndpointContext,
  host: string,
  scheme: WebScheme,
  port: number,
  originFor: (url: URL) => Promise<GuardedOrigin | null>,
): Promise<WebEndpoint> {
  const start = new URL(endpointUrl(scheme, host, port));
  const first = (await originFor(start))!;
  const chain: WebExchange[] = [];
  const cookies: string[] = [];
  let url = start;
  let origin = first;
  let response: RawResponse;
  let leftScope: string | undefined;
  for (let hop = 0; ; hop++) {
    const answer = await origin.request(url.pathname + url.search, { headers: { accept: ACCEPT_HTML } });
    if (!answer.ok) {
      if (hop === 0 && answer.reason === 'closed') return { scheme, port, state: 'closed' };
      const where = hop === 0 ? '' : ` (after ${hop} redirect${hop === 1 ? '' : 's'}, at ${url.href})`;
      const reason = answer.reason === 'closed' ? 'network_error' : answer.reason;
      return { scheme, port, state: 'failed', reason, detail: `${answer.detail}${where}` };
    }
    response = answer;
    const location = redirectTarget(answer, url);
    chain.push(exchange('GET', url.href, answer, location));
    cookies.push(...headerValues(answer.headers, 'set-cookie'));
    if (location === undefined) break;
    if (hop >= ctx.maxRedirects)
      return {
        scheme,
        port,
        state: 'failed',
        reason: 'malformed_reply',
        detail: `more than ${ctx.maxRedirects} redirects (last to ${location})`,
      };
    const next = new URL(location);
    if ((next.protocol !== 'http:' && next.protocol !== 'https:') || !ctx.inScope(next.hostname.toLowerCase())) {
      leftScope = location;
      break;
    }
    const nextOrigin = await originFor(next);
    if (!nextOrigin) {
      leftScope = location;
      break;
    }
    url = next;
    origin = nextOrigin;
  }
  const endpoint: AnsweredEndpoint = {
    scheme,
    port,
    state: 'answered',
    chain,
    finalUrl: url.href,
    ...(leftScope ? { leftScope } : {}),
    body: bodyFacts(response),
    cookies,
    sensitive: [],
    libraries: [],
  };
  // The certificate of the endpoint's own origin (redirects may move elsewhere).
  if (first.tls) endpoint.tls = first.tls;
  if (origin.tls) endpoint.finalTls = origin.tls;
  // Where the root's content is served from this very origin, look deeper; a redirect elsewhere means
  // the content lives at the other origin, which is assessed as its own endpoint.
  const servesHere = leftScope === undefined && originKey(url) === originKey(start);
  const robots = await origin.request('/robots.txt', { overflow: 'truncate', maxBodyBytes: 4096 });
  if (robots.ok) cookies.push(...headerValues(robots.headers, 'set-cookie'));
  const preflight = await origin.request(url.pathname + url.search, {
    method: 'OPTIONS',
    headers: { origin: CORS_PROBE_ORIGIN, 'access-control-request-method': 'GET' },
    overflow: 'truncate',
    maxBodyBytes: 4096,
  });
  if (preflight.ok) {
    chain.push(exchange('OPTIONS', url.href, preflight, undefined));
    const allowOrigin = headerValue(preflight.headers, 'access-control-allow-origin');
    const allowCredentials = headerValue(preflight.headers, 'access-control-allow-credentials');
    endpoint.cors = {
      origin: CORS_PROBE_ORIGIN,
      ...(allowOrigin !== undefined ? { allowOrigin } : {}),
      ...(allowCredentials !== undefined ? { allowCredentials } : {}),
    };
  }
  if (ctx.deep && servesHere) {
    endpoint.sensitive = await sensitivePaths(first);
    endpoint.libraries = await libraries(first, url, endpoint.body);
  }
  return endpoint;
}

function exchange(
  method: 'GET' | 'OPTIONS',
  url: string,
  answer: RawResponse,
  location: string | undefined,
): WebExchange {
  return {
    method,
    url,
    status: answer.status,
    headers: answer.headers,
    ...(location !== undefined ? { location } : {}),
    bodyBytes: answer.body.length,
  };
}

/** The absolute target of a redirect, or undefined when the answer is not one. */
function redirectTarget(answer: RawResponse, base: URL): string | undefined {
  if (![301, 302, 303, 307, 308].includes(answer.status)) return undefined;
  const location = headerValue(answer.headers, 'location');
  if (location === undefined) return undefined;
  try {
    return new URL(location.trim(), base).href;
  } catch {
    return undefined;
  }
}

function bodyFacts(response: RawResponse): BodyFacts {
  const contentType = headerValue(response.headers, 'content-type');
  const mime = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  const looksHtml = mime === undefined && /^\s*<(?:!doctype|html)/i.test(response.body.subarray(0, 512).toString());
  if ((mime !== undefined && HTML_TYPES.has(mime)) || looksHtml)
    return { ...(contentType ? { contentType } : {}), page: readPageFacts(response.body.toString('utf8')) };
  return contentType ? { contentType } : {};
}

async function sensitivePaths(origin: GuardedOrigin): Promise<SensitivePathResult[]> {
  const out: SensitivePathResult[] = [];
  for (const path of SENSITIVE_PATHS) {
    const answer = await origin.request(path.path, { overflow: 'truncate', maxBodyBytes: path.readBytes });
    if (!answer.ok) continue;
    const excerpt = answer.status === 200 ? path.confirm(answer.body) : null;
    out.push({
      path: path.path,
      kind: path.kind,
      status: answer.status,
      confirmed: excerpt !== null,
      ...(excerpt !== null ? { excerpt } : {}),
    });
  }
  return out;
}

/** Library versions from every script URL, and from the banner of same-origin scripts. */
async function libraries(origin: GuardedOrigin, page: URL, body: BodyFacts): Promise<LibrarySighting[]> {
  const out: LibrarySighting[] = [];
  const seen = new Set<string>();
  const add = (library: string, version: string, url: string, via: LibrarySighting['via']): void => {
    const key = `${library}@${version}@${url}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ library, version, url, via });
  };
  let read = 0;
  for (const script of body.page?.scripts ?? []) {
    let url: URL;
    try {
      url = new URL(script.src, page);
    } catch {
      continue;
    }
    const fromUrl = librariesFromUrl(url.href);
    for (const lib of fromUrl) add(lib.library, lib.version, url.href, lib.via);
    if (fromUrl.length > 0 || originKey(url) !== originKey(page) || read >= MAX_SCRIPTS_READ) continue;
    read += 1;
    const answer = await origin.request(url.pathname + url.search, {
      overflow: 'truncate',
      maxBodyBytes: LIBRARY_HEAD_BYTES,
    });
    if (!answer.ok || answer.status !== 200) continue;
    for (const lib of librariesFromContent(answer.body.toString('latin1')))
      add(lib.library, lib.version, url.href, lib.via);
  }
  return out;
}
