import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dsForKey, zoneKeyFromSeed } from './keys.js';
import { anchorFromRecord, formatTrustAnchor, IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors } from './trust-anchor.js';

describe('parseTrustAnchors', () => {
  test('reads the IANA root anchors', () => {
    const anchors = parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS);
    assert.equal(anchors.length, 2);
    const [a, b] = anchors;
    assert.ok(a?.type === 'DS' && b?.type === 'DS');
    assert.deepEqual([a.owner, a.keyTag, a.algorithm, a.digestType], ['.', 20326, 8, 2]);
    assert.equal(
      a.digest.toString('hex').toUpperCase(),
      'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
    );
    assert.deepEqual([b.owner, b.keyTag], ['.', 38696]);
    assert.equal(
      b.digest.toString('hex').toUpperCase(),
      '683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16',
    );
  });

  test('reads zone-file forms: TTL and class in either order, split digests, parentheses, comments', () => {
    const text = `
; lab anchors
$TTL 3600
test. 86400 IN DS 12345 13 2 ( 3AA5AB37EFCE57F737FC1627013FEE07
                              BDF241BD10F3B1964AB55C78E79A304B ) ; the KSK
example.com. IN 3600 DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9
   RMzZHJpBoRQwAQEX1SxZJA4=
`;
    // The second record's base64 continues on the next line without parentheses: malformed.
    assert.throws(() => parseTrustAnchors(text), /line 7: record type RMzZHJpBoRQwAQEX1SxZJA4= is not DS or DNSKEY/);
    const fixed = text
      .replace('DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9\n', 'DNSKEY 257 3 15 ( l02Woi0iS8Aa25FQkUd9\n')
      .replace('JA4=\n', 'JA4= )\n');
    const anchors = parseTrustAnchors(fixed);
    assert.equal(anchors.length, 2);
    const [ds, key] = anchors;
    assert.ok(ds?.type === 'DS' && key?.type === 'DNSKEY');
    assert.equal(ds.owner, 'test');
    assert.equal(ds.digest.length, 32);
    assert.deepEqual([key.owner, key.flags, key.algorithm, key.keyTag], ['example.com', 257, 15, 3613]);
  });

  test('$ORIGIN, @ and relative owners', () => {
    const anchors = parseTrustAnchors(
      `$ORIGIN test.\n@ IN DS 1 13 2 ${'AB'.repeat(32)}\nsub IN DS 2 13 2 ${'CD'.repeat(32)}\n`,
    );
    assert.deepEqual(
      anchors.map((a) => a.owner),
      ['test', 'sub.test'],
    );
  });

  test('malformed lines are rejected with their line number', () => {
    const cases: Array<[string, RegExp]> = [
      ['. IN DS 20326 8 2 E06D44B8ZZ', /line 1: DS digest is not hexadecimal/],
      ['\n\n. IN DS 20326 8 2 E06D44B8', /line 3: DS digest type 2 needs 32 octets, got 4/],
      [`. IN DS 70000 8 2 ${'AB'.repeat(32)}`, /line 1: key tag 70000 is out of range/],
      [`. IN DS twenty 8 2 ${'AB'.repeat(32)}`, /line 1: key tag must be a number/],
      ['. IN DS 20326 8 2', /line 1: DS digest is missing/],
      ['; ok\n. IN A 127.0.0.1', /line 2: record type A is not DS or DNSKEY/],
      [`. CH DS 20326 8 2 ${'AB'.repeat(32)}`, /line 1: class CH is not IN/],
      ['. IN DNSKEY 257 4 13 AAAA', /line 1: DNSKEY protocol must be 3/],
      ['. IN DNSKEY 257 3 13 !!!!', /line 1: DNSKEY public key is not base64/],
      [`bad..name. IN DS 1 8 2 ${'AB'.repeat(32)}`, /line 1: empty label/],
      [`. IN DS ( 20326 8 2\n${'AB'.repeat(32)}`, /line 1: '\(' is never closed/],
      ['x. IN DS 1 8 2 AB )', /line 1: unbalanced/],
      [`\n  IN DS 1 8 2 ${'AB'.repeat(32)}`, /line 2: no owner name/],
      ['$INCLUDE other.zone', /line 1: unsupported directive/],
      ['x.', /line 1: missing record type/],
    ];
    for (const [text, expected] of cases) assert.throws(() => parseTrustAnchors(text), expected, text);
  });

  test('an empty or comment-only text has no anchors', () => {
    assert.deepEqual(parseTrustAnchors(''), []);
    assert.deepEqual(parseTrustAnchors('; nothing here\n\n'), []);
  });
});

describe('formatTrustAnchor', () => {
  test('writes a DS the parser reads back identically', () => {
    const ds = dsForKey('test', zoneKeyFromSeed('test', 'ksk', 'anchor-format').dnskey);
    const line = formatTrustAnchor(ds);
    assert.match(line, /^test\. IN DS \d+ 13 2 [0-9A-F]{64}$/);
    assert.deepEqual(parseTrustAnchors(line), [anchorFromRecord(ds)]);
  });

  test('writes a DNSKEY and the root owner', () => {
    const key = zoneKeyFromSeed('test', 'ksk', 'anchor-format');
    const parsed = parseTrustAnchors(formatTrustAnchor(key.dnskey));
    assert.deepEqual(parsed, [anchorFromRecord(key.dnskey)]);
    const root = parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS)[0]!;
    assert.equal(
      formatTrustAnchor(root),
      '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
    );
  });
});
