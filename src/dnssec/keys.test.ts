import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer, DnskeyData } from 'dns-packet';
import {
  computeKeyTag,
  dnskeyRdata,
  dsForKey,
  generateZoneKey,
  zoneKeyFromPrivateScalar,
  zoneKeyFromSeed,
} from './keys.js';

const b64 = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'base64');
const dnskey = (name: string, data: DnskeyData): Answer => ({ name, type: 'DNSKEY', ttl: 3600, class: 'IN', data });

// RFC 4034 section 5.4 (and RFC 4509 section 2.3 for the SHA-256 DS).
const RFC4034_KEY: DnskeyData = {
  flags: 256,
  algorithm: 5,
  key: b64(`AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZ
    DRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==`),
};
// RFC 6605 section 6.1.
const RFC6605_KEY: DnskeyData = {
  flags: 257,
  algorithm: 13,
  key: b64('GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=='),
};

describe('key tags (RFC 4034 Appendix B)', () => {
  test('RFC 4034 5.4 example key has tag 60485', () => {
    assert.equal(computeKeyTag(RFC4034_KEY), 60485);
    assert.equal(computeKeyTag(dnskeyRdata(RFC4034_KEY)), 60485);
  });
  test('RFC 6605 6.1 P-256 key has tag 55648', () => {
    assert.equal(computeKeyTag(RFC6605_KEY), 55648);
  });
  test('RFC 5702 6.1 RSA/SHA-256 key has tag 9033', () => {
    const key = {
      flags: 256,
      algorithm: 8,
      key: b64('AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk='),
    };
    assert.equal(computeKeyTag(key), 9033);
  });
  test('RFC 8080 6.1 Ed25519 key has tag 3613', () => {
    assert.equal(
      computeKeyTag({ flags: 257, algorithm: 15, key: b64('l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=') }),
      3613,
    );
  });
});

describe('DS digests (RFC 4034 5.1.4)', () => {
  test('RFC 4034 5.4 SHA-1 and RFC 4509 2.3 SHA-256 digests', () => {
    const sha1 = dsForKey('dskey.example.com', dnskey('dskey.example.com', RFC4034_KEY), 1);
    assert.equal(sha1.data.keyTag, 60485);
    assert.equal(sha1.data.digest.toString('hex').toUpperCase(), '2BB183AF5F22588179A53B0A98631FAD1A292118');
    const sha256 = dsForKey('dskey.example.com.', dnskey('dskey.example.com', RFC4034_KEY));
    assert.equal(sha256.data.digestType, 2);
    assert.equal(
      sha256.data.digest.toString('hex').toUpperCase(),
      'D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A',
    );
  });
  test('owner case does not change the digest (canonical form)', () => {
    const upper = dsForKey('DSKEY.Example.COM', dnskey('DSKEY.Example.COM', RFC4034_KEY), 1);
    assert.equal(upper.data.digest.toString('hex').toUpperCase(), '2BB183AF5F22588179A53B0A98631FAD1A292118');
  });
  test('RFC 6605 6.1 DS 55648 13 2', () => {
    const ds = dsForKey('example.net', dnskey('example.net', RFC6605_KEY));
    assert.deepEqual([ds.name, ds.data.keyTag, ds.data.algorithm, ds.data.digestType], ['example.net', 55648, 13, 2]);
    assert.equal(ds.data.digest.toString('hex'), 'b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17');
  });
  test('RFC 8080 6.1 DS 3613 15 2', () => {
    const key = { flags: 257, algorithm: 15, key: b64('l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=') };
    const ds = dsForKey('example.com', dnskey('example.com', key));
    assert.equal(ds.data.digest.toString('hex'), '3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b');
  });
  test('unknown digest type and non-DNSKEY input are refused', () => {
    assert.throws(() => dsForKey('x.test', dnskey('x.test', RFC6605_KEY), 3), /digest type 3/);
    assert.throws(() => dsForKey('x.test', { name: 'x.test', type: 'A', data: '127.0.0.1' }), /DNSKEY/);
  });
});

describe('zone keys', () => {
  test('the RFC 6605 6.1 private key yields the published DNSKEY', () => {
    const key = zoneKeyFromPrivateScalar('example.net.', 'ksk', b64('GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ='));
    assert.ok(key.publicKey.equals(RFC6605_KEY.key));
    assert.equal(key.keyTag, 55648);
    assert.equal(key.owner, 'example.net');
    assert.deepEqual(key.dnskey.data, { flags: 257, algorithm: 13, key: key.publicKey });
  });
  test('zoneKeyFromSeed is deterministic and seed-dependent', () => {
    const a = zoneKeyFromSeed('good.test', 'ksk', 'lab-42/good.test/ksk');
    const b = zoneKeyFromSeed('good.test', 'ksk', 'lab-42/good.test/ksk');
    const c = zoneKeyFromSeed('good.test', 'zsk', 'lab-42/good.test/zsk');
    assert.ok(a.publicKey.equals(b.publicKey));
    assert.equal(a.keyTag, b.keyTag);
    assert.ok(!a.publicKey.equals(c.publicKey));
    assert.equal(a.flags, 257);
    assert.equal(c.flags, 256);
    assert.equal(a.publicKey.length, 64);
  });
  test('generated keys are fresh 64-byte P-256 points with matching tags', () => {
    const a = generateZoneKey('Test.', 'zsk');
    const b = generateZoneKey('test', 'zsk');
    assert.equal(a.owner, 'test');
    assert.equal(a.publicKey.length, 64);
    assert.ok(!a.publicKey.equals(b.publicKey));
    assert.equal(a.keyTag, computeKeyTag(a.dnskey.data));
  });
});
