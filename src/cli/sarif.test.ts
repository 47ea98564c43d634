import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listFindingTypes } from '../catalogue/catalogue.js';
import type { FindingJson } from '../scanner/report.js';
import { validateSarif } from '../../test/helpers/sarif-schema.js';
import { toSarif } from './sarif.js';

function findingOf(type: string, overrides: Partial<FindingJson> = {}): FindingJson {
  const t = listFindingTypes().find((f) => f.id === type)!;
  return {
    id: '3f2a9c1e-0000-4000-8000-000000000001',
    type,
    title: t.title,
    factor: t.factor,
    severity: t.severity,
    organization: 'Mercy Clinic',
    asset: { host: 'mail.mercy-clinic.test' },
    evidence: { record: 'v=spf1 +all' },
    first_seen: '2026-12-01T10:00:00.000Z',
    last_seen: '2026-12-02T10:00:00.000Z',
    status: 'open',
    resolved_at: null,
    ...overrides,
  };
}

interface SarifRule {
  id: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: string;
  level: string;
  locations: Array<{ physicalLocation?: { artifactLocation: { uri: string } }; logicalLocations: unknown[] }>;
  partialFingerprints: Record<string, string>;
}
interface SarifLog {
  runs: Array<{ tool: { driver: { rules: SarifRule[] } }; results: SarifResult[]; invocations?: unknown[] }>;
}

test('a finding of every catalogue type, open and resolved, makes a SARIF 2.1.0 log valid against the schema', () => {
  const findings = listFindingTypes().map((t) => findingOf(t.id));
  findings.push(findingOf('dns.spf.missing', { status: 'resolved', resolved_at: '2026-12-02T11:00:00.000Z' }));
  findings.push(
    findingOf('dns.resolver.open', { asset: { host: 'ns1.mercy-clinic.test', ip: '127.0.0.1', port: 53 } }),
  );
  const log = toSarif(findings, {
    scanId: 'scan-1',
    startedAt: '2026-12-02T10:00:00.000Z',
    finishedAt: '2026-12-02T10:01:00.000Z',
    errors: [{ target: 'typo.test', message: 'NXDOMAIN' }],
  });
  const result = validateSarif(log);
  assert.ok(result.valid, result.errors);
  const run = (log as unknown as SarifLog).runs[0]!;
  // One rule per catalogue type, with help text, remediation and references.
  assert.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    listFindingTypes().map((t) => t.id),
  );
  for (const [i, rule] of run.tool.driver.rules.entries()) {
    const type = listFindingTypes()[i]!;
    assert.ok(rule.help.text.includes(type.description) && rule.help.text.includes(type.remediation));
    assert.ok(rule.help.text.includes(type.references[0]!.ref));
    assert.equal(rule.properties.severity, type.severity);
  }
  assert.equal(run.results.length, findings.length);
  for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
  assert.equal(run.invocations?.length, 1);
});

test('severity maps to the SARIF level; a resolved finding is a pass; the asset is the location', () => {
  const log = toSarif([
    findingOf('dns.axfr.open'),
    findingOf('dns.spf.missing'),
    findingOf('dns.spf.missing', { status: 'resolved' }),
  ]) as unknown as SarifLog;
  const [axfr, open, resolved] = log.runs[0]!.results;
  const severityOf = (id: string) => listFindingTypes().find((t) => t.id === id)!.severity;
  const expectedLevel = (id: string) =>
    ({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' })[severityOf(id)];
  assert.equal(axfr!.level, expectedLevel('dns.axfr.open'));
  assert.equal(open!.level, expectedLevel('dns.spf.missing'));
  assert.equal(open!.kind, 'fail');
  assert.deepEqual([resolved!.kind, resolved!.level], ['pass', 'none']);
  assert.equal(open!.locations[0]!.physicalLocation?.artifactLocation.uri, 'dns:mail.mercy-clinic.test');
  // The same finding in two scans has the same fingerprint, so SARIF consumers can track it.
  assert.deepEqual(open!.partialFingerprints, resolved!.partialFingerprints);
  assert.notDeepEqual(open!.partialFingerprints, axfr!.partialFingerprints);
});

test('a disputed finding is a suppression under review, an accepted dispute or excluded host an accepted one', () => {
  const dispute = { reason: 'compensating_control', note: 'signing gateway', expires_at: null };
  const findings = [
    findingOf('dns.spf.missing', {
      dispute: { id: '0b7e54d2-1c1d-4e5f-8a9b-0c1d2e3f4a5b', status: 'open', ...dispute },
    }),
    findingOf('dns.dmarc.missing', {
      dispute: { id: '1b7e54d2-1c1d-4e5f-8a9b-0c1d2e3f4a5b', status: 'accepted', ...dispute },
    }),
    findingOf('dns.caa.missing', { asset_excluded: true }),
    findingOf('dns.mx.missing', { dispute: null, asset_excluded: false }),
  ];
  const log = toSarif(findings);
  const result = validateSarif(log);
  assert.ok(result.valid, result.errors);
  const results = (log as unknown as { runs: [{ results: { suppressions?: Record<string, unknown>[] }[] }] }).runs[0]
    .results;
  assert.deepEqual(
    results.map((r) => r.suppressions?.map((s) => `${String(s['kind'])}/${String(s['status'])}`)),
    [['external/underReview'], ['external/accepted'], ['external/accepted'], undefined],
  );
  assert.equal(results[0]?.suppressions?.[0]?.['justification'], 'compensating_control: signing gateway');
});

test('the validator rejects what is not SARIF 2.1.0', () => {
  const log = toSarif([findingOf('dns.spf.missing')]) as Record<string, unknown>;
  assert.equal(validateSarif({ ...log, version: '2.0.0' }).valid, false);
  const run = (log.runs as Array<Record<string, unknown>>)[0]!;
  const noMessage = (run.results as Array<Record<string, unknown>>).map(({ message: _m, ...rest }) => rest);
  assert.equal(validateSarif({ ...log, runs: [{ ...run, results: noMessage }] }).valid, false);
});
