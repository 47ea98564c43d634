/**
 * What each lab TLS endpoint serves, and exactly which findings that makes (the ground truth: written by
 * hand from the profile, never computed by the scanner's checks). OpenSSL (node:tls) serves every profile
 * it can; the legacy responder (legacy-responder.ts) answers for what OpenSSL 3 (as Node.js builds it)
 * cannot do: SSLv2, SSLv3, export, RC4 and 3DES suites.
 */

/** The certificate an endpoint presents. */
export type LabCertificateKind =
  | 'valid'
  | 'valid-rsa'
  | 'wildcard'
  | 'expired'
  | 'not-yet-valid'
  | 'expiring-soon'
  | 'self-signed'
  | 'mismatch'
  | 'weak-key'
  | 'sha1'
  | 'no-intermediate'
  | 'untrusted'
  | 'too-long';

export interface OpensslServing {
  kind: 'openssl';
  certificate: LabCertificateKind;
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';
  maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher string for TLS 1.2 and older (TLS 1.3 keeps OpenSSL's three default suites). */
  ciphers: string;
}

export interface ResponderServing {
  kind: 'responder';
  certificate: 'valid-rsa';
  /** Suites per version in preference order (two-byte codes; SSLv2: three-byte cipher kinds). */
  suites: Partial<Record<'SSLv2' | 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', readonly number[]>>;
}

export interface LabTlsProfile {
  serving: OpensslServing | ResponderServing;
  /** The findings the scanner must report on every host this endpoint serves. */
  findings: readonly string[];
}

const MODERN_EC = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305';
const MODERN_RSA = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384';
/** Suites TLS 1.0 and 1.1 can use (no AEAD before 1.2). */
const LEGACY_EC = `${MODERN_EC}:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA`;

function modern(certificate: LabCertificateKind, findings: string[] = []): LabTlsProfile {
  const rsa = certificate === 'valid-rsa' || certificate === 'weak-key';
  return {
    serving: {
      kind: 'openssl',
      certificate,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      // Weak keys and SHA-1 chains need security level 0 to be served at all.
      ciphers: `${rsa ? MODERN_RSA : MODERN_EC}:@SECLEVEL=0`,
    },
    findings,
  };
}

const TLS13 = [0x1301, 0x1302];
const RSA_AES128_GCM = 0x009c;

export const LAB_TLS_PROFILES = {
  good: modern('valid'),
  'good-rsa': modern('valid-rsa'),
  'good-wildcard': modern('wildcard'),
  expired: modern('expired', ['tls.cert.expired']),
  'not-yet-valid': modern('not-yet-valid', ['tls.cert.not_yet_valid']),
  'expiring-soon': modern('expiring-soon', ['tls.cert.expiring_soon']),
  'self-signed': modern('self-signed', ['tls.cert.self_signed']),
  mismatch: modern('mismatch', ['tls.cert.hostname_mismatch']),
  'weak-key': modern('weak-key', ['tls.cert.weak_key']),
  sha1: modern('sha1', ['tls.cert.weak_signature']),
  'no-intermediate': modern('no-intermediate', ['tls.cert.chain_incomplete']),
  untrusted: modern('untrusted', ['tls.cert.untrusted']),
  'too-long': modern('too-long', ['tls.cert.validity_too_long']),
  'tls1.0': {
    serving: {
      kind: 'openssl',
      certificate: 'valid',
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.3',
      ciphers: `${LEGACY_EC}:@SECLEVEL=0`,
    },
    findings: ['tls.protocol.tls1_0', 'tls.protocol.tls1_1'],
  },
  'tls1.1': {
    serving: {
      kind: 'openssl',
      certificate: 'valid',
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.3',
      ciphers: `${LEGACY_EC}:@SECLEVEL=0`,
    },
    findings: ['tls.protocol.tls1_1'],
  },
  'no-tls1.2': {
    serving: {
      kind: 'openssl',
      certificate: 'valid',
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: `${LEGACY_EC}:@SECLEVEL=0`,
    },
    findings: ['tls.protocol.tls1_0', 'tls.protocol.tls1_1', 'tls.protocol.no_tls1_2'],
  },
  '3des': {
    // Node's OpenSSL 3 build has no DES at all: TLS_RSA_WITH_3DES_EDE_CBC_SHA comes from the responder.
    serving: {
      kind: 'responder',
      certificate: 'valid-rsa',
      suites: { 'TLSv1.2': [RSA_AES128_GCM, 0x000a], 'TLSv1.3': TLS13 },
    },
    findings: ['tls.cipher.3des'],
  },
  'no-forward-secrecy': {
    serving: {
      kind: 'openssl',
      certificate: 'valid-rsa',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384:@SECLEVEL=0',
    },
    findings: ['tls.cipher.no_forward_secrecy'],
  },
  null: {
    serving: {
      kind: 'openssl',
      certificate: 'valid-rsa',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: `${MODERN_RSA}:NULL-SHA256:@SECLEVEL=0`,
    },
    findings: ['tls.cipher.null'],
  },
  anonymous: {
    serving: {
      kind: 'openssl',
      certificate: 'valid',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: `${MODERN_EC}:AECDH-AES128-SHA:ADH-AES128-GCM-SHA256:@SECLEVEL=0`,
    },
    findings: ['tls.cipher.anonymous'],
  },
  sslv2: {
    // SSL_CK_IDEA_128_CBC_WITH_MD5: neither RC4, 3DES nor export, so SSLv2 is the only finding.
    serving: {
      kind: 'responder',
      certificate: 'valid-rsa',
      suites: { SSLv2: [0x050080], 'TLSv1.2': [RSA_AES128_GCM], 'TLSv1.3': TLS13 },
    },
    findings: ['tls.protocol.sslv2'],
  },
  sslv3: {
    serving: {
      kind: 'responder',
      certificate: 'valid-rsa',
      suites: { SSLv3: [0x002f], 'TLSv1.2': [RSA_AES128_GCM], 'TLSv1.3': TLS13 },
    },
    findings: ['tls.protocol.sslv3'],
  },
  export: {
    // TLS_RSA_EXPORT_WITH_DES40_CBC_SHA beside TLS_RSA_WITH_AES_128_CBC_SHA, in TLS 1.0 as such servers did.
    serving: {
      kind: 'responder',
      certificate: 'valid-rsa',
      suites: { 'TLSv1.0': [0x002f, 0x0008], 'TLSv1.2': [RSA_AES128_GCM], 'TLSv1.3': TLS13 },
    },
    findings: ['tls.protocol.tls1_0', 'tls.cipher.export'],
  },
  rc4: {
    serving: {
      kind: 'responder',
      certificate: 'valid-rsa',
      suites: { 'TLSv1.2': [RSA_AES128_GCM, 0x0005], 'TLSv1.3': TLS13 },
    },
    findings: ['tls.cipher.rc4'],
  },
} as const satisfies Record<string, LabTlsProfile>;

export type LabTlsProfileId = keyof typeof LAB_TLS_PROFILES;

/** Profiles with no finding: most endpoints use one. */
export const GOOD_PROFILES: readonly LabTlsProfileId[] = ['good', 'good', 'good', 'good-rsa', 'good-wildcard'];

/** Profiles that plant findings; every one of them occurs among the first 25 organizations. */
export const WEAK_PROFILES: readonly LabTlsProfileId[] = (Object.keys(LAB_TLS_PROFILES) as LabTlsProfileId[]).filter(
  (id) => LAB_TLS_PROFILES[id].findings.length > 0,
);

/** Every TLS finding id the lab plants (all of the catalogue's `tls` findings: the lab-scan test holds it to that). */
export const LAB_TLS_FINDING_IDS: readonly string[] = [
  ...new Set(WEAK_PROFILES.flatMap((id) => LAB_TLS_PROFILES[id].findings)),
].sort();
