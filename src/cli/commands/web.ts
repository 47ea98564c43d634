/**
 * `vitals web URL`: assess one web site by hand, like the MDN HTTP Observatory's command line. The host is
 * resolved through the scanner's resolver and fetched through the network policy exactly as a scan fetches
 * it; the application_security checks judge it. Table, JSON or SARIF; nothing is stored.
 */
import { Command, Option } from 'commander';
import { getFindingType } from '../../catalogue/catalogue.js';
import { observatoryGrade } from '../../checks/application_security/observatory.js';
import { createScanDnsClient } from '../../net/scan-network.js';
import type { AnsweredEndpoint } from '../../probes/web/web.types.js';
import { WebReportOutput, SarifLogOutput } from '../../output/schemas.js';
import { assessWebSite, parseWebTarget, type WebAssessment } from '../../scanner/web-assessment.js';
import type { FindingJson } from '../../scanner/report.js';
import { scanNetworkFromOptions } from '../network-options.js';
import { parseIntegerOption, parseServerOption, systemResolver } from '../options.js';
import { severityLabel, useColour, writeJson, writeTable } from '../output.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { toSarif } from '../sarif.js';

const WEB_FORMATS = ['table', 'json', 'sarif'] as const;

interface WebOptions {
  resolver?: string;
  allowPrivate?: boolean;
  exclude?: string;
  format: (typeof WEB_FORMATS)[number];
  timeout: string;
}

export function webCommand(): Command {
  return new Command('web')
    .description(
      "assess one web site's HTTP and HTTPS (headers, cookies, redirects, pages, sensitive paths, scripts) " +
        'as scans do, without storing anything',
    )
    .argument('<url>', 'a host name or an http(s) URL (a port in the URL is the only one fetched)')
    .option('--resolver <ip[:port]>', "DNS resolver to ask (default: the system's first name server)")
    .option('--allow-private', 'allow hosts that resolve to loopback, private or link-local addresses')
    .option('--exclude <file>', 'CIDRs, addresses and domain suffixes never to contact, one a line (# comments)')
    .addOption(new Option('--format <format>', 'output format').choices(WEB_FORMATS).default('table'))
    .option('--timeout <ms>', 'timeout of one DNS query in milliseconds', '2000')
    .action(async (url: string, options: WebOptions) => {
      const target = parseWebTarget(url);
      const resolver = options.resolver ? parseServerOption(options.resolver) : systemResolver();
      const timeoutMs = parseIntegerOption(options.timeout, '--timeout', 50, 120_000);
      const network = scanNetworkFromOptions(options, resolver, options.allowPrivate === true);
      const client = createScanDnsClient(network);
      try {
        const assessment = await assessWebSite(target, { client, resolver, network, timeoutMs, retries: 1 });
        printAssessment(url, assessment, options.format);
      } finally {
        await client.close();
      }
    });
}

function reportOf(url: string, { host, outcome }: WebAssessment) {
  return {
    target: url,
    host: host.host,
    address: host.address,
    endpoints: host.endpoints.map((e) => {
      const answered = e.state === 'answered' ? (e as AnsweredEndpoint) : undefined;
      const gets = answered?.chain.filter((x) => x.method === 'GET') ?? [];
      return {
        scheme: e.scheme,
        port: e.port,
        state: e.state,
        status: gets.at(-1)?.status ?? null,
        final_url: answered?.finalUrl ?? null,
        left_scope: answered?.leftScope ?? null,
        redirects: gets.flatMap((x) => (x.location ? [x.location] : [])),
        tls_verified: answered?.tls?.verified ?? null,
        reason: e.state === 'failed' ? `${e.reason}: ${e.detail}` : null,
      };
    }),
    findings: outcome.findings.map((f) => {
      const type = getFindingType(f.type);
      return {
        type: f.type,
        title: type.title,
        factor: type.factor,
        severity: type.severity,
        asset: f.asset,
        evidence: f.evidence,
      };
    }),
    controls: outcome.controls.map((c) => ({ control: c.control, asset: c.asset, evidence: c.evidence })),
    not_assessed: outcome.notAssessed.map((n) => ({ check: n.check, asset: n.asset, reason: n.reason })),
    products: host.products.map((p) => ({
      product: p.product,
      version: p.version ?? null,
      cpe: p.cpe ?? null,
      category: p.category,
      evidence: p.evidence,
    })),
    telehealth: host.telehealth,
    header_grade: observatoryGrade(host),
  };
}

function printAssessment(url: string, assessment: WebAssessment, format: WebOptions['format']): void {
  const report = reportOf(url, assessment);
  if (format === 'json') {
    writeJson(process.stdout, WebReportOutput, report);
    return;
  }
  if (format === 'sarif') {
    const now = new Date().toISOString();
    const findings: FindingJson[] = report.findings.map((f, i) => ({
      id: `web-${i + 1}`,
      type: f.type,
      title: f.title,
      factor: f.factor,
      severity: f.severity,
      organization: report.host,
      asset: f.asset,
      evidence: f.evidence,
      first_seen: now,
      last_seen: now,
      status: 'open',
      resolved_at: null,
    }));
    writeJson(process.stdout, SarifLogOutput, toSarif(findings, { startedAt: now, finishedAt: now }));
    return;
  }
  const out = process.stdout;
  const colour = useColour(process.stdout);
  const grade = report.header_grade;
  out.write(`${sanitizeTerminalLine(report.host)} (${report.address})`);
  out.write(grade ? `: header grade ${grade.grade} (score ${grade.score}, MDN HTTP Observatory method)\n\n` : '\n\n');
  writeTable(out, report.endpoints, [
    { header: 'endpoint', cell: (e) => `${e.scheme}:${e.port}` },
    { header: 'state', cell: (e) => e.state },
    { header: 'status', cell: (e) => (e.status === null ? '' : String(e.status)) },
    { header: 'final URL / reason', cell: (e) => sanitizeTerminalLine(e.reason ?? e.left_scope ?? e.final_url ?? '') },
    { header: 'cert verified', cell: (e) => (e.tls_verified === null ? '' : e.tls_verified ? 'yes' : 'no') },
  ]);
  out.write('\n');
  if (report.findings.length === 0) out.write('no findings\n');
  else
    writeTable(out, report.findings, [
      { header: 'severity', cell: (f) => severityLabel(f.severity, colour) },
      { header: 'finding', cell: (f) => f.type },
      { header: 'port', cell: (f) => String(f.asset.port ?? '') },
      { header: 'title', cell: (f) => f.title },
    ]);
  if (report.controls.length > 0) out.write(`\ngood controls: ${report.controls.map((c) => c.control).join(', ')}\n`);
  for (const n of report.not_assessed) out.write(`not assessed: ${n.check}: ${sanitizeTerminalLine(n.reason)}\n`);
  const products = report.products.map((p) => sanitizeTerminalLine(`${p.product} ${p.version ?? ''}`.trim()));
  if (products.length > 0) out.write(`\nproducts: ${products.join(', ')}\n`);
  if (report.telehealth) out.write('telehealth: yes\n');
}
