/**
 * SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) output, so scan results can go where
 * code-scanning results go (CI dashboards, GitHub code scanning, SARIF viewers): one rule per catalogue
 * finding type, one result per finding. A finding's asset is a DNS name, not a file: it is the result's
 * logical location and an artifact URI in the `dns:` scheme (RFC 4501: `dns:NAME`; `dns://X/` would name a
 * DNS server). docs/scan-output.md describes the mapping; a test validates it against the official schema.
 */
import { createHash } from 'node:crypto';
import { listFindingTypes, type FindingType } from '../catalogue/catalogue.js';
import type { Severity } from '../core/types.js';
import type { FindingJson } from '../scanner/report.js';
import { OUTPUT_FORMATS } from './output.js';
import { VITALS_VERSION } from './version.js';

/** The formats of commands that report findings (`scan`, `findings`): the listing formats and SARIF. */
export const FINDING_REPORT_FORMATS = [...OUTPUT_FORMATS, 'sarif'] as const;
export type FindingReportFormat = (typeof FINDING_REPORT_FORMATS)[number];

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

const LEVELS: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** The numeric scale code-scanning tools sort by (above 9 critical, 7 to 8.9 high, 4 to 6.9 medium, below low). */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

/** What a run adds beyond the findings: when the scan ran and which targets could not be scanned. */
export interface SarifRunContext {
  scanId?: string;
  startedAt?: string;
  finishedAt?: string;
  errors?: ReadonlyArray<{ target?: string | undefined; message: string }>;
}

/** The whole SARIF log (one run) for these findings. */
export function toSarif(findings: readonly FindingJson[], context: SarifRunContext = {}): Record<string, unknown> {
  const types = listFindingTypes();
  const ruleIndex = new Map(types.map((t, i) => [t.id, i]));
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'Vitals',
        fullName: 'Vitals security ratings for healthcare organizations',
        version: VITALS_VERSION,
        semanticVersion: VITALS_VERSION,
        rules: types.map(toRule),
      },
    },
    results: findings.map((f) => toResult(f, ruleIndex.get(f.type))),
  };
  if (context.scanId !== undefined) run.automationDetails = { id: `vitals-scan/${context.scanId}` };
  if (context.startedAt !== undefined) {
    const errors = context.errors ?? [];
    run.invocations = [
      {
        executionSuccessful: errors.length === 0,
        startTimeUtc: context.startedAt,
        ...(context.finishedAt !== undefined ? { endTimeUtc: context.finishedAt } : {}),
        toolExecutionNotifications: errors.map((e) => ({
          level: 'error',
          message: { text: e.target !== undefined ? `${e.target}: ${e.message}` : e.message },
        })),
      },
    ];
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function toRule(type: FindingType): Record<string, unknown> {
  const references = type.references.map((r) => (r.url ? `- ${r.ref} (${r.url})` : `- ${r.ref}`));
  const markdownReferences = type.references.map((r) => (r.url ? `- [${r.ref}](${r.url})` : `- ${r.ref}`));
  const securitySeverity = SECURITY_SEVERITY[type.severity];
  const helpUri = type.references.find((r) => r.url !== undefined)?.url;
  return {
    id: type.id,
    shortDescription: { text: type.title },
    fullDescription: { text: type.description },
    help: {
      text: [type.description, `Remediation: ${type.remediation}`, `References:\n${references.join('\n')}`].join(
        '\n\n',
      ),
      markdown: [
        type.description,
        `**Remediation:** ${type.remediation}`,
        `**References:**\n\n${markdownReferences.join('\n')}`,
      ].join('\n\n'),
    },
    ...(helpUri !== undefined ? { helpUri } : {}),
    defaultConfiguration: { level: LEVELS[type.severity] },
    properties: {
      tags: ['security', type.factor],
      factor: type.factor,
      severity: type.severity,
      remediation: type.remediation,
      references: type.references,
      ...(securitySeverity !== undefined ? { 'security-severity': securitySeverity } : {}),
    },
  };
}

function toResult(finding: FindingJson, ruleIndex: number | undefined): Record<string, unknown> {
  const resolved = finding.status === 'resolved';
  const where = finding.asset.port !== undefined ? `${finding.asset.host}:${finding.asset.port}` : finding.asset.host;
  const location: Record<string, unknown> = {
    logicalLocations: [{ name: finding.asset.host, fullyQualifiedName: where, kind: 'resource' }],
  };
  if (/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(finding.asset.host))
    location.physicalLocation = { artifactLocation: { uri: `dns:${finding.asset.host}` } };
  return {
    ruleId: finding.type,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    // A resolved finding is a check that now passes (SARIF: kind "pass" goes with level "none").
    kind: resolved ? 'pass' : 'fail',
    level: resolved ? 'none' : LEVELS[finding.severity as Severity],
    message: { text: `${finding.title}: ${where} (${finding.organization})` },
    locations: [location],
    partialFingerprints: { 'vitalsFinding/v1': fingerprint(finding) },
    ...suppressionsOf(finding),
    properties: {
      organization: finding.organization,
      factor: finding.factor,
      severity: finding.severity,
      status: finding.status,
      first_seen: finding.first_seen,
      last_seen: finding.last_seen,
      resolved_at: finding.resolved_at,
      asset: finding.asset,
      evidence: finding.evidence,
    },
  };
}

/**
 * A disputed finding carries a SARIF suppression (2.1.0 section 3.35): `underReview` while the dispute is
 * open (the result still counts, as it does in the score), `accepted` once accepted; an excluded host
 * is an accepted external suppression too. Viewers then show it as disputed or suppressed.
 */
function suppressionsOf(finding: FindingJson): { suppressions?: Record<string, unknown>[] } {
  const suppressions: Record<string, unknown>[] = [];
  if (finding.dispute) {
    suppressions.push({
      kind: 'external',
      status: finding.dispute.status === 'open' ? 'underReview' : 'accepted',
      guid: finding.dispute.id,
      justification: `${finding.dispute.reason}: ${finding.dispute.note}`,
    });
  }
  if (finding.asset_excluded === true) {
    suppressions.push({ kind: 'external', status: 'accepted', justification: 'asset excluded from the organization' });
  }
  return suppressions.length === 0 ? {} : { suppressions };
}

/** Stable across scans: the finding's identity (organization, type, host, port), as the store keys it. */
function fingerprint(finding: FindingJson): string {
  const identity = JSON.stringify([finding.organization, finding.type, finding.asset.host, finding.asset.port ?? 0]);
  return createHash('sha256').update(identity).digest('hex');
}
