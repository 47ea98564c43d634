/**
 * The application_security checks in the contract of core/contract.ts, in report order. Each judges
 * every host of the web probe's observation with one module beside this file.
 */
import { probeRef } from '../../core/contract.js';
import { emptyOutcome, type CheckOutcome } from '../../core/types.js';
import type { webProbe } from '../../probes/web/web-probes.js';
import type { WebHost, WebObservation } from '../../probes/web/web.types.js';
import { type CatalogueOutcome, defineCheck } from '../define-check.js';
import { judgeContent } from './content.check.js';
import { judgeCookies } from './cookies.check.js';
import { judgeExposure } from './exposure.check.js';
import { judgeHeaders } from './headers.check.js';
import { judgeTransport } from './transport.check.js';

const web = probeRef<typeof webProbe>('web');

/** Runs `judge` over every host into one outcome; the scanner holds it to the declared ids. */
function perHost<F extends string, C extends string>(
  obs: WebObservation,
  judge: (host: WebHost, out: CatalogueOutcome) => void,
): CheckOutcome<F, C> {
  const out = emptyOutcome<F, C>();
  for (const host of obs.hosts) judge(host, out as CatalogueOutcome);
  return out;
}

export const transportCheck = defineCheck({
  id: 'app.transport',
  factor: 'application_security',
  description: 'HTTP redirects to HTTPS; HSTS present with max-age of six months or more (RFC 6797)',
  reads: [web],
  findings: ['app.https.not_enforced', 'app.hsts.missing', 'app.hsts.short_max_age'],
  controls: ['app.https.enforced', 'app.hsts.enabled'],
  judge: (_target, [obs]) => perHost(obs, judgeTransport),
});

export const headersCheck = defineCheck({
  id: 'app.headers',
  factor: 'application_security',
  description: 'Content Security Policy, framing protection, X-Content-Type-Options and Referrer-Policy',
  reads: [web],
  findings: [
    'app.csp.missing',
    'app.csp.unsafe',
    'app.clickjacking',
    'app.xcto.missing',
    'app.referrer_policy.missing',
  ],
  controls: ['app.csp.enforced'],
  judge: (_target, [obs]) => perHost(obs, judgeHeaders),
});

export const cookiesCheck = defineCheck({
  id: 'app.cookies',
  factor: 'application_security',
  description: 'Secure, HttpOnly (session cookies) and SameSite on the cookies a site sets',
  reads: [web],
  findings: ['app.cookie.no_secure', 'app.cookie.no_httponly', 'app.cookie.no_samesite'],
  controls: [],
  judge: (_target, [obs]) => perHost(obs, judgeCookies),
});

export const contentCheck = defineCheck({
  id: 'app.content',
  factor: 'application_security',
  description: 'version disclosure, directory listings, logins over HTTP, mixed content, permissive CORS',
  reads: [web],
  findings: [
    'app.version_disclosure',
    'app.directory_listing',
    'app.login_over_http',
    'app.mixed_content',
    'app.cors.permissive',
  ],
  controls: [],
  judge: (_target, [obs]) => perHost(obs, judgeContent),
});

export const exposureCheck = defineCheck({
  id: 'app.exposure',
  factor: 'application_security',
  description: 'sensitive files confirmed by content; JavaScript libraries with known vulnerabilities (retire.js)',
  reads: [web],
  findings: ['app.sensitive_path.exposed', 'app.js_library.vulnerable'],
  controls: [],
  judge: (_target, [obs]) => perHost(obs, judgeExposure),
});
