/**
 * HTTPS enforcement and HSTS. HTTP must redirect to an https:// address (RFC 6797 §7.2); the HTTPS site
 * must send Strict-Transport-Security with a max-age of at least six months (15,768,000 s, the MDN HTTP
 * Observatory's threshold). An HTTP-only site gets `app.https.not_enforced`, not an HSTS finding too:
 * one cause, one finding.
 */
import { headerValue } from '../../core/http-headers.js';
import type { WebHost } from '../../probes/web/web.types.js';
import type { CatalogueOutcome } from '../define-check.js';
import { assetOf, httpEndpoint, notAssessedOf, siteView } from './site-view.js';

/** Six months in seconds (HSTS max-age below it is short). */
export const HSTS_MIN_MAX_AGE = 15_768_000;

export const TRANSPORT_CHECK = 'app.transport';

/** max-age of a Strict-Transport-Security value (RFC 6797 §6.1), or null when the header is invalid. */
export function hstsMaxAge(value: string): number | null {
  let maxAge: number | null = null;
  const seen = new Set<string>();
  for (const part of value.split(';')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    if (name === '') continue;
    // RFC 6797 §6.1 item 2: a directive appearing twice makes the header invalid.
    if (seen.has(name)) return null;
    seen.add(name);
    if (name === 'max-age') {
      const digits = rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (!/^\d+$/.test(digits)) return null;
      maxAge = Number(digits);
    }
  }
  return maxAge;
}

export function judgeTransport(host: WebHost, out: CatalogueOutcome): void {
  const http = httpEndpoint(host);
  if (http?.state === 'failed') out.notAssessed.push(notAssessedOf(TRANSPORT_CHECK, host, http));
  else if (http?.state === 'answered') {
    const toHttps =
      http.chain.some((e) => e.location?.startsWith('https:')) ||
      http.finalUrl.startsWith('https:') ||
      http.leftScope?.startsWith('https:') === true;
    if (toHttps) out.controls.push({ control: 'app.https.enforced', asset: assetOf(host, http.port), evidence: {} });
    else {
      const last = http.chain.filter((e) => e.method === 'GET').at(-1)!;
      out.findings.push({
        type: 'app.https.not_enforced',
        asset: assetOf(host, http.port),
        evidence: { url: http.chain[0]!.url, status: last.status, final_url: http.leftScope ?? http.finalUrl },
      });
    }
  }
  const view = siteView(host);
  if (view.kind === 'failed') {
    out.notAssessed.push(notAssessedOf(TRANSPORT_CHECK, host, view.endpoint));
    return;
  }
  if (view.kind !== 'site' || !view.https) return;
  const asset = assetOf(host, view.endpoint.port);
  const value = headerValue(view.final.headers, 'strict-transport-security');
  const maxAge = value === undefined ? null : hstsMaxAge(value);
  if (maxAge === null)
    out.findings.push({
      type: 'app.hsts.missing',
      asset,
      evidence: { url: view.final.url, ...(value !== undefined ? { header: value, invalid: true } : {}) },
    });
  else if (maxAge < HSTS_MIN_MAX_AGE)
    out.findings.push({ type: 'app.hsts.short_max_age', asset, evidence: { url: view.final.url, max_age: maxAge } });
  else out.controls.push({ control: 'app.hsts.enabled', asset, evidence: { max_age: maxAge } });
}
