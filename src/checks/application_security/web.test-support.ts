/**
 * Hand-built web observations for the application-security check tests: a known-good HTTPS site with
 * an HTTP redirect, which each test row changes in one place.
 */
import type { HeaderPair } from '../../core/http-headers.js';
import type { AnsweredEndpoint, PageFacts, WebEndpoint, WebHost, WebObservation } from '../../probes/web/web.types.js';

export const HOST = 'www.clinic.test';

export const GOOD_HEADERS: HeaderPair[] = [
  ['content-type', 'text/html'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['content-security-policy', "default-src 'self'; object-src 'none'; frame-ancestors 'self'"],
  ['x-frame-options', 'DENY'],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['server', 'nginx'],
];

export function page(overrides: Partial<PageFacts> = {}): PageFacts {
  return {
    title: 'Home',
    forms: [],
    scripts: [],
    inlineScripts: 0,
    resources: [],
    metaHeaders: [],
    text: 'Welcome',
    links: [],
    webrtc: [],
    ...overrides,
  };
}

/** An endpoint that served a page itself (no redirect). */
export function serving(
  scheme: 'http' | 'https',
  overrides: Partial<AnsweredEndpoint> & { headers?: HeaderPair[]; status?: number; url?: string } = {},
): AnsweredEndpoint {
  const { headers = GOOD_HEADERS, status = 200, url, ...rest } = overrides;
  const href = url ?? `${scheme}://${HOST}/`;
  return {
    scheme,
    port: scheme === 'https' ? 443 : 80,
    state: 'answered',
    chain: [{ method: 'GET', url: href, status, headers, bodyBytes: 100 }],
    finalUrl: href,
    body: { contentType: 'text/html', page: page() },
    cookies: [],
    sensitive: [],
    libraries: [],
    ...rest,
  };
}

/** Port 80 redirecting to the HTTPS site. */
export function redirecting(): AnsweredEndpoint {
  const https = `https://${HOST}/`;
  return {
    scheme: 'http',
    port: 80,
    state: 'answered',
    chain: [
      {
        method: 'GET',
        url: `http://${HOST}/`,
        status: 301,
        headers: [['location', https]],
        location: https,
        bodyBytes: 0,
      },
      { method: 'GET', url: https, status: 200, headers: GOOD_HEADERS, bodyBytes: 100 },
    ],
    finalUrl: https,
    body: { contentType: 'text/html', page: page() },
    cookies: [],
    sensitive: [],
    libraries: [],
  };
}

export function closed(scheme: 'http' | 'https'): WebEndpoint {
  return { scheme, port: scheme === 'https' ? 443 : 80, state: 'closed' };
}

export function failed(scheme: 'http' | 'https'): WebEndpoint {
  return { scheme, port: scheme === 'https' ? 443 : 80, state: 'failed', reason: 'timeout', detail: 'no answer' };
}

export function webHost(https: WebEndpoint, http: WebEndpoint = redirecting()): WebHost {
  return { host: HOST, address: '192.0.2.10', endpoints: [https, http], products: [], telehealth: false };
}

export function observation(...hosts: WebHost[]): WebObservation {
  return { domain: 'clinic.test', hosts };
}
