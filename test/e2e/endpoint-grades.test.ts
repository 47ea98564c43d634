/**
 * Endpoint grades and fingerprints where users look (issue #7 sections 2 and 4), against a lab run by
 * `vitals lab up`: a scan of the organization with the lab's telehealth site and of one with its weak HTTPS
 * site prints each endpoint's SSL Labs-style grade and header grade (JSON and the summary), stores them, and
 * `orgs show` reads them back; the telehealth hosts, and only they, carry the `telehealth` tag, and the
 * CPE names on each asset are those `vitals web` recognises there.
 */
// test-lane: serial (starts a lab through the CLI, on the lab's own TLS and service ports)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLabWorld } from '../../src/lab/world/world.js';
import {
  LabStatusOutput,
  OrganizationDetailOutput,
  ScanReportOutput,
  TlsReportOutput,
  WebReportOutput,
} from '../../src/output/schemas.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { randomHighPort } from '../helpers/lab.js';
import type { z } from 'zod';
import { call, startTestApi } from '../../src/server/api.test-support.js';
import { openCliStore } from '../../src/cli/store.js';

/** The first lab size (seed 1) with a telehealth site. */
const ORGS = 10;
const world = buildLabWorld({ seed: 1, orgs: ORGS });
let home = '';
let status: z.infer<typeof LabStatusOutput>;
let report: z.infer<typeof ScanReportOutput>;

function siteOf(template: 'telehealth' | 'weak-https') {
  const site = world.webSites.find((s) => s.template === template)!;
  const org = world.truth.organizations.find((o) => o.name === site.organization)!;
  const hosts = org.hosts.filter((h) => h.addresses.includes(site.address)).map((h) => h.host);
  return { org, hosts };
}
const telehealth = siteOf('telehealth');
const weak = siteOf('weak-https');

before(async () => {
  home = tempHome('vitals-grades-');
  const up = await runVitals(
    ['lab', 'up', '--orgs', String(ORGS), '--documents', '100', '--dns-port', String(randomHighPort())].concat([
      '--web-port',
      String(randomHighPort()),
    ]),
    home,
  );
  assert.equal(up.code, 0, up.stderr);
  status = LabStatusOutput.parse(JSON.parse((await runVitals(['lab', 'status', '--format', 'json'], home)).stdout));
  assert.equal((await runVitals(['orgs', 'import', status.files!['organizations']!], home)).code, 0);
  const scan = await runVitals(
    ['scan', '--org', telehealth.org.name, '--org', weak.org.name, '--lab', '--format', 'json', '-q'],
    home,
    { timeoutMs: 300_000 },
  );
  assert.ok(scan.code === 0 || scan.code === 1, scan.stderr);
  report = ScanReportOutput.parse(JSON.parse(scan.stdout));
});
after(async () => {
  await runVitals(['lab', 'down'], home);
  removeTempHomes();
});

const labArgs = () => ['--resolver', status.resolver!, '--allow-private'];

test(
  'scan JSON: every TLS grade is what `vitals tls` gives the endpoint; the weak site grades F, ' + 'telehealth not',
  async () => {
    const tls = report.endpoint_grades.filter((g) => g.kind === 'tls');
    assert.ok(tls.length > 0, 'TLS endpoints graded');
    for (const g of tls.filter((x) => [...telehealth.hosts, ...weak.hosts].includes(x.host))) {
      const run = await runVitals(
        [
          'tls',
          `${g.host}:${g.port}`,
          ...labArgs(),
          '--ca',
          status.files!['tlsCa']!,
          '--format',
          'json',
          '--no-groups',
        ],
        home,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(TlsReportOutput.parse(JSON.parse(run.stdout)).grade?.grade, g.grade, `${g.host}:${g.port}`);
    }
    const headers = (hosts: string[]) =>
      report.endpoint_grades.filter((g) => g.kind === 'headers' && hosts.includes(g.host)).map((g) => g.grade);
    assert.deepEqual(new Set(headers(weak.hosts)), new Set(['F']));
    const good = headers(telehealth.hosts);
    assert.ok(good.length > 0 && good.every((g) => /^[AB]/.test(g)), good.join(','));
  },
);

test(
  'assets: the telehealth hosts, and only they, are tagged; their CPE names are those `vitals web` ' + 'finds',
  async () => {
    const tagged = report.assets.filter((a) => a.tags?.includes('telehealth')).map((a) => a.host);
    assert.deepEqual(tagged.sort(), [...telehealth.hosts].sort());
    const host = telehealth.hosts[0]!;
    const web = await runVitals(
      ['web', `https://${host}:${status.tls!.https}/`, ...labArgs(), '--format', 'json'],
      home,
    );
    assert.equal(web.code, 0, web.stderr);
    const seen = WebReportOutput.parse(JSON.parse(web.stdout));
    assert.equal(seen.telehealth, true);
    const asset = report.assets.find((a) => a.host === host)!;
    for (const p of seen.products) if (p.cpe) assert.ok(asset.cpes?.includes(p.cpe), `${p.cpe} on ${host}`);
  },
);

test('orgs show reads the stored grades and fingerprints back (JSON and table)', async () => {
  const show = await runVitals(['orgs', 'show', telehealth.org.name, '--format', 'json'], home);
  assert.equal(show.code, 0, show.stderr);
  const detail = OrganizationDetailOutput.parse(JSON.parse(show.stdout));
  const key = (g: { kind: string; host: string; port: number | null; grade: string; score: number }) =>
    `${g.kind} ${g.host} ${g.port} ${g.grade} ${g.score}`;
  assert.deepEqual(
    detail.endpoint_grades.map(key).sort(),
    report.endpoint_grades
      .filter((g) => g.organization === telehealth.org.name)
      .map(key)
      .sort(),
  );
  for (const a of detail.assets) {
    const scanned = report.assets.find((r) => r.host === a.host && r.organization === telehealth.org.name);
    assert.deepEqual(a.tags, scanned?.tags ?? [], a.host);
    assert.deepEqual(a.cpes, scanned?.cpes ?? [], a.host);
  }
  const table = await runVitals(['orgs', 'show', telehealth.org.name], home);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /endpoint grades \(\d+\)/);
  const graded = detail.endpoint_grades.find((g) => g.kind === 'headers')!;
  assert.match(
    table.stdout,
    new RegExp(`${graded.host.replace(/\./g, '\\.')} .*${graded.grade.replace('+', '\\+')} \\(`),
  );
  assert.match(table.stdout, /telehealth/);
});

test("the API's assets route serves the tags and CPE names of the scanned organization", async () => {
  const api = await startTestApi({
    name: 'SQLite',
    open: () => openCliStore(home),
    dispose: async () => undefined,
    sql: async () => undefined,
  } as unknown as Parameters<typeof startTestApi>[0]);
  try {
    const path = `/api/v1/orgs/${encodeURIComponent(telehealth.org.name)}/assets?limit=500`;
    const answer = await call(api, 'GET', path, { token: api.tokens.viewer });
    assert.equal(answer.status, 200, answer.text);
    const items = (answer.body as { items: Array<{ host: string; tags: string[]; cpes: string[] }> }).items;
    assert.deepEqual(
      items
        .filter((a) => a.tags.includes('telehealth'))
        .map((a) => a.host)
        .sort(),
      [...telehealth.hosts].sort(),
    );
    for (const a of items) {
      const scanned = report.assets.find((r) => r.host === a.host && r.organization === telehealth.org.name);
      assert.deepEqual(a.cpes, scanned?.cpes ?? [], a.host);
    }
  } finally {
    await api.close();
  }
});
