/**
 * Table-driven tests of the application_security checks over hand-built observations: a known-good
 * site gives no finding, each row changes one thing and expects exactly its finding; failed endpoints
 * are not assessed, never a pass; a host with nothing listening is not judged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyCheck } from '../../core/contract.js';
import type { WebHost } from '../../probes/web/web.types.js';
import {
  contentCheck,
  cookiesCheck,
  exposureCheck,
  headersCheck,
  transportCheck,
} from './application-security.checks.js';
import {
  GOOD_HEADERS,
  HOST,
  closed,
  failed,
  observation,
  page,
  redirecting,
  serving,
  webHost,
} from './web.test-support.js';

const CHECKS: AnyCheck[] = [transportCheck, headersCheck, cookiesCheck, contentCheck, exposureCheck];

function judgeAll(host: WebHost) {
  const obs = observation(host);
  const outcomes = CHECKS.map((c) => c.judge({ domain: 'clinic.test' }, [obs]));
  return {
    findings: outcomes.flatMap((o) => o.findings.map((f) => f.type)).sort(),
    controls: outcomes.flatMap((o) => o.controls.map((c) => c.control)).sort(),
    notAssessed: outcomes.flatMap((o) => o.notAssessed.map((n) => n.check)).sort(),
  };
}

const without = (name: string) => GOOD_HEADERS.filter(([n]) => n !== name);
const replaced = (name: string, value: string) => [...without(name), [name, value] as const];

describe('application_security checks', () => {
  test('a good site: no finding, three controls', () => {
    assert.deepEqual(judgeAll(webHost(serving('https'))), {
      findings: [],
      controls: ['app.csp.enforced', 'app.hsts.enabled', 'app.https.enforced'],
      notAssessed: [],
    });
  });

  const rows: Array<[string, WebHost, string[]]> = [
    [
      'HTTP serves the page instead of redirecting',
      webHost(serving('https'), serving('http')),
      ['app.https.not_enforced'],
    ],
    ['no HSTS', webHost(serving('https', { headers: without('strict-transport-security') })), ['app.hsts.missing']],
    [
      'an invalid HSTS header (max-age twice)',
      webHost(serving('https', { headers: replaced('strict-transport-security', 'max-age=10; max-age=20') })),
      ['app.hsts.missing'],
    ],
    [
      'HSTS for one day',
      webHost(serving('https', { headers: replaced('strict-transport-security', 'max-age=86400') })),
      ['app.hsts.short_max_age'],
    ],
    [
      'no CSP (framing still protected by X-Frame-Options)',
      webHost(serving('https', { headers: without('content-security-policy') })),
      ['app.csp.missing'],
    ],
    [
      "CSP with 'unsafe-inline' scripts",
      webHost(
        serving('https', {
          headers: replaced('content-security-policy', "default-src 'self' 'unsafe-inline'; frame-ancestors 'none'"),
        }),
      ),
      ['app.csp.unsafe'],
    ],
    [
      'CSP with an http: source',
      webHost(
        serving('https', {
          headers: replaced(
            'content-security-policy',
            "default-src 'self'; img-src http://img.example; object-src 'none'; frame-ancestors 'none'",
          ),
        }),
      ),
      ['app.csp.unsafe'],
    ],
    [
      'neither X-Frame-Options nor frame-ancestors',
      webHost(
        serving('https', {
          headers: [...without('x-frame-options').filter(([n]) => n !== 'content-security-policy')].concat([
            ['content-security-policy', "default-src 'self'; object-src 'none'"],
          ]),
        }),
      ),
      ['app.clickjacking'],
    ],
    ['no nosniff', webHost(serving('https', { headers: without('x-content-type-options') })), ['app.xcto.missing']],
    [
      'no Referrer-Policy',
      webHost(serving('https', { headers: without('referrer-policy') })),
      ['app.referrer_policy.missing'],
    ],
    [
      'a referrer meta element counts',
      webHost(
        serving('https', {
          headers: without('referrer-policy'),
          body: { page: page({ metaHeaders: [['referrer', 'no-referrer']] }) },
        }),
      ),
      [],
    ],
    [
      'a session cookie without Secure, HttpOnly or SameSite',
      webHost(serving('https', { cookies: ['JSESSIONID=abc; Path=/'] })),
      ['app.cookie.no_httponly', 'app.cookie.no_samesite', 'app.cookie.no_secure'],
    ],
    [
      'a preference cookie: Secure and SameSite matter, HttpOnly does not',
      webHost(serving('https', { cookies: ['theme=dark; Secure; SameSite=Lax'] })),
      [],
    ],
    [
      'Server names a version',
      webHost(serving('https', { headers: replaced('server', 'Apache/2.4.29 (Ubuntu)') })),
      ['app.version_disclosure'],
    ],
    [
      'a directory listing',
      webHost(serving('https', { body: { page: page({ title: 'Index of /', text: 'Index of / Parent Directory' }) } })),
      ['app.directory_listing'],
    ],
    [
      'a password form posting to http:',
      webHost(
        serving('https', {
          body: {
            page: page({ forms: [{ action: 'http://www.clinic.test/login', method: 'post', hasPassword: true }] }),
          },
        }),
      ),
      ['app.login_over_http'],
    ],
    [
      'an HTTP-only login page',
      webHost(
        closed('https'),
        serving('http', {
          headers: GOOD_HEADERS.filter(([n]) => n !== 'strict-transport-security'),
          body: { page: page({ forms: [{ action: '', method: 'post', hasPassword: true }] }) },
        }),
      ),
      ['app.https.not_enforced', 'app.login_over_http'],
    ],
    [
      'an image over http: on the HTTPS page',
      webHost(
        serving('https', { body: { page: page({ resources: [{ element: 'img', url: 'http://x.example/a.png' }] }) } }),
      ),
      ['app.mixed_content'],
    ],
    [
      'CORS reflecting the origin',
      webHost(serving('https', { cors: { origin: 'https://o.example', allowOrigin: 'https://o.example' } })),
      ['app.cors.permissive'],
    ],
    [
      'CORS * with credentials',
      webHost(serving('https', { cors: { origin: 'https://o.example', allowOrigin: '*', allowCredentials: 'true' } })),
      ['app.cors.permissive'],
    ],
    [
      'CORS * without credentials (public content)',
      webHost(serving('https', { cors: { origin: 'https://o.example', allowOrigin: '*' } })),
      [],
    ],
    [
      'a confirmed .git/HEAD',
      webHost(
        serving('https', {
          sensitive: [
            { path: '/.git/HEAD', kind: 'git', status: 200, confirmed: true, excerpt: 'ref: refs/heads/main' },
          ],
        }),
      ),
      ['app.sensitive_path.exposed'],
    ],
    [
      'a 200 that did not confirm',
      webHost(serving('https', { sensitive: [{ path: '/.env', kind: 'env', status: 200, confirmed: false }] })),
      [],
    ],
    [
      'jQuery 1.12.4',
      webHost(
        serving('https', {
          libraries: [{ library: 'jquery', version: '1.12.4', url: '/js/j.js', via: 'filecontent' }],
        }),
      ),
      ['app.js_library.vulnerable'],
    ],
    [
      'jQuery 3.7.1 (no known vulnerability)',
      webHost(
        serving('https', { libraries: [{ library: 'jquery', version: '3.7.1', url: '/js/j.js', via: 'filecontent' }] }),
      ),
      [],
    ],
  ];
  for (const [name, host, expected] of rows)
    test(name, () => {
      assert.deepEqual(judgeAll(host).findings, [...expected].sort());
      assert.deepEqual(judgeAll(host).notAssessed, []);
    });

  test('nothing listening: no site, nothing judged', () => {
    assert.deepEqual(judgeAll(webHost(closed('https'), closed('http'))), {
      findings: [],
      controls: [],
      notAssessed: [],
    });
  });

  test('a failed HTTPS endpoint is not assessed, never a pass, and the HTTP redirect is still judged', () => {
    const result = judgeAll(webHost(failed('https'), redirecting()));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.controls, ['app.https.enforced']);
    assert.deepEqual(result.notAssessed, [
      'app.content',
      'app.cookies',
      'app.exposure',
      'app.headers',
      'app.transport',
    ]);
  });

  test('a failed HTTP endpoint leaves HTTPS enforcement not assessed', () => {
    const result = judgeAll(webHost(serving('https'), failed('http')));
    assert.ok(!result.findings.includes('app.https.not_enforced'));
    assert.ok(!result.controls.includes('app.https.enforced'));
    assert.ok(result.notAssessed.includes('app.transport'));
  });

  test('a root answering 500 is not assessed for headers', () => {
    const result = judgeAll(webHost(serving('https', { status: 500, headers: [] })));
    assert.ok(result.notAssessed.includes('app.headers'));
    assert.ok(!result.findings.includes('app.csp.missing'));
  });

  test('a site that redirects to another host is judged there, not here', () => {
    const away = serving('https', { leftScope: 'https://portal.vendor.example/' });
    const result = judgeAll(webHost(away));
    assert.deepEqual(result.findings, []);
    assert.equal(HOST, 'www.clinic.test');
  });
});
