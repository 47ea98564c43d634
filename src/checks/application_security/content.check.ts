/**
 * What the host's answers give away or get wrong: software versions in Server / X-Powered-By, automatic
 * directory indexes, password forms over HTTP, HTTP resources on HTTPS pages, and CORS that trusts any
 * origin. Every answered endpoint counts; a failed one is not assessed (its answers are unknown).
 */
import { headerValue, headerValues } from '../../core/http-headers.js';
import type { AnsweredEndpoint, WebHost } from '../../probes/web/web.types.js';
import type { CatalogueOutcome } from '../define-check.js';
import { answered, assetOf, finalExchange, notAssessedOf, siteView } from './site-view.js';

export const CONTENT_CHECK = 'app.content';

/** Headers that name server software; a value with a dotted number discloses its version. */
const VERSION_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version'];
const VERSION = /\d+\.\d+/;

/** Autoindex pages of Apache, nginx, lighttpd, IIS and Python's http.server. */
export function isDirectoryListing(title: string | undefined, text: string): boolean {
  return (
    /^(?:Index of \/|Directory listing for \/)/i.test(title ?? '') ||
    /\[To Parent Directory\]/.test(text) ||
    (/^Index of \//.test(text) && /Parent Directory/i.test(text))
  );
}

function servesHere(host: WebHost, endpoint: AnsweredEndpoint): boolean {
  return endpoint.leftScope === undefined && new URL(endpoint.finalUrl).hostname.toLowerCase() === host.host;
}

export function judgeContent(host: WebHost, out: CatalogueOutcome): void {
  for (const endpoint of host.endpoints)
    if (endpoint.state === 'failed') out.notAssessed.push(notAssessedOf(CONTENT_CHECK, host, endpoint));
  const endpoints = answered(host);
  const disclosed: Array<{ header: string; value: string; url: string; port: number }> = [];
  for (const endpoint of endpoints)
    for (const exchange of endpoint.chain)
      for (const name of VERSION_HEADERS)
        for (const value of headerValues(exchange.headers, name))
          if (VERSION.test(value) && !disclosed.some((d) => d.header === name && d.value === value))
            disclosed.push({ header: name, value, url: exchange.url, port: endpoint.port });
  if (disclosed.length > 0)
    out.findings.push({
      type: 'app.version_disclosure',
      asset: assetOf(host, disclosed[0]!.port),
      evidence: { headers: disclosed.map((d) => `${d.header}: ${d.value}`), url: disclosed[0]!.url },
    });

  const listing = endpoints.find(
    (e) => servesHere(host, e) && e.body.page && isDirectoryListing(e.body.page.title, e.body.page.text),
  );
  if (listing)
    out.findings.push({
      type: 'app.directory_listing',
      asset: assetOf(host, listing.port),
      evidence: { url: listing.finalUrl, title: listing.body.page?.title ?? '' },
    });

  const logins: Array<{ url: string; action: string; port: number }> = [];
  for (const endpoint of endpoints) {
    if (!servesHere(host, endpoint)) continue;
    const page = new URL(endpoint.finalUrl);
    for (const form of endpoint.body.page?.forms ?? []) {
      if (!form.hasPassword) continue;
      let action: URL;
      try {
        action = new URL(form.action || page.href, page);
      } catch {
        continue;
      }
      if (page.protocol === 'http:' || action.protocol === 'http:')
        logins.push({ url: page.href, action: action.href, port: endpoint.port });
    }
  }
  if (logins.length > 0)
    out.findings.push({
      type: 'app.login_over_http',
      asset: assetOf(host, logins[0]!.port),
      evidence: { page: logins[0]!.url, form_action: logins[0]!.action },
    });

  const view = siteView(host);
  if (view.kind !== 'site') return;
  const asset = assetOf(host, view.endpoint.port);
  if (view.https) {
    const insecure = (view.endpoint.body.page?.resources ?? []).filter((r) => /^http:\/\//i.test(r.url));
    if (insecure.length > 0)
      out.findings.push({
        type: 'app.mixed_content',
        asset,
        evidence: { url: view.final.url, resources: insecure.slice(0, 10).map((r) => `${r.element} ${r.url}`) },
      });
  }
  const cors = view.endpoint.cors;
  const page = finalExchange(view.endpoint);
  const pageOrigin = headerValue(page.headers, 'access-control-allow-origin')?.trim();
  const pageCredentials = headerValue(page.headers, 'access-control-allow-credentials')?.trim().toLowerCase();
  const reflected = cors !== undefined && cors.allowOrigin?.trim() === cors.origin;
  const anyWithCredentials =
    (cors?.allowOrigin?.trim() === '*' && cors.allowCredentials?.trim().toLowerCase() === 'true') ||
    (pageOrigin === '*' && pageCredentials === 'true');
  if (reflected || anyWithCredentials)
    out.findings.push({
      type: 'app.cors.permissive',
      asset,
      evidence: {
        url: view.final.url,
        origin_sent: cors?.origin ?? null,
        allow_origin: cors?.allowOrigin ?? pageOrigin ?? null,
        allow_credentials: cors?.allowCredentials ?? pageCredentials ?? null,
      },
    });
}
