/**
 * Security headers of the site's answer (site-view.ts): Content Security Policy (header or meta
 * http-equiv; Report-Only does not enforce), framing protection (X-Frame-Options DENY or SAMEORIGIN, or
 * CSP frame-ancestors), X-Content-Type-Options nosniff, and a Referrer-Policy (header or meta referrer).
 */
import { headerValue } from '../../core/http-headers.js';
import type { WebHost } from '../../probes/web/web.types.js';
import type { CatalogueOutcome } from '../define-check.js';
import { cspWeaknesses, parseCsp } from './csp.js';
import { assetOf, judgeableSite } from './site-view.js';

export const HEADERS_CHECK = 'app.headers';

/** Statuses the MDN HTTP Observatory judges a site on: 2xx, 3xx, 401 and 403. */
export function judgeableStatus(status: number): boolean {
  return (status >= 200 && status < 400) || status === 401 || status === 403;
}

export function judgeHeaders(host: WebHost, out: CatalogueOutcome): void {
  const view = judgeableSite(HEADERS_CHECK, host, out.notAssessed);
  if (!view) return;
  const { final, endpoint } = view;
  const asset = assetOf(host, endpoint.port);
  if (!judgeableStatus(final.status)) {
    out.notAssessed.push({
      check: HEADERS_CHECK,
      asset,
      reason: `other: the site's root answered HTTP ${final.status}, which says nothing about its pages' headers`,
    });
    return;
  }
  const meta = endpoint.body.page?.metaHeaders ?? [];
  const url = final.url;
  const cspHeader = headerValue(final.headers, 'content-security-policy');
  const cspText = cspHeader ?? headerValue(meta, 'content-security-policy');
  if (cspText === undefined) out.findings.push({ type: 'app.csp.missing', asset, evidence: { url } });
  else {
    const weaknesses = cspWeaknesses(parseCsp(cspText));
    if (weaknesses.length > 0)
      out.findings.push({ type: 'app.csp.unsafe', asset, evidence: { url, policy: cspText, weaknesses } });
    else out.controls.push({ control: 'app.csp.enforced', asset, evidence: { policy: cspText } });
  }
  const xfo = headerValue(final.headers, 'x-frame-options')?.trim().toLowerCase();
  const frameAncestors = cspHeader !== undefined && parseCsp(cspHeader).directives.has('frame-ancestors');
  if (xfo !== 'deny' && xfo !== 'sameorigin' && !frameAncestors)
    out.findings.push({
      type: 'app.clickjacking',
      asset,
      evidence: { url, ...(xfo !== undefined ? { x_frame_options: xfo } : {}) },
    });
  const xcto = headerValue(final.headers, 'x-content-type-options');
  if (xcto?.trim().toLowerCase() !== 'nosniff')
    out.findings.push({
      type: 'app.xcto.missing',
      asset,
      evidence: { url, ...(xcto !== undefined ? { x_content_type_options: xcto } : {}) },
    });
  if (headerValue(final.headers, 'referrer-policy') === undefined && headerValue(meta, 'referrer') === undefined)
    out.findings.push({ type: 'app.referrer_policy.missing', asset, evidence: { url } });
}
