/** Versions, CPE names, banners and matching against the shipped data. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readSoftwareBanner, softwareFromCpe } from './banner.js';
import { formatCpe, parseCpe } from './cpe.js';
import { compareVersions, inRange } from './version.js';
import { matchSoftware, shippedVulnDatabase } from './vuln-data.js';

describe('versions', () => {
  test('vendor numbering orders as releases do', () => {
    const ordered = ['7.4', '7.4p1', '7.7', '8.2p1', '8.5p1', '9.3p2', '9.8p1', '10.0'];
    for (let i = 1; i < ordered.length; i++)
      assert.equal(compareVersions(ordered[i - 1]!, ordered[i]!), -1, ordered[i]);
    assert.equal(compareVersions('9.11.4', '9.11.4-P2'), -1);
    assert.equal(compareVersions('9.11.4-P2', '9.11.18'), -1);
    assert.equal(compareVersions('9.11.0rc3', '9.11.0'), -1);
    assert.equal(compareVersions('2.4.49', '2.4.49'), 0);
    assert.equal(compareVersions('1.3.5b', '1.3.5'), 1);
    // A pre-release comes before the end of a version, which comes before a letter suffix: p1.rc1 < p1 <
    // p1.p1 holds transitively (fast-check found p1.rc1 > p1.p1 when letters were compared alphabetically).
    assert.equal(compareVersions('p1.rc1', 'p1'), -1);
    assert.equal(compareVersions('p1', 'p1.p1'), -1);
    assert.equal(compareVersions('p1.rc1', 'p1.p1'), -1);
    assert.equal(compareVersions('9.11.0rc1', '9.11.0b'), -1);
  });

  test('comparison is a total order (antisymmetric, transitive) over generated versions', () => {
    const version = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 20 }).map(String), fc.constantFrom('p1', 'P2', 'rc1', 'b')), {
        minLength: 1,
        maxLength: 4,
      })
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        assert.equal(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a)), 0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0);
      }),
    );
  });

  test('ranges: inclusive and exclusive bounds, open ends, exact versions', () => {
    assert.ok(inRange('9.16.1', { versionStartIncluding: '9.16.0', versionEndIncluding: '9.16.2' }));
    assert.ok(!inRange('9.16.3', { versionStartIncluding: '9.16.0', versionEndIncluding: '9.16.2' }));
    assert.ok(inRange('9.12.4-P2', { versionStartIncluding: '9.12.0', versionEndIncluding: '9.12.4-P2' }));
    assert.ok(!inRange('9.8p1', { versionStartIncluding: '8.5p1', versionEndExcluding: '9.8p1' }));
    assert.ok(inRange('4.3', { versionEndExcluding: '4.4p1' }));
    assert.ok(!inRange('2.4.50', { version: '2.4.49' }));
    // With the CPE version attribute: bounds without letters compare it, bounds with letters the whole.
    assert.ok(inRange('7.7p1', { versionEndIncluding: '7.7' }, '7.7'));
    assert.ok(!inRange('7.7p1', { versionEndIncluding: '7.7' }));
    assert.ok(!inRange('9.8p1', { versionEndExcluding: '9.8p1' }, '9.8'));
    assert.ok(inRange('9.16.2-P1', { versionEndIncluding: '9.16.2' }, '9.16.2'));
    assert.ok(!inRange('9.12.4-P3', { versionEndIncluding: '9.12.4-P2' }, '9.12.4'));
  });
});

describe('CPE 2.3 names', () => {
  test('format and parse round-trip, with escapes', () => {
    const cpe = formatCpe({ part: 'a', vendor: 'isc', product: 'bind', version: '9.11.4', update: 'p2' });
    assert.equal(cpe, 'cpe:2.3:a:isc:bind:9.11.4:p2:*:*:*:*:*:*');
    assert.equal(parseCpe(cpe)?.update, 'p2');
    const odd = formatCpe({ part: 'a', vendor: 'acme', product: 'web:server', version: '1.0' });
    assert.equal(odd, 'cpe:2.3:a:acme:web\\:server:1.0:*:*:*:*:*:*:*');
    assert.equal(parseCpe(odd)?.product, 'web:server');
    assert.equal(parseCpe('cpe:/a:isc:bind:9.11'), null);
    assert.equal(parseCpe('cpe:2.3:x:isc:bind:9.11:*:*:*:*:*:*:*'), null);
    assert.equal(parseCpe('cpe:2.3:a:isc:bind'), null);
  });
});

describe('banners', () => {
  const at = { host: 'h.example' };
  const cases: [string, string, string | null, string, number, string | null][] = [
    [
      'SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7',
      'ssh-banner',
      'cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*',
      '7.4p1',
      0.6,
      'debian 10+deb9u7 Debian 9',
    ],
    [
      'SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu2.8',
      'ssh-banner',
      'cpe:2.3:a:openbsd:openssh:8.2:p1:*:*:*:*:*:*',
      '8.2p1',
      0.6,
      'ubuntu 4ubuntu2.8',
    ],
    [
      'Apache/2.4.49 (Unix)',
      'http-server-header',
      'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*',
      '2.4.49',
      0.9,
      null,
    ],
    ['nginx/1.18.0', 'http-server-header', 'cpe:2.3:a:f5:nginx:1.18.0:*:*:*:*:*:*:*', '1.18.0', 0.9, null],
    [
      'Microsoft-IIS/8.5',
      'http-server-header',
      'cpe:2.3:a:microsoft:internet_information_services:8.5:*:*:*:*:*:*:*',
      '8.5',
      0.9,
      null,
    ],
    ['220 (vsFTPd 2.3.4)', 'ftp-banner', 'cpe:2.3:a:vsftpd_project:vsftpd:2.3.4:*:*:*:*:*:*:*', '2.3.4', 0.9, null],
    [
      '220 ProFTPD 1.3.5 Server (ProFTPD Default Installation)',
      'ftp-banner',
      'cpe:2.3:a:proftpd:proftpd:1.3.5:*:*:*:*:*:*:*',
      '1.3.5',
      0.9,
      null,
    ],
    [
      '220 mx.clinic.example ESMTP Exim 4.92 Mon, 02 Dec 2026',
      'smtp-banner',
      'cpe:2.3:a:exim:exim:4.92:*:*:*:*:*:*:*',
      '4.92',
      0.9,
      null,
    ],
    ['PHP/7.4.3', 'http-x-powered-by', 'cpe:2.3:a:php:php:7.4.3:*:*:*:*:*:*:*', '7.4.3', 0.9, null],
    [
      '9.11.3-1ubuntu1.2-Ubuntu',
      'version.bind',
      'cpe:2.3:a:isc:bind:9.11.3:*:*:*:*:*:*:*',
      '9.11.3',
      0.6,
      'ubuntu 1ubuntu1.2',
    ],
    [
      '9.11.4-P2-RedHat-9.11.4-26.P2.el7',
      'version.bind',
      'cpe:2.3:a:isc:bind:9.11.4:p2:*:*:*:*:*:*',
      '9.11.4-P2',
      0.6,
      'redhat 26.P2.el7 RHEL 7',
    ],
    ['9.18.24', 'version.bind', 'cpe:2.3:a:isc:bind:9.18.24:*:*:*:*:*:*:*', '9.18.24', 0.9, null],
    ['Microsoft DNS 6.1.7601 (1DB15D39)', 'version.bind', null, '', 0, null],
    ['none of your business', 'version.bind', null, '', 0, null],
    ['Apache', 'http-server-header', null, '', 0, null],
    ['5.5.62-log', 'mysql-greeting', 'cpe:2.3:a:oracle:mysql:5.5.62:*:*:*:*:*:*:*', '5.5.62', 0.9, null],
    [
      '5.7.42-0ubuntu0.18.04.1',
      'mysql-greeting',
      'cpe:2.3:a:oracle:mysql:5.7.42:*:*:*:*:*:*:*',
      '5.7.42',
      0.6,
      'ubuntu 0ubuntu0.18.04.1',
    ],
    [
      '5.5.5-10.3.39-MariaDB-0+deb10u1',
      'mysql-greeting',
      'cpe:2.3:a:mariadb:mariadb:10.3.39:*:*:*:*:*:*:*',
      '10.3.39',
      0.6,
      'debian 0+deb10u1 Debian 10',
    ],
    ['4.0.9', 'redis-info', 'cpe:2.3:a:redis:redis:4.0.9:*:*:*:*:*:*:*', '4.0.9', 0.9, null],
    ['3.6.3', 'mongodb-buildinfo', 'cpe:2.3:a:mongodb:mongodb:3.6.3:*:*:*:*:*:*:*', '3.6.3', 0.9, null],
    ['6.8.0', 'elasticsearch-root', 'cpe:2.3:a:elastic:elasticsearch:6.8.0:*:*:*:*:*:*:*', '6.8.0', 0.9, null],
    ['220 ProFTPD 1.3.5b Server', 'ftp-banner', 'cpe:2.3:a:proftpd:proftpd:1.3.5b:*:*:*:*:*:*:*', '1.3.5b', 0.9, null],
    ['Asterisk PBX 13.1.0', 'sip-server-header', null, '', 0, null],
    // A banner read as a source it did not come from names nothing: version.bind never names OpenSSH.
    ['SSH-2.0-OpenSSH_8.2p1', 'version.bind', null, '', 0, null],
    ['SSH-2.0-OpenSSH_8.2p1', 'no-such-source', null, '', 0, null],
  ];
  for (const [banner, source, cpe, version, confidence, patch] of cases)
    test(`${banner} (${source})`, () => {
      const o = readSoftwareBanner(banner, source, at);
      if (cpe === null) return assert.equal(o, null);
      assert.ok(o);
      assert.deepEqual([o.cpe, o.version, o.confidence], [cpe, version, confidence]);
      const p = o.distributionPatch;
      assert.equal(p ? [p.distribution, p.suffix, p.release].filter(Boolean).join(' ') : null, patch);
    });
});

describe('matching the shipped data', () => {
  const db = shippedVulnDatabase();
  const match = (banner: string, source: string) =>
    matchSoftware(readSoftwareBanner(banner, source, { host: 'h' })!, db);

  test('the file is dated, and its KEV flags agree with the KEV catalog snapshot it names', () => {
    assert.match(db.dated, /^\d{4}-\d{2}-\d{2}$/);
    const kev = db.vulnerabilities.filter((v) => v.kev).map((v) => v.cve);
    assert.ok(kev.includes('CVE-2021-41773') && kev.includes('CVE-2019-10149') && !kev.includes('CVE-2024-6387'));
  });

  test('versions inside, at the edges of and outside the ranges', () => {
    const cves = (banner: string, source = 'http-server-header') =>
      match(banner, source).vulnerabilities.map((v) => v.cve);
    assert.deepEqual(cves('Apache/2.4.49 (Unix)'), ['CVE-2021-41773', 'CVE-2021-42013']);
    assert.deepEqual(cves('Apache/2.4.50'), ['CVE-2021-42013']);
    assert.deepEqual(cves('Apache/2.4.51'), []);
    assert.deepEqual(cves('9.16.2', 'version.bind'), ['CVE-2020-8616', 'CVE-2020-8617']);
    assert.deepEqual(cves('9.16.3', 'version.bind'), []);
    assert.deepEqual(cves('9.12.4-P2', 'version.bind'), ['CVE-2020-8616', 'CVE-2020-8617']);
    assert.deepEqual(cves('9.12.4-P3', 'version.bind'), []);
    // NVD's development-branch ranges too: 9.15.0 to 9.15.6, 9.17.0 to 9.17.1.
    assert.deepEqual(cves('9.15.6', 'version.bind'), ['CVE-2020-8616', 'CVE-2020-8617']);
    assert.deepEqual(cves('9.15.7', 'version.bind'), []);
    assert.deepEqual(cves('220 mx ESMTP Exim 4.91', 'smtp-banner'), ['CVE-2019-10149']);
    assert.deepEqual(cves('220 mx ESMTP Exim 4.92', 'smtp-banner'), []);
    const range = match('Apache/2.4.49', 'http-server-header').vulnerabilities[0]!.range;
    assert.equal(range, '>= 2.4.49, <= 2.4.49');
  });

  test('OpenSSH portable versions at the edges of regreSSHion and the ssh-agent ranges (letters compare)', () => {
    const cves = (version: string) =>
      match(`SSH-2.0-OpenSSH_${version}`, 'ssh-banner').vulnerabilities.map((v) => v.cve);
    assert.deepEqual(cves('4.3p2'), ['CVE-2018-15473', 'CVE-2023-38408', 'CVE-2024-6387']);
    assert.deepEqual(cves('4.4p1'), ['CVE-2018-15473', 'CVE-2023-38408']);
    // "Through 7.7" (a bound without letters) holds the portable release 7.7p1, as NVD compares 7.7 alone.
    assert.deepEqual(cves('7.7p1'), ['CVE-2018-15473', 'CVE-2023-38408']);
    assert.deepEqual(cves('7.8p1'), ['CVE-2023-38408']);
    assert.deepEqual(cves('8.2p1 Ubuntu-4ubuntu2.8'), ['CVE-2023-38408']);
    assert.deepEqual(cves('8.5p1'), ['CVE-2023-38408', 'CVE-2024-6387']);
    assert.deepEqual(cves('9.3p1'), ['CVE-2023-38408', 'CVE-2024-6387']);
    assert.deepEqual(cves('9.3p2'), ['CVE-2024-6387']);
    assert.deepEqual(cves('9.7p1'), ['CVE-2024-6387']);
    assert.deepEqual(cves('9.8p1'), []);
    const regresshion = match('SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13', 'ssh-banner').vulnerabilities[0]!;
    assert.equal(regresshion.range, '>= 8.5p1, < 9.8p1');
  });

  test('a range that ends before the fixed release leaves the fixed release out', () => {
    const cves = (v: string) => match(`PHP/${v}`, 'http-x-powered-by').vulnerabilities.map((x) => x.cve);
    assert.deepEqual(cves('7.2.23'), ['CVE-2019-11043']);
    assert.deepEqual(cves('7.2.24'), []);
    assert.deepEqual(cves('8.1.28'), ['CVE-2024-4577']);
    assert.deepEqual(cves('8.1.29'), []);
    assert.deepEqual(match('220 ProFTPD 1.3.5b Server', 'ftp-banner').vulnerabilities, []);
  });

  test('every end-of-life entry ended before the file is dated, and names its source', () => {
    for (const e of db.endOfLife) {
      assert.match(e.eol, /^\d{4}-\d{2}(-\d{2})?$/, `${e.product} ${e.branch}`);
      assert.ok(e.eol <= db.dated, `${e.product} ${e.branch} ends ${e.eol}, after ${db.dated}`);
      assert.ok(e.source.length > 10, `${e.product} ${e.branch}`);
    }
  });

  test('end-of-life branches of web servers, databases and Exchange, at their edges', () => {
    const branch = (banner: string, source: string) => match(banner, source).endOfLife?.branch ?? null;
    assert.equal(branch('Microsoft-IIS/8.5', 'http-server-header'), '8.5 (Windows Server 2012 R2)');
    assert.equal(branch('Microsoft-IIS/10.0', 'http-server-header'), null);
    assert.equal(branch('nginx/1.27.5', 'http-server-header'), '1.27');
    assert.equal(branch('nginx/1.28.0', 'http-server-header'), null);
    assert.equal(branch('Apache/2.2.34', 'http-server-header'), '2.2');
    assert.equal(branch('Apache/2.4.62', 'http-server-header'), null);
    assert.equal(branch('5.5.62-log', 'mysql-greeting'), '5.5');
    assert.equal(branch('8.4.3', 'mysql-greeting'), null);
    assert.equal(branch('3.6.3', 'mongodb-buildinfo'), '3.6');
    assert.equal(branch('7.0.5', 'mongodb-buildinfo'), null);
    assert.equal(branch('6.8.0', 'elasticsearch-root'), '6');
    assert.equal(branch('7.17.26', 'elasticsearch-root'), null);
    const exchange = (build: string) =>
      matchSoftware(
        softwareFromCpe(
          {
            cpe: 'cpe:2.3:a:microsoft:exchange_server:-:*:*:*:*:*:*:*',
            version: build,
            raw: `x-owa-version: ${build}`,
          },
          'http-x-owa-version',
          { host: 'h' },
          0.9,
        )!,
        db,
      ).endOfLife?.branch ?? null;
    assert.equal(exchange('15.1.2507.6'), 'Exchange Server 2016 (build 15.1)');
    assert.equal(exchange('15.0.1497.48'), 'Exchange Server 2013 (build 15.0)');
    assert.equal(exchange('15.2.1748.26'), null);
  });

  test('end-of-life branches', () => {
    assert.equal(match('PHP/7.4.3', 'http-x-powered-by').endOfLife?.branch, '7.4');
    assert.equal(match('PHP/8.2.1', 'http-x-powered-by').endOfLife, null);
    assert.equal(match('9.16.1-Ubuntu', 'version.bind').endOfLife?.branch, '9.16 and earlier');
    assert.equal(match('9.11.4-P2-RedHat-9.11.4-26.P2.el7', 'version.bind').endOfLife?.branch, '9.16 and earlier');
    assert.equal(match('9.18.24', 'version.bind').endOfLife, null);
  });
});
