/**
 * The cipher-suite registry the TLS probe offers from and the checks judge with: each suite's code, names
 * and properties (key exchange, authentication, encryption, MAC), and the classes the findings name (NULL,
 * anonymous, export, RC4, 3DES, forward secrecy, AEAD). Data: cipher-suite-data.ts.
 */
import { CIPHER_SUITE_ROWS } from './cipher-suite-data.js';

/** The protocol versions Vitals tests, oldest first. */
export const TLS_VERSIONS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** Wire codes of the versions (SSLv2's ClientHello says 0x0002). */
export const VERSION_CODES: Readonly<Record<TlsVersion, number>> = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  'TLSv1.0': 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

export function versionOfCode(code: number): TlsVersion | null {
  for (const v of TLS_VERSIONS) if (VERSION_CODES[v] === code) return v;
  return null;
}

export interface CipherSuite {
  /** Two bytes (SSLv3 to TLS 1.3) or three (SSLv2 cipher kinds). */
  code: number;
  /** IANA name (SSLv2 kinds: `SSL_CK_...`). */
  name: string;
  openssl: string;
  sslv2: boolean;
  tls13: boolean;
  keyExchange: string;
  authentication: string;
  /** Bulk cipher as OpenSSL names it (`AESGCM`, `3DES`, `RC4`, `None`...), and its key bits. */
  encryption: string;
  bits: number;
  mac: string;
  export: boolean;
}

function parseRow(row: string): CipherSuite {
  const [code, name, openssl, since, kx, au, enc, mac, exp] = row.split(' ') as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const encMatch = /^([^(]+)(?:\((\d+)\))?$/.exec(enc);
  return {
    code: Number.parseInt(code, 16),
    name,
    openssl,
    sslv2: since === 'ssl2',
    tls13: since === 'tls1.3',
    keyExchange: kx,
    authentication: au,
    encryption: encMatch?.[1] ?? enc,
    bits: Number(encMatch?.[2] ?? 0),
    mac,
    export: exp === 'export',
  };
}

export const CIPHER_SUITES: readonly CipherSuite[] = CIPHER_SUITE_ROWS.map(parseRow);

const byCode = new Map<string, CipherSuite>(CIPHER_SUITES.map((s) => [key(s.sslv2, s.code), s]));

function key(sslv2: boolean, code: number): string {
  return `${sslv2 ? 'v2' : 'v3'}:${code}`;
}

/** The registry entry of a TLS (two-byte) suite or an SSLv2 (three-byte) cipher kind; null when unknown. */
export function cipherSuite(code: number, sslv2 = false): CipherSuite | null {
  return byCode.get(key(sslv2, code)) ?? null;
}

/** A suite's IANA name, or its code in hex when the registry does not know it. */
export function suiteName(code: number, sslv2 = false): string {
  return cipherSuite(code, sslv2)?.name ?? `0x${code.toString(16).padStart(sslv2 ? 6 : 4, '0')}`;
}

/** Suites offered to SSLv3 through TLS 1.2 (every two-byte suite but TLS_NULL_WITH_NULL_NULL and TLS 1.3's). */
export const LEGACY_SUITE_CODES: readonly number[] = CIPHER_SUITES.filter(
  (s) => !s.sslv2 && !s.tls13 && s.code !== 0x0000,
).map((s) => s.code);

/** TLS 1.3 suites (RFC 8446 appendix B.4, with the two CCM ones). */
export const TLS13_SUITE_CODES: readonly number[] = CIPHER_SUITES.filter((s) => s.tls13).map((s) => s.code);

/** SSLv2 cipher kinds. */
export const SSLV2_CIPHER_CODES: readonly number[] = CIPHER_SUITES.filter((s) => s.sslv2).map((s) => s.code);

/** The classes the cipher findings name, read from the registry's columns. */
export interface SuiteClasses {
  null: boolean;
  anonymous: boolean;
  export: boolean;
  rc4: boolean;
  tripleDes: boolean;
  /** Ephemeral key exchange (DHE, ECDHE; every TLS 1.3 suite). */
  forwardSecrecy: boolean;
  aead: boolean;
}

export function suiteClasses(suite: CipherSuite): SuiteClasses {
  return {
    null: suite.encryption === 'None',
    anonymous: /_anon_/.test(suite.name) || (suite.authentication === 'None' && !suite.tls13),
    export: suite.export,
    rc4: suite.encryption === 'RC4',
    tripleDes: suite.encryption === '3DES',
    forwardSecrecy: suite.tls13 || /^TLS_(EC)?DHE_/.test(suite.name),
    aead: suite.mac === 'AEAD',
  };
}
