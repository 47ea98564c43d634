/**
 * Patching cadence: each piece of software a probe saw, matched against the vulnerability data, gives
 * patch.kev for CVEs on CISA's KEV catalog, patch.cve.critical / high / medium for the others by CVSS
 * base score, and patch.eol for an end-of-life branch. Evidence: product, version, CPE, confidence and
 * the backport note, and per CVE its CVSS, KEV dates and the range the version matched.
 */
import { probeRef } from '../../core/contract.js';
import { emptyOutcome } from '../../core/types.js';
import { cvssSeverity } from '../../core/software.js';
import type { VulnMatch } from '../../intel/vulns/vuln-data.js';
import type { softwareProbe } from '../../probes/patching/software.probe.js';
import type { MatchedSoftware } from '../../probes/patching/software.types.js';
import { defineCheck } from '../define-check.js';

type PatchFinding = 'patch.kev' | 'patch.cve.critical' | 'patch.cve.high' | 'patch.cve.medium' | 'patch.eol';

function softwareEvidence({ observation }: MatchedSoftware, dataDated: string) {
  const patch = observation.distributionPatch;
  return {
    product: `${observation.vendor}:${observation.product}`,
    version: observation.version,
    cpe: observation.cpe,
    source: observation.source,
    banner: observation.raw,
    confidence: observation.confidence,
    ...(patch
      ? {
          backport_note:
            `a ${patch.distribution} package${patch.suffix ? ` (${patch.suffix})` : ''}` +
            `${patch.release ? ` for ${patch.release}` : ''}: the distribution may have backported fixes into this ` +
            'version; check its advisories before taking the CVEs as present',
        }
      : {}),
    vulnerability_data: dataDated,
  };
}

function cveEvidence(v: VulnMatch) {
  return {
    cve: v.cve,
    title: v.title,
    cvss: v.cvss?.score ?? null,
    cvss_version: v.cvss?.version ?? null,
    ...(v.kev
      ? { kev_date_added: v.kev.date_added, kev_due_date: v.kev.due_date, kev_ransomware: v.kev.ransomware }
      : {}),
    matched_range: v.range,
  };
}

export const patchingCheck = defineCheck({
  id: 'patch.software',
  factor: 'patching_cadence',
  description: 'software versions in the ranges of known (and known exploited) vulnerabilities, end-of-life versions',
  reads: [probeRef<typeof softwareProbe>('software')],
  findings: ['patch.kev', 'patch.cve.critical', 'patch.cve.high', 'patch.cve.medium', 'patch.eol'],
  controls: [],
  judge: (_target, [report]) => {
    const out = emptyOutcome<PatchFinding, never>();
    for (const item of report.software) {
      const { location } = item.observation;
      const asset = {
        host: location.host,
        ...(location.ip ? { ip: location.ip } : {}),
        ...(location.port ? { port: location.port } : {}),
      };
      const base = softwareEvidence(item, report.dataDated);
      const groups = new Map<PatchFinding, VulnMatch[]>();
      for (const v of item.matches.vulnerabilities) {
        const severity = v.cvss ? cvssSeverity(v.cvss.score) : 'none';
        const type: PatchFinding | null = v.kev
          ? 'patch.kev'
          : severity === 'critical' || severity === 'high' || severity === 'medium'
            ? `patch.cve.${severity}`
            : null;
        if (type) groups.set(type, [...(groups.get(type) ?? []), v]);
      }
      for (const [type, list] of groups)
        out.findings.push({
          type,
          asset,
          evidence: { ...base, cves: list.map((v) => v.cve), vulnerabilities: list.map(cveEvidence) },
        });
      const eol = item.matches.endOfLife;
      if (eol)
        out.findings.push({
          type: 'patch.eol',
          asset,
          evidence: {
            ...base,
            branch: eol.branch,
            end_of_life: eol.eol,
            eol_source: eol.source,
            matched_range: eol.range,
          },
        });
    }
    return out;
  },
});
