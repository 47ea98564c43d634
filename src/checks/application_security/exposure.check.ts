/**
 * What a host exposes beyond its pages: sensitive files confirmed by their content (never by status
 * alone), and JavaScript libraries whose versions have known vulnerabilities in the retire.js
 * repository (core/js-libraries.ts).
 */
import { libraryVulnerabilities } from '../../core/js-libraries.js';
import type { WebHost } from '../../probes/web/web.types.js';
import type { CatalogueOutcome } from '../define-check.js';
import { answered, assetOf, notAssessedOf } from './site-view.js';

export const EXPOSURE_CHECK = 'app.exposure';

export function judgeExposure(host: WebHost, out: CatalogueOutcome): void {
  for (const endpoint of host.endpoints)
    if (endpoint.state === 'failed') out.notAssessed.push(notAssessedOf(EXPOSURE_CHECK, host, endpoint));
  const endpoints = answered(host);
  const exposed = endpoints.flatMap((e) =>
    e.sensitive.filter((s) => s.confirmed).map((s) => ({ ...s, port: e.port, scheme: e.scheme })),
  );
  if (exposed.length > 0)
    out.findings.push({
      type: 'app.sensitive_path.exposed',
      asset: assetOf(host, exposed[0]!.port),
      evidence: {
        paths: [...new Set(exposed.map((s) => s.path))],
        details: exposed.map((s) => `${s.scheme}:${s.port} ${s.path} (${s.kind}): ${s.excerpt ?? ''}`),
      },
    });
  const vulnerable: Array<{ library: string; version: string; url: string; cves: string[]; port: number }> = [];
  for (const endpoint of endpoints)
    for (const lib of endpoint.libraries) {
      const vulns = libraryVulnerabilities(lib.library, lib.version);
      if (vulns.length === 0 || vulnerable.some((v) => v.library === lib.library && v.version === lib.version))
        continue;
      const cves = [...new Set(vulns.flatMap((v) => v.cves))].sort();
      vulnerable.push({ library: lib.library, version: lib.version, url: lib.url, cves, port: endpoint.port });
    }
  if (vulnerable.length > 0)
    out.findings.push({
      type: 'app.js_library.vulnerable',
      asset: assetOf(host, vulnerable[0]!.port),
      evidence: {
        libraries: vulnerable.map((v) => `${v.library} ${v.version}`),
        details: vulnerable.map((v) => ({ library: v.library, version: v.version, url: v.url, cves: v.cves })),
        source: 'retire.js vulnerability repository (data/retirejs)',
      },
    });
}
