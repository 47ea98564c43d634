/**
 * The lab's certificate authority, made at lab start with node:crypto and a small DER writer (der.ts):
 * a root, an issuing intermediate, and a "rogue" root that no trust file lists, and the server
 * certificates the profiles ask for. Keys are fresh each start (nothing in the ground truth depends on key
 * bytes); dates are relative to the start time. (@peculiar/x509 needs a Reflect metadata polyfill the
 * project does not carry; an X.509 certificate is a few DER structures.)
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import {
  bitString,
  boolean,
  dnsName,
  EXTENSION,
  explicit,
  extension,
  integer,
  name,
  nullValue,
  oid,
  SERVER_AUTH,
  SIGNATURE,
  sequence,
  time,
} from './der.js';

const DAY_MS = 86_400_000;

export interface KeyPair {
  privateKey: KeyObject;
  /** PKCS#8 PEM of the private key, for node:tls. */
  privatePem: string;
  kind: 'ec' | 'rsa2048' | 'rsa1024';
}

export interface Authority {
  /** DER of the subject name, the issuer name of what it signs. */
  name: Buffer;
  key: KeyPair;
  pem: string;
}

export interface LabPki {
  root: Authority;
  intermediate: Authority;
  rogueRoot: Authority;
  /** Leaf keys shared by many certificates (P-256; RSA 2048 for RSA key exchange; RSA 1024 for the weak-key plant). */
  ecKey: KeyPair;
  rsaKey: KeyPair;
  weakRsaKey: KeyPair;
  /** What `--ca` is given: the root (an anchor) and the intermediate (a known intermediate). */
  trustBundlePem: string;
  now: number;
}

function keyPair(kind: KeyPair['kind']): KeyPair {
  const { privateKey } =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : generateKeyPairSync('rsa', { modulusLength: kind === 'rsa2048' ? 2048 : 1024 });
  return { privateKey, privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), kind };
}

interface CertificateSpec {
  subject: Buffer;
  issuer: Buffer;
  subjectKey: KeyPair;
  signer: KeyPair;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLength?: number;
  dnsNames?: readonly string[];
  sha1?: boolean;
}

/** One certificate (PEM): the TBSCertificate of RFC 5280 4.1, signed by `signer`. */
function certificate(spec: CertificateSpec): string {
  const rsaSigner = spec.signer.kind !== 'ec';
  const algorithm = rsaSigner
    ? sequence(oid(SIGNATURE.rsaSha256), nullValue())
    : sequence(oid(spec.sha1 ? SIGNATURE.ecdsaSha1 : SIGNATURE.ecdsaSha256));
  const extensions = [
    extension(
      EXTENSION.basicConstraints,
      true,
      sequence(
        ...(spec.ca ? [boolean(true), ...(spec.pathLength === undefined ? [] : [integer(spec.pathLength)])] : []),
      ),
    ),
    // keyCertSign and cRLSign for a CA; digitalSignature and keyEncipherment for a server.
    extension(
      EXTENSION.keyUsage,
      true,
      spec.ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0xa0]), 5),
    ),
  ];
  if (spec.dnsNames) {
    extensions.push(extension(EXTENSION.subjectAltName, false, sequence(...spec.dnsNames.map(dnsName))));
    extensions.push(extension(EXTENSION.extendedKeyUsage, false, sequence(oid(SERVER_AUTH))));
  }
  const spki = createPublicKey(spec.subjectKey.privateKey).export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    spec.issuer,
    sequence(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const hash = spec.sha1 && !rsaSigner ? 'sha1' : 'sha256';
  const signature = sign(hash, tbs, spec.signer.privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return new X509Certificate(der).toString();
}

function selfSignedCa(subject: Buffer, now: number): Authority {
  const key = keyPair('ec');
  const pem = certificate({
    subject,
    issuer: subject,
    subjectKey: key,
    signer: key,
    notBefore: new Date(now - 30 * DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    ca: true,
  });
  return { name: subject, key, pem };
}

export function createLabPki(now = Date.now()): LabPki {
  const root = selfSignedCa(
    name([
      ['CN', 'Vitals Lab Root CA'],
      ['O', 'Vitals Lab'],
    ]),
    now,
  );
  const rogueRoot = selfSignedCa(
    name([
      ['CN', 'Unlisted Root CA'],
      ['O', 'Unlisted'],
    ]),
    now,
  );
  const intermediateName = name([
    ['CN', 'Vitals Lab Issuing CA 1'],
    ['O', 'Vitals Lab'],
  ]);
  const intermediateKey = keyPair('ec');
  const intermediate: Authority = {
    name: intermediateName,
    key: intermediateKey,
    pem: certificate({
      subject: intermediateName,
      issuer: root.name,
      subjectKey: intermediateKey,
      signer: root.key,
      notBefore: new Date(now - 30 * DAY_MS),
      notAfter: new Date(now + 1825 * DAY_MS),
      ca: true,
      pathLength: 0,
    }),
  };
  return {
    root,
    intermediate,
    rogueRoot,
    ecKey: keyPair('ec'),
    rsaKey: keyPair('rsa2048'),
    weakRsaKey: keyPair('rsa1024'),
    trustBundlePem: `${root.pem}${intermediate.pem}`,
    now,
  };
}

export interface LeafRequest {
  names: readonly string[];
  key: KeyPair;
  issuer: Authority;
  /** Days from now (negative: in the past). */
  notBeforeDays: number;
  notAfterDays: number;
  /** SHA-1 instead of SHA-256 for the issuer's signature. */
  sha1?: boolean;
}

/** A server certificate (PEM) for `names` (subjectAltName dNSName entries; the first is also the CN). */
export function issueLeaf(pki: LabPki, request: LeafRequest): string {
  return certificate({
    subject: name([['CN', request.names[0] ?? 'lab']]),
    issuer: request.issuer.name,
    subjectKey: request.key,
    signer: request.issuer.key,
    notBefore: new Date(pki.now + request.notBeforeDays * DAY_MS),
    notAfter: new Date(pki.now + request.notAfterDays * DAY_MS),
    ca: false,
    dnsNames: request.names,
    ...(request.sha1 ? { sha1: true } : {}),
  });
}

/** A self-signed server certificate (its own key signs it), valid for a year from ten days ago. */
export function selfSignedLeaf(pki: LabPki, names: readonly string[], key: KeyPair): string {
  const subject = name([['CN', names[0] ?? 'lab']]);
  return certificate({
    subject,
    issuer: subject,
    subjectKey: key,
    signer: key,
    notBefore: new Date(pki.now - 10 * DAY_MS),
    notAfter: new Date(pki.now + 355 * DAY_MS),
    ca: false,
    dnsNames: names,
  });
}
