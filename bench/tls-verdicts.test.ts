import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTestsslSuites, sslscanLacksSslv3Suites } from './tls.bench.js';

/** testssl.sh -E's flat JSON, as it wrote it for a lab `sslv3` endpoint (findings shortened to their columns). */
const TESTSSL_E = JSON.stringify(
  (
    [
      ['engine_problem', 'No engine or GOST support via engine with your /usr/bin/openssl'],
      ['pre_128cipher', 'No 128 cipher limit bug'],
      ['cipher-ssl3_x2f', 'SSLv3   x2f     AES128-SHA    RSA   AES   128   TLS_RSA_WITH_AES_128_CBC_SHA'],
      ['cipher-tls1_2_x9c', 'TLS 1.2 x9c AES128-GCM-SHA256 RSA AESGCM 128 TLS_RSA_WITH_AES_128_GCM_SHA256'],
      ['cipher-tls1_3_x1302', 'TLS 1.3 x1302 TLS_AES_256_GCM_SHA384 ECDH 253 AESGCM 256 TLS_AES_256_GCM_SHA384'],
      ['cipher-tls1_3_x1301', 'TLS 1.3 x1301 TLS_AES_128_GCM_SHA256 ECDH 253 AESGCM 128 TLS_AES_128_GCM_SHA256'],
      ['scanTime', '8'],
    ] as const
  ).map(([id, finding]) => ({ id, finding })),
);

test('testssl.sh -E JSON gives the suites per protocol by IANA name', () => {
  assert.deepEqual(parseTestsslSuites(TESTSSL_E), {
    SSLv3: ['TLS_RSA_WITH_AES_128_CBC_SHA'],
    'TLSv1.2': ['TLS_RSA_WITH_AES_128_GCM_SHA256'],
    'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'],
  });
});

test('a finished testssl.sh -E run with no SSLv3 suite gives an empty SSLv3 list, an unfinished one none', () => {
  assert.deepEqual(parseTestsslSuites(JSON.stringify([{ id: 'scanTime', finding: '3' }])), { SSLv3: [] });
  assert.equal(parseTestsslSuites(JSON.stringify([{ id: 'engine_problem', finding: 'x' }])), null);
});

test('only an SSLv3-offered sslscan verdict without SSLv3 suites asks testssl.sh for them', () => {
  const base = { signature: null, selfSigned: null };
  assert.equal(
    sslscanLacksSslv3Suites({ ...base, versions: ['SSLv3', 'TLSv1.2'], suites: { 'TLSv1.2': ['X'] } }),
    true,
  );
  assert.equal(sslscanLacksSslv3Suites({ ...base, versions: ['SSLv3'], suites: { SSLv3: ['X'] } }), false);
  assert.equal(sslscanLacksSslv3Suites({ ...base, versions: ['TLSv1.2'], suites: {} }), false);
  assert.equal(sslscanLacksSslv3Suites(null), false);
});
