/**
 * Reads the files `vitals vulns import` takes: CISA's Known Exploited Vulnerabilities catalog (the JSON
 * feed: `{"title", "catalogVersion", "dateReleased", "count", "vulnerabilities": [{"cveID", "vendorProject",
 * "product", "vulnerabilityName", "dateAdded", "dueDate", "knownRansomwareCampaignUse", ...}]}`) and NVD CVE
 * API 2.0 responses (`{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": {"id", "descriptions",
 * "metrics", "configurations"}}]}`). Both become `VulnRecord`s: KEV gives the KEV dates, NVD the CVSS score
 * and the affected ranges of its vulnerable cpeMatch entries.
 */
import { AppError } from '../../core/errors.js';
import { parseCpe } from './cpe.js';
import type { VulnRecord } from './vuln-data.js';

export class VulnImportError extends AppError {
  override readonly name = 'VulnImportError';
  readonly code = 'vulns-rejected';
}

export interface ParsedVulnFile {
  format: 'cisa-kev' | 'nvd-cve-2.0';
  /** `KEV 2025.08.25`, `NVD 2025-08-25T...`: recorded as the data's date in findings. */
  label: string;
  records: VulnRecord[];
  /** Entries skipped, with why (no CVE id, a rejected CVE...). */
  skipped: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function parseKev(doc: Json, path: string): ParsedVulnFile {
  const list = doc.vulnerabilities as unknown[];
  const records: VulnRecord[] = [];
  list.forEach((entry, i) => {
    if (!isObject(entry) || !CVE_ID.test(str(entry.cveID) ?? '') || !str(entry.dateAdded) || !str(entry.dueDate))
      throw new VulnImportError(`${path}: vulnerabilities[${i}] needs "cveID", "dateAdded" and "dueDate"`);
    records.push({
      cve: entry.cveID as string,
      title: str(entry.vulnerabilityName) ?? '',
      cvss: null,
      kev: {
        date_added: entry.dateAdded as string,
        due_date: entry.dueDate as string,
        ransomware: str(entry.knownRansomwareCampaignUse) ?? 'Unknown',
      },
      affected: [],
    });
  });
  return { format: 'cisa-kev', label: `KEV ${str(doc.catalogVersion) ?? '?'}`, records, skipped: 0 };
}

/** CVSS: the primary v3.1 score, else v3.0, else v2 (NVD `metrics`). */
function nvdCvss(metrics: unknown): VulnRecord['cvss'] {
  if (!isObject(metrics)) return null;
  for (const [key, version] of [
    ['cvssMetricV31', '3.1'],
    ['cvssMetricV30', '3.0'],
    ['cvssMetricV2', '2.0'],
  ] as const) {
    const list = Array.isArray(metrics[key]) ? (metrics[key] as unknown[]).filter(isObject) : [];
    const chosen = list.find((m) => m.type === 'Primary') ?? list[0];
    const score = isObject(chosen) && isObject(chosen.cvssData) ? chosen.cvssData.baseScore : undefined;
    if (typeof score === 'number' && score >= 0 && score <= 10) return { version, score };
  }
  return null;
}

/** Vulnerable cpeMatch entries of every configuration node (negated nodes say what is not affected). */
function nvdAffected(configurations: unknown): VulnRecord['affected'] {
  const out: VulnRecord['affected'] = [];
  for (const configuration of Array.isArray(configurations) ? configurations : []) {
    for (const node of isObject(configuration) && Array.isArray(configuration.nodes) ? configuration.nodes : []) {
      if (!isObject(node) || node.negate === true || !Array.isArray(node.cpeMatch)) continue;
      for (const match of node.cpeMatch) {
        if (!isObject(match) || match.vulnerable !== true) continue;
        const cpe = parseCpe(str(match.criteria) ?? '');
        if (cpe === null || (cpe.part !== 'a' && cpe.part !== 'o' && cpe.part !== 'h')) continue;
        const range = {
          ...(str(match.versionStartIncluding) ? { versionStartIncluding: str(match.versionStartIncluding) } : {}),
          ...(str(match.versionStartExcluding) ? { versionStartExcluding: str(match.versionStartExcluding) } : {}),
          ...(str(match.versionEndIncluding) ? { versionEndIncluding: str(match.versionEndIncluding) } : {}),
          ...(str(match.versionEndExcluding) ? { versionEndExcluding: str(match.versionEndExcluding) } : {}),
        };
        const exact = cpe.version !== '*' && cpe.version !== '-';
        // A CPE's update completes its version as the vendor writes it (`9.11.4` + `p2`: 9.11.4-P2).
        const update = cpe.update !== '*' && cpe.update !== '-' ? `-${cpe.update}` : '';
        out.push({
          vendor: cpe.vendor,
          product: cpe.product,
          ...range,
          ...(exact && Object.keys(range).length === 0 ? { version: `${cpe.version}${update}` } : {}),
        });
      }
    }
  }
  return out;
}

function parseNvd(doc: Json, path: string): ParsedVulnFile {
  const records: VulnRecord[] = [];
  let skipped = 0;
  (doc.vulnerabilities as unknown[]).forEach((entry, i) => {
    const cve = isObject(entry) && isObject(entry.cve) ? entry.cve : null;
    if (cve === null || !CVE_ID.test(str(cve.id) ?? ''))
      throw new VulnImportError(`${path}: vulnerabilities[${i}] has no "cve" object with a CVE "id"`);
    if (cve.vulnStatus === 'Rejected') {
      skipped++;
      return;
    }
    const descriptions = Array.isArray(cve.descriptions) ? cve.descriptions.filter(isObject) : [];
    const english = descriptions.find((d) => d.lang === 'en') ?? descriptions[0];
    const kevAdded = str(cve.cisaExploitAdd);
    records.push({
      cve: cve.id as string,
      title: (str(english?.value) ?? '').slice(0, 300),
      cvss: nvdCvss(cve.metrics),
      // NVD copies KEV's dates into the record (cisaExploitAdd, cisaActionDue).
      kev: kevAdded ? { date_added: kevAdded, due_date: str(cve.cisaActionDue) ?? '', ransomware: 'Unknown' } : null,
      affected: nvdAffected(cve.configurations),
    });
  });
  return { format: 'nvd-cve-2.0', label: `NVD ${str(doc.timestamp)?.slice(0, 10) ?? ''}`.trim(), records, skipped };
}

/** Parses a KEV catalog or an NVD CVE API 2.0 response; anything else is refused, saying what was expected. */
export function parseVulnFile(text: string, path: string): ParsedVulnFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new VulnImportError(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (isObject(doc) && Array.isArray(doc.vulnerabilities)) {
    if ('catalogVersion' in doc || (doc.vulnerabilities[0] as Json | undefined)?.cveID !== undefined)
      return parseKev(doc, path);
    if (doc.format === 'NVD_CVE' || isObject((doc.vulnerabilities[0] as Json | undefined)?.cve))
      return parseNvd(doc, path);
    if (doc.vulnerabilities.length === 0) throw new VulnImportError(`${path}: no vulnerabilities in the file`);
  }
  throw new VulnImportError(
    `${path}: neither CISA's KEV JSON feed (catalogVersion, vulnerabilities[].cveID) nor an NVD CVE API 2.0 ` +
      'response (format NVD_CVE, vulnerabilities[].cve)',
  );
}
