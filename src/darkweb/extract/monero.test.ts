import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { moneroBase58Decode, moneroBase58Encode } from './base58.js';
import { keccak256 } from './keccak.js';
import { extractMoneroAddresses, isValidMoneroAddress } from './monero.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The Monero Project's general-fund donation address (published on getmonero.org). */
const DONATION = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

/** Re-encodes the donation address's keys under another prefix, optionally with a payment id, with a fresh checksum. */
function reencode(prefix: number, paymentId?: Uint8Array): string {
  const keys = moneroBase58Decode(DONATION)!.subarray(1, 65);
  const body = Buffer.concat([Uint8Array.of(prefix), keys, paymentId ?? new Uint8Array()]);
  return moneroBase58Encode(Buffer.concat([body, keccak256(body).subarray(0, 4)]));
}

describe('Keccak-256', () => {
  test('known digests (Keccak team / Ethereum test vectors)', () => {
    assert.equal(hex(keccak256(new Uint8Array())), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    assert.equal(
      hex(keccak256(Buffer.from('abc'))),
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });
  test('differs from sha3-256 (padding matters)', () => {
    assert.notEqual(hex(keccak256(Buffer.from('abc'))), createHash('sha3-256').update('abc').digest('hex'));
  });
});

describe('Monero addresses', () => {
  test('the published donation address validates and is extracted with offsets', () => {
    assert.ok(isValidMoneroAddress(DONATION));
    const text = `XMR: ${DONATION}\nthanks`;
    const [entity, ...rest] = extractMoneroAddresses(text);
    assert.equal(rest.length, 0);
    assert.deepEqual([entity?.value, entity?.start, entity?.end], [DONATION, 5, 100]);
  });

  test('integrated (106 chars) and subaddress (8…) forms validate', () => {
    const integrated = reencode(19, randomBytes(8));
    assert.equal(integrated.length, 106);
    assert.ok(integrated.startsWith('4'));
    assert.ok(isValidMoneroAddress(integrated));
    assert.equal(extractMoneroAddresses(`pay to ${integrated}`)[0]?.value, integrated);
    const subaddress = reencode(42);
    assert.equal(subaddress.length, 95);
    assert.ok(subaddress.startsWith('8'));
    assert.ok(isValidMoneroAddress(subaddress));
  });

  test('look-alikes fail: changed character, wrong prefix, wrong length for prefix, truncation', () => {
    for (const index of [1, 40, 94]) {
      const ch = DONATION[index]!;
      const changed = DONATION.slice(0, index) + (ch === 'A' ? 'B' : 'A') + DONATION.slice(index + 1);
      assert.equal(isValidMoneroAddress(changed), false, `changed at ${index}`);
      assert.deepEqual(extractMoneroAddresses(`XMR ${changed}`), []);
    }
    assert.equal(isValidMoneroAddress(reencode(24)), false, 'stagenet standard prefix (24) is not mainnet');
    // A standard prefix carrying a payment id: right checksum, wrong length for the prefix.
    assert.equal(isValidMoneroAddress(reencode(18, randomBytes(8))), false);
    assert.equal(isValidMoneroAddress(DONATION.slice(0, 94)), false);
    assert.deepEqual(extractMoneroAddresses(`${DONATION}x`), [], 'glued to more base58');
  });

  test('block base58 round-trips and rejects overflowing blocks', () => {
    for (const length of [0, 1, 5, 8, 9, 69, 77]) {
      const bytes = randomBytes(length);
      assert.deepEqual(Buffer.from(moneroBase58Decode(moneroBase58Encode(bytes))!), bytes);
    }
    assert.equal(moneroBase58Decode('zzzzzzzzzzz'), undefined, '58^11 - 1 does not fit 8 bytes');
    assert.equal(moneroBase58Decode('1111'), undefined, 'no block size encodes to 4 characters');
  });
});
