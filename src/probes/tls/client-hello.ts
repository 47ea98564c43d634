/**
 * ClientHello messages built byte by byte (RFC 6101 for SSLv3, RFC 2246/4346/5246 for TLS 1.0-1.2,
 * RFC 8446 for TLS 1.3, and the SSLv2 CLIENT-HELLO of the SSL 2.0 draft), so which versions and suites a
 * server accepts is decided from its reply to exactly what Vitals sent, never by what the local OpenSSL
 * can negotiate.
 */
import { randomBytes } from 'node:crypto';
import { type TlsVersion, VERSION_CODES } from '../../tls/cipher-suites.js';
import { NAMED_GROUPS, type NamedGroup } from './named-groups.js';

const HANDSHAKE = 22;
const CLIENT_HELLO = 1;

const EXT = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const;

/**
 * Signature schemes (RFC 8446 4.2.3): ECDSA, RSA-PSS, EdDSA, then PKCS#1 and the SHA-1 and SHA-224
 * legacy ones, so a server with any certificate finds one it can sign with.
 */
const SIGNATURE_SCHEMES = [
  0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601,
  0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202,
];

/** Groups offered when the caller does not name them: every group Vitals knows. */
export const DEFAULT_GROUPS: readonly NamedGroup[] = NAMED_GROUPS;

export interface ClientHelloOptions {
  version: Exclude<TlsVersion, 'SSLv2'>;
  /** Cipher suites in the order offered. */
  suites: readonly number[];
  /** Host name for SNI (RFC 6066 section 3); none for an IP literal. */
  serverName: string | null;
  /** supported_groups, in preference order (TLS 1.3: key_share carries the first group that has a share). */
  groups?: readonly NamedGroup[];
}

/** One ClientHello in a TLS record. */
export function buildClientHello(options: ClientHelloOptions): Buffer {
  const tls13 = options.version === 'TLSv1.3';
  // TLS 1.3 says 1.2 in legacy_version and the real versions in supported_versions (RFC 8446 4.1.2).
  const clientVersion = tls13 ? VERSION_CODES['TLSv1.2'] : VERSION_CODES[options.version];
  const groups = options.groups ?? DEFAULT_GROUPS;
  const extensions: Buffer[] = [];
  // SSLv3 servers predate extensions; some reject a hello carrying them (RFC 5246 appendix E.2).
  if (options.version !== 'SSLv3') {
    if (options.serverName !== null) extensions.push(serverNameExtension(options.serverName));
    extensions.push(extension(EXT.supportedGroups, vector16(u16List(groups.map((g) => g.code)))));
    extensions.push(extension(EXT.ecPointFormats, vector8(Buffer.from([0]))));
    if (options.version === 'TLSv1.2' || tls13)
      extensions.push(extension(EXT.signatureAlgorithms, vector16(u16List(SIGNATURE_SCHEMES))));
    extensions.push(extension(EXT.renegotiationInfo, Buffer.from([0])));
  }
  if (tls13) {
    extensions.push(extension(EXT.supportedVersions, vector8(u16List([VERSION_CODES['TLSv1.3']]))));
    extensions.push(extension(EXT.pskKeyExchangeModes, vector8(Buffer.from([1]))));
    const shared = groups.find((g) => g.keyShare !== undefined);
    const shares = shared ? [Buffer.concat([u16(shared.code), vector16(shared.keyShare!())])] : [];
    extensions.push(extension(EXT.keyShare, vector16(Buffer.concat(shares))));
  }
  const body = Buffer.concat([
    u16(clientVersion),
    randomBytes(32),
    // TLS 1.3 middlebox compatibility mode sends a 32-byte session id (RFC 8446 appendix D.4).
    vector8(tls13 ? randomBytes(32) : Buffer.alloc(0)),
    vector16(u16List(options.suites)),
    vector8(Buffer.from([0])),
    ...(extensions.length > 0 ? [vector16(Buffer.concat(extensions))] : []),
  ]);
  const handshake = Buffer.concat([Buffer.from([CLIENT_HELLO]), u24(body.length), body]);
  // The record layer says 1.0 for 1.0 and later (RFC 8446 5.1: legacy_record_version 0x0301 for interop).
  const recordVersion = options.version === 'SSLv3' ? VERSION_CODES.SSLv3 : VERSION_CODES['TLSv1.0'];
  return Buffer.concat([Buffer.from([HANDSHAKE]), u16(recordVersion), u16(handshake.length), handshake]);
}

/**
 * An SSLv2 CLIENT-HELLO (two-byte record header with the high bit set, message type 1, version 0x0002,
 * cipher specs of three bytes, no session id, a 16-byte challenge).
 */
export function buildSslv2ClientHello(cipherKinds: readonly number[]): Buffer {
  const specs = Buffer.concat(cipherKinds.map(u24));
  const challenge = randomBytes(16);
  const body = Buffer.concat([
    Buffer.from([CLIENT_HELLO]),
    u16(VERSION_CODES.SSLv2),
    u16(specs.length),
    u16(0),
    u16(challenge.length),
    specs,
    challenge,
  ]);
  return Buffer.concat([u16(0x8000 | body.length), body]);
}

function serverNameExtension(name: string): Buffer {
  const host = Buffer.from(name, 'ascii');
  return extension(EXT.serverName, vector16(Buffer.concat([Buffer.from([0]), vector16(host)])));
}

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(data.length), data]);
}

export function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

export function u24(value: number): Buffer {
  return Buffer.from([(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
}

function u16List(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

export function vector8(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([data.length]), data]);
}

export function vector16(data: Buffer): Buffer {
  return Buffer.concat([u16(data.length), data]);
}

export function vector24(data: Buffer): Buffer {
  return Buffer.concat([u24(data.length), data]);
}
