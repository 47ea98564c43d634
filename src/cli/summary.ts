/**
 * The portfolio summary a person reads after a scan: one row per organization with its findings by
 * severity and a bar to compare them at a glance, then each organization's findings, most severe first.
 */
import { FACTORS, SEVERITIES } from '../core/types.js';
import { getFindingType } from '../catalogue/catalogue.js';
import type { Finding } from '../core/finding.js';
import type { ScanSessionResult, PortfolioTarget } from '../scanner/scan-session.js';
import { severityLabel, writeTable, type TextSink } from './output.js';
import { sanitizeTerminalLine } from './sanitize.js';
import type { EndpointGrade } from '../core/endpoint-grade.js';
import { writeEndpointGrades } from './endpoint-grades-table.js';

/** Points a severity weighs in the summary bar (a picture, not the rating). */
const BAR_WEIGHT: Record<string, number> = { critical: 8, high: 4, medium: 2, low: 1, info: 0 };

export function printScanSummary(
  out: TextSink & { isTTY?: boolean },
  session: ScanSessionResult,
  targets: PortfolioTarget[],
): void {
  const colour = Boolean(out.isTTY) && process.env.NO_COLOR === undefined;
  const byOrg = new Map<string, Finding[]>();
  for (const t of targets) byOrg.set(t.organization, []);
  for (const f of session.findings) byOrg.get(f.organizationName)?.push(f) ?? byOrg.set(f.organizationName, [f]);
  const assetsByOrg = new Map<string, number>();
  for (const r of session.results) {
    const name = r.target.organization ?? r.target.domain;
    assetsByOrg.set(name, (assetsByOrg.get(name) ?? 0) + (r.discovery?.assets.length ?? 0));
  }
  const rows = [...byOrg.entries()].map(([organization, findings]) => {
    const counts = Object.fromEntries(
      SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]),
    ) as Record<string, number>;
    const weight = SEVERITIES.reduce((n, s) => n + counts[s]! * BAR_WEIGHT[s]!, 0);
    return { organization, counts, weight, assets: assetsByOrg.get(organization) ?? 0 };
  });
  rows.sort((a, b) => b.weight - a.weight || a.organization.localeCompare(b.organization));
  // A loop, not Math.max(...weights): a spread of a whole portfolio overflows the stack.
  let maxWeight = 1;
  for (const r of rows) if (r.weight > maxWeight) maxWeight = r.weight;

  out.write(
    `\nPortfolio summary: ${rows.length} organizations, ${session.counts.assets ?? 0} assets, ` +
      `${session.findings.length} open findings\n`,
  );
  const notAssessed = session.results.reduce((n, r) => n + r.outcome.notAssessed.length, 0);
  if (notAssessed > 0) {
    out.write(
      `${notAssessed} checks could not be assessed (a query timed out or got a malformed reply); they are not ` +
        `passes: see --format json, "not_assessed"\n`,
    );
  }
  out.write('\n');
  writeTable(out, rows, [
    { header: 'organization', cell: (r) => r.organization },
    { header: 'assets', cell: (r) => String(r.assets), align: 'right' },
    ...SEVERITIES.map((s) => ({
      header: s,
      cell: (r: (typeof rows)[number]) => String(r.counts[s]),
      align: 'right' as const,
    })),
    { header: 'weighted findings', cell: (r) => bar(r.weight, maxWeight, 24) },
  ]);

  for (const row of rows) {
    const findings = (byOrg.get(row.organization) ?? [])
      .slice()
      .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.type.localeCompare(b.type));
    if (findings.length === 0) continue;
    out.write(`\n${sanitizeTerminalLine(row.organization)}\n`);
    for (const f of findings) {
      const label = severityLabel(f.severity.padEnd(8), colour);
      const host = sanitizeTerminalLine(f.asset.host).padEnd(34);
      out.write(`  ${label} ${f.type.padEnd(26)} ${host} ${sanitizeTerminalLine(getFindingType(f.type).title)}\n`);
    }
  }
  writeGradesByOrganization(out, session);
  out.write('\n');
}

/** Each organization's endpoint grades (TLS by port, the web site's headers), in the scan's target order. */
function writeGradesByOrganization(out: TextSink, session: ScanSessionResult): void {
  const byOrg = new Map<string, EndpointGrade[]>();
  for (const r of session.results) {
    if (!r.grades?.length) continue;
    const name = r.target.organization ?? r.target.domain;
    byOrg.set(name, [...(byOrg.get(name) ?? []), ...r.grades]);
  }
  if (byOrg.size === 0) return;
  out.write('\nEndpoint grades (TLS: SSL Labs-style, per port; web site: header grade and score)\n');
  for (const [organization, grades] of byOrg) {
    out.write(`\n${sanitizeTerminalLine(organization)}\n`);
    writeEndpointGrades(out, grades, '  ');
  }
}

/** Just the findings, one line each, most severe first: the table output of a quiet (`-q`) scan. */
export function printFindingList(out: TextSink, findings: readonly Finding[]): void {
  if (findings.length === 0) return;
  const sorted = findings
    .slice()
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.type.localeCompare(b.type));
  writeTable(out, sorted, [
    { header: 'severity', cell: (f) => f.severity },
    { header: 'organization', cell: (f) => f.organizationName },
    { header: 'type', cell: (f) => f.type },
    { header: 'asset', cell: (f) => f.asset.host },
    { header: 'title', cell: (f) => getFindingType(f.type).title },
  ]);
}

function bar(value: number, max: number, width: number): string {
  const eighths = Math.round((value / max) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  return '█'.repeat(full) + (partial > 0 ? ' ▏▎▍▌▋▊▉'[partial]! : '');
}

/** "162 findings (dns_health 94, tls 68)": a scan's findings counted per factor, in the catalogue's factor order. */
export function findingsByFactor(findings: readonly { type: string }[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const factor = getFindingType(f.type).factor;
    counts.set(factor, (counts.get(factor) ?? 0) + 1);
  }
  const parts = FACTORS.filter((f) => counts.has(f)).map((f) => `${f} ${counts.get(f)}`);
  const total = `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
  return parts.length === 0 ? total : `${total} (${parts.join(', ')})`;
}
