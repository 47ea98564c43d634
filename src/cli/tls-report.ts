/**
 * What `vitals tls` prints for one endpoint: the probe's observation judged by the scan's own TLS checks,
 * graded by the SSL Labs guide, as JSON (TlsReportOutput), as findings for SARIF, or as an sslscan-like table.
 */
import { createHash } from 'node:crypto';
import { getFindingType } from '../catalogue/catalogue.js';
import { tlsCertificateCheck, tlsCipherCheck, tlsProtocolCheck } from '../checks/tls/tls.checks.js';
import type { CheckOutcome } from '../core/types.js';
import type { TlsEndpointObservation, TlsServiceObservation } from '../probes/tls/tls.types.js';
import type { FindingJson } from '../scanner/report.js';
import type { SslLabsGrade } from '../tls/ssl-labs-grade.js';
import { type EndpointHsts, tlsEndpointGrade } from '../scanner/endpoint-grades.js';
import { sanitizeTerminalLine } from './sanitize.js';

export interface TlsReport {
  observation: TlsEndpointObservation;
  outcome: CheckOutcome;
  grade: SslLabsGrade | null;
  findings: FindingJson[];
}

/** `hsts`: what the endpoint's HTTPS answer to `/` carried (undefined when none came back). */
export function buildTlsReport(observation: TlsEndpointObservation, hsts?: EndpointHsts): TlsReport {
  const obs = { domain: observation.host, ports: [observation.port], endpoints: [observation] };
  const target = { domain: observation.host };
  const outcomes: CheckOutcome[] = [
    tlsProtocolCheck.judge(target, [obs]),
    tlsCipherCheck.judge(target, [obs]),
    tlsCertificateCheck.judge(target, [obs]),
  ];
  const outcome: CheckOutcome = {
    findings: outcomes.flatMap((o) => o.findings),
    controls: [],
    notAssessed: outcomes.flatMap((o) => o.notAssessed),
  };
  const at = observation.status === 'completed' ? observation.observedAt : new Date().toISOString();
  const findings = outcome.findings.map((f): FindingJson => {
    const type = getFindingType(f.type);
    return {
      // Nothing is stored: a stable id from what the finding is about.
      id: createHash('sha256')
        .update(`${f.type}|${f.asset.host}|${f.asset.ip}|${f.asset.port}`)
        .digest('hex')
        .slice(0, 32),
      type: f.type,
      title: type?.title ?? f.type,
      factor: type?.factor ?? 'tls',
      severity: type?.severity ?? 'info',
      organization: observation.host,
      asset: f.asset,
      evidence: f.evidence,
      first_seen: at,
      last_seen: at,
      status: 'open',
      resolved_at: null,
    };
  });
  return {
    observation,
    outcome,
    grade: observation.status === 'completed' ? tlsEndpointGrade(observation, hsts) : null,
    findings,
  };
}

export function tlsReportToJson(report: TlsReport): Record<string, unknown> {
  const e = report.observation;
  const done = e.status === 'completed';
  const certificate = done ? e.certificate : null;
  return {
    endpoint: { host: e.host, address: e.address, port: e.port },
    status: e.status,
    reason: e.status === 'not_assessed' ? e.reason : null,
    detail: e.status === 'completed' ? (e.certificateMissing ?? null) : e.detail,
    observed_at: done ? e.observedAt : null,
    connections: done ? e.connections : null,
    versions: done
      ? e.versions.map((v) => ({
          version: v.version,
          supported: v.supported,
          server_preference: v.serverPreference,
          suites: v.suites.map((s) => ({
            code: `0x${s.code.toString(16).padStart(v.version === 'SSLv2' ? 6 : 4, '0')}`,
            name: s.name,
            key_exchange: keyExchangeText(s.keyExchange),
          })),
        }))
      : [],
    groups: done ? e.groups : [],
    certificate: certificate
      ? {
          trust: certificate.trust.status,
          trust_detail: certificate.trust.detail,
          chain: certificate.chain.map((c) => ({
            subject: c.subject,
            issuer: c.issuer,
            not_before: c.notBefore,
            not_after: c.notAfter,
            dns_names: c.dnsNames,
            key: `${c.keyType.toUpperCase()} ${c.keyBits}`,
            signature: c.signatureAlgorithm,
            self_signed: c.selfSigned,
            sha256: c.fingerprintSha256,
          })),
        }
      : null,
    grade: report.grade
      ? {
          grade: report.grade.grade,
          grade_ignoring_trust: report.grade.gradeIgnoringTrust,
          score: report.grade.score,
          protocol: report.grade.protocolScore,
          key_exchange: report.grade.keyExchangeScore,
          cipher: report.grade.cipherScore,
          caps: report.grade.caps,
        }
      : null,
    findings: report.findings,
    not_assessed: report.outcome.notAssessed.map((n) => ({ check: n.check, reason: n.reason })),
  };
}

function keyExchangeText(kx: TlsServiceObservation['versions'][number]['suites'][number]['keyExchange']): string {
  if (kx.kind === 'ecdhe') return `ECDHE ${kx.group}`;
  if (kx.kind === 'dhe') return `DHE ${kx.bits} bits`;
  return kx.kind === 'rsa' ? 'RSA' : '-';
}

/** The table: versions, suites per version, groups, certificate, grade with its caps, findings. */
export function renderTlsReport(report: TlsReport): string {
  const e = report.observation;
  const t = sanitizeTerminalLine;
  const lines = [`${t(e.host)} (${e.address}) port ${e.port}`];
  if (e.status !== 'completed') {
    lines.push(
      e.status === 'no_service' ? `  no TLS service: ${t(e.detail)}` : `  not assessed (${e.reason}): ${t(e.detail)}`,
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('', 'Protocols:');
  for (const v of e.versions) lines.push(`  ${v.version.padEnd(8)} ${v.supported ? 'enabled' : 'disabled'}`);
  for (const v of e.versions.filter((x) => x.supported)) {
    const order =
      v.serverPreference === true
        ? "server's order"
        : v.serverPreference === false
          ? "client's order"
          : 'order unknown';
    lines.push('', `Accepted suites, ${v.version} (${order}):`);
    for (const s of v.suites) lines.push(`  ${t(s.name).padEnd(48)} ${keyExchangeText(s.keyExchange)}`);
  }
  lines.push('', `Key-exchange groups: ${e.groups.length > 0 ? e.groups.join(', ') : '(none found)'}`);
  const certificate = e.certificate;
  if (certificate) {
    lines.push('', `Certificate chain (${certificate.trust.status}: ${t(certificate.trust.detail)}):`);
    for (const [i, c] of certificate.chain.entries()) {
      lines.push(`  ${i}: ${t(c.subject)}`);
      lines.push(`     issuer ${t(c.issuer)}`);
      lines.push(
        `     valid ${c.notBefore} to ${c.notAfter}; ${c.keyType.toUpperCase()} ${c.keyBits}; ${c.signatureAlgorithm}`,
      );
      if (c.dnsNames.length > 0) lines.push(`     names ${t(c.dnsNames.slice(0, 20).join(', '))}`);
    }
  } else lines.push('', `Certificate: ${t(e.certificateMissing ?? 'none')}`);
  const g = report.grade;
  if (g) {
    const beside = g.grade === 'T' || g.grade === 'M' ? ` (${g.gradeIgnoringTrust} if trust issues are ignored)` : '';
    lines.push(
      '',
      `Grade: ${g.grade}${beside}, score ${g.score} (protocol ${g.protocolScore}, key exchange ` +
        `${g.keyExchangeScore}, cipher ${g.cipherScore})`,
    );
    for (const c of g.caps) lines.push(`  capped at ${c.grade}: ${c.reason}`);
  }
  lines.push('', report.findings.length > 0 ? 'Findings:' : 'Findings: none');
  for (const f of report.findings) lines.push(`  ${f.severity.padEnd(8)} ${f.type.padEnd(32)} ${t(f.title)}`);
  for (const n of report.outcome.notAssessed) lines.push(`  not assessed: ${n.check}: ${t(n.reason)}`);
  return `${lines.join('\n')}\n`;
}
