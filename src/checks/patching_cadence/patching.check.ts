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
    // One finding per type and place: a web server, its PHP and its jQuery answer at the same host, and
    // a finding is identified by type and place (the store keeps one), so every product goes in one.
    const groups = new Map<string, Group>();
    for (const item of report.software) {
      const { location } = item.observation;
      const asset = {
        host: location.host,
        ...(location.ip ? { ip: location.ip } : {}),
        ...(location.port ? { port: location.port } : {}),
      };
      const add = (type: PatchFinding, part: GroupPart): void => {
        const key = JSON.stringify([type, asset.host, asset.ip, asset.port]);
        const group = groups.get(key) ?? { type, asset, parts: [] };
        group.parts.push(part);
        groups.set(key, group);
      };
      const byType = new Map<PatchFinding, VulnMatch[]>();
      for (const v of item.matches.vulnerabilities) {
        const type = findingOf(v);
        if (type) byType.set(type, [...(byType.get(type) ?? []), v]);
      }
      for (const [type, list] of byType) add(type, { item, vulnerabilities: list });
      if (item.matches.endOfLife) add('patch.eol', { item, vulnerabilities: [] });
    }
    for (const { type, asset, parts } of groups.values())
      out.findings.push({ type, asset, evidence: groupEvidence(type, parts, report.dataDated) });
    return out;
  },
});

interface GroupPart {
  item: MatchedSoftware;
  vulnerabilities: VulnMatch[];
}
interface Group {
  type: PatchFinding;
  asset: { host: string; ip?: string; port?: number };
  parts: GroupPart[];
}

/** KEV first whatever the score, then the CVSS v3 rating; low and unscored CVEs give no finding. */
function findingOf(v: VulnMatch): PatchFinding | null {
  if (v.kev) return 'patch.kev';
  const severity = v.cvss ? cvssSeverity(v.cvss.score) : 'none';
  return severity === 'critical' || severity === 'high' || severity === 'medium' ? `patch.cve.${severity}` : null;
}

function eolEvidence(item: MatchedSoftware) {
  const eol = item.matches.endOfLife!;
  return { branch: eol.branch, end_of_life: eol.eol, eol_source: eol.source, matched_range: eol.range };
}

/**
 * The first product's fields at the top (as a finding about one product reads), the CVEs of every product
 * in `cves` and `vulnerabilities` (each naming its product), and every product in `software`.
 */
function groupEvidence(type: PatchFinding, parts: readonly GroupPart[], dataDated: string) {
  const first = parts[0]!;
  const withProduct = (part: GroupPart) =>
    part.vulnerabilities.map((v) => ({
      ...cveEvidence(v),
      product: `${part.item.observation.vendor}:${part.item.observation.product}`,
      version: part.item.observation.version,
    }));
  const software = parts.map((part) => ({
    ...softwareEvidence(part.item, dataDated),
    ...(type === 'patch.eol' ? eolEvidence(part.item) : { cves: part.vulnerabilities.map((v) => v.cve) }),
  }));
  if (type === 'patch.eol') return { ...softwareEvidence(first.item, dataDated), ...eolEvidence(first.item), software };
  const vulnerabilities = parts.flatMap(withProduct);
  return {
    ...softwareEvidence(first.item, dataDated),
    cves: [...new Set(vulnerabilities.map((v) => v.cve))],
    vulnerabilities,
    software,
  };
}
