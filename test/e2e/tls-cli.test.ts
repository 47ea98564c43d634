/**
 * `vitals tls ENDPOINT` against the lab: the findings of a planted profile exactly, a good endpoint graded
 * A with no finding, and A+ where its site sends six months of HSTS or more (SSL Labs' rule), JSON and
 * SARIF held to their schemas (the command parses before printing), the lab CA trusted only through --ca,
 * and no service on a closed port (exit 1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import type { LabTlsEndpoint } from '../../src/lab/tls/tls-plan.js';
import { LAB_TLS_PROFILES } from '../../src/lab/tls/tls-profiles.js';
import { TEMPLATE_HSTS_MAX_AGE, type WebTemplateId } from '../../src/lab/world/web-sites.js';
import { HSTS_A_PLUS_SECONDS } from '../../src/tls/ssl-labs-grade.js';
import { TlsReportOutput } from '../../src/output/schemas.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { startTestLab } from '../helpers/lab.js';

let lab: RunningLab & { home: string };
let home = '';

before(async () => {
  lab = await startTestLab(25);
  home = tempHome('vitals-tls-');
});
after(async () => {
  await lab?.stop();
  removeTempHomes();
});

function args(host: string, port: number, extra: string[] = []): string[] {
  return [
    'tls',
    `${host}:${port}`,
    '--resolver',
    `${lab.resolverAddress}:${lab.port}`,
    '--allow-private',
    '--ca',
    lab.files.tlsCa,
    ...extra,
  ];
}

const portOf = (role: 'https' | 'alt'): number => lab.tls.ports[role];

/** The template of the site an endpoint serves (sites are on the `https` port only). */
function siteTemplate(endpoint: LabTlsEndpoint): WebTemplateId | undefined {
  if (endpoint.role !== 'https') return undefined;
  return lab.world.webSites.find((s) => s.address === endpoint.address)?.template;
}

/** A good profile's grade by the lab's truth: A, and A+ when its site sends HSTS of six months or more. */
function goodGrade(endpoint: LabTlsEndpoint): 'A' | 'A+' {
  const template = siteTemplate(endpoint);
  const maxAge = template === undefined ? null : TEMPLATE_HSTS_MAX_AGE[template];
  return maxAge !== null && maxAge >= HSTS_A_PLUS_SECONDS ? 'A+' : 'A';
}

describe('vitals tls', () => {
  test('every planted profile: exactly its findings; JSON held to the schema', async () => {
    const seen = new Set<string>();
    for (const endpoint of lab.world.tlsEndpoints) {
      if (seen.has(endpoint.profile)) continue;
      seen.add(endpoint.profile);
      const run = await runVitals(
        args(endpoint.hosts[0]!, portOf(endpoint.role), ['--format', 'json', '--no-groups']),
        home,
        60_000,
      );
      assert.equal(run.code, 0, `${endpoint.profile}: ${run.stderr}`);
      const report = TlsReportOutput.parse(JSON.parse(run.stdout));
      assert.deepEqual(
        report.findings.map((f) => f.type).sort(),
        [...LAB_TLS_PROFILES[endpoint.profile].findings].sort(),
        endpoint.profile,
      );
      if (endpoint.profile === 'good')
        assert.equal(report.grade?.grade, goodGrade(endpoint), JSON.stringify(report.grade));
      if (endpoint.profile === 'sslv2') assert.equal(report.grade?.grade, 'F');
    }
    assert.ok(seen.size >= 20, `profiles seen: ${[...seen].join(', ')}`);
  });

  test('A+: a good endpoint whose site sends a year of HSTS; a day, none or an incomplete chain: A', async () => {
    const grade = async (endpoint: LabTlsEndpoint) => {
      const run = await runVitals(
        args(endpoint.hosts[0]!, portOf(endpoint.role), ['--format', 'json', '--no-groups']),
        home,
        60_000,
      );
      assert.equal(run.code, 0, run.stderr);
      return TlsReportOutput.parse(JSON.parse(run.stdout)).grade?.grade;
    };
    const find = (profile: string, template: WebTemplateId | undefined) =>
      lab.world.tlsEndpoints.find((e) => e.profile === profile && siteTemplate(e) === template)!;
    assert.equal(await grade(find('good', 'good-corporate')), 'A+');
    assert.equal(await grade(find('good', 'weak-https')), 'A');
    assert.equal(await grade(find('good', 'vpn')), 'A');
    // The chain lacks its intermediate: SSL Labs warns (no cap), and a warning withholds A+.
    assert.equal(await grade(find('no-intermediate', 'good-corporate')), 'A');
  });

  test('table and SARIF; without --ca the lab chain is untrusted (T)', async () => {
    const good = lab.world.tlsEndpoints.find((e) => e.profile === 'good')!;
    const table = await runVitals(args(good.hosts[0]!, portOf(good.role)), home, 60_000);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /TLSv1\.3 +enabled/);
    assert.match(table.stdout, /Grade: A\b/);
    const sarif = await runVitals(args(good.hosts[0]!, portOf(good.role), ['--format', 'sarif']), home, 60_000);
    assert.equal(sarif.code, 0, sarif.stderr);
    assert.equal(JSON.parse(sarif.stdout).version, '2.1.0');
    const bare = await runVitals(
      [
        'tls',
        `${good.hosts[0]}:${portOf(good.role)}`,
        '--resolver',
        `${lab.resolverAddress}:${lab.port}`,
        '--allow-private',
        '--format',
        'json',
        '--no-groups',
      ],
      home,
      60_000,
    );
    const report = TlsReportOutput.parse(JSON.parse(bare.stdout));
    assert.equal(report.grade?.grade, 'T');
    assert.deepEqual(
      report.findings.map((f) => f.type),
      ['tls.cert.untrusted'],
    );
  });

  test('a closed port: no TLS service (exit 1); private without --allow-private: refused (exit 2)', async () => {
    const good = lab.world.tlsEndpoints.find((e) => e.profile === 'good')!;
    const closed = await runVitals(args(good.hosts[0]!, 9, ['--format', 'json']), home, 60_000);
    assert.equal(closed.code, 1, closed.stderr);
    assert.equal(TlsReportOutput.parse(JSON.parse(closed.stdout)).status, 'no_service');
    const refused = await runVitals(
      ['tls', `${good.hosts[0]}:${portOf(good.role)}`, '--resolver', `${lab.resolverAddress}:${lab.port}`],
      home,
      60_000,
    );
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /allow-private/);
  });
});
