/**
 * The `tls` factor's checks: pure judges over the TLS probe's endpoints. Each endpoint with a TLS service
 * is judged on its own (the finding's asset names host, address and port); an endpoint without a service
 * is not judged; one the probe could not assess is not assessed here either, with the probe's reason.
 */
import { probeRef } from '../../core/contract.js';
import { type AssetRef, emptyOutcome, type CheckOutcome } from '../../core/types.js';
import type { tlsEndpointsProbe } from '../../probes/tls/tls-probes.js';
import type {
  TlsEndpointObservation,
  TlsObservation,
  TlsServiceObservation,
  VersionSupport,
} from '../../probes/tls/tls.types.js';
import { cipherSuite, suiteClasses, type SuiteClasses } from '../../tls/cipher-suites.js';
import { certificateMatchesHost } from '../../tls/hostname.js';
import { weakCertificateKey } from '../../tls/ssl-labs-grade.js';
import { defineCheck } from '../define-check.js';

const tlsRef = probeRef<typeof tlsEndpointsProbe>('tls-endpoints');

type Service = TlsEndpointObservation & TlsServiceObservation;

function endpointAsset(e: TlsEndpointObservation): AssetRef {
  return { host: e.host, ip: e.address, port: e.port };
}

/** Runs `judge` on every endpoint with a TLS service; the not-assessed ones are recorded for `check`. */
function overEndpoints<F extends string>(
  check: string,
  obs: TlsObservation,
  judge: (service: Service, out: CheckOutcome<F, never>) => void,
): CheckOutcome<F, never> {
  const out = emptyOutcome<F, never>();
  for (const endpoint of obs.endpoints) {
    if (endpoint.status === 'no_service') continue;
    if (endpoint.status === 'not_assessed') {
      out.notAssessed.push({
        check,
        asset: endpointAsset(endpoint),
        reason: `${endpoint.reason}: ${endpoint.detail}`,
      });
      continue;
    }
    if (!endpoint.versions.some((v) => v.supported)) {
      out.notAssessed.push({
        check,
        asset: endpointAsset(endpoint),
        reason: 'other: the server accepted no ClientHello (not TLS, or nothing Vitals offers)',
      });
      continue;
    }
    judge(endpoint, out);
  }
  return out;
}

const supported = (s: Service, version: VersionSupport['version']): boolean =>
  s.versions.some((v) => v.version === version && v.supported);

const PROTOCOL_FINDINGS = [
  ['SSLv2', 'tls.protocol.sslv2'],
  ['SSLv3', 'tls.protocol.sslv3'],
  ['TLSv1.0', 'tls.protocol.tls1_0'],
  ['TLSv1.1', 'tls.protocol.tls1_1'],
] as const;

export const tlsProtocolCheck = defineCheck({
  id: 'tls.protocols',
  factor: 'tls',
  description: 'protocol versions: SSLv2, SSLv3, TLS 1.0 and 1.1 accepted; neither TLS 1.2 nor 1.3',
  reads: [tlsRef],
  findings: [
    'tls.protocol.sslv2',
    'tls.protocol.sslv3',
    'tls.protocol.tls1_0',
    'tls.protocol.tls1_1',
    'tls.protocol.no_tls1_2',
  ],
  controls: [],
  judge: (_target, [obs]) =>
    overEndpoints('tls.protocols', obs, (s, out) => {
      const asset = endpointAsset(s);
      for (const [version, type] of PROTOCOL_FINDINGS) {
        const v = s.versions.find((x) => x.version === version)!;
        if (v.supported) out.findings.push({ type, asset, evidence: { version, suites: v.suites.map((x) => x.name) } });
      }
      if (!supported(s, 'TLSv1.2') && !supported(s, 'TLSv1.3'))
        out.findings.push({
          type: 'tls.protocol.no_tls1_2',
          asset,
          evidence: { supported: s.versions.filter((v) => v.supported).map((v) => v.version) },
        });
    }),
});

const CIPHER_FINDINGS = [
  ['null', 'tls.cipher.null'],
  ['anonymous', 'tls.cipher.anonymous'],
  ['export', 'tls.cipher.export'],
  ['rc4', 'tls.cipher.rc4'],
  ['tripleDes', 'tls.cipher.3des'],
] as const satisfies ReadonlyArray<readonly [keyof SuiteClasses, string]>;

/** Every accepted suite with its classes (unknown codes have none). */
function acceptedSuites(s: Service): Array<{ version: string; name: string; classes: SuiteClasses | null }> {
  return s.versions.flatMap((v) =>
    v.suites.map((suite) => {
      const known = cipherSuite(suite.code, v.version === 'SSLv2');
      return { version: v.version, name: suite.name, classes: known ? suiteClasses(known) : null };
    }),
  );
}

export const tlsCipherCheck = defineCheck({
  id: 'tls.ciphers',
  factor: 'tls',
  description: 'cipher suites: NULL, anonymous, export, RC4, 3DES accepted; no forward secrecy at all',
  reads: [tlsRef],
  findings: [
    'tls.cipher.null',
    'tls.cipher.anonymous',
    'tls.cipher.export',
    'tls.cipher.rc4',
    'tls.cipher.3des',
    'tls.cipher.no_forward_secrecy',
  ],
  controls: [],
  judge: (_target, [obs]) =>
    overEndpoints('tls.ciphers', obs, (s, out) => {
      const asset = endpointAsset(s);
      const suites = acceptedSuites(s);
      for (const [flag, type] of CIPHER_FINDINGS) {
        const hits = suites.filter((x) => x.classes?.[flag]);
        if (hits.length > 0) out.findings.push({ type, asset, evidence: { suites: hits.map(suiteLabel) } });
      }
      // TLS 1.3 suites are all ephemeral; SSLv2 has none.
      if (!suites.some((x) => x.classes?.forwardSecrecy))
        out.findings.push({
          type: 'tls.cipher.no_forward_secrecy',
          asset,
          evidence: { suites: suites.map(suiteLabel).slice(0, 20) },
        });
    }),
});

function suiteLabel(x: { version: string; name: string }): string {
  return `${x.version} ${x.name}`;
}

const DAY_MS = 86_400_000;
/** tls.cert.expiring_soon: within this many days. */
export const EXPIRING_SOON_DAYS = 30;
/** CA/Browser Forum Baseline Requirements 6.3.2: at most 398 days for certificates issued on or after this date. */
export const MAX_VALIDITY_DAYS = 398;
const MAX_VALIDITY_SINCE = Date.parse('2020-09-01T00:00:00Z');
const WEAK_HASHES = new Set(['md2', 'md5', 'sha1']);

const CERT_FINDINGS = [
  'tls.cert.expired',
  'tls.cert.not_yet_valid',
  'tls.cert.expiring_soon',
  'tls.cert.self_signed',
  'tls.cert.untrusted',
  'tls.cert.hostname_mismatch',
  'tls.cert.weak_key',
  'tls.cert.weak_signature',
  'tls.cert.chain_incomplete',
  'tls.cert.validity_too_long',
] as const;

export const tlsCertificateCheck = defineCheck({
  id: 'tls.certificate',
  factor: 'tls',
  description:
    'certificate: validity, self-signed, trust, incomplete chain, host name (RFC 6125), key size, signature, lifetime',
  reads: [tlsRef],
  findings: CERT_FINDINGS,
  controls: [],
  judge: (_target, [obs]) => overEndpoints<CertFindingId>('tls.certificate', obs, judgeCertificate),
});

type CertFindingId = (typeof CERT_FINDINGS)[number];

function judgeCertificate(s: Service, out: CheckOutcome<CertFindingId, never>): void {
  const asset = endpointAsset(s);
  const certificate = s.certificate;
  const leaf = certificate?.chain[0];
  if (!certificate || !leaf) {
    out.notAssessed.push({
      check: 'tls.certificate',
      asset,
      reason: `other: no certificate to judge (${s.certificateMissing ?? 'none was read'})`,
    });
    return;
  }
  const now = Date.parse(s.observedAt);
  const notBefore = Date.parse(leaf.notBefore);
  const notAfter = Date.parse(leaf.notAfter);
  const dates = { notBefore: leaf.notBefore, notAfter: leaf.notAfter, observedAt: s.observedAt };
  if (notAfter < now) out.findings.push({ type: 'tls.cert.expired', asset, evidence: dates });
  else if (notAfter - now < EXPIRING_SOON_DAYS * DAY_MS)
    out.findings.push({
      type: 'tls.cert.expiring_soon',
      asset,
      evidence: { ...dates, daysLeft: Math.floor((notAfter - now) / DAY_MS) },
    });
  if (notBefore > now) out.findings.push({ type: 'tls.cert.not_yet_valid', asset, evidence: dates });
  const lifetimeDays = (notAfter - notBefore) / DAY_MS;
  if (notBefore >= MAX_VALIDITY_SINCE && lifetimeDays > MAX_VALIDITY_DAYS)
    out.findings.push({
      type: 'tls.cert.validity_too_long',
      asset,
      evidence: { ...dates, days: Math.round(lifetimeDays) },
    });

  const trust = certificate.trust;
  // A self-signed leaf is untrusted by definition: it is reported as self-signed, the more precise finding.
  if (leaf.selfSigned && trust.status !== 'trusted')
    out.findings.push({ type: 'tls.cert.self_signed', asset, evidence: { subject: leaf.subject } });
  else if (trust.status === 'untrusted')
    out.findings.push({ type: 'tls.cert.untrusted', asset, evidence: { issuer: leaf.issuer, detail: trust.detail } });
  if (trust.status === 'incomplete')
    out.findings.push({ type: 'tls.cert.chain_incomplete', asset, evidence: { detail: trust.detail } });

  if (!certificateMatchesHost(s.host, leaf))
    out.findings.push({
      type: 'tls.cert.hostname_mismatch',
      asset,
      evidence: { host: s.host, dnsNames: leaf.dnsNames.slice(0, 20), commonNames: leaf.commonNames },
    });
  if (weakCertificateKey(leaf))
    out.findings.push({ type: 'tls.cert.weak_key', asset, evidence: { keyType: leaf.keyType, bits: leaf.keyBits } });
  // The leaf and the intermediates as sent; a root's own signature is never checked by clients.
  const weak = certificate.chain.filter((c) => !c.selfSigned && WEAK_HASHES.has(c.signatureHash));
  if (weak.length > 0)
    out.findings.push({
      type: 'tls.cert.weak_signature',
      asset,
      evidence: { certificates: weak.map((c) => `${c.subject}: ${c.signatureAlgorithm}`) },
    });
}
