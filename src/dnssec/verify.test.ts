import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, RrsigAnswer } from 'dns-packet';
import { computeKeyTag, zoneKeyFromSeed } from './keys.js';
import { signRRset } from './sign.js';
import { verifyRRsig } from './verify.js';

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
const utc = (s: string): number =>
  Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14)) /
  1000;

function rrsig(
  name: string,
  typeCovered: string,
  algorithm: number,
  labels: number,
  originalTTL: number,
  expiration: number,
  inception: number,
  keyTag: number,
  signersName: string,
  signature: string,
): RrsigAnswer {
  return {
    name,
    type: 'RRSIG',
    ttl: originalTTL,
    class: 'IN',
    data: {
      typeCovered,
      algorithm,
      labels,
      originalTTL,
      expiration,
      inception,
      keyTag,
      signersName,
      signature: b64(signature),
    },
  };
}

describe('published signature vectors', () => {
  test('RFC 6605 6.1: ECDSA P-256 (algorithm 13)', () => {
    const key: Answer = {
      name: 'example.net',
      type: 'DNSKEY',
      ttl: 3600,
      data: {
        flags: 257,
        algorithm: 13,
        key: b64('GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=='),
      },
    };
    const a: Answer = { name: 'www.example.net', type: 'A', ttl: 3600, data: '192.0.2.1' };
    const sig = rrsig(
      'www.example.net',
      'A',
      13,
      3,
      3600,
      utc('20100909100439'),
      utc('20100812100439'),
      55648,
      'example.net',
      'qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==',
    );
    assert.deepEqual(verifyRRsig([a], sig, key, utc('20100820000000')), { ok: true });
    assert.equal(verifyRRsig([{ ...a, data: '192.0.2.2' }], sig, key, utc('20100820000000')).ok, false);
    assert.deepEqual(pick(verifyRRsig([a], sig, key, utc('20110101000000'))), { ok: false, reason: 'expired' });
    assert.deepEqual(pick(verifyRRsig([a], sig, key, utc('20100801000000'))), { ok: false, reason: 'not_yet_valid' });
  });

  test('RFC 5702 6.1: RSA/SHA-256 (algorithm 8, the root KSK algorithm)', () => {
    const key: Answer = {
      name: 'example.net',
      type: 'DNSKEY',
      ttl: 3600,
      data: {
        flags: 256,
        algorithm: 8,
        key: b64('AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk='),
      },
    };
    const a: Answer = { name: 'www.example.net', type: 'A', ttl: 3600, data: '192.0.2.91' };
    const sig = rrsig(
      'www.example.net',
      'A',
      8,
      3,
      3600,
      utc('20300101000000'),
      utc('20000101000000'),
      9033,
      'example.net',
      'kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg==',
    );
    assert.deepEqual(verifyRRsig([a], sig, key, utc('20200101000000')), { ok: true });
    assert.deepEqual(pick(verifyRRsig([{ ...a, ttl: 60, data: '192.0.2.92' }], sig, key, utc('20200101000000'))), {
      ok: false,
      reason: 'bad_signature',
    });
  });

  test('RFC 8080 6.1 (errata 4935): Ed25519 (algorithm 15)', () => {
    const key: Answer = {
      name: 'example.com',
      type: 'DNSKEY',
      ttl: 3600,
      data: { flags: 257, algorithm: 15, key: b64('l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=') },
    };
    const mx: Answer = {
      name: 'example.com',
      type: 'MX',
      ttl: 3600,
      data: { preference: 10, exchange: 'mail.example.com' },
    };
    const sig = rrsig(
      'example.com',
      'MX',
      15,
      2,
      3600,
      1440021600,
      1438207200,
      3613,
      'example.com',
      'oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==',
    );
    assert.deepEqual(verifyRRsig([mx], sig, key, 1439000000), { ok: true });
    // Names inside RDATA are compared in canonical (lower-case) form: the signature still holds.
    assert.deepEqual(
      verifyRRsig([{ ...mx, data: { preference: 10, exchange: 'MAIL.Example.com' } }], sig, key, 1439000000),
      { ok: true },
    );
  });
});

describe('sign then verify (algorithm 13)', () => {
  const zsk = zoneKeyFromSeed('org.test', 'zsk', 'verify-test/zsk');
  const ksk = zoneKeyFromSeed('org.test', 'ksk', 'verify-test/ksk');
  const now = 1_750_000_000;
  const window = { inception: now - 3600, expiration: now + 86400 };
  const txt: Answer[] = [
    { name: 'org.test', type: 'TXT', ttl: 300, data: 'v=spf1 -all' },
    { name: 'org.test', type: 'TXT', ttl: 300, data: ['hello', 'world'] },
  ];

  test('round trip, independent of record order and owner case', () => {
    const sig = signRRset(txt, zsk, window);
    assert.equal(sig.data.signature.length, 64);
    assert.equal(sig.data.labels, 2);
    assert.equal(sig.data.originalTTL, 300);
    assert.deepEqual(verifyRRsig(txt, sig, zsk.dnskey, now), { ok: true });
    const shuffled = [txt[1]!, { ...txt[0]!, name: 'ORG.Test.' }];
    assert.deepEqual(verifyRRsig(shuffled, sig, zsk.dnskey, now), { ok: true });
  });

  test('survives the wire: encode and decode through dns-packet', () => {
    const sig = signRRset(txt, zsk, window);
    const wire = dnsPacket.encode({ type: 'response', answers: [...txt, sig, zsk.dnskey] });
    const decoded = dnsPacket.decode(wire).answers!;
    const rrs = decoded.filter((r) => r.type === 'TXT');
    const dsig = decoded.find((r) => r.type === 'RRSIG')!;
    const dkey = decoded.find((r) => r.type === 'DNSKEY')!;
    assert.deepEqual(verifyRRsig(rrs, dsig, dkey, now), { ok: true });
  });

  test('a tampered RRset fails', () => {
    const sig = signRRset(txt, zsk, window);
    const tampered: Answer[] = [txt[0]!, { name: 'org.test', type: 'TXT', ttl: 300, data: 'v=spf1 +all' }];
    assert.deepEqual(pick(verifyRRsig(tampered, sig, zsk.dnskey, now)), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(pick(verifyRRsig([txt[0]!], sig, zsk.dnskey, now)), { ok: false, reason: 'bad_signature' });
  });

  test('a tampered signature fails', () => {
    const sig = signRRset(txt, zsk, window);
    const bad = Buffer.from(sig.data.signature);
    bad[10] = bad[10]! ^ 1;
    assert.deepEqual(pick(verifyRRsig(txt, { ...sig, data: { ...sig.data, signature: bad } }, zsk.dnskey, now)), {
      ok: false,
      reason: 'bad_signature',
    });
  });

  test('expired and not-yet-valid windows fail', () => {
    const sig = signRRset(txt, zsk, window);
    assert.deepEqual(pick(verifyRRsig(txt, sig, zsk.dnskey, now + 2 * 86400)), { ok: false, reason: 'expired' });
    assert.deepEqual(pick(verifyRRsig(txt, sig, zsk.dnskey, now - 2 * 3600)), { ok: false, reason: 'not_yet_valid' });
  });

  test('another key, another owner or another algorithm is a key mismatch', () => {
    const sig = signRRset(txt, zsk, window);
    assert.deepEqual(pick(verifyRRsig(txt, sig, ksk.dnskey, now)), { ok: false, reason: 'key_mismatch' });
    const elsewhere = { ...zsk.dnskey, name: 'other.test' };
    assert.deepEqual(pick(verifyRRsig(txt, sig, elsewhere, now)), { ok: false, reason: 'key_mismatch' });
    const noZoneFlag: Answer = { ...zsk.dnskey, data: { ...zsk.dnskey.data, flags: 0 } };
    assert.deepEqual(pick(verifyRRsig(txt, sig, noZoneFlag, now)), { ok: false, reason: 'key_mismatch' });
  });

  test('an unsupported algorithm is reported as such', () => {
    const sig = signRRset(txt, zsk, window);
    const dsaKey: Answer = { ...zsk.dnskey, data: { ...zsk.dnskey.data, algorithm: 3 } };
    const dsaSig: Answer = {
      ...sig,
      data: { ...sig.data, algorithm: 3, keyTag: computeKeyTag({ ...zsk.dnskey.data, algorithm: 3 }) },
    };
    assert.deepEqual(pick(verifyRRsig(txt, dsaSig, dsaKey, now)), { ok: false, reason: 'unsupported_algorithm' });
  });

  test('an RRSIG over another type or owner does not verify this RRset', () => {
    const sig = signRRset(txt, zsk, window);
    const a: Answer[] = [{ name: 'org.test', type: 'A', ttl: 300, data: '127.1.2.3' }];
    assert.equal(verifyRRsig(a, sig, zsk.dnskey, now).ok, false);
  });

  test('a wildcard RRSIG verifies on an expanded name, and not when the labels field lies', () => {
    const wildcard: Answer[] = [{ name: '*.org.test', type: 'A', ttl: 300, data: '127.16.0.9' }];
    const sig = signRRset(wildcard, zsk, window);
    assert.equal(sig.data.labels, 2);
    const expanded: Answer[] = [{ name: 'random-label.org.test', type: 'A', ttl: 300, data: '127.16.0.9' }];
    const expandedSig: Answer = { ...sig, name: 'random-label.org.test' };
    assert.deepEqual(verifyRRsig(expanded, expandedSig, zsk.dnskey, now), { ok: true });
    const deeper: Answer[] = [{ name: 'a.b.org.test', type: 'A', ttl: 300, data: '127.16.0.9' }];
    assert.deepEqual(verifyRRsig(deeper, { ...sig, name: 'a.b.org.test' }, zsk.dnskey, now), { ok: true });
    // Without the wildcard (labels = owner labels) the same signature does not hold.
    const literal: Answer = { ...expandedSig, data: { ...sig.data, labels: 3 } };
    assert.deepEqual(pick(verifyRRsig(expanded, literal, zsk.dnskey, now)), { ok: false, reason: 'bad_signature' });
  });
});

function pick(r: { ok: boolean; reason?: string }): { ok: boolean; reason?: string } {
  return r.ok ? { ok: true } : { ok: false, reason: r.reason! };
}
