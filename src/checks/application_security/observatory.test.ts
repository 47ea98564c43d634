/**
 * The Observatory-equivalent header grade on hand-built responses. Each expected score is worked out by
 * hand from the MDN HTTP Observatory's score table (package 1.4.8, grader/charts.js; docs/web.md): start at
 * 100, add every modifier, keep the bonuses only when the score without them is at least 90, floor at 0.
 * test/e2e/observatory-oracle.test.ts holds the same grade to the real package on every lab site.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeaderPair } from '../../core/http-headers.js';
import type { AnsweredEndpoint } from '../../probes/web/web.types.js';
import { gradeOf, observatoryGrade } from './observatory.js';
import { GOOD_HEADERS, HOST, closed, page, redirecting, serving, webHost } from './web.test-support.js';

const VERIFIED = { verified: true } as const;

function verifiedRedirect(): AnsweredEndpoint {
  return { ...redirecting(), finalTls: VERIFIED };
}

function secure(
  overrides: Partial<AnsweredEndpoint> & { headers?: HeaderPair[]; status?: number } = {},
): AnsweredEndpoint {
  return serving('https', { tls: VERIFIED, ...overrides });
}

const without = (headers: readonly HeaderPair[], ...names: string[]) => headers.filter(([n]) => !names.includes(n));

test('the grade table: multiples of five, A+ from 100', () => {
  assert.deepEqual([115, 100, 99, 90, 89, 85, 80, 75, 70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 0].map(gradeOf), [
    'A+',
    'A+',
    'A',
    'A',
    'A-',
    'A-',
    'B+',
    'B',
    'B',
    'B-',
    'C+',
    'C',
    'C',
    'C-',
    'D+',
    'D',
    'D',
    'D-',
    'F',
    'F',
  ]);
});

test('a good site: no penalty, so the bonuses count: 100 + 5 (CSP) + 5 (referrer) + 5 (XFO) = 115, A+', () => {
  const grade = observatoryGrade(webHost(secure(), verifiedRedirect()))!;
  assert.equal(grade.tests['content-security-policy'], 'csp-implemented-with-no-unsafe');
  assert.equal(grade.tests['x-frame-options'], 'x-frame-options-implemented-via-csp');
  assert.equal(grade.tests.redirection, 'redirection-to-https');
  assert.equal(grade.tests['strict-transport-security'], 'hsts-implemented-max-age-at-least-six-months');
  assert.deepEqual([grade.score, grade.grade], [115, 'A+']);
});

/** The good site with another CSP and more headers, graded. */
function goodWith(csp: string, ...extra: HeaderPair[]) {
  const headers: HeaderPair[] = [
    ...without(GOOD_HEADERS, 'content-security-policy'),
    ['content-security-policy', csp],
    ...extra,
  ];
  return observatoryGrade(webHost(secure({ headers }), verifiedRedirect()))!;
}

const NONE = "default-src 'none'; frame-ancestors 'none'";

test("default-src 'none' and CORP: 100 + 10 (CSP) + 5 (referrer) + 5 (frame-ancestors) + 10 (CORP) = 130, A+", () => {
  const grade = goodWith(NONE, ['cross-origin-resource-policy', 'same-origin']);
  assert.equal(grade.tests['cross-origin-resource-policy'], 'corp-implemented-with-same-origin');
  assert.deepEqual([grade.score, grade.grade], [130, 'A+']);
});

test('COOP and COEP are no tests of package 1.4.8: they change nothing (130 as above)', () => {
  const grade = goodWith(
    NONE,
    ['cross-origin-resource-policy', 'same-origin'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-embedder-policy', 'require-corp'],
  );
  assert.equal(Object.keys(grade.tests).length, 10);
  assert.deepEqual([grade.score, grade.grade], [130, 'A+']);
});

test('X-Frame-Options DENY without frame-ancestors: 0, no bonus (110 where frame-ancestors gives 115)', () => {
  const grade = goodWith("default-src 'self'; object-src 'none'");
  assert.equal(grade.tests['x-frame-options'], 'x-frame-options-sameorigin-or-deny');
  assert.deepEqual([grade.score, grade.grade], [110, 'A+']);
});

test('a certificate that does not verify: HSTS and redirection -20 each: 60, C+ (bonuses lost under 90)', () => {
  const grade = observatoryGrade(webHost(serving('https', { tls: { verified: false } }), redirecting()))!;
  assert.equal(grade.tests['strict-transport-security'], 'hsts-invalid-cert');
  assert.equal(grade.tests.redirection, 'redirection-invalid-cert');
  assert.deepEqual([grade.score, grade.grade], [60, 'C+']);
});

test('a VPN landing page: no CSP -25, no HSTS -20; XFO 0 and referrer 0: 55, C', () => {
  const headers: HeaderPair[] = [
    ['content-type', 'text/html'],
    ['x-frame-options', 'SAMEORIGIN'],
    ['x-content-type-options', 'nosniff'],
  ];
  const grade = observatoryGrade(webHost(secure({ headers }), verifiedRedirect()))!;
  assert.equal(grade.tests['referrer-policy'], 'referrer-policy-not-implemented');
  assert.deepEqual([grade.score, grade.grade], [55, 'C']);
});

test('the weak HTTPS site: -20 CSP, -20 cookie, -20 no redirect, -10 HSTS, -20 XFO: 10, F', () => {
  const headers: HeaderPair[] = [
    ['content-type', 'text/html'],
    ['strict-transport-security', 'max-age=86400'],
    ['content-security-policy', "default-src 'self' 'unsafe-inline' 'unsafe-eval'; object-src 'none'"],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
  ];
  const site = secure({
    headers: [...headers, ['set-cookie', 'sid=8d2e61b0; Path=/']],
    cookies: ['sid=8d2e61b0; Path=/'],
    cors: { origin: 'https://o.example', allowOrigin: 'https://o.example', allowCredentials: 'true' },
    body: { page: page({ scripts: [{ src: '/assets/jquery-2.2.4.min.js' }] }) },
  });
  const grade = observatoryGrade(webHost(site, serving('http', { headers })))!;
  assert.deepEqual(grade.tests, {
    'content-security-policy': 'csp-implemented-with-unsafe-inline',
    cookies: 'cookies-without-secure-flag',
    // The Observatory's scan never sees its own Origin header, so a reflected origin is "restricted" (0).
    'cross-origin-resource-sharing': 'cross-origin-resource-sharing-implemented-with-restricted-access',
    redirection: 'redirection-missing',
    'referrer-policy': 'referrer-policy-private',
    'strict-transport-security': 'hsts-implemented-max-age-less-than-six-months',
    'subresource-integrity': 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
    'x-content-type-options': 'x-content-type-options-nosniff',
    'x-frame-options': 'x-frame-options-not-implemented',
    'cross-origin-resource-policy': 'corp-not-implemented',
  });
  assert.deepEqual([grade.score, grade.grade], [10, 'F']);
});

test('an HTTP-only site with a session cookie: -25 CSP, -40 cookie, -20, -20, -5, -20: 0, F', () => {
  const site = serving('http', {
    headers: [
      ['content-type', 'text/html'],
      ['server', 'Apache/2.4.29'],
      ['set-cookie', 'PHPSESSID=k2; path=/'],
    ],
    cookies: ['PHPSESSID=k2; path=/'],
  });
  const grade = observatoryGrade(webHost(closed('https'), site))!;
  assert.equal(grade.tests.cookies, 'cookies-session-without-secure-flag');
  assert.equal(grade.tests['strict-transport-security'], 'hsts-not-implemented-no-https');
  assert.deepEqual([grade.score, grade.grade], [0, 'F']);
});

test("/robots.txt's cookies count only after a certificate failure (the retriever's jar), not otherwise", () => {
  const robotsCookie = 'sid=1; Path=/';
  // Verified: /robots.txt goes through a client without the jar: no cookie is found.
  const verified = observatoryGrade(webHost(secure({ cookies: [robotsCookie] }), verifiedRedirect()))!;
  assert.equal(verified.tests.cookies, 'cookies-not-found');
  // Unverified: the retried session shares its jar with /robots.txt: the cookie lacks Secure (-20).
  const retried = serving('https', { tls: { verified: false }, cookies: [robotsCookie] });
  assert.equal(observatoryGrade(webHost(retried, redirecting()))!.tests.cookies, 'cookies-without-secure-flag');
});

test('a certificate failure before a redirect to plain HTTP still leaves the session unverified', () => {
  const toHttp = serving('https', {
    tls: { verified: false },
    status: 301,
    headers: [['location', 'http://www.clinic.test/']],
    chain: [
      { method: 'GET', url: 'https://www.clinic.test/', status: 301, headers: [], bodyBytes: 0 },
      { method: 'GET', url: 'http://www.clinic.test/', status: 200, headers: GOOD_HEADERS, bodyBytes: 100 },
    ],
    finalUrl: 'http://www.clinic.test/',
  });
  const grade = observatoryGrade(webHost(toHttp, redirecting()))!;
  assert.equal(grade.tests['strict-transport-security'], 'hsts-invalid-cert');
});

test('a penalty of 5 leaves 95, at least 90: the bonuses stay (110, A+); at 80 they go (B+)', () => {
  const headers = without(GOOD_HEADERS, 'x-content-type-options');
  const grade = observatoryGrade(webHost(secure({ headers }), verifiedRedirect()))!;
  assert.deepEqual([grade.score, grade.grade], [110, 'A+']);
  // 95 uncurved is at least 90: the bonuses stay (100 - 5 + 15 = 110). Two -5s and a -10 give 80: no bonus.
  const worse = [...without(headers, 'referrer-policy', 'strict-transport-security')];
  worse.push(['referrer-policy', 'unsafe-url'], ['strict-transport-security', 'max-age=3600']);
  const b = observatoryGrade(webHost(secure({ headers: worse }), verifiedRedirect()))!;
  assert.deepEqual([b.score, b.grade], [80, 'B+']);
});

test('external scripts: without integrity over https -5; over http -50', () => {
  const over = (src: string) =>
    observatoryGrade(webHost(secure({ body: { page: page({ scripts: [{ src }] }) } }), verifiedRedirect()))!;
  assert.equal(
    over('https://cdn.example.net/a.js').tests['subresource-integrity'],
    'sri-not-implemented-but-external-scripts-loaded-securely',
  );
  assert.equal(
    over('http://cdn.example.net/a.js').tests['subresource-integrity'],
    'sri-not-implemented-and-external-scripts-not-loaded-securely',
  );
  // 100 - 50 = 50 (bonuses lost), C.
  assert.deepEqual([over('http://cdn.example.net/a.js').score, over('http://cdn.example.net/a.js').grade], [50, 'C']);
});

test('nothing answered, or a root answering 500: no grade', () => {
  assert.equal(observatoryGrade(webHost(closed('https'), closed('http'))), null);
  assert.equal(observatoryGrade(webHost(secure({ status: 500 }), verifiedRedirect())), null);
});

test('the jar keeps what tough-cookie keeps (each case run through the real jar of package 1.4.8)', () => {
  // One cookie set by the page of a verified HTTPS site with a year of HSTS: stored and not Secure is -5.
  const cookiesOf = (setCookie: string) => {
    const headers: HeaderPair[] = [...GOOD_HEADERS, ['set-cookie', setCookie]];
    return observatoryGrade(webHost(secure({ headers, cookies: [setCookie] }), verifiedRedirect()))!.tests.cookies;
  };
  const kept = 'cookies-without-secure-flag-but-protected-by-hsts';
  const refused = 'cookies-not-found';
  assert.deepEqual(
    [
      cookiesOf('a=1; Domain=clinic.test'),
      cookiesOf('a=1; Max-Age=0'),
      cookiesOf('a=1; Path=/x'),
      cookiesOf('a=1; Domain=other.test'),
      cookiesOf('a'),
      cookiesOf('=1'),
      cookiesOf('__Secure-a=1'),
      cookiesOf('__Host-a=1; Path=/'),
      cookiesOf('__Host-a=1; Secure; Path=/; Domain=clinic.test'),
    ],
    [kept, kept, kept, refused, refused, refused, refused, refused, refused],
  );
  // A valid __Host- cookie is kept; an unknown SameSite value is none (so no +5 for SameSite).
  assert.equal(
    cookiesOf('__Host-a=1; Secure; HttpOnly; Path=/; SameSite=Lax'),
    'cookies-secure-with-httponly-sessions-and-samesite',
  );
  const redirected = webHost(
    serving('https', {
      tls: VERIFIED,
      chain: [
        {
          method: 'GET',
          url: `https://${HOST}/`,
          status: 302,
          headers: [['set-cookie', 'a=1; Secure; SameSite=bogus']],
          bodyBytes: 0,
        },
        { method: 'GET', url: `https://${HOST}/home`, status: 200, headers: GOOD_HEADERS, bodyBytes: 100 },
      ],
      finalUrl: `https://${HOST}/home`,
    }),
    verifiedRedirect(),
  );
  assert.equal(observatoryGrade(redirected)!.tests.cookies, 'cookies-secure-with-httponly-sessions');
});
