/**
 * The SSL Labs grade on hand-worked examples: each score is worked out in the comment from the guide's
 * tables (protocol 30%, key exchange 30%, cipher 40%), then the caps.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type GradeInput, letterForScore, sslLabsGrade } from './ssl-labs-grade.js';

type Versions = GradeInput['versions'];
const ecdhe = { kind: 'ecdhe' as const, rsaEquivalentBits: 3072 };
const rsa = { kind: 'rsa' as const };

function versions(map: Partial<Record<Versions[number]['version'], Versions[number]['suites']>>): Versions {
  return (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({
    version,
    supported: (map[version] ?? []).length > 0,
    suites: map[version] ?? [],
  }));
}

const base = (v: Versions, overrides: Partial<GradeInput> = {}): GradeInput => ({
  versions: v,
  certificate: { keyType: 'ec', keyBits: 256 },
  trusted: true,
  nameMatches: true,
  ...overrides,
});

const MODERN = versions({
  'TLSv1.2': [
    { code: 0xc02b, keyExchange: ecdhe }, // ECDHE-ECDSA AES-128-GCM
    { code: 0xc02c, keyExchange: ecdhe }, // ECDHE-ECDSA AES-256-GCM
  ],
  'TLSv1.3': [
    { code: 0x1301, keyExchange: ecdhe },
    { code: 0x1302, keyExchange: ecdhe },
  ],
});

describe('SSL Labs grade', () => {
  test('letters from the score (table 4)', () => {
    assert.deepEqual([80, 79, 65, 64, 50, 35, 20, 19].map(letterForScore), ['A', 'B', 'B', 'C', 'C', 'D', 'E', 'F']);
  });

  test('modern: protocol (100+100)/2 = 100, key exchange P-256 (3072 bits) 90, cipher (80+100)/2 = 90: 93, A', () => {
    const g = sslLabsGrade(base(MODERN))!;
    assert.equal(g.protocolScore, 100);
    assert.equal(g.keyExchangeScore, 90);
    assert.equal(g.cipherScore, 90);
    // 0.3 * 100 + 0.3 * 90 + 0.4 * 90 = 30 + 27 + 36 = 93
    assert.equal(g.score, 93);
    assert.equal(g.grade, 'A');
    assert.deepEqual(g.caps, []);
  });

  test('HSTS for a year makes an A an A+; a short one does not', () => {
    assert.equal(sslLabsGrade(base(MODERN, { hsts: { maxAgeSeconds: 31_536_000 } }))!.grade, 'A+');
    assert.equal(sslLabsGrade(base(MODERN, { hsts: { maxAgeSeconds: 86_400 } }))!.grade, 'A');
  });

  test('A+ from exactly 15,552,000 s (180 days); one second less, none, or not looked at: A', () => {
    const grade = (hsts: GradeInput['hsts']) => sslLabsGrade(base(MODERN, { hsts }))!.grade;
    assert.deepEqual(
      [grade({ maxAgeSeconds: 15_552_000 }), grade({ maxAgeSeconds: 15_551_999 }), grade(null), grade(undefined)],
      ['A+', 'A', 'A', 'A'],
    );
  });

  test('a warning (an incomplete chain) withholds A+ from an A with a year of HSTS: 93, A', () => {
    const g = sslLabsGrade(
      base(MODERN, { hsts: { maxAgeSeconds: 31_536_000 }, warnings: ['the chain as sent is incomplete'] }),
    )!;
    assert.deepEqual([g.score, g.grade, g.caps], [93, 'A', []]);
  });

  test('HSTS lifts no capped grade: TLS 1.0 also accepted, B; untrusted, T', () => {
    const hsts = { maxAgeSeconds: 31_536_000 };
    const withTls10 = versions({
      'TLSv1.0': [{ code: 0xc009, keyExchange: ecdhe }], // ECDHE-ECDSA AES-128-CBC-SHA
      'TLSv1.2': MODERN.find((v) => v.version === 'TLSv1.2')!.suites,
      'TLSv1.3': MODERN.find((v) => v.version === 'TLSv1.3')!.suites,
    });
    const capped = sslLabsGrade(base(withTls10, { hsts }))!;
    assert.equal(capped.grade, 'B');
    assert.equal(sslLabsGrade(base(MODERN, { hsts, trusted: false }))!.grade, 'T');
  });

  test('TLS 1.0 besides 1.2: protocol (100+90)/2 = 95 => score 92, capped at B', () => {
    const v = versions({
      'TLSv1.0': [{ code: 0xc009, keyExchange: ecdhe }], // ECDHE-ECDSA AES-128-CBC-SHA
      'TLSv1.2': [{ code: 0xc02b, keyExchange: ecdhe }],
    });
    const g = sslLabsGrade(base(v))!;
    // 0.3 * 95 + 0.3 * 90 + 0.4 * 80 = 28.5 + 27 + 32 = 87.5 -> 88
    assert.equal(g.score, 88);
    assert.equal(g.grade, 'B');
    assert.deepEqual(
      g.caps.map((c) => c.grade),
      ['B'],
    );
  });

  test('SSLv2: protocol (100+0)/2 = 50, capped at F with the reason', () => {
    const v = versions({
      SSLv2: [{ code: 0x050080, keyExchange: rsa }],
      'TLSv1.2': [{ code: 0x009c, keyExchange: rsa }],
    });
    const g = sslLabsGrade(base(v, { certificate: { keyType: 'rsa', keyBits: 2048 } }))!;
    assert.equal(g.protocolScore, 50);
    assert.equal(g.grade, 'F');
    assert.match(g.caps[0]!.reason, /SSL 2\.0/);
  });

  test('RSA key exchange only, RSA 2048: key exchange 90, no forward secrecy => B', () => {
    const v = versions({ 'TLSv1.2': [{ code: 0x009c, keyExchange: rsa }] });
    const g = sslLabsGrade(base(v, { certificate: { keyType: 'rsa', keyBits: 2048 } }))!;
    // 0.3 * 100 + 0.3 * 90 + 0.4 * 80 = 89
    assert.equal(g.score, 89);
    assert.equal(g.grade, 'B');
    assert.ok(g.caps.some((c) => /forward secrecy/.test(c.reason)));
  });

  test('an RSA 1024 certificate: key exchange 80 and the key cap (B)', () => {
    const v = versions({
      'TLSv1.2': [{ code: 0xc02f, keyExchange: ecdhe }],
      'TLSv1.3': [{ code: 0x1301, keyExchange: ecdhe }],
    });
    const g = sslLabsGrade(base(v, { certificate: { keyType: 'rsa', keyBits: 1024 } }))!;
    assert.equal(g.grade, 'B');
    assert.ok(g.caps.some((c) => /RSA 1024/.test(c.reason)));
  });

  test('no TLS 1.2: C at most', () => {
    const v = versions({
      'TLSv1.0': [{ code: 0xc009, keyExchange: ecdhe }],
      'TLSv1.1': [{ code: 0xc009, keyExchange: ecdhe }],
    });
    assert.equal(sslLabsGrade(base(v))!.grade, 'C');
  });

  test('an untrusted certificate is T, a name mismatch M; the grade beside it stays', () => {
    const t = sslLabsGrade(base(MODERN, { trusted: false }))!;
    assert.equal(t.grade, 'T');
    assert.equal(t.gradeIgnoringTrust, 'A');
    assert.equal(sslLabsGrade(base(MODERN, { nameMatches: false }))!.grade, 'M');
  });

  test('nothing accepted: no grade', () => {
    assert.equal(sslLabsGrade(base(versions({}))), null);
  });
});
