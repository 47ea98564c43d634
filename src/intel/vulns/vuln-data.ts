/**
 * The vulnerability data Vitals matches software against: the shipped file (data/vulns/edge-cves.json,
 * dated and sourced) and what `vitals vulns import` adds from NVD and KEV files. Plain data (it crosses to
 * scan threads); `matchSoftware` finds the CVEs whose affected ranges hold an observed version, and the
 * end-of-life branch it is on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { SoftwareObservation } from '../../core/software.js';
import { parseCpe } from './cpe.js';
import { describeRange, inRange, type VersionRange } from './version.js';

const rangeFields = {
  versionStartIncluding: z.string().optional(),
  versionStartExcluding: z.string().optional(),
  versionEndIncluding: z.string().optional(),
  versionEndExcluding: z.string().optional(),
  version: z.string().optional(),
};

export const VulnRecordSchema = z.object({
  cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/),
  title: z.string(),
  cvss: z.object({ version: z.string(), score: z.number().min(0).max(10) }).nullable(),
  kev: z.object({ date_added: z.string(), due_date: z.string(), ransomware: z.string() }).nullable(),
  affected: z.array(z.object({ vendor: z.string(), product: z.string(), ...rangeFields })),
});
export type VulnRecord = z.infer<typeof VulnRecordSchema>;

export const EolRecordSchema = z.object({
  vendor: z.string(),
  product: z.string(),
  branch: z.string(),
  eol: z.string(),
  source: z.string(),
  ...rangeFields,
});
export type EolRecord = z.infer<typeof EolRecordSchema>;

const VulnFileSchema = z.object({
  dated: z.string(),
  vulnerabilities: z.array(VulnRecordSchema),
  end_of_life: z.array(EolRecordSchema),
});

export interface VulnDatabase {
  /** Where the data came from: the shipped file's date, and imports. */
  dated: string;
  vulnerabilities: VulnRecord[];
  endOfLife: EolRecord[];
}

let shipped: VulnDatabase | undefined;

/** The shipped data file, read once (data/ sits three or four levels above this module: src/ or dist/src/). */
export function shippedVulnDatabase(): VulnDatabase {
  if (shipped) return shipped;
  for (const up of ['../../../', '../../../../']) {
    const path = fileURLToPath(new URL(`${up}data/vulns/edge-cves.json`, import.meta.url));
    if (!existsSync(path)) continue;
    const file = VulnFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    shipped = { dated: file.dated, vulnerabilities: file.vulnerabilities, endOfLife: file.end_of_life };
    return shipped;
  }
  throw new Error('the vulnerability data file data/vulns/edge-cves.json is missing from the installation');
}

/**
 * The shipped data with imported records merged in: an imported record replaces the shipped one of the
 * same CVE, except that KEV data from a KEV import and ranges from an NVD import complete each other.
 */
export function mergeVulnRecords(base: VulnDatabase, imported: readonly VulnRecord[], dated: string): VulnDatabase {
  const byCve = new Map(base.vulnerabilities.map((v) => [v.cve, v]));
  for (const record of imported) byCve.set(record.cve, mergeVulnRecord(byCve.get(record.cve), record));
  return { dated, vulnerabilities: [...byCve.values()], endOfLife: base.endOfLife };
}

/** `next` over `old`: what `next` lacks (KEV dates in an NVD record, ranges in a KEV record) stays. */
export function mergeVulnRecord(old: VulnRecord | undefined, next: VulnRecord): VulnRecord {
  return {
    cve: next.cve,
    title: next.title || old?.title || next.cve,
    cvss: next.cvss ?? old?.cvss ?? null,
    kev: next.kev ?? old?.kev ?? null,
    affected: next.affected.length > 0 ? next.affected : (old?.affected ?? []),
  };
}

export interface VulnMatch {
  cve: string;
  title: string;
  cvss: VulnRecord['cvss'];
  kev: VulnRecord['kev'];
  /** The affected range the version fell in, as text (`>= 9.0.0, <= 9.11.18`). */
  range: string;
}

export interface SoftwareMatches {
  vulnerabilities: VulnMatch[];
  endOfLife: (EolRecord & { range: string }) | null;
}

function rangeOf(r: VersionRange): VersionRange {
  const { versionStartIncluding, versionStartExcluding, versionEndIncluding, versionEndExcluding, version } = r;
  return Object.fromEntries(
    Object.entries({
      versionStartIncluding,
      versionStartExcluding,
      versionEndIncluding,
      versionEndExcluding,
      version,
    }).filter(([, v]) => v !== undefined),
  ) as VersionRange;
}

/** Every CVE whose affected ranges hold the observed product and version, and its end-of-life branch. */
export function matchSoftware(observation: SoftwareObservation, db: VulnDatabase): SoftwareMatches {
  const same = (r: { vendor: string; product: string }) =>
    r.vendor === observation.vendor && r.product === observation.product;
  const cpeVersion = parseCpe(observation.cpe)?.version ?? observation.version;
  const holds = (r: VersionRange) => inRange(observation.version, rangeOf(r), cpeVersion);
  const vulnerabilities: VulnMatch[] = [];
  for (const v of db.vulnerabilities) {
    const hit = v.affected.find((r) => same(r) && holds(r));
    if (hit)
      vulnerabilities.push({
        cve: v.cve,
        title: v.title,
        cvss: v.cvss,
        kev: v.kev,
        range: describeRange(rangeOf(hit)),
      });
  }
  const eol = db.endOfLife.find((e) => same(e) && holds(e));
  return {
    vulnerabilities: vulnerabilities.sort((a, b) => a.cve.localeCompare(b.cve)),
    endOfLife: eol ? { ...eol, range: describeRange(rangeOf(eol)) } : null,
  };
}
