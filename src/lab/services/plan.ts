/**
 * Which lab hosts run which network services (issue #8 section 4), drawn with the seeded PRNG from the
 * hosts a discovery finds: remote access (RDP with and without NLA, VNC with and without a password,
 * Telnet, SSH with and without passwords), file sharing (SMB with and without SMBv1, FTP with and without
 * anonymous login), databases with and without credentials (and SQL Server and Oracle, which always ask),
 * DICOM, HL7, SMTP with and without STARTTLS and SIP, with version banners inside and outside known
 * vulnerable ranges. Every finding a service implies is in the truth (`serviceWeaknesses`); every other
 * port of every lab host stays closed.
 */
import type { FindingId } from '../../catalogue/ids.js';
import { createRng } from '../world/rng.js';
import type { TruthHost, TruthWeakness } from '../world/truth.js';

export const LAB_SERVICE_KINDS = [
  'rdp',
  'smb',
  'telnet',
  'ftp',
  'vnc',
  'mysql',
  'postgresql',
  'redis',
  'mongodb',
  'elasticsearch',
  'mssql',
  'oracle',
  'dicom',
  'hl7',
  'smtp',
  'ssh',
  'sip',
] as const;
export type LabServiceKind = (typeof LAB_SERVICE_KINDS)[number];

/** One service on one host: `weak` is the weakness its family can have (no NLA, SMBv1, anonymous FTP...). */
export interface LabService {
  kind: LabServiceKind;
  /** The standard port (the lab may shift every service port by one offset, see lab-services.ts). */
  port: number;
  weak: boolean;
  /** The version banner the service announces. */
  version: string;
}

export interface LabServiceHost {
  organization: string;
  address: string;
  services: LabService[];
}

/** Standard ports; DICOM and SMTP have two each, drawn per service. */
const PORTS: Record<LabServiceKind, readonly number[]> = {
  rdp: [3389],
  smb: [445],
  telnet: [23],
  ftp: [21],
  vnc: [5900],
  mysql: [3306],
  postgresql: [5432],
  redis: [6379],
  mongodb: [27017],
  elasticsearch: [9200],
  mssql: [1433],
  oracle: [1521],
  dicom: [104, 11112],
  hl7: [2575],
  smtp: [25, 587],
  ssh: [22],
  sip: [5060],
};

/** Version banners, the first of each list inside a range with known vulnerabilities (for patching work). */
export const VERSIONS: Record<LabServiceKind, readonly string[]> = {
  rdp: ['Windows Server 2008 R2', 'Windows Server 2022'],
  smb: ['Windows Server 2008 R2', 'Windows Server 2019'],
  telnet: ['BusyBox v1.20.2', 'Cisco IOS 15.2'],
  ftp: ['vsFTPd 2.3.4', 'ProFTPD 1.3.5', 'vsFTPd 3.0.5'],
  vnc: ['RFB 003.008', 'RFB 003.008'],
  mysql: ['5.5.62-log', '8.0.36'],
  postgresql: ['9.6.24', '16.2'],
  redis: ['4.0.9', '7.2.4'],
  mongodb: ['3.6.3', '7.0.5'],
  elasticsearch: ['6.8.0', '8.12.0'],
  // SQL Server 2016 RTM and 2022 RTM builds; Oracle 11.2.0.4 and 19c listeners (VSNNUM).
  mssql: ['13.0.1601', '16.0.1000'],
  oracle: ['11.2.0.4.0', '19.0.0.0.0'],
  dicom: ['OFFIS_DCMTK_360', 'OFFIS_DCMTK_368'],
  hl7: ['Mirth Connect 3.8.0', 'Mirth Connect 4.5.0'],
  smtp: ['Exim 4.87', 'Postfix'],
  ssh: ['OpenSSH_7.2p2 Ubuntu-4ubuntu2.8', 'OpenSSH_9.6p1 Ubuntu-3ubuntu13'],
  sip: ['Asterisk PBX 13.1.0', 'FreeSWITCH 1.10.11'],
};

/**
 * What each version banner means for patching (checks/patching_cadence/), declared by hand from the
 * public records rather than computed with the scanner's matcher. vsFTPd 2.3.4: the backdoored release,
 * CVE-2011-2523 (CVSS 9.8, not on KEV). ProFTPD 1.3.5: mod_copy CVE-2015-3306 (on KEV since 2026-10-08). Exim
 * 4.87: CVE-2019-10149 (4.87 to 4.91, on KEV since 2022-01-10). OpenSSH 7.2p2: CVE-2023-38408 (before 9.3p2,
 * 9.8) and CVE-2018-15473 (through 7.7, 5.3); 9.6p1: regreSSHion CVE-2024-6387 (8.5p1 to before 9.8p1, 8.1);
 * both Ubuntu packages, so the findings carry the backport note. MySQL 5.5 and 8.0, MongoDB 3.6 and
 * Elasticsearch 6 are past end of life (endoflife.date). The others are in no range of the shipped data
 * (SQL Server builds: the data has no SQL Server entry), or are not read (RDP, SMB, VNC, DICOM, HL7, Telnet,
 * SIP, Oracle VSNNUM and Postfix banners name no version matched).
 */
export const SERVICE_VERSION_PATCH_FINDINGS: Readonly<Record<string, readonly FindingId[]>> = {
  'vsFTPd 2.3.4': ['patch.cve.critical'],
  'ProFTPD 1.3.5': ['patch.kev'],
  'Exim 4.87': ['patch.kev'],
  'OpenSSH_7.2p2 Ubuntu-4ubuntu2.8': ['patch.cve.critical', 'patch.cve.medium'],
  'OpenSSH_9.6p1 Ubuntu-3ubuntu13': ['patch.cve.high'],
  '5.5.62-log': ['patch.eol'],
  '8.0.36': ['patch.eol'],
  '3.6.3': ['patch.eol'],
  '6.8.0': ['patch.eol'],
};

/** What each service plants: its exposure finding (if any) and its weakness finding when weak. */
export const SERVICE_FINDINGS: Record<LabServiceKind, { exposed?: FindingId; weak?: FindingId }> = {
  rdp: { exposed: 'net.rdp.exposed', weak: 'net.rdp.no_nla' },
  smb: { exposed: 'net.smb.exposed', weak: 'net.smb.v1' },
  telnet: { exposed: 'net.telnet.exposed' },
  ftp: { exposed: 'net.ftp.exposed', weak: 'net.ftp.anonymous' },
  vnc: { exposed: 'net.vnc.exposed', weak: 'net.vnc.no_auth' },
  mysql: { exposed: 'net.db.exposed', weak: 'net.db.no_auth' },
  postgresql: { exposed: 'net.db.exposed', weak: 'net.db.no_auth' },
  redis: { exposed: 'net.db.exposed', weak: 'net.db.no_auth' },
  mongodb: { exposed: 'net.db.exposed', weak: 'net.db.no_auth' },
  elasticsearch: { exposed: 'net.db.exposed', weak: 'net.db.no_auth' },
  // No session without a login: `weak` is only the encryption setting (SQL Server) and plants nothing.
  mssql: { exposed: 'net.db.exposed' },
  oracle: { exposed: 'net.db.exposed' },
  dicom: { exposed: 'net.dicom.exposed', weak: 'net.dicom.open_association' },
  hl7: { exposed: 'net.hl7.exposed' },
  smtp: { weak: 'net.smtp.no_starttls' },
  ssh: { weak: 'net.ssh.password_auth' },
  sip: { exposed: 'net.sip.exposed' },
};

/** Every network finding id some lab service plants. */
export const NETWORK_LAB_FINDING_IDS: readonly FindingId[] = [
  ...new Set(Object.values(SERVICE_FINDINGS).flatMap((f) => [f.exposed, f.weak].filter((x): x is FindingId => !!x))),
].sort();

/** The services the first organizations carry between them, so every finding (and its absence) occurs. */
const COVERAGE: ReadonlyArray<readonly [LabServiceKind, boolean]> = [
  ['rdp', true],
  ['rdp', false],
  ['smb', true],
  ['smb', false],
  ['telnet', false],
  ['ftp', true],
  ['ftp', false],
  ['vnc', true],
  ['vnc', false],
  ['redis', true],
  ['mysql', false],
  ['postgresql', true],
  ['mongodb', false],
  ['elasticsearch', true],
  ['mssql', true],
  ['oracle', false],
  ['dicom', true],
  ['dicom', false],
  ['hl7', false],
  ['smtp', true],
  ['smtp', false],
  ['ssh', true],
  ['ssh', false],
  ['sip', false],
];

/** Share of organizations past the coverage window that run any exposed service, and rates of weakness. */
const SERVICE_ORG_RATE = 0.25;
const WEAK_RATE = 0.5;

export interface ServicePlanInput {
  seed: number;
  organizations: ReadonlyArray<{ name: string; index: number; hosts: readonly TruthHost[]; ownPrefix: string }>;
  /** Organizations planned without any weakness: they stay without services too. */
  fullyGood: ReadonlySet<number>;
  coverageWindow: number;
}

/** Addresses a service may be put on: a discoverable host's own address (not name servers, not wildcards). */
function candidateAddresses(org: ServicePlanInput['organizations'][number]): string[] {
  const addresses = new Set<string>();
  for (const host of org.hosts) {
    if (host.addresses.length !== 1) continue;
    if (host.discoverableBy.length === 1 && host.discoverableBy[0] === 'permutation') continue;
    const address = host.addresses[0]!;
    const last = Number(address.split('.')[3]);
    if (!address.startsWith(org.ownPrefix) || last === 53 || last === 54 || last === 199) continue;
    addresses.add(address);
  }
  return [...addresses].sort();
}

export function planServices(input: ServicePlanInput): LabServiceHost[] {
  const planRng = createRng(input.seed, 'services-coverage');
  const eligible = input.organizations.filter((o) => !input.fullyGood.has(o.index) && candidateAddresses(o).length > 0);
  const window = eligible.filter((o) => o.index < input.coverageWindow);
  // Kind, weakness and, in the coverage window, which version banner (each kind's in turn, so that the
  // versions inside vulnerable ranges occur at 25 organizations whatever the draws).
  const byOrg = new Map<number, Array<readonly [LabServiceKind, boolean, number?]>>();
  if (window.length > 0) {
    const order = planRng.shuffle(window.map((o) => o.index));
    const turns = new Map<LabServiceKind, number>();
    COVERAGE.forEach(([kind, weak], i) => {
      const index = order[i % order.length]!;
      const turn = turns.get(kind) ?? 0;
      turns.set(kind, turn + 1);
      byOrg.set(index, [...(byOrg.get(index) ?? []), [kind, weak, turn]]);
    });
  }
  for (const org of eligible) {
    if (org.index < input.coverageWindow) continue;
    const rng = createRng(input.seed, 'services', org.index);
    if (!rng.chance(SERVICE_ORG_RATE)) continue;
    const count = rng.range(1, 2);
    byOrg.set(
      org.index,
      Array.from({ length: count }, () => [rng.pick(LAB_SERVICE_KINDS), rng.chance(WEAK_RATE)] as const),
    );
  }
  const hosts = new Map<string, LabServiceHost>();
  for (const org of eligible) {
    const wanted = byOrg.get(org.index);
    if (!wanted) continue;
    const rng = createRng(input.seed, 'service-hosts', org.index);
    const addresses = candidateAddresses(org);
    for (const [kind, weak, turn] of wanted) {
      const port = rng.pick(PORTS[kind]);
      const drawn = rng.pick(VERSIONS[kind]);
      const version = turn === undefined ? drawn : VERSIONS[kind][turn % VERSIONS[kind].length]!;
      // One service per port on a host: the first address (from a random start) where the port is free.
      const start = rng.int(addresses.length);
      for (let i = 0; i < addresses.length; i++) {
        const address = addresses[(start + i) % addresses.length]!;
        const host = hosts.get(address) ?? { organization: org.name, address, services: [] };
        if (host.services.some((s) => s.port === port)) continue;
        host.services.push({ kind, port, weak, version });
        hosts.set(address, host);
        break;
      }
    }
  }
  return [...hosts.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** The truth entries of the planted services: each finding on every discoverable host with the address. */
export function serviceWeaknesses(
  plan: readonly LabServiceHost[],
  hostsOf: (organization: string) => readonly TruthHost[],
): TruthWeakness[] {
  const out: TruthWeakness[] = [];
  for (const host of plan) {
    const names = hostsOf(host.organization).filter((h) => h.addresses.includes(host.address));
    for (const service of host.services) {
      const findings = SERVICE_FINDINGS[service.kind];
      const types = [
        ...[findings.exposed, service.weak ? findings.weak : undefined].filter((t): t is FindingId => !!t),
        ...(SERVICE_VERSION_PATCH_FINDINGS[service.version] ?? []),
      ];
      for (const type of types)
        for (const name of names)
          out.push({
            type,
            organization: host.organization,
            host: name.host,
            ip: host.address,
            port: service.port,
            evidence: { service: service.kind, version: service.version },
          });
    }
  }
  return out;
}
