/**
 * The TLS checks over hand-built observations: a known-good endpoint, then one change per row, each
 * expecting exactly its findings; endpoints without a service are not judged; endpoints the probe could
 * not assess, or with no certificate to judge, are not assessed (never a pass).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckOutcome } from '../../core/types.js';
import type {
  CertificateFacts,
  TlsEndpointObservation,
  TlsObservation,
  TlsServiceObservation,
  VersionSupport,
} from '../../probes/tls/tls.types.js';
import { tlsCertificateCheck, tlsCipherCheck, tlsProtocolCheck } from './tls.checks.js';

const NOW = '2026-06-01T12:00:00.000Z';
const day = (n: number): string => new Date(Date.parse(NOW) + n * 86_400_000).toISOString();

function leaf(overrides: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    der: '',
    subject: 'CN=portal.clinic.test',
    issuer: 'CN=Issuing CA',
    notBefore: day(-10),
    notAfter: day(80),
    dnsNames: ['portal.clinic.test'],
    ipAddresses: [],
    commonNames: ['portal.clinic.test'],
    keyType: 'ec',
    keyBits: 256,
    signatureHash: 'sha256',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    selfSigned: false,
    isCa: false,
    fingerprintSha256: 'AA',
    ...overrides,
  };
}

const suite = (code: number, name: string) => ({ code, name, keyExchange: { kind: 'rsa' as const } });
const version = (v: VersionSupport['version'], suites: ReturnType<typeof suite>[] = []): VersionSupport => ({
  version: v,
  supported: suites.length > 0,
  suites,
  serverPreference: null,
});

const MODERN: VersionSupport[] = [
  version('SSLv2'),
  version('SSLv3'),
  version('TLSv1.0'),
  version('TLSv1.1'),
  version('TLSv1.2', [suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256')]),
  version('TLSv1.3', [suite(0x1301, 'TLS_AES_128_GCM_SHA256')]),
];

function service(overrides: Partial<TlsServiceObservation> = {}, host = 'portal.clinic.test'): TlsEndpointObservation {
  return {
    host,
    address: '127.16.0.2',
    port: 443,
    status: 'completed',
    observedAt: NOW,
    versions: MODERN,
    groups: ['x25519'],
    certificate: {
      chain: [leaf()],
      trust: { status: 'trusted', path: [], detail: '' },
      source: 'handshake',
    },
    connections: 10,
    ...overrides,
  };
}

function withVersions(change: Partial<Record<VersionSupport['version'], ReturnType<typeof suite>[]>>) {
  return MODERN.map((v) => (change[v.version] ? version(v.version, change[v.version]) : v));
}

function judgeAll(endpoint: TlsEndpointObservation): CheckOutcome {
  const obs: TlsObservation = { domain: 'clinic.test', ports: [443], endpoints: [endpoint] };
  const target = { domain: 'clinic.test' };
  const outcomes: CheckOutcome[] = [
    tlsProtocolCheck.judge(target, [obs]),
    tlsCipherCheck.judge(target, [obs]),
    tlsCertificateCheck.judge(target, [obs]),
  ];
  return {
    findings: outcomes.flatMap((o) => o.findings),
    controls: [],
    notAssessed: outcomes.flatMap((o) => o.notAssessed),
  };
}

const RC4 = suite(0x0005, 'TLS_RSA_WITH_RC4_128_SHA');
const RSA_GCM = suite(0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256');

const rows: Array<{ name: string; endpoint: TlsEndpointObservation; findings: string[] }> = [
  { name: 'known good', endpoint: service(), findings: [] },
  {
    name: 'SSLv2',
    endpoint: service({ versions: withVersions({ SSLv2: [suite(0x050080, 'SSL_CK_IDEA_128_CBC_WITH_MD5')] }) }),
    findings: ['tls.protocol.sslv2'],
  },
  {
    name: 'SSLv3',
    endpoint: service({ versions: withVersions({ SSLv3: [suite(0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA')] }) }),
    findings: ['tls.protocol.sslv3'],
  },
  {
    name: 'TLS 1.0 and 1.1',
    endpoint: service({
      versions: withVersions({
        'TLSv1.0': [suite(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA')],
        'TLSv1.1': [suite(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA')],
      }),
    }),
    findings: ['tls.protocol.tls1_0', 'tls.protocol.tls1_1'],
  },
  {
    name: 'neither 1.2 nor 1.3',
    endpoint: service({
      versions: [
        version('SSLv2'),
        version('SSLv3'),
        version('TLSv1.0', [suite(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA')]),
        version('TLSv1.1'),
        version('TLSv1.2'),
        version('TLSv1.3'),
      ],
    }),
    findings: ['tls.protocol.tls1_0', 'tls.protocol.no_tls1_2'],
  },
  {
    name: 'NULL, anonymous, export, RC4 and 3DES suites beside good ones',
    endpoint: service({
      versions: withVersions({
        'TLSv1.2': [
          suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'),
          suite(0x003b, 'TLS_RSA_WITH_NULL_SHA256'),
          suite(0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'),
          suite(0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'),
          RC4,
          suite(0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'),
        ],
      }),
    }),
    findings: ['tls.cipher.null', 'tls.cipher.anonymous', 'tls.cipher.export', 'tls.cipher.rc4', 'tls.cipher.3des'],
  },
  {
    name: 'RSA key exchange only, no TLS 1.3: no forward secrecy',
    endpoint: service({
      versions: [...MODERN.slice(0, 4), version('TLSv1.2', [RSA_GCM]), version('TLSv1.3')],
    }),
    findings: ['tls.cipher.no_forward_secrecy'],
  },
  {
    name: 'RSA key exchange in 1.2 but TLS 1.3 too: forward secrecy with current clients',
    endpoint: service({ versions: withVersions({ 'TLSv1.2': [RSA_GCM] }) }),
    findings: [],
  },
  {
    name: 'expired',
    endpoint: service({ certificate: cert(leaf({ notBefore: day(-100), notAfter: day(-1) })) }),
    findings: ['tls.cert.expired'],
  },
  {
    name: 'not yet valid',
    endpoint: service({ certificate: cert(leaf({ notBefore: day(2), notAfter: day(90) })) }),
    findings: ['tls.cert.not_yet_valid'],
  },
  {
    name: 'expires in 29 days',
    endpoint: service({ certificate: cert(leaf({ notAfter: day(29) })) }),
    findings: ['tls.cert.expiring_soon'],
  },
  {
    name: 'expires in 31 days',
    endpoint: service({ certificate: cert(leaf({ notAfter: day(31) })) }),
    findings: [],
  },
  {
    name: 'self-signed (and so untrusted: reported once, as self-signed)',
    endpoint: service({
      certificate: cert(leaf({ selfSigned: true }), { status: 'untrusted', path: [], detail: 'self-signed' }),
    }),
    findings: ['tls.cert.self_signed'],
  },
  {
    name: 'a self-signed certificate the trust file lists is trusted',
    endpoint: service({ certificate: cert(leaf({ selfSigned: true })) }),
    findings: [],
  },
  {
    name: 'untrusted issuer',
    endpoint: service({ certificate: cert(leaf(), { status: 'untrusted', path: [], detail: 'unknown issuer' }) }),
    findings: ['tls.cert.untrusted'],
  },
  {
    name: 'intermediate not sent',
    endpoint: service({ certificate: cert(leaf(), { status: 'incomplete', path: [], detail: 'not sent' }) }),
    findings: ['tls.cert.chain_incomplete'],
  },
  {
    name: 'another host name',
    endpoint: service({ certificate: cert(leaf({ dnsNames: ['www.other.test'] })) }),
    findings: ['tls.cert.hostname_mismatch'],
  },
  {
    name: 'a wildcard covers one label',
    endpoint: service({ certificate: cert(leaf({ dnsNames: ['*.clinic.test'] })) }),
    findings: [],
  },
  {
    name: 'a wildcard does not cover two labels',
    endpoint: service({ certificate: cert(leaf({ dnsNames: ['*.clinic.test'] })) }, 'a.portal.clinic.test'),
    findings: ['tls.cert.hostname_mismatch'],
  },
  {
    name: 'the common name is ignored when there are dNSNames (RFC 6125 6.4.4)',
    endpoint: service({ certificate: cert(leaf({ dnsNames: ['www.clinic.test'] })) }),
    findings: ['tls.cert.hostname_mismatch'],
  },
  {
    name: 'RSA 1024',
    endpoint: service({ certificate: cert(leaf({ keyType: 'rsa', keyBits: 1024 })) }),
    findings: ['tls.cert.weak_key'],
  },
  {
    name: 'RSA 2048 is enough',
    endpoint: service({ certificate: cert(leaf({ keyType: 'rsa', keyBits: 2048 })) }),
    findings: [],
  },
  {
    name: 'SHA-1 signature',
    endpoint: service({ certificate: cert(leaf({ signatureHash: 'sha1', signatureAlgorithm: 'sha1WithRSA' })) }),
    findings: ['tls.cert.weak_signature'],
  },
  {
    name: '825 days of validity',
    endpoint: service({ certificate: cert(leaf({ notBefore: day(-10), notAfter: day(815) })) }),
    findings: ['tls.cert.validity_too_long'],
  },
];

function cert(
  facts: CertificateFacts,
  trust: NonNullable<TlsServiceObservation['certificate']>['trust'] = { status: 'trusted', path: [], detail: '' },
): TlsServiceObservation['certificate'] {
  return { chain: [facts], trust, source: 'handshake' };
}

describe('TLS checks', () => {
  for (const row of rows) {
    test(row.name, () => {
      const out = judgeAll(row.endpoint);
      assert.deepEqual(out.notAssessed, []);
      assert.deepEqual(out.findings.map((f) => f.type).sort(), [...row.findings].sort());
      for (const f of out.findings) assert.deepEqual(f.asset, { host: row.endpoint.host, ip: '127.16.0.2', port: 443 });
    });
  }

  test('no service on the port: nothing is judged, nothing is not assessed', () => {
    const out = judgeAll({
      host: 'a.clinic.test',
      address: '127.16.0.2',
      port: 8443,
      status: 'no_service',
      detail: 'refused',
    });
    assert.deepEqual(out, { findings: [], controls: [], notAssessed: [] });
  });

  test('an endpoint the probe could not assess is not assessed by every check, with the reason', () => {
    const out = judgeAll({
      host: 'a.clinic.test',
      address: '127.16.0.2',
      port: 443,
      status: 'not_assessed',
      reason: 'timeout',
      detail: 'no complete reply within 3000 ms',
    });
    assert.deepEqual(out.findings, []);
    assert.deepEqual(
      out.notAssessed.map((n) => n.check),
      ['tls.protocols', 'tls.ciphers', 'tls.certificate'],
    );
    assert.match(out.notAssessed[0]!.reason, /^timeout: /);
  });

  test('a service that accepted no hello is not assessed', () => {
    const out = judgeAll(service({ versions: MODERN.map((v) => version(v.version)), certificate: null }));
    assert.deepEqual(out.findings, []);
    assert.equal(out.notAssessed.length, 3);
  });

  test('no certificate read: the certificate check is not assessed, the others judge', () => {
    const out = judgeAll(service({ certificate: null, certificateMissing: 'the server sent no certificate' }));
    assert.deepEqual(out.findings, []);
    assert.deepEqual(
      out.notAssessed.map((n) => n.check),
      ['tls.certificate'],
    );
  });
});
