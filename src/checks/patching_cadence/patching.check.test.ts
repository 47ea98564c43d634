/** The patching check over hand-built software reports: KEV first, then CVSS buckets, and end of life. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SoftwareObservation } from '../../core/software.js';
import type { SoftwareMatches, VulnMatch } from '../../intel/vulns/vuln-data.js';
import type { SoftwareReport } from '../../probes/patching/software.types.js';
import { patchingCheck } from './patching.check.js';

const observation: SoftwareObservation = {
  location: { host: 'ns1.clinic.example', ip: '192.0.2.53', port: 53 },
  source: 'version.bind',
  raw: '9.11.3-1ubuntu1.2-Ubuntu',
  cpe: 'cpe:2.3:a:isc:bind:9.11.3:*:*:*:*:*:*:*',
  vendor: 'isc',
  product: 'bind',
  version: '9.11.3',
  confidence: 0.6,
  distributionPatch: { distribution: 'ubuntu', suffix: '1ubuntu1.2' },
};

function vuln(cve: string, score: number | null, kev = false): VulnMatch {
  return {
    cve,
    title: cve,
    cvss: score === null ? null : { version: '3.1', score },
    kev: kev ? { date_added: '2021-11-03', due_date: '2021-11-17', ransomware: 'Known' } : null,
    range: '>= 9.0.0, <= 9.11.18',
  };
}

function judge(matches: SoftwareMatches) {
  const report: SoftwareReport = { dataDated: '2026-12-02', software: [{ observation, matches }] };
  return patchingCheck.judge({ domain: 'clinic.example' }, [report]);
}

test('no match: no finding', () => {
  assert.deepEqual(judge({ vulnerabilities: [], endOfLife: null }).findings, []);
});

test('KEV CVEs go to patch.kev whatever their score; the others by CVSS; low and unscored ones to none', () => {
  const out = judge({
    vulnerabilities: [
      vuln('CVE-2000-0001', 9.8, true),
      vuln('CVE-2000-0002', 9.1),
      vuln('CVE-2000-0003', 8.6),
      vuln('CVE-2000-0004', 7.0),
      vuln('CVE-2000-0005', 6.9),
      vuln('CVE-2000-0006', 3.1),
      vuln('CVE-2000-0007', null),
    ],
    endOfLife: null,
  });
  assert.deepEqual(
    out.findings.map((f) => [f.type, f.evidence['cves']]),
    [
      ['patch.kev', ['CVE-2000-0001']],
      ['patch.cve.critical', ['CVE-2000-0002']],
      ['patch.cve.high', ['CVE-2000-0003', 'CVE-2000-0004']],
      ['patch.cve.medium', ['CVE-2000-0005']],
    ],
  );
  const kev = out.findings[0]!;
  assert.deepEqual(kev.asset, { host: 'ns1.clinic.example', ip: '192.0.2.53', port: 53 });
  assert.deepEqual((kev.evidence['vulnerabilities'] as unknown[])[0], {
    cve: 'CVE-2000-0001',
    title: 'CVE-2000-0001',
    cvss: 9.8,
    cvss_version: '3.1',
    kev_date_added: '2021-11-03',
    kev_due_date: '2021-11-17',
    kev_ransomware: 'Known',
    matched_range: '>= 9.0.0, <= 9.11.18',
    product: 'isc:bind',
    version: '9.11.3',
  });
  assert.equal(kev.evidence['confidence'], 0.6);
  assert.match(String(kev.evidence['backport_note']), /ubuntu package \(1ubuntu1\.2\).*backported/);
});

test('an end-of-life branch is patch.eol with its date and source', () => {
  const out = judge({
    vulnerabilities: [],
    endOfLife: {
      vendor: 'isc',
      product: 'bind',
      branch: '9.11',
      eol: '2022-03',
      source: 'https://kb.isc.org/docs/bind-9-end-of-life-dates',
      versionEndExcluding: '9.12',
      range: '< 9.12',
    },
  });
  assert.deepEqual(
    out.findings.map((f) => [f.type, f.evidence['branch'], f.evidence['end_of_life']]),
    [['patch.eol', '9.11', '2022-03']],
  );
});

test('products answering at the same place share one finding per type, each CVE naming its product', () => {
  const at = { host: 'www.clinic.example', ip: '192.0.2.80' };
  const apache: SoftwareObservation = {
    ...observation,
    location: at,
    source: 'http-server-header',
    raw: 'server: Apache/2.4.29 (Ubuntu)',
    cpe: 'cpe:2.3:a:apache:http_server:2.4.29:*:*:*:*:*:*:*',
    vendor: 'apache',
    product: 'http_server',
    version: '2.4.29',
    distributionPatch: { distribution: 'ubuntu', suffix: '' },
  };
  const jquery: SoftwareObservation = {
    location: at,
    source: 'javascript-library',
    raw: 'script http://www.clinic.example/js/jquery.min.js',
    cpe: 'cpe:2.3:a:jquery:jquery:1.12.4:*:*:*:*:*:*:*',
    vendor: 'jquery',
    product: 'jquery',
    version: '1.12.4',
    confidence: 0.8,
  };
  const eol = {
    vendor: 'apache',
    product: 'http_server',
    branch: '2.2',
    eol: '2017-07-11',
    source: 's',
    range: '< 2.4',
  };
  const report: SoftwareReport = {
    dataDated: '2026-12-02',
    software: [
      { observation: apache, matches: { vulnerabilities: [vuln('CVE-2019-0211', 7.8, true)], endOfLife: eol } },
      { observation: jquery, matches: { vulnerabilities: [vuln('CVE-2020-11023', 6.1, true)], endOfLife: null } },
    ],
  };
  const out = patchingCheck.judge({ domain: 'clinic.example' }, [report]);
  assert.deepEqual(
    out.findings.map((f) => [f.type, f.asset, f.evidence['cves']]),
    [
      ['patch.kev', at, ['CVE-2019-0211', 'CVE-2020-11023']],
      ['patch.eol', at, undefined],
    ],
  );
  const kev = out.findings[0]!.evidence;
  assert.equal(kev['product'], 'apache:http_server');
  assert.deepEqual(
    (kev['vulnerabilities'] as Array<Record<string, unknown>>).map((v) => [v['cve'], v['product'], v['version']]),
    [
      ['CVE-2019-0211', 'apache:http_server', '2.4.29'],
      ['CVE-2020-11023', 'jquery:jquery', '1.12.4'],
    ],
  );
  assert.deepEqual(
    (kev['software'] as Array<Record<string, unknown>>).map((s) => [s['product'], s['confidence'], s['cves']]),
    [
      ['apache:http_server', 0.6, ['CVE-2019-0211']],
      ['jquery:jquery', 0.8, ['CVE-2020-11023']],
    ],
  );
});
