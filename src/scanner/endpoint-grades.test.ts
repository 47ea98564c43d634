/**
 * The scan's SSL Labs-style grade reads the HSTS of the web probe's HTTPS answer on the same host and port:
 * A+ for an A with six months of HSTS and no warning (worked examples in src/tls/ssl-labs-grade.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeAttempt } from '../core/types.js';
import type { CertificateFacts, TlsEndpointObservation, TlsObservation } from '../probes/tls/tls.types.js';
import type { WebObservation } from '../probes/web/web.types.js';
import { GOOD_HEADERS, HOST, closed, serving, webHost } from '../checks/application_security/web.test-support.js';
import { TLS_PROBE_ID, WEB_PROBE_ID, endpointGrades, hstsOfAnswer } from './endpoint-grades.js';

const ecdhe = { kind: 'ecdhe' as const, group: 'x25519', rsaEquivalentBits: 3072 };
const LEAF: CertificateFacts = {
  der: '',
  subject: `CN=${HOST}`,
  issuer: 'CN=Lab CA',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2026-12-31T00:00:00Z',
  dnsNames: [HOST],
  ipAddresses: [],
  commonNames: [HOST],
  keyType: 'ec',
  keyBits: 256,
  signatureAlgorithm: 'ecdsa-with-SHA256',
  signatureHash: 'sha256',
  selfSigned: false,
  isCa: false,
  fingerprintSha256: '',
};

/** A modern endpoint (TLS 1.2 and 1.3, ECDHE with AES-GCM): 93, A before HSTS. */
function modern(port: number, trust: 'trusted' | 'incomplete' = 'trusted'): TlsEndpointObservation {
  const suite = (code: number) => ({ code, name: code.toString(16), keyExchange: ecdhe });
  return {
    host: HOST,
    address: '192.0.2.10',
    port,
    status: 'completed',
    observedAt: '2026-06-01T00:00:00Z',
    versions: (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => {
      const suites =
        version === 'TLSv1.2' ? [suite(0xc02b), suite(0xc02c)] : version === 'TLSv1.3' ? [suite(0x1301)] : [];
      return { version, supported: suites.length > 0, suites, serverPreference: null };
    }),
    groups: ['x25519'],
    certificate: { chain: [LEAF], trust: { status: trust, path: [], detail: '' }, source: 'handshake' },
    connections: 1,
  };
}

function grades(tls: TlsEndpointObservation[], hsts: string | null) {
  const headers = GOOD_HEADERS.filter(([n]) => n !== 'strict-transport-security');
  if (hsts !== null) headers.push(['strict-transport-security', hsts]);
  const web: WebObservation = { domain: HOST, hosts: [webHost(serving('https', { headers }), closed('http'))] };
  const attempts = new Map<string, ProbeAttempt<unknown>>([
    [
      TLS_PROBE_ID,
      { status: 'completed', result: { domain: HOST, ports: [443, 8443], endpoints: tls } as TlsObservation },
    ],
    [WEB_PROBE_ID, { status: 'completed', result: web }],
  ]);
  return endpointGrades(attempts)
    .filter((g) => g.kind === 'tls')
    .map((g) => `${g.port} ${g.grade}`);
}

test('HSTS of an answer: one valid header gives its max-age; none, twice, a repeated directive: none', () => {
  assert.deepEqual(hstsOfAnswer([['strict-transport-security', 'max-age=31536000; includeSubDomains']]), {
    maxAgeSeconds: 31_536_000,
  });
  assert.equal(hstsOfAnswer([]), null);
  assert.equal(
    hstsOfAnswer([
      ['strict-transport-security', 'max-age=31536000'],
      ['strict-transport-security', 'max-age=31536000'],
    ]),
    null,
  );
  assert.equal(hstsOfAnswer([['strict-transport-security', 'max-age=31536000; max-age=1']]), null);
});

test('a year of HSTS on port 443 makes that endpoint A+; 8443, which the web probe did not fetch, stays A', () => {
  assert.deepEqual(grades([modern(443), modern(8443)], 'max-age=31536000'), ['443 A+', '8443 A']);
});

test('a day of HSTS, none, or an incomplete chain (a warning): A', () => {
  assert.deepEqual(grades([modern(443)], 'max-age=86400'), ['443 A']);
  assert.deepEqual(grades([modern(443)], null), ['443 A']);
  assert.deepEqual(grades([modern(443, 'incomplete')], 'max-age=31536000'), ['443 A']);
});
