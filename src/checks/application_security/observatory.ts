/**
 * A site's header score and grade as the MDN HTTP Observatory computes them (npm package
 * @mdn/mdn-http-observatory 1.4.8, algorithm version 4: src/analyzer/tests/*.js, src/scanner/index.js,
 * src/grader/charts.js), re-implemented over the responses Vitals fetched: the same ten tests with the
 * same results and score modifiers, start at 100, extra credit only when the score without it is at least
 * 90, and the same grade table. The real package grades the same recorded responses in
 * test/e2e/observatory-oracle.test.ts (scripts/observatory-oracle.mjs records it); docs/web.md ("Header grade").
 */
import { type HeaderPair, headerValues } from '../../core/http-headers.js';
import type { AnsweredEndpoint, WebExchange, WebHost } from '../../probes/web/web.types.js';
import { finalExchange } from './site-view.js';

/** Every test's result and its modifier (charts.js SCORE_TABLE). */
export const OBSERVATORY_MODIFIERS = {
  'csp-implemented-with-no-unsafe-default-src-none': 10,
  'csp-implemented-with-no-unsafe': 5,
  'csp-implemented-with-unsafe-inline-in-style-src-only': 0,
  'csp-implemented-with-insecure-scheme-in-passive-content-only': -10,
  'csp-implemented-with-unsafe-eval': -10,
  'csp-implemented-with-unsafe-inline': -20,
  'csp-implemented-with-insecure-scheme': -20,
  'csp-header-invalid': -25,
  'csp-not-implemented': -25,
  'csp-not-implemented-but-reporting-enabled': -25,
  'csp-implemented-but-duplicate-directives': 0,
  'cookies-secure-with-httponly-sessions-and-samesite': 5,
  'cookies-secure-with-httponly-sessions': 0,
  'cookies-not-found': 0,
  'cookies-without-secure-flag-but-protected-by-hsts': -5,
  'cookies-session-without-secure-flag-but-protected-by-hsts': -10,
  'cookies-without-secure-flag': -20,
  'cookies-samesite-flag-invalid': -20,
  'cookies-anticsrf-without-samesite-flag': -20,
  'cookies-session-without-httponly-flag': -30,
  'cookies-session-without-secure-flag': -40,
  'cross-origin-resource-sharing-not-implemented': 0,
  'cross-origin-resource-sharing-implemented-with-public-access': 0,
  'cross-origin-resource-sharing-implemented-with-restricted-access': 0,
  'cross-origin-resource-sharing-implemented-with-universal-access': -50,
  'redirection-all-redirects-preloaded': 0,
  'redirection-to-https': 0,
  'redirection-not-needed-no-http': 0,
  'redirection-off-host-from-http': -5,
  'redirection-not-to-https-on-initial-redirection': -10,
  'redirection-not-to-https': -20,
  'redirection-missing': -20,
  'redirection-invalid-cert': -20,
  'referrer-policy-private': 5,
  'referrer-policy-not-implemented': 0,
  'referrer-policy-unsafe': -5,
  'referrer-policy-header-invalid': -5,
  'hsts-preloaded': 5,
  'hsts-implemented-max-age-at-least-six-months': 0,
  'hsts-implemented-max-age-less-than-six-months': -10,
  'hsts-not-implemented': -20,
  'hsts-header-invalid': -20,
  'hsts-not-implemented-no-https': -20,
  'hsts-invalid-cert': -20,
  'sri-implemented-and-all-scripts-loaded-securely': 5,
  'sri-implemented-and-external-scripts-loaded-securely': 5,
  'sri-not-implemented-response-not-html': 0,
  'sri-not-implemented-but-no-scripts-loaded': 0,
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': 0,
  'sri-not-implemented-but-external-scripts-loaded-securely': -5,
  'sri-implemented-but-external-scripts-not-loaded-securely': -20,
  'sri-not-implemented-and-external-scripts-not-loaded-securely': -50,
  'x-content-type-options-nosniff': 0,
  'x-content-type-options-not-implemented': -5,
  'x-content-type-options-header-invalid': -5,
  'x-frame-options-implemented-via-csp': 5,
  'x-frame-options-sameorigin-or-deny': 0,
  'x-frame-options-allow-from-origin': 0,
  'x-frame-options-not-implemented': -20,
  'x-frame-options-header-invalid': -20,
  'corp-header-invalid': -5,
  'corp-implemented-with-cross-origin': 0,
  'corp-implemented-with-same-origin': 10,
  'corp-implemented-with-same-site': 10,
  'corp-not-implemented': 0,
  /** The Observatory's parser never fails on HTML (jsdom is lenient); listed for the table's completeness. */
  'html-not-parseable': -20,
} as const;
export type ObservatoryResult = keyof typeof OBSERVATORY_MODIFIERS;

/** grader/charts.js GRADE_CHART: the score rounded down to a multiple of 5, capped at 100. */
const GRADES: ReadonlyArray<[number, string]> = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];
const EXTRA_CREDIT_FROM = 90;

export interface ObservatoryGrade {
  score: number;
  grade: string;
  tests: Record<string, ObservatoryResult>;
}

/** One fetched session as the Observatory's retriever sees it. */
interface Session {
  /** Every GET of the session, the first request included. */
  route: WebExchange[];
  final: WebExchange;
  finalUrl: URL;
  /** Whether every certificate on the way verified (plain HTTP only: true). */
  verified: boolean;
}

interface Requests {
  host: string;
  http: Session | null;
  https: Session | null;
  auto: Session;
  autoEndpoint: AnsweredEndpoint;
}

function sessionOf(endpoint: AnsweredEndpoint | undefined): Session | null {
  if (!endpoint) return null;
  const route = endpoint.chain.filter((e) => e.method === 'GET');
  const finalUrl = new URL(endpoint.finalUrl);
  // A certificate error anywhere on the way makes the retriever start the session again without
  // verification, so the whole session counts as unverified (retriever/session.js).
  const checks: boolean[] = [];
  if (endpoint.scheme === 'https') checks.push(endpoint.tls?.verified === true);
  if (finalUrl.protocol === 'https:') checks.push((endpoint.finalTls ?? endpoint.tls)?.verified === true);
  return { route, final: finalExchange(endpoint), finalUrl, verified: checks.every(Boolean) };
}

/** Headers as Node and axios join them: repeated ones into one value separated by ", " (Set-Cookie apart). */
function joined(headers: readonly HeaderPair[], name: string): string[] {
  const values = headerValues(headers, name);
  if (values.length === 0) return [];
  return name === 'set-cookie' ? values : [values.join(', ')];
}

function first(headers: readonly HeaderPair[], name: string): string | null {
  return joined(headers, name)[0] ?? null;
}

/** The host's header grade, or null when there is no answer to grade or its status is not 2xx, 3xx, 401, 403. */
export function observatoryGrade(host: WebHost): ObservatoryGrade | null {
  const answered = (scheme: 'http' | 'https') => {
    const e = host.endpoints.find((x) => x.scheme === scheme);
    return e?.state === 'answered' ? (e as AnsweredEndpoint) : undefined;
  };
  const httpEndpoint = answered('http');
  const httpsEndpoint = answered('https');
  const autoEndpoint = httpsEndpoint ?? httpEndpoint;
  if (!autoEndpoint) return null;
  const requests: Requests = {
    host: host.host,
    http: sessionOf(httpEndpoint),
    https: sessionOf(httpsEndpoint),
    auto: sessionOf(autoEndpoint)!,
    autoEndpoint,
  };
  const status = requests.auto.final.status;
  if (status < 200 || (status >= 400 && status !== 401 && status !== 403)) return null;
  const csp = cspTest(requests);
  const hsts = hstsTest(requests);
  const tests: Record<string, ObservatoryResult> = {
    'content-security-policy': csp.result,
    cookies: cookiesTest(requests, hsts === 'hsts-implemented-max-age-at-least-six-months'),
    'cross-origin-resource-sharing': corsTest(requests),
    redirection: redirectionTest(requests),
    'referrer-policy': referrerTest(requests),
    'strict-transport-security': hsts,
    'subresource-integrity': sriTest(requests),
    'x-content-type-options': xctoTest(requests),
    'x-frame-options': xfoTest(requests, csp.frameAncestors),
    'cross-origin-resource-policy': corpTest(requests),
  };
  let withExtraCredit = 100;
  let uncurved = 100;
  for (const result of Object.values(tests)) {
    const modifier: number = OBSERVATORY_MODIFIERS[result];
    withExtraCredit += modifier;
    if (modifier < 0) uncurved += modifier;
  }
  const score = Math.max(uncurved >= EXTRA_CREDIT_FROM ? withExtraCredit : uncurved, 0);
  return { score, grade: gradeOf(score), tests };
}

export function gradeOf(score: number): string {
  const key = Math.min(score - (score % 5), 100);
  return GRADES.find(([floor]) => key >= floor)![1];
}

/* ---- CSP (tests/csp.js, cspParser.js) ---- */

const BROAD = new Set(['ftp:', 'http:', 'https:', '*', 'http://*', 'http://*.*', 'https://*', 'https://*.*']);
const BROAD_OR_INLINE = new Set([...BROAD, "'unsafe-inline'", 'data:']);
const NONCE_OR_HASH = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];
const META_DISALLOWED = ['frame-ancestors', 'report-uri', 'sandbox'];
const DUPLICATES_ALLOWED = new Set(['report-uri', 'report-to']);

type Csp = Map<string, Set<string>>;

/**
 * One or more serialized policies; the Observatory intersects several policies source by source, which
 * this implementation does for the first policy only (see docs/web.md: the lab's sites send one).
 * Throws where the Observatory's parser throws: a policy shorter than 6 characters, a repeated directive.
 */
function parsePolicies(policies: readonly string[]): { csp: Csp; duplicates: boolean } {
  const clean = policies.map((p) => p.replace(/[\r\n]/g, '').trim());
  const csp: Csp = new Map();
  let duplicates = false;
  if (clean.length === 0) return { csp, duplicates };
  for (const p of clean) if (p.length < 6) throw new Error(`invalid policy ${p}`);
  const seen = new Set<string>();
  for (const entry of clean[0]!.split(';')) {
    const [name, ...values] = entry.trim().split(/\s+/);
    if (!name) continue;
    const directive = name.toLowerCase();
    if (seen.has(directive)) {
      if (!DUPLICATES_ALLOWED.has(directive)) throw new Error(`duplicate directive ${directive}`);
      duplicates = true;
    }
    seen.add(directive);
    const sources = values.map((v) => v.trim().toLowerCase());
    if (sources.length === 0 && directive.endsWith('-src')) sources.push("'none'");
    csp.set(directive, new Set(sources.length > 0 ? sources : ["'none'"]));
  }
  return { csp, duplicates };
}

function splitPolicies(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',').map((s) => s.trim()));
}

function cspTest(requests: Requests): { result: ObservatoryResult; frameAncestors: boolean } {
  const headers = requests.auto.final.headers;
  const meta = requests.autoEndpoint.body.page?.metaHeaders ?? [];
  const httpPolicies = splitPolicies(joined(headers, 'content-security-policy'));
  const metaPolicies = splitPolicies(headerValues(meta, 'content-security-policy'));
  let all: { csp: Csp; duplicates: boolean };
  try {
    all = parsePolicies([...httpPolicies, ...metaPolicies]);
  } catch {
    return { result: 'csp-header-invalid', frameAncestors: false };
  }
  const parsedOr = (policies: string[]): Csp => {
    try {
      return parsePolicies(policies).csp;
    } catch {
      return new Map();
    }
  };
  const headerOnly = parsedOr(httpPolicies);
  const metaOnly = parsedOr(metaPolicies);
  for (const d of META_DISALLOWED) metaOnly.delete(d);
  const { csp } = all;
  if (headerOnly.size + metaOnly.size === 0) {
    const reportOnly = first(headers, 'content-security-policy-report-only');
    return {
      result: reportOnly ? 'csp-not-implemented-but-reporting-enabled' : 'csp-not-implemented',
      frameAncestors: false,
    };
  }
  const fallback = (name: string): Set<string> => new Set(csp.get(name) ?? csp.get('default-src') ?? new Set(['*']));
  const objectSrc = fallback('object-src');
  const scriptSrc = fallback('script-src');
  const styleSrc = fallback('style-src');
  let result: ObservatoryResult | null = null;
  for (const list of [scriptSrc, styleSrc])
    if ([...list].some((s) => NONCE_OR_HASH.some((n) => s.startsWith(n)))) list.delete("'unsafe-inline'");
  if ([...scriptSrc].some((s) => NONCE_OR_HASH.some((n) => s.startsWith(n))) && scriptSrc.has("'strict-dynamic'")) {
    for (const s of [...scriptSrc])
      if ([...BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") scriptSrc.delete(s);
  } else if (scriptSrc.has("'strict-dynamic'")) result = 'csp-header-invalid';
  const passive = ['img-src', 'media-src'];
  const active = [...csp]
    .filter(([d]) => !passive.includes(d) && d !== 'script-src')
    .flatMap(([, s]) => [...s])
    .concat([...scriptSrc]);
  const passiveSources = passive.flatMap((d) => [...(csp.get(d) ?? csp.get('default-src') ?? new Set<string>())]);
  const https = requests.auto.finalUrl.protocol === 'https:';
  const insecure = (s: string) => s.startsWith('http:') || s.startsWith('ftp:');
  if ([...scriptSrc].some((s) => BROAD_OR_INLINE.has(s)) || [...objectSrc].some((s) => BROAD.has(s)))
    result ??= 'csp-implemented-with-unsafe-inline';
  if (https && active.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme';
  if (scriptSrc.has("'unsafe-eval'") || styleSrc.has("'unsafe-eval'")) result ??= 'csp-implemented-with-unsafe-eval';
  if (https && passiveSources.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme-in-passive-content-only';
  if ([...styleSrc].some((s) => BROAD_OR_INLINE.has(s)))
    result ??= 'csp-implemented-with-unsafe-inline-in-style-src-only';
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.has("'none'") && defaultSrc.size === 1) result ??= 'csp-implemented-with-no-unsafe-default-src-none';
  else result ??= 'csp-implemented-with-no-unsafe';
  const passed = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ].includes(result);
  if (passed && all.duplicates) result = 'csp-implemented-but-duplicate-directives';
  return { result, frameAncestors: csp.has('frame-ancestors') };
}

/* ---- Cookies (tests/cookies.js) ---- */

const COOKIE_ORDER: readonly ObservatoryResult[] = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];

function worse(next: ObservatoryResult, current: ObservatoryResult | null, order: readonly ObservatoryResult[]) {
  return current === null || order.indexOf(next) > order.indexOf(current) ? next : current;
}

interface JarCookie {
  name: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
}

/**
 * One Set-Cookie as the Observatory's jar (tough-cookie, RFC 6265 §5.2-5.3, prefixes per RFC 6265bis)
 * stores it, with the key that replaces an earlier cookie (name, domain, path); null when the jar refuses
 * it: no `name=` pair, a Domain the host is not within, a `__Secure-` cookie without Secure, a `__Host-`
 * one without Secure, with a Domain or with a Path other than `/`. A SameSite value other than Strict, Lax
 * or None is no SameSite; an expired cookie is still listed (the jar's serialization keeps it).
 */
function jarCookie(raw: string, url: URL): { key: string; cookie: JarCookie } | null {
  const [pair = '', ...attributes] = raw.split(';');
  const eq = pair.indexOf('=');
  const name = eq < 0 ? '' : pair.slice(0, eq).trim();
  if (name === '') return null;
  const cookie: JarCookie = { name, secure: false, httpOnly: false };
  let domain: string | undefined;
  let path: string | undefined;
  for (const a of attributes) {
    const at = a.indexOf('=');
    const key = (at < 0 ? a : a.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : a.slice(at + 1).trim();
    if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite' && ['strict', 'lax', 'none'].includes(value.toLowerCase()))
      cookie.sameSite = value.toLowerCase();
    else if (key === 'domain' && value !== '') domain = value.replace(/^\./, '').toLowerCase();
    else if (key === 'path' && value.startsWith('/')) path = value;
  }
  const host = url.hostname.toLowerCase();
  if (domain !== undefined && host !== domain && !host.endsWith(`.${domain}`)) return null;
  if (name.startsWith('__Secure-') && !cookie.secure) return null;
  if (name.startsWith('__Host-') && (!cookie.secure || domain !== undefined || path !== '/')) return null;
  // RFC 6265 §5.1.4: the default path is the request path up to its last slash.
  const defaultPath = url.pathname.lastIndexOf('/') > 0 ? url.pathname.slice(0, url.pathname.lastIndexOf('/')) : '/';
  return { key: `${name}|${domain ?? host}|${path ?? defaultPath}`, cookie };
}

function invalidSameSite(raw: string): boolean {
  return raw.split(';').some((part) => {
    const [k, v] = part.trim().split('=');
    if (k?.trim().toLowerCase() !== 'samesite') return false;
    return !v || !['lax', 'strict', 'none'].includes(v.trim().toLowerCase());
  });
}

/**
 * The cookies in the Observatory's session jar: those its page's redirect chain set. Its /robots.txt request
 * goes through a second client that shares the jar only after a certificate failure made the retriever
 * start again without verification; otherwise /robots.txt's cookies are never seen (retriever/session.js).
 */
function sessionCookies(requests: Requests): Array<{ raw: string; url: URL }> {
  const chain = requests.auto.route.flatMap((e) =>
    headerValues(e.headers, 'set-cookie').map((raw) => ({ raw, url: new URL(e.url) })),
  );
  if (requests.auto.verified) return chain;
  const robots = [...requests.autoEndpoint.cookies];
  for (const { raw } of chain) {
    const i = robots.indexOf(raw);
    if (i >= 0) robots.splice(i, 1);
  }
  const robotsUrl = new URL('/robots.txt', requests.auto.route[0]!.url);
  return [...chain, ...robots.map((raw) => ({ raw, url: robotsUrl }))];
}

function cookiesTest(requests: Requests, hsts: boolean): ObservatoryResult {
  let result: ObservatoryResult | null = null;
  for (const raw of joined(requests.auto.final.headers, 'set-cookie'))
    if (invalidSameSite(raw)) result = worse('cookies-samesite-flag-invalid', result, COOKIE_ORDER);
  // The session's cookie jar: a later cookie of the same name, domain and path replaces an earlier one.
  const jar = new Map<string, JarCookie>();
  for (const { raw, url } of sessionCookies(requests)) {
    const stored = jarCookie(raw, url);
    if (stored && stored.cookie.name !== 'heroku-session-affinity') jar.set(stored.key, stored.cookie);
  }
  if (jar.size === 0) return 'cookies-not-found';
  let missingSameSite = false;
  for (const cookie of jar.values()) {
    const key = cookie.name.toLowerCase();
    const session = key.includes('login') || key.includes('sess');
    if (!cookie.secure && cookie.sameSite === 'none')
      result = worse('cookies-samesite-flag-invalid', result, COOKIE_ORDER);
    if (!cookie.secure)
      result = worse(
        hsts ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag',
        result,
        COOKIE_ORDER,
      );
    if (key.includes('csrf') && !cookie.sameSite)
      result = worse('cookies-anticsrf-without-samesite-flag', result, COOKIE_ORDER);
    if (session && !cookie.secure)
      result = worse(
        hsts ? 'cookies-session-without-secure-flag-but-protected-by-hsts' : 'cookies-session-without-secure-flag',
        result,
        COOKIE_ORDER,
      );
    if (session && !cookie.httpOnly) result = worse('cookies-session-without-httponly-flag', result, COOKIE_ORDER);
    if (!cookie.sameSite) missingSameSite = true;
  }
  return (
    result ??
    (missingSameSite ? 'cookies-secure-with-httponly-sessions' : 'cookies-secure-with-httponly-sessions-and-samesite')
  );
}

/* ---- CORS, redirection, referrer, HSTS (tests/cors.js, redirection.js, referrer-policy.js, ...) ---- */

/**
 * The Observatory compares the allowed origin with the Origin header of its own preflight, read from
 * `response.request.headers`; axios hands back Node's ClientRequest there, which has no such field, so its
 * scan never finds the origin reflected (scripts/observatory-oracle.mjs asks the installed axios). An
 * origin echoed with credentials is therefore "restricted access" (0), as on observatory scans;
 * `app.cors.permissive` still reports it.
 */
function corsTest(requests: Requests): ObservatoryResult {
  const cors = requests.autoEndpoint.cors;
  const allow = cors?.allowOrigin;
  if (!cors || !allow) return 'cross-origin-resource-sharing-not-implemented';
  if (allow.slice(0, 256).trim().toLowerCase() === '*')
    return 'cross-origin-resource-sharing-implemented-with-public-access';
  return 'cross-origin-resource-sharing-implemented-with-restricted-access';
}

function redirectionTest(requests: Requests): ObservatoryResult {
  const http = requests.http;
  if (!http) return 'redirection-not-needed-no-http';
  if (!http.verified) return 'redirection-invalid-cert';
  const route = http.route.map((e) => new URL(e.url));
  // The HSTS preload list is not consulted (Vitals has no copy of it): no host counts as preloaded.
  if (route.length === 1) return 'redirection-missing';
  if (route.at(-1)!.protocol !== 'https:') return 'redirection-not-to-https';
  if (route[1]!.protocol === 'http:') return 'redirection-not-to-https-on-initial-redirection';
  if (route[0]!.protocol === 'http:' && route[1]!.protocol === 'https:' && route[0]!.hostname !== route[1]!.hostname)
    return 'redirection-off-host-from-http';
  return 'redirection-to-https';
}

const REFERRER_GOOD = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const REFERRER_BAD = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

function referrerTest(requests: Requests): ObservatoryResult {
  const header = joined(requests.auto.final.headers, 'referrer-policy');
  const meta = headerValues(requests.autoEndpoint.body.page?.metaHeaders ?? [], 'referrer').slice(-1);
  if (header.length === 0 && meta.length === 0) return 'referrer-policy-not-implemented';
  const valid = new Set([...REFERRER_GOOD, ...REFERRER_BAD]);
  const policy =
    [...header, ...meta]
      .join(', ')
      .split(',')
      .map((p) => p.toLowerCase().trim())
      .filter((p) => valid.has(p))
      .at(-1) ?? '';
  if (REFERRER_GOOD.includes(policy)) return 'referrer-policy-private';
  if (REFERRER_BAD.includes(policy)) return 'referrer-policy-unsafe';
  return 'referrer-policy-header-invalid';
}

/** 15,552,000 s: the Observatory's six months ("a white lie", tests/strict-transport-security.js). */
const OBSERVATORY_SIX_MONTHS = 15_552_000;

function hstsTest(requests: Requests): ObservatoryResult {
  const https = requests.https;
  if (!https) return 'hsts-not-implemented-no-https';
  if (!https.verified) return 'hsts-invalid-cert';
  const header = first(https.final.headers, 'strict-transport-security');
  if (header === null) return 'hsts-not-implemented';
  const data = header.slice(0, 1024);
  if (data.includes(',')) return 'hsts-header-invalid';
  let maxAge: number | null = null;
  for (const parameter of data.split(';').map((p) => p.trim().toLowerCase()))
    if (parameter.startsWith('max-age=')) maxAge = Number.parseInt(parameter.slice(8, 128), 10);
  if (maxAge === null || Number.isNaN(maxAge)) return 'hsts-header-invalid';
  return maxAge < OBSERVATORY_SIX_MONTHS
    ? 'hsts-implemented-max-age-less-than-six-months'
    : 'hsts-implemented-max-age-at-least-six-months';
}

/* ---- SRI, X-Content-Type-Options, X-Frame-Options, CORP ---- */

const SRI_ORDER: readonly ObservatoryResult[] = [
  'sri-implemented-and-all-scripts-loaded-securely',
  'sri-implemented-and-external-scripts-loaded-securely',
  'sri-implemented-but-external-scripts-not-loaded-securely',
  'sri-not-implemented-but-external-scripts-loaded-securely',
  'sri-not-implemented-and-external-scripts-not-loaded-securely',
  'sri-not-implemented-response-not-html',
];

/** The registrable domain as the last two labels (the Observatory asks tldts; see docs/web.md). */
function siteDomain(host: string): string {
  return host.split('.').slice(-2).join('.');
}

function sriTest(requests: Requests): ObservatoryResult {
  const mime = (first(requests.auto.final.headers, 'content-type') ?? '').split(';', 1)[0]!;
  if (mime && mime !== 'text/html' && mime !== 'application/xhtml+xml') return 'sri-not-implemented-response-not-html';
  const page = requests.autoEndpoint.body.page;
  const total = (page?.scripts.length ?? 0) + (page?.inlineScripts ?? 0);
  if (total === 0) return 'sri-not-implemented-but-no-scripts-loaded';
  let result: ObservatoryResult | null = null;
  let foreign = false;
  for (const script of page?.scripts ?? []) {
    const src = script.src;
    const integrity = script.integrity || null;
    const protocolRelative = /^(\/\/)[^/]/.test(src);
    const absolute = /^https?:\/\//.test(src);
    const relative = !protocolRelative && !absolute;
    let sameDomain = true;
    if (absolute) {
      try {
        sameDomain = siteDomain(new URL(src).hostname) === siteDomain(requests.host);
      } catch {
        sameDomain = false;
      }
    }
    const secureOrigin = relative || (sameDomain && !protocolRelative);
    if (!secureOrigin) foreign = true;
    const scheme = absolute ? new URL(src).protocol : null;
    const secureScheme = scheme === 'https:' || (relative && requests.auto.finalUrl.protocol === 'https:');
    if (!secureOrigin) {
      if (integrity && !secureScheme)
        result = worse('sri-implemented-but-external-scripts-not-loaded-securely', result, SRI_ORDER);
      else if (!integrity && secureScheme)
        result = worse('sri-not-implemented-but-external-scripts-loaded-securely', result, SRI_ORDER);
      else if (!integrity && !secureScheme)
        result = worse('sri-not-implemented-and-external-scripts-not-loaded-securely', result, SRI_ORDER);
    } else if (integrity && secureScheme && result === null) result = 'sri-implemented-and-all-scripts-loaded-securely';
  }
  return (
    result ??
    (foreign
      ? 'sri-implemented-and-external-scripts-loaded-securely'
      : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin')
  );
}

function xctoTest(requests: Requests): ObservatoryResult {
  const header = first(requests.auto.final.headers, 'x-content-type-options');
  if (!header) return 'x-content-type-options-not-implemented';
  return header.slice(0, 256).trim().toLowerCase() === 'nosniff'
    ? 'x-content-type-options-nosniff'
    : 'x-content-type-options-header-invalid';
}

function xfoTest(requests: Requests, frameAncestors: boolean): ObservatoryResult {
  let result: ObservatoryResult = 'x-frame-options-not-implemented';
  const header = first(requests.auto.final.headers, 'x-frame-options');
  if (header) {
    const xfo = header.slice(0, 1024).trim().toLowerCase();
    if (xfo === 'deny' || xfo === 'sameorigin') result = 'x-frame-options-sameorigin-or-deny';
    else if (xfo.startsWith('allow-from')) result = 'x-frame-options-allow-from-origin';
    else result = 'x-frame-options-header-invalid';
  }
  return frameAncestors ? 'x-frame-options-implemented-via-csp' : result;
}

function corpTest(requests: Requests): ObservatoryResult {
  const header = joined(requests.auto.final.headers, 'cross-origin-resource-policy').join(', ');
  if (!header) return 'corp-not-implemented';
  const value = header.slice(0, 256).trim().toLowerCase();
  if (value === 'same-site') return 'corp-implemented-with-same-site';
  if (value === 'same-origin') return 'corp-implemented-with-same-origin';
  if (value === 'cross-origin') return 'corp-implemented-with-cross-origin';
  return 'corp-header-invalid';
}
