/**
 * Cookies the site sets while a browser opens it (the root's redirects and /robots.txt): Secure on an
 * HTTPS site (RFC 6265 §4.1.2.5), HttpOnly on session-like cookies (§4.1.2.6), and a valid SameSite
 * (RFC 6265bis §4.1.2.7). An HTTP-only site's cookies cannot be Secure: its finding is
 * `app.https.not_enforced`.
 */
import type { WebHost } from '../../probes/web/web.types.js';
import type { CatalogueOutcome } from '../define-check.js';
import { isSessionCookie, parseSetCookie, validSameSite } from './cookies.js';
import { assetOf, judgeableSite } from './site-view.js';

export const COOKIES_CHECK = 'app.cookies';

export function judgeCookies(host: WebHost, out: CatalogueOutcome): void {
  const view = judgeableSite(COOKIES_CHECK, host, out.notAssessed);
  if (!view) return;
  const cookies = view.endpoint.cookies.map(parseSetCookie).filter((c) => c.name !== '');
  const asset = assetOf(host, view.endpoint.port);
  const names = (list: typeof cookies): string[] => [...new Set(list.map((c) => c.name))];
  const insecure = cookies.filter((c) => !c.secure);
  if (view.https && insecure.length > 0)
    out.findings.push({ type: 'app.cookie.no_secure', asset, evidence: { cookies: names(insecure) } });
  const readable = cookies.filter((c) => isSessionCookie(c.name) && !c.httpOnly);
  if (readable.length > 0)
    out.findings.push({ type: 'app.cookie.no_httponly', asset, evidence: { cookies: names(readable) } });
  const noSameSite = cookies.filter((c) => !validSameSite(c.sameSite));
  if (noSameSite.length > 0)
    out.findings.push({ type: 'app.cookie.no_samesite', asset, evidence: { cookies: names(noSameSite) } });
}
