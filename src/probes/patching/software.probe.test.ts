/**
 * The software probe's collectors over hand-built results of the probes it reads: which field of which
 * service or web fingerprint becomes which observation, with what confidence, at which place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceObservation } from '../ports/ports.types.js';
import type { WebObservation } from '../web/web.types.js';
import { softwareFromServices, softwareFromWeb } from './software.probe.js';

const services: ServiceObservation = {
  addresses: [
    {
      address: '192.0.2.22',
      hosts: ['ssh.clinic.example', 'bastion.clinic.example'],
      refused: null,
      undecided: [],
      services: [
        {
          port: 22,
          transport: 'tcp',
          identified: true,
          service: {
            name: 'ssh',
            banner: 'SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu2.8',
            software: 'OpenSSH_8.2p1',
            passwordAuth: { assessed: true, value: false },
          },
        },
        {
          port: 21,
          transport: 'tcp',
          identified: true,
          service: { name: 'ftp', banner: '220 (vsFTPd 2.3.4)', anonymousLogin: { assessed: true, value: false } },
        },
        {
          port: 3306,
          transport: 'tcp',
          identified: true,
          service: {
            name: 'mysql',
            version: '5.5.5-10.3.39-MariaDB-0+deb10u1',
            noAuth: { assessed: true, value: false },
          },
        },
        {
          port: 6379,
          transport: 'tcp',
          identified: true,
          service: { name: 'redis', version: null, noAuth: { assessed: false, reason: 'NOAUTH' } },
        },
        // HTTP on a port is the web probe's to read; RFB names a protocol, not a product version.
        {
          port: 8080,
          transport: 'tcp',
          identified: true,
          service: { name: 'http', status: 200, server: 'nginx/1.18.0' },
        },
        {
          port: 5900,
          transport: 'tcp',
          identified: true,
          service: {
            name: 'vnc',
            version: 'RFB 003.008',
            securityTypes: [2],
            noneOffered: { assessed: true, value: false },
          },
        },
        { port: 2575, transport: 'tcp', identified: false, reason: 'no protocol matched' },
      ],
    },
  ],
};

test('service banners and protocol fields become observations on every host name at the address', () => {
  const out = softwareFromServices(services);
  assert.deepEqual(
    out.map((o) => [o.location.host, o.location.port, o.source, o.cpe, o.version, o.confidence]),
    [
      ['ssh.clinic.example', 22, 'ssh-banner', 'cpe:2.3:a:openbsd:openssh:8.2:p1:*:*:*:*:*:*', '8.2p1', 0.6],
      ['bastion.clinic.example', 22, 'ssh-banner', 'cpe:2.3:a:openbsd:openssh:8.2:p1:*:*:*:*:*:*', '8.2p1', 0.6],
      ['ssh.clinic.example', 21, 'ftp-banner', 'cpe:2.3:a:vsftpd_project:vsftpd:2.3.4:*:*:*:*:*:*:*', '2.3.4', 0.9],
      ['bastion.clinic.example', 21, 'ftp-banner', 'cpe:2.3:a:vsftpd_project:vsftpd:2.3.4:*:*:*:*:*:*:*', '2.3.4', 0.9],
      ['ssh.clinic.example', 3306, 'mysql-greeting', 'cpe:2.3:a:mariadb:mariadb:10.3.39:*:*:*:*:*:*:*', '10.3.39', 0.6],
      [
        'bastion.clinic.example',
        3306,
        'mysql-greeting',
        'cpe:2.3:a:mariadb:mariadb:10.3.39:*:*:*:*:*:*:*',
        '10.3.39',
        0.6,
      ],
    ],
  );
  assert.deepEqual(out[0]!.distributionPatch, { distribution: 'ubuntu', suffix: '4ubuntu2.8' });
  assert.equal(out[0]!.location.ip, '192.0.2.22');
});

test('web fingerprints with a version and a CPE become observations; the reading sets the confidence', () => {
  const web: WebObservation = {
    domain: 'clinic.example',
    hosts: [
      {
        host: 'www.clinic.example',
        address: '192.0.2.80',
        endpoints: [],
        telehealth: false,
        products: [
          {
            product: 'Apache HTTP Server',
            version: '2.4.29',
            cpe: 'cpe:2.3:a:apache:http_server:2.4.29:*:*:*:*:*:*:*',
            evidence: 'server: Apache/2.4.29 (Ubuntu)',
            category: 'web-server',
          },
          {
            product: 'PHP',
            version: '7.2.24',
            cpe: 'cpe:2.3:a:php:php:7.2.24:*:*:*:*:*:*:*',
            evidence: 'x-powered-by: PHP/7.2.24',
            category: 'framework',
          },
          {
            product: 'jquery',
            version: '1.12.4',
            cpe: 'cpe:2.3:a:jquery:jquery:1.12.4:*:*:*:*:*:*:*',
            evidence: 'script http://www.clinic.example/js/jquery.min.js',
            category: 'framework',
          },
          {
            product: 'Microsoft Exchange Outlook Web App',
            version: '15.1.2507.6',
            cpe: 'cpe:2.3:a:microsoft:exchange_server:-:*:*:*:*:*:*:*',
            evidence: 'x-owa-version: 15.1.2507.6',
            category: 'remote-access',
          },
          // A product named without a version matches no range: nothing to observe.
          {
            product: 'Ivanti Connect Secure (Pulse Secure)',
            cpe: 'cpe:2.3:a:ivanti:connect_secure:-:*:*:*:*:*:*:*',
            evidence: 'page: /dana-na/',
            category: 'remote-access',
          },
        ],
      },
    ],
  };
  const out = softwareFromWeb(web);
  assert.deepEqual(
    out.map((o) => [o.location, o.source, o.cpe, o.confidence, o.distributionPatch?.distribution ?? null]),
    [
      [
        { host: 'www.clinic.example', ip: '192.0.2.80' },
        'http-server-header',
        'cpe:2.3:a:apache:http_server:2.4.29:*:*:*:*:*:*:*',
        0.6,
        'ubuntu',
      ],
      [
        { host: 'www.clinic.example', ip: '192.0.2.80' },
        'http-x-powered-by',
        'cpe:2.3:a:php:php:7.2.24:*:*:*:*:*:*:*',
        0.9,
        null,
      ],
      [
        { host: 'www.clinic.example', ip: '192.0.2.80' },
        'javascript-library',
        'cpe:2.3:a:jquery:jquery:1.12.4:*:*:*:*:*:*:*',
        0.8,
        null,
      ],
      [
        { host: 'www.clinic.example', ip: '192.0.2.80' },
        'http-x-owa-version',
        'cpe:2.3:a:microsoft:exchange_server:15.1.2507.6:*:*:*:*:*:*:*',
        0.9,
        null,
      ],
    ],
  );
});
