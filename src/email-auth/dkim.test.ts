import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDkimKey } from './dkim.js';
import { dkimEd25519Record, dkimRsaRecord } from './dkim.test-support.js';

describe('parseDkimKey (RFC 6376 3.6.1, RFC 8463)', () => {
  test('RSA keys report their modulus length', () => {
    assert.deepEqual(parseDkimKey(dkimRsaRecord(1024)), { kind: 'rsa', bits: 1024 });
    assert.deepEqual(parseDkimKey(dkimRsaRecord(2048)), { kind: 'rsa', bits: 2048 });
  });
  test('k= defaults to rsa, v= is optional, whitespace inside p= is folding', () => {
    const p = dkimRsaRecord(1024).split('p=')[1]!;
    assert.deepEqual(parseDkimKey(`p=${p.slice(0, 40)} ${p.slice(40)}`), { kind: 'rsa', bits: 1024 });
  });
  test('Ed25519 raw key', () => assert.deepEqual(parseDkimKey(dkimEd25519Record()), { kind: 'ed25519' }));
  test('empty p= is a revoked key', () => assert.deepEqual(parseDkimKey('v=DKIM1; k=rsa; p='), { kind: 'revoked' }));
  test('not a DKIM record: no p, or another version', () => {
    assert.equal(parseDkimKey('v=spf1 -all'), null);
    assert.equal(parseDkimKey('hello world'), null);
    assert.equal(parseDkimKey('v=DKIM2; p=abcd'), null);
  });
  test('malformed keys', () => {
    assert.equal(parseDkimKey('v=DKIM1; p=!!!!')?.kind, 'malformed');
    assert.equal(parseDkimKey('v=DKIM1; p=AAAA')?.kind, 'malformed');
    assert.equal(parseDkimKey('v=DKIM1; k=ed25519; p=AAAA')?.kind, 'malformed');
    assert.equal(parseDkimKey('v=DKIM1; h=sha256')?.kind, 'malformed');
  });
  test('unknown key type', () =>
    assert.deepEqual(parseDkimKey('v=DKIM1; k=dsa; p=AAAA'), { kind: 'unsupported', keyType: 'dsa' }));
});
