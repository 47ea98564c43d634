/**
 * Certificate facts and chain trust with node:crypto's X509Certificate: the leaf's names, validity, key
 * and signature algorithm, and whether the chain as sent leads to an anchor of the trust store. The
 * signature algorithm is read from the DER itself (X509Certificate does not expose it).
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { CertificateFacts, ChainTrust } from './tls.types.js';

/** Anchors (self-signed roots) and known intermediates (CA certificates of the trust file that are not roots). */
export interface TrustStore {
  anchors: X509Certificate[];
  intermediates: X509Certificate[];
  /** Where the anchors came from, for messages. */
  description: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Certificates of a PEM bundle (throws on a block that is not a certificate). */
export function parsePemBundle(text: string): X509Certificate[] {
  return (text.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

/**
 * The store checks trust against: Node's bundled Mozilla root store unless `system` is false, plus the
 * certificates of `extraPem` (`--ca FILE`): self-signed ones become anchors, the others known intermediates.
 */
export function createTrustStore(extraPem: string | null, options: { system?: boolean } = {}): TrustStore {
  const anchors: X509Certificate[] = [];
  const intermediates: X509Certificate[] = [];
  const system = options.system !== false;
  if (system) for (const pem of rootCertificates) anchors.push(new X509Certificate(pem));
  for (const cert of extraPem ? parsePemBundle(extraPem) : []) {
    if (isSelfSigned(cert)) anchors.push(cert);
    else intermediates.push(cert);
  }
  const parts = [system ? 'the Mozilla root store bundled with Node.js' : null, extraPem ? 'the --ca file' : null];
  return { anchors, intermediates, description: parts.filter((p) => p !== null).join(' and ') || 'no anchors' };
}

export function isSelfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  if (issuer.subject !== subject.issuer) return false;
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Builds the path from the leaf: sent certificates first, then known intermediates, up to an anchor. */
export function chainTrust(chain: readonly X509Certificate[], store: TrustStore): ChainTrust {
  const leaf = chain[0];
  if (leaf === undefined) return { status: 'untrusted', path: [], detail: 'no certificate' };
  const isAnchor = (c: X509Certificate): boolean => store.anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const path = [leaf.subject];
  let current = leaf;
  let borrowed: string | null = null;
  const seen = new Set<string>([leaf.fingerprint256]);
  for (let depth = 0; depth < 10; depth++) {
    if (isAnchor(current) || store.anchors.some((a) => issued(a, current))) {
      const anchor = isAnchor(current) ? current : store.anchors.find((a) => issued(a, current))!;
      if (anchor !== current) path.push(anchor.subject);
      if (borrowed !== null)
        return { status: 'incomplete', path, detail: `the server did not send the intermediate ${borrowed}` };
      return { status: 'trusted', path, detail: `chains to ${oneLine(anchor.subject)}` };
    }
    if (isSelfSigned(current))
      return { status: 'untrusted', path, detail: `${oneLine(current.subject)} is self-signed and not a trust anchor` };
    const sent = chain.find((c) => !seen.has(c.fingerprint256) && issued(c, current));
    const known = sent ? undefined : store.intermediates.find((c) => !seen.has(c.fingerprint256) && issued(c, current));
    const next = sent ?? known;
    if (next === undefined)
      return {
        status: 'untrusted',
        path,
        detail: `no certificate sent or trusted issued ${oneLine(current.subject)} (issuer ${oneLine(current.issuer)})`,
      };
    if (known) borrowed ??= oneLine(known.subject);
    seen.add(next.fingerprint256);
    path.push(next.subject);
    current = next;
  }
  return { status: 'untrusted', path, detail: 'the chain is longer than 10 certificates' };
}

function oneLine(dn: string): string {
  return dn.split('\n').join(', ');
}

const SIGNATURE_OIDS: Readonly<Record<string, { name: string; hash: string }>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'rsassa-pss', hash: 'rsassa-pss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', hash: 'sha256' },
  '1.3.101.112': { name: 'Ed25519', hash: 'ed25519' },
  '1.3.101.113': { name: 'Ed448', hash: 'ed448' },
};

/** The outer signatureAlgorithm OID of a certificate (RFC 5280 4.1.1.2), or null for DER it cannot walk. */
export function signatureAlgorithmOid(der: Buffer): string | null {
  const outer = derElement(der, 0);
  if (outer?.tag !== 0x30) return null;
  const tbs = derElement(der, outer.contentStart);
  if (!tbs) return null;
  const algorithm = derElement(der, tbs.end);
  if (algorithm?.tag !== 0x30) return null;
  const oid = derElement(der, algorithm.contentStart);
  if (oid?.tag !== 0x06) return null;
  return decodeOid(der.subarray(oid.contentStart, oid.end));
}

function derElement(der: Buffer, at: number): { tag: number; contentStart: number; end: number } | null {
  if (at + 2 > der.length) return null;
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  if (start + length > der.length) return null;
  return { tag, contentStart: start, end: start + length };
}

function decodeOid(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  const first = bytes[0]!;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    value = value * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  prime192v1: 192,
};

/** What the checks need of one certificate. */
export function certificateFacts(cert: X509Certificate): CertificateFacts {
  const der = cert.raw;
  const oid = signatureAlgorithmOid(der);
  const signature = oid ? (SIGNATURE_OIDS[oid] ?? { name: oid, hash: oid }) : { name: 'unknown', hash: 'unknown' };
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'other';
  const keyType: CertificateFacts['keyType'] =
    type === 'rsa' || type === 'rsa-pss'
      ? 'rsa'
      : type === 'ec' || type === 'ed25519' || type === 'ed448' || type === 'dsa'
        ? type
        : 'other';
  const keyBits =
    details.modulusLength ??
    (details.namedCurve
      ? (CURVE_BITS[details.namedCurve] ?? 0)
      : type === 'ed25519'
        ? 256
        : type === 'ed448'
          ? 456
          : 0);
  const altNames = (cert.subjectAltName ?? '').split(', ').filter((n) => n.length > 0);
  return {
    der: der.toString('base64'),
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    dnsNames: altNames.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4).toLowerCase()),
    ipAddresses: altNames.filter((n) => n.startsWith('IP Address:')).map((n) => n.slice(11)),
    commonNames: cert.subject
      .split('\n')
      .filter((line) => line.startsWith('CN='))
      .map((line) => line.slice(3).toLowerCase()),
    keyType,
    keyBits,
    signatureHash: signature.hash,
    signatureAlgorithm: signature.name,
    selfSigned: isSelfSigned(cert),
    isCa: cert.ca,
    fingerprintSha256: cert.fingerprint256,
  };
}
