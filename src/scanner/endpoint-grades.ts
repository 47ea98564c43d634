/**
 * The grades and fingerprints of one target's endpoints, from what its TLS and web probes observed: the
 * SSL Labs-style grade of every TLS endpoint that was assessed, the Observatory-style header grade of
 * every web site that answered, and what the web probe recognised on each host. An endpoint that could
 * not be assessed has no grade (never a pass); a probe that did not run or failed gives nothing.
 */
import { observatoryGrade } from '../checks/application_security/observatory.js';
import { hstsMaxAge } from '../checks/application_security/transport.check.js';
import { type HeaderPair, headerValues } from '../core/http-headers.js';
import type { AssetFingerprint, EndpointGrade } from '../core/endpoint-grade.js';
import type { ProbeAttempt } from '../core/types.js';
import type { TlsEndpointObservation, TlsObservation, TlsServiceObservation } from '../probes/tls/tls.types.js';
import type { WebObservation } from '../probes/web/web.types.js';
import { certificateMatchesHost } from '../tls/hostname.js';
import { type SslLabsGrade, sslLabsGrade } from '../tls/ssl-labs-grade.js';

/** The observations (kind `probe`) that keep a scan's endpoint grades in the store. */
export const ENDPOINT_GRADE_PROBE = 'endpoint-grade';

/** Probe ids whose results are read here (src/probes/tls/tls-probes.ts, src/probes/web/web-probes.ts). */
export const TLS_PROBE_ID = 'tls-endpoints';
export const WEB_PROBE_ID = 'web';

/** What the grade reads of an endpoint's HSTS: undefined when no HTTPS answer was fetched there. */
export type EndpointHsts = { maxAgeSeconds: number } | null | undefined;

/**
 * The HSTS of an HTTPS answer (the endpoint's own answer to `/`, a redirect included: RFC 6797 §8.1 heeds
 * it on any secure response): its max-age, or null when none is sent or it is invalid (RFC 6797 §6.1: a
 * repeated directive; or the header sent twice, which SSL Labs warns about).
 */
export function hstsOfAnswer(headers: readonly HeaderPair[]): { maxAgeSeconds: number } | null {
  const values = headerValues(headers, 'strict-transport-security');
  if (values.length !== 1) return null;
  const maxAge = hstsMaxAge(values[0]!);
  return maxAge === null ? null : { maxAgeSeconds: maxAge };
}

/**
 * The SSL Labs grade of one assessed TLS endpoint (what `vitals tls` shows too), with the HSTS its HTTPS
 * answer carried (A+ for an A with six months of HSTS and no warning).
 */
export function tlsEndpointGrade(
  s: TlsEndpointObservation & TlsServiceObservation,
  hsts?: EndpointHsts,
): SslLabsGrade | null {
  const leaf = s.certificate?.chain[0] ?? null;
  const now = Date.parse(s.observedAt);
  // SSL Labs' T: no trust path, or a certificate outside its validity (an incomplete chain browsers complete is not).
  const trusted =
    leaf !== null &&
    s.certificate?.trust.status !== 'untrusted' &&
    Date.parse(leaf.notBefore) <= now &&
    Date.parse(leaf.notAfter) >= now;
  return sslLabsGrade({
    versions: s.versions,
    certificate: leaf,
    trusted,
    nameMatches: leaf !== null && certificateMatchesHost(s.host, leaf),
    hsts,
    warnings: s.certificate?.trust.status === 'incomplete' ? ['the chain as sent is incomplete'] : [],
  });
}

/** `host|port` of every HTTPS endpoint the web probe fetched, and the HSTS of its answer to `/`. */
function hstsByEndpoint(web: WebObservation | undefined): Map<string, EndpointHsts> {
  const out = new Map<string, EndpointHsts>();
  for (const host of web?.hosts ?? [])
    for (const e of host.endpoints) {
      const first =
        e.state === 'answered' && e.scheme === 'https' ? e.chain.find((x) => x.method === 'GET') : undefined;
      if (first) out.set(`${host.host}|${e.port}`, hstsOfAnswer(first.headers));
    }
  return out;
}

function completed<T>(attempt: ProbeAttempt<unknown> | undefined): T | undefined {
  return attempt?.status === 'completed' ? (attempt.result as T) : undefined;
}

/** Every graded endpoint of the target: TLS endpoints by host and port, then web sites by host. */
export function endpointGrades(attempts: ReadonlyMap<string, ProbeAttempt<unknown>>): EndpointGrade[] {
  const grades: EndpointGrade[] = [];
  const web = completed<WebObservation>(attempts.get(WEB_PROBE_ID));
  const hsts = hstsByEndpoint(web);
  for (const e of completed<TlsObservation>(attempts.get(TLS_PROBE_ID))?.endpoints ?? []) {
    if (e.status !== 'completed') continue;
    const grade = tlsEndpointGrade(e, hsts.get(`${e.host}|${e.port}`));
    if (grade) grades.push({ kind: 'tls', host: e.host, address: e.address, port: e.port, ...pick(grade) });
  }
  for (const host of web?.hosts ?? []) {
    const grade = observatoryGrade(host);
    if (grade)
      grades.push({
        kind: 'headers',
        host: host.host,
        address: host.address,
        port: null,
        grade: grade.grade,
        score: grade.score,
      });
  }
  return grades;
}

function pick(grade: SslLabsGrade): { grade: string; score: number } {
  return { grade: grade.grade, score: grade.score };
}

/** What the web probe recognised on every host it reached (hosts without any answer included: nothing runs). */
export function assetFingerprints(attempts: ReadonlyMap<string, ProbeAttempt<unknown>>): AssetFingerprint[] {
  const web = completed<WebObservation>(attempts.get(WEB_PROBE_ID));
  return (web?.hosts ?? []).map((host) => ({
    host: host.host,
    cpes: [...new Set(host.products.flatMap((p) => (p.cpe ? [p.cpe] : [])))].sort(),
    telehealth: host.telehealth,
  }));
}
