/** `vitals vulns import` readers on small files written to CISA's KEV feed and NVD's CVE API 2.0 formats. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSoftwareBanner } from './banner.js';
import { matchSoftware, mergeVulnRecords, shippedVulnDatabase } from './vuln-data.js';
import { parseVulnFile, VulnImportError } from './vuln-import.js';

const KEV = JSON.stringify({
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2025.08.25',
  dateReleased: '2025-08-25T17:04:19.9796Z',
  count: 1,
  vulnerabilities: [
    {
      cveID: 'CVE-2020-8616',
      vendorProject: 'ISC',
      product: 'BIND',
      vulnerabilityName: 'ISC BIND Resource Exhaustion (test entry)',
      dateAdded: '2025-08-01',
      shortDescription: 'A test entry.',
      requiredAction: 'Apply updates per vendor instructions.',
      dueDate: '2025-08-22',
      knownRansomwareCampaignUse: 'Unknown',
      notes: '',
      cwes: ['CWE-400'],
    },
  ],
});

const NVD = JSON.stringify({
  resultsPerPage: 2,
  startIndex: 0,
  totalResults: 2,
  format: 'NVD_CVE',
  version: '2.0',
  timestamp: '2025-08-25T10:00:00.000',
  vulnerabilities: [
    {
      cve: {
        id: 'CVE-2099-0001',
        sourceIdentifier: 'security-officer@isc.org',
        published: '2099-01-01T00:00:00.000',
        lastModified: '2099-01-02T00:00:00.000',
        vulnStatus: 'Analyzed',
        descriptions: [{ lang: 'en', value: 'A made-up BIND flaw for the test.' }],
        metrics: {
          cvssMetricV31: [
            {
              source: 'nvd@nist.gov',
              type: 'Primary',
              cvssData: { version: '3.1', baseScore: 9.1, baseSeverity: 'CRITICAL' },
            },
            { source: 'other', type: 'Secondary', cvssData: { version: '3.1', baseScore: 5.0 } },
          ],
        },
        configurations: [
          {
            nodes: [
              {
                operator: 'OR',
                negate: false,
                cpeMatch: [
                  {
                    vulnerable: true,
                    criteria: 'cpe:2.3:a:isc:bind:*:*:*:*:*:*:*:*',
                    versionStartIncluding: '9.18.0',
                    versionEndExcluding: '9.18.28',
                    matchCriteriaId: '00000000-0000-0000-0000-000000000001',
                  },
                  { vulnerable: true, criteria: 'cpe:2.3:a:isc:bind:9.11.4:p2:*:*:*:*:*:*' },
                  { vulnerable: false, criteria: 'cpe:2.3:o:debian:debian_linux:10.0:*:*:*:*:*:*:*' },
                ],
              },
            ],
          },
        ],
      },
    },
    { cve: { id: 'CVE-2099-0002', vulnStatus: 'Rejected', descriptions: [] } },
  ],
});

test('KEV feed: each entry with its dates', () => {
  const parsed = parseVulnFile(KEV, 'kev.json');
  assert.equal(parsed.format, 'cisa-kev');
  assert.equal(parsed.label, 'KEV 2025.08.25');
  assert.deepEqual(parsed.records, [
    {
      cve: 'CVE-2020-8616',
      title: 'ISC BIND Resource Exhaustion (test entry)',
      cvss: null,
      kev: { date_added: '2025-08-01', due_date: '2025-08-22', ransomware: 'Unknown' },
      affected: [],
    },
  ]);
});

test('NVD 2.0: primary CVSS v3.1, vulnerable cpeMatch ranges and exact versions; rejected CVEs skipped', () => {
  const parsed = parseVulnFile(NVD, 'nvd.json');
  assert.equal(parsed.format, 'nvd-cve-2.0');
  assert.equal(parsed.skipped, 1);
  assert.deepEqual(parsed.records[0], {
    cve: 'CVE-2099-0001',
    title: 'A made-up BIND flaw for the test.',
    cvss: { version: '3.1', score: 9.1 },
    kev: null,
    affected: [
      { vendor: 'isc', product: 'bind', versionStartIncluding: '9.18.0', versionEndExcluding: '9.18.28' },
      { vendor: 'isc', product: 'bind', version: '9.11.4-p2' },
    ],
  });
});

test('imported records merge with the shipped data and match', () => {
  const db = mergeVulnRecords(
    shippedVulnDatabase(),
    [...parseVulnFile(NVD, 'nvd.json').records, ...parseVulnFile(KEV, 'kev.json').records],
    'test',
  );
  const bind = (banner: string) =>
    matchSoftware(readSoftwareBanner(banner, 'version.bind', { host: 'ns' })!, db).vulnerabilities.map((v) => [
      v.cve,
      v.kev?.date_added ?? null,
    ]);
  assert.deepEqual(bind('9.18.24'), [['CVE-2099-0001', null]]);
  assert.deepEqual(bind('9.18.28'), []);
  // The KEV import adds dates to the shipped record and keeps its ranges.
  assert.deepEqual(bind('9.11.4-P2-RedHat-9.11.4-26.P2.el7'), [
    ['CVE-2020-8616', '2025-08-01'],
    ['CVE-2020-8617', null],
    ['CVE-2099-0001', null],
  ]);
});

test('other files are refused with what was expected', () => {
  assert.throws(
    () => parseVulnFile('{"foo": 1}', 'x.json'),
    (e: unknown) => e instanceof VulnImportError && /neither CISA/.test(e.message),
  );
  assert.throws(() => parseVulnFile('not json', 'x.json'), /not valid JSON/);
  assert.throws(
    () => parseVulnFile(JSON.stringify({ catalogVersion: '1', vulnerabilities: [{ cveID: 'nope' }] }), 'k.json'),
    /vulnerabilities\[0\] needs "cveID"/,
  );
});
