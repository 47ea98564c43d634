/**
 * The network_security checks over hand-built service observations, one row per situation: each service
 * weak and strong, an unnamed open port and a refused address (not assessed, never a pass), and an
 * address shared by two host names (a finding on each).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressServices, IdentifiedService, ServiceObservation } from '../../probes/ports/ports.types.js';
import { NETWORK_SECURITY_CHECKS } from './network-security.checks.js';

const yes = { assessed: true as const, value: true };
const no = { assessed: true as const, value: false };
const unknown = { assessed: false as const, reason: 'the server hung up' };

function observation(
  services: Array<[number, IdentifiedService]>,
  extra: Partial<AddressServices> = {},
): ServiceObservation {
  return {
    addresses: [
      {
        address: '192.0.2.10',
        hosts: ['pacs.example.test'],
        refused: null,
        undecided: [],
        services: services.map(([port, service]) => ({ port, transport: 'tcp', identified: true, service })),
        ...extra,
      },
    ],
  };
}

function judgeAll(obs: ServiceObservation) {
  const findings: string[] = [];
  const notAssessed: string[] = [];
  for (const check of NETWORK_SECURITY_CHECKS) {
    const out = check.judge({ domain: 'example.test' }, [obs] as never);
    findings.push(...out.findings.map((f) => `${f.type}@${f.asset.host}:${f.asset.port}`));
    notAssessed.push(...out.notAssessed.map((n) => `${n.check}@${n.asset.host}`));
  }
  return { findings: findings.sort(), notAssessed: [...new Set(notAssessed)].sort() };
}

const rows: Array<{
  name: string;
  services: Array<[number, IdentifiedService]>;
  findings: string[];
  notAssessed?: string[];
}> = [
  { name: 'nothing open', services: [], findings: [] },
  {
    name: 'RDP requiring NLA',
    services: [[3389, { name: 'rdp', selectedProtocol: null, nlaRequired: yes, detail: '' }]],
    findings: ['net.rdp.exposed@pacs.example.test:3389'],
  },
  {
    name: 'RDP without NLA',
    services: [[3389, { name: 'rdp', selectedProtocol: 'ssl', nlaRequired: no, detail: '' }]],
    findings: ['net.rdp.exposed@pacs.example.test:3389', 'net.rdp.no_nla@pacs.example.test:3389'],
  },
  {
    name: 'RDP with an unknown negotiation: exposed, NLA not assessed',
    services: [[3389, { name: 'rdp', selectedProtocol: null, nlaRequired: unknown, detail: '' }]],
    findings: ['net.rdp.exposed@pacs.example.test:3389'],
    notAssessed: ['net.rdp@pacs.example.test'],
  },
  {
    name: 'SMB with and without SMBv1',
    services: [
      [445, { name: 'smb', dialect: 'NT LM 0.12', smb1: yes }],
      [1445, { name: 'smb', dialect: 'SMB 2.???', smb1: no }],
    ],
    findings: [
      'net.smb.exposed@pacs.example.test:1445',
      'net.smb.exposed@pacs.example.test:445',
      'net.smb.v1@pacs.example.test:445',
    ],
  },
  {
    name: 'Telnet, SIP and HL7 are exposures by themselves',
    services: [
      [23, { name: 'telnet', banner: 'login:' }],
      [5060, { name: 'sip', status: '200 OK', server: null }],
      [2575, { name: 'hl7', acknowledgment: 'AA' }],
    ],
    findings: [
      'net.hl7.exposed@pacs.example.test:2575',
      'net.sip.exposed@pacs.example.test:5060',
      'net.telnet.exposed@pacs.example.test:23',
    ],
  },
  {
    name: 'FTP with anonymous login, VNC with None',
    services: [
      [21, { name: 'ftp', banner: '(vsFTPd 2.3.4)', anonymousLogin: yes }],
      [5900, { name: 'vnc', version: 'RFB 003.008', securityTypes: [1], noneOffered: yes }],
    ],
    findings: [
      'net.ftp.anonymous@pacs.example.test:21',
      'net.ftp.exposed@pacs.example.test:21',
      'net.vnc.exposed@pacs.example.test:5900',
      'net.vnc.no_auth@pacs.example.test:5900',
    ],
  },
  {
    name: 'databases: Redis open, MySQL closed to anonymous users, MongoDB unknown',
    services: [
      [6379, { name: 'redis', version: '4.0.9', noAuth: yes }],
      [3306, { name: 'mysql', version: '8.0.36', noAuth: no }],
      [27017, { name: 'mongodb', version: null, noAuth: unknown }],
    ],
    findings: [
      'net.db.exposed@pacs.example.test:27017',
      'net.db.exposed@pacs.example.test:3306',
      'net.db.exposed@pacs.example.test:6379',
      'net.db.no_auth@pacs.example.test:6379',
    ],
    notAssessed: ['net.db@pacs.example.test'],
  },
  {
    name: 'DICOM: open association, and a rejecting PACS',
    services: [
      [104, { name: 'dicom', associationAccepted: true, echo: yes, detail: '' }],
      [11112, { name: 'dicom', associationAccepted: false, echo: no, detail: '' }],
    ],
    findings: [
      'net.dicom.exposed@pacs.example.test:104',
      'net.dicom.exposed@pacs.example.test:11112',
      'net.dicom.open_association@pacs.example.test:104',
    ],
  },
  {
    name: 'SMTP without STARTTLS, SSH with passwords; their strong twins say nothing',
    services: [
      [25, { name: 'smtp', banner: 'ESMTP', extensions: [], starttls: false }],
      [587, { name: 'smtp', banner: 'ESMTP', extensions: ['STARTTLS'], starttls: true }],
      [22, { name: 'ssh', banner: 'SSH-2.0-OpenSSH_7.4', software: 'OpenSSH_7.4', passwordAuth: yes }],
      [2222, { name: 'ssh', banner: 'SSH-2.0-OpenSSH_9.6', software: 'OpenSSH_9.6', passwordAuth: no }],
    ],
    findings: ['net.smtp.no_starttls@pacs.example.test:25', 'net.ssh.password_auth@pacs.example.test:22'],
  },
  {
    name: 'web and TLS ports are left to their families',
    services: [
      [443, { name: 'tls', record: 'handshake' }],
      [80, { name: 'http', status: 200, server: 'nginx' }],
    ],
    findings: [],
  },
];

describe('network_security checks', () => {
  for (const row of rows) {
    test(row.name, () => {
      const { findings, notAssessed } = judgeAll(observation(row.services));
      assert.deepEqual(findings, [...row.findings].sort());
      assert.deepEqual(notAssessed, row.notAssessed ?? []);
    });
  }

  test('an open port no protocol named: every check is not assessed on that host, never a pass', () => {
    const obs = observation([]);
    obs.addresses[0]!.services.push({ port: 3389, transport: 'tcp', identified: false, reason: 'timeout' });
    const { findings, notAssessed } = judgeAll(obs);
    assert.deepEqual(findings, []);
    assert.equal(notAssessed.length, NETWORK_SECURITY_CHECKS.length);
  });

  test('an address the policy refused, or a port whose state is unknown: not assessed', () => {
    for (const extra of [{ refused: '10.0.0.1 is private' }, { undecided: [445] }]) {
      const { findings, notAssessed } = judgeAll(observation([], extra));
      assert.deepEqual(findings, []);
      assert.equal(notAssessed.length, NETWORK_SECURITY_CHECKS.length, JSON.stringify(extra));
    }
  });

  test('an address shared by two names: the finding is on each', () => {
    const obs = observation([[23, { name: 'telnet', banner: '' }]], { hosts: ['a.example.test', 'b.example.test'] });
    assert.deepEqual(judgeAll(obs).findings, [
      'net.telnet.exposed@a.example.test:23',
      'net.telnet.exposed@b.example.test:23',
    ]);
  });
});
