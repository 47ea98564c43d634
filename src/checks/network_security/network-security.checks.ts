/**
 * The network_security checks (issue #8 section 1): services exposed to the internet that should not be,
 * and their weaknesses, judged from the services probe (src/probes/ports/). One check per service family.
 */
import { defineServiceCheck } from './service-check.js';

const yes = (value: boolean) => ({ assessed: true as const, value });

export const rdpCheck = defineServiceCheck({
  id: 'net.rdp',
  description: 'Remote Desktop reachable, and whether it requires Network Level Authentication',
  services: ['rdp'],
  exposed: 'net.rdp.exposed',
  weakness: {
    id: 'net.rdp.no_nla',
    assess: (s) => (s.nlaRequired.assessed ? yes(!s.nlaRequired.value) : s.nlaRequired),
  },
  evidence: (s) => ({ selected_protocol: s.selectedProtocol, negotiation: s.detail }),
});

export const smbCheck = defineServiceCheck({
  id: 'net.smb',
  description: 'SMB file sharing reachable, and whether SMBv1 is still accepted',
  services: ['smb'],
  exposed: 'net.smb.exposed',
  weakness: { id: 'net.smb.v1', assess: (s) => s.smb1 },
  evidence: (s) => ({ dialect: s.dialect }),
});

export const telnetCheck = defineServiceCheck({
  id: 'net.telnet',
  description: 'Telnet reachable',
  services: ['telnet'],
  exposed: 'net.telnet.exposed',
  evidence: (s) => ({ banner: s.banner }),
});

export const ftpCheck = defineServiceCheck({
  id: 'net.ftp',
  description: 'FTP reachable, and whether anonymous login is accepted',
  services: ['ftp'],
  exposed: 'net.ftp.exposed',
  weakness: { id: 'net.ftp.anonymous', assess: (s) => s.anonymousLogin },
  evidence: (s) => ({ banner: s.banner }),
});

export const vncCheck = defineServiceCheck({
  id: 'net.vnc',
  description: 'VNC reachable, and whether it offers the None security type',
  services: ['vnc'],
  exposed: 'net.vnc.exposed',
  weakness: { id: 'net.vnc.no_auth', assess: (s) => s.noneOffered },
  evidence: (s) => ({ version: s.version, security_types: s.securityTypes }),
});

/** The engine as the evidence names it: the service name, or the product where the name is a protocol's. */
const ENGINE_NAMES: Readonly<Record<string, string>> = { mssql: 'Microsoft SQL Server', oracle: 'Oracle' };

export const databaseCheck = defineServiceCheck({
  id: 'net.db',
  description:
    'databases reachable (MySQL/MariaDB, PostgreSQL, Redis, MongoDB, Elasticsearch, Microsoft SQL Server, ' +
    'Oracle), and open without credentials',
  services: ['mysql', 'postgresql', 'redis', 'mongodb', 'elasticsearch', 'mssql', 'oracle'],
  exposed: 'net.db.exposed',
  weakness: {
    id: 'net.db.no_auth',
    // SQL Server (TDS LOGIN7) and Oracle (TNS authentication) have no session without a login: they never
    // answer queries without credentials. Whether a login has a blank password would take guessing one.
    assess: (s) => ('noAuth' in s ? s.noAuth : yes(false)),
  },
  evidence: (s) => ({
    engine: ENGINE_NAMES[s.name] ?? s.name,
    ...('version' in s && s.version ? { version: s.version } : {}),
    ...('encryption' in s ? { encryption: s.encryption } : {}),
    ...('reply' in s ? { tns_reply: s.reply } : {}),
  }),
});

export const dicomCheck = defineServiceCheck({
  id: 'net.dicom',
  description: 'DICOM reachable, and whether it accepts an association from any AE title',
  services: ['dicom'],
  exposed: 'net.dicom.exposed',
  weakness: {
    id: 'net.dicom.open_association',
    assess: (s) => (!s.associationAccepted ? yes(false) : s.echo),
  },
  evidence: (s) => ({ association: s.detail }),
});

export const hl7Check = defineServiceCheck({
  id: 'net.hl7',
  description: 'an HL7 v2 (MLLP) interface that acknowledges messages from anyone',
  services: ['hl7'],
  exposed: 'net.hl7.exposed',
  evidence: (s) => ({ acknowledgment: s.acknowledgment }),
});

export const smtpCheck = defineServiceCheck({
  id: 'net.smtp',
  description: 'SMTP servers that do not offer STARTTLS',
  services: ['smtp'],
  weakness: { id: 'net.smtp.no_starttls', assess: (s) => yes(!s.starttls) },
  evidence: (s) => ({ banner: s.banner, extensions: s.extensions }),
});

export const sshCheck = defineServiceCheck({
  id: 'net.ssh',
  description: 'SSH servers that offer password authentication',
  services: ['ssh'],
  weakness: { id: 'net.ssh.password_auth', assess: (s) => s.passwordAuth },
  evidence: (s) => ({ banner: s.banner, ...(s.authMethods ? { auth_methods: s.authMethods } : {}) }),
});

export const sipCheck = defineServiceCheck({
  id: 'net.sip',
  description: 'SIP (VoIP signalling) reachable',
  services: ['sip'],
  exposed: 'net.sip.exposed',
  evidence: (s) => ({ status: s.status, ...(s.server ? { server: s.server } : {}) }),
});

export const NETWORK_SECURITY_CHECKS = [
  rdpCheck,
  smbCheck,
  telnetCheck,
  ftpCheck,
  vncCheck,
  databaseCheck,
  dicomCheck,
  hl7Check,
  smtpCheck,
  sshCheck,
  sipCheck,
] as const;
