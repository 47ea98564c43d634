import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTerm, regexMatcher, snippetAround, termMatcher } from './matchers.js';
import { compileSafeRegex, WatchPatternError } from './safe-regex.js';

describe('term matcher: case-insensitive, on word boundaries', () => {
  const cases: [term: string, text: string, expected: string | null][] = [
    ['ransomware', 'New RANSOMWARE listing posted', 'RANSOMWARE'],
    ['ransomware', 'ransomware.', 'ransomware'],
    ['ransomware', 'ransomwares for rent', null],
    ['ransomware', 'antiransomware tool', null],
    ['ransomware', 'ransomware_kit', null],
    ['st mary', "St  Mary's hospital dump", 'St  Mary'],
    ['st mary', 'St\nMary records', 'St\nMary'],
    ['st mary', 'st maryland clinic', null],
    ['st mary', 'stmary.example', null],
    ['rdp access', 'selling RDP-access', null],
    ['c++', 'written in C++ by', 'C++'],
    ['a.b', 'axb', null],
    ['a.b', 'see a.b now', 'a.b'],
    ['Klinikum', 'Daten vom klinikum Süd', 'klinikum'],
    ['süd', 'Klinikum SÜD', 'SÜD'],
    ['süd', 'südlich', null],
  ];
  for (const [term, text, expected] of cases) {
    test(`"${term}" in ${JSON.stringify(text)} → ${expected === null ? 'no match' : JSON.stringify(expected)}`, () => {
      const found = termMatcher(term)(text);
      assert.equal(found?.matched ?? null, expected);
      if (found !== null) assert.equal(text.slice(found.start, found.end), found.matched);
    });
  }

  test('terms are normalized and empty or symbol-only terms refused', () => {
    assert.equal(normalizeTerm('  st   mary '), 'st mary');
    assert.throws(() => normalizeTerm('   '), WatchPatternError);
    assert.throws(() => normalizeTerm('$$ --'), WatchPatternError);
    assert.throws(() => normalizeTerm('x'.repeat(201)), WatchPatternError);
  });

  test('a term full of regex syntax is literal text and stays fast on hostile input', () => {
    const matcher = termMatcher('(a+)+ b');
    const started = performance.now();
    assert.equal(matcher(`${'a'.repeat(100_000) + ' '.repeat(100_000)}!`), null);
    assert.ok(performance.now() - started < 1000);
    assert.equal(matcher('x (a+)+  b y')?.matched, '(a+)+  b');
  });
});

describe('regex matcher: RE2, linear time', () => {
  test('matches with RE2 syntax and reports the position', () => {
    const m = regexMatcher('MRN[:#]?\\s*\\d{3}-\\d-\\d{5}');
    const text = 'patient record MRN: 123-4-56789 attached';
    const found = m(text);
    assert.equal(found?.matched, 'MRN: 123-4-56789');
    assert.equal(text.slice(found?.start, found?.end), 'MRN: 123-4-56789');
    assert.equal(m('MRN: 123-45-6789'), null);
  });

  test('case-sensitive by default, case-insensitive with i', () => {
    assert.equal(regexMatcher('vpn access')('VPN ACCESS for sale'), null);
    assert.equal(regexMatcher('vpn access', 'i')('VPN ACCESS for sale')?.matched, 'VPN ACCESS');
  });

  test('the catastrophic (a+)+$ is accepted by RE2 and never hangs on aaaa…!', () => {
    const m = regexMatcher('(a+)+$');
    const hostile = `${'a'.repeat(5000)}!`;
    const started = performance.now();
    assert.equal(m(hostile), null);
    // V8's backtracking engine would need ~2^5000 steps here.
    assert.ok(performance.now() - started < 500, `took ${performance.now() - started} ms`);
    // And a hundred times longer input stays linear.
    const started2 = performance.now();
    assert.equal(m(`${'a'.repeat(500_000)}!`), null);
    assert.ok(performance.now() - started2 < 2000);
    assert.equal(m('xx aaa')?.matched, 'aaa');
  });

  test('other classic ReDoS shapes run in linear time too', () => {
    const hostile = `${'a'.repeat(20_000)}!`;
    for (const source of ['(a|a)+$', '(a|aa)+$', '(.*a){20}$', '^(\\w+\\s?)+$']) {
      const started = performance.now();
      assert.equal(regexMatcher(source)(hostile), null, source);
      assert.ok(performance.now() - started < 1000, `${source} took ${performance.now() - started} ms`);
    }
  });

  const refused: [source: string, why: RegExp][] = [
    ['(a)\\1', /not accepted/],
    ['(?=admin)\\w+', /not accepted/],
    ['(?<!not )for sale', /not accepted/],
    ['(?!x)y', /not accepted/],
    ['a{5000}', /not accepted/],
    ['([a-z]', /not accepted/],
    ['', /empty/],
    ['a*', /empty string/],
    ['x?', /empty string/],
    ['\\b', /empty string/],
    ['foo|', /empty string/],
    ['x'.repeat(1001), /at most 1000/],
  ];
  for (const [source, why] of refused) {
    test(`refuses /${source.length > 30 ? `${source.slice(0, 30)}…` : source}/`, () => {
      assert.throws(
        () => compileSafeRegex(source),
        (error: unknown) => error instanceof WatchPatternError && why.test(error.message),
      );
    });
  }

  test('refuses flags other than i', () => {
    assert.throws(() => compileSafeRegex('abc', 'g'), WatchPatternError);
    assert.throws(() => compileSafeRegex('abc', 'm'), WatchPatternError);
  });
});

describe('snippetAround', () => {
  test('cuts around the match with ellipses and collapses whitespace', () => {
    const text = `${'x'.repeat(200)} selling   access\nto the hospital VPN ${'y'.repeat(200)}`;
    const start = text.indexOf('VPN');
    const snippet = snippetAround(text, start, start + 3, 30);
    assert.match(snippet, /^….*access to the hospital VPN.*…$/);
    assert.ok(snippet.length <= 3 + 30 * 2 + 2);
  });

  test('keeps short texts whole and never splits a surrogate pair', () => {
    assert.equal(snippetAround('a VPN b', 2, 5), 'a VPN b');
    const text = `${'😀'.repeat(20)}VPN${'😀'.repeat(20)}`;
    const start = text.indexOf('VPN');
    for (const radius of [1, 2, 3, 5]) {
      const snippet = snippetAround(text, start, start + 3, radius);
      assert.ok(
        !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(snippet),
        `radius ${radius}: ${snippet}`,
      );
    }
  });
});
