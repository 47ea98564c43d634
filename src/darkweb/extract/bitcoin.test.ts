import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base58Decode, base58Encode } from './base58.js';
import { bech32Decode, bech32Encode, decodeSegwitAddress } from './bech32.js';
import {
  extractBitcoinAddresses,
  isValidBase58Address,
  isValidBitcoinAddress,
  isValidSegwitAddress,
} from './bitcoin.js';

function changeChar(s: string, index: number): string {
  const ch = s[index]!;
  const replacement =
    ch === 'z' ? 'y' : ch === 'Z' ? 'Y' : ch === '9' ? '8' : ch === 'q' ? 'p' : ch === 'Q' ? 'P' : 'z';
  return s.slice(0, index) + replacement + s.slice(index + 1);
}

function base58Check(payload: Uint8Array): string {
  const hash = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  return base58Encode(Buffer.concat([payload, hash.subarray(0, 4)]));
}

describe('Base58Check P2PKH / P2SH', () => {
  const valid = [
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', // genesis block coinbase (P2PKH)
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', // Bitcoin wiki P2SH example
    '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', // Bitcoin wiki P2PKH example
  ];
  for (const address of valid) {
    test(`valid: ${address}`, () => {
      assert.ok(isValidBase58Address(address));
      const text = `send BTC to ${address}.`;
      assert.deepEqual(
        extractBitcoinAddresses(text).map((e) => [e.value, e.start, e.end]),
        [[address, 12, 12 + address.length]],
      );
    });
  }

  test('one changed character fails the double-SHA256 checksum', () => {
    for (const address of valid) {
      for (const index of [1, 10, address.length - 1]) {
        const changed = changeChar(address, index);
        assert.equal(isValidBase58Address(changed), false, changed);
        assert.deepEqual(extractBitcoinAddresses(`to ${changed}`), []);
      }
    }
  });

  test('a correct checksum with a non-mainnet version byte (testnet 0x6f) is rejected', () => {
    const payload = new Uint8Array(21);
    payload[0] = 0x6f;
    payload.fill(7, 1);
    const testnet = base58Check(payload);
    assert.ok(testnet.startsWith('m') || testnet.startsWith('n'));
    assert.equal(isValidBitcoinAddress(testnet), false);
    payload[0] = 0x00;
    assert.ok(isValidBase58Address(base58Check(payload)), 'same payload with version 0 is valid');
  });

  test('base58 keeps leading zero bytes', () => {
    assert.deepEqual([...base58Decode('11')!], [0, 0]);
    assert.equal(base58Decode('0OIl'), undefined);
  });
});

describe('Bech32 / Bech32m', () => {
  // BIP-173 "Test vectors" (valid Bech32) and BIP-350 "Test vectors for Bech32m".
  const validBech32 = [
    'A12UEL5L',
    'a12uel5l',
    'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
    'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
    `11${'q'.repeat(82)}c8247j`, // 90 characters: the maximum
    'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
    '?1ezyfcl',
  ];
  const validBech32m = [
    'A1LQFN3A',
    'a1lqfn3a',
    'an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6',
    'abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx',
    '11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8',
    'split1checkupstagehandshakeupstreamerranterredcaperredlc445v',
    '?1v759aa',
  ];
  const invalidStrings = [
    'an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4', // too long
    'qyrz8wqd2c9m', // no separator
    '1qyrz8wqd2c9m', // empty HRP
    'y1b0jsk6g', // invalid data character
    'lt1igcx5c0', // invalid data character
    'in1muywd', // checksum too short
    'mm1crxm3i', // invalid character in checksum
    'M1VUXWEZ', // checksum computed over upper-case HRP
    '16plkw9', // empty HRP
    'li1dgmt3', // checksum too short (BIP-173)
    'A1G7SGD8', // upper-case HRP checksum (BIP-173)
  ];

  test('BIP-173 valid strings decode as bech32', () => {
    for (const s of validBech32) assert.equal(bech32Decode(s)?.encoding, 'bech32', s);
  });
  test('BIP-350 valid strings decode as bech32m', () => {
    for (const s of validBech32m) assert.equal(bech32Decode(s)?.encoding, 'bech32m', s);
  });
  test('invalid strings are rejected', () => {
    for (const s of invalidStrings) assert.equal(bech32Decode(s), undefined, s);
  });
  test('encode round-trips', () => {
    const data = [
      0, 14, 20, 15, 7, 13, 26, 0, 25, 18, 6, 11, 13, 8, 21, 4, 20, 3, 17, 2, 29, 3, 12, 29, 3, 4, 15, 24, 20, 6, 14,
      30, 22,
    ];
    for (const encoding of ['bech32', 'bech32m'] as const) {
      const s = bech32Encode('bc', data, encoding);
      assert.deepEqual(bech32Decode(s), { hrp: 'bc', data, encoding });
    }
  });
});

describe('segwit addresses (BIP-350 vectors)', () => {
  const mainnetValid: [string, number, string][] = [
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 0, '751e76e8199196d454941c45d1b3a323f1433bd6'],
    [
      'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
      1,
      '751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
    ],
    ['BC1SW50QGDZ25J', 16, '751e'],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', 2, '751e76e8199196d454941c45d1b3a323'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      1,
      '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    ],
  ];
  const testnetValid = [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
    'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
  ];
  const invalid = [
    'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', // invalid HRP
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', // bech32 instead of bech32m
    'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', // bech32 instead of bech32m
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', // bech32m instead of bech32
    'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', // invalid character in checksum
    'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', // invalid witness version
    'bc1pw5dgrnzv', // program 1 byte
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', // program 41 bytes
    'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', // v0 program of 16 bytes
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', // zero padding of more than 4 bits
    'bc1gmk9yu', // empty data section
  ];

  test('valid mainnet addresses decode to the published witness programs and are extracted', () => {
    for (const [address, version, program] of mainnetValid) {
      const decoded = decodeSegwitAddress('bc', address);
      assert.equal(decoded?.version, version, address);
      assert.equal(Buffer.from(decoded!.program).toString('hex'), program);
      const [entity] = extractBitcoinAddresses(`pay ${address} now`);
      assert.equal(entity?.value, address.toLowerCase());
      assert.equal(entity?.raw, address);
    }
  });
  test('testnet addresses decode for "tb" but are not mainnet addresses', () => {
    for (const address of testnetValid) {
      assert.ok(decodeSegwitAddress('tb', address), address);
      assert.equal(isValidSegwitAddress(address), false);
    }
  });
  test('invalid addresses are rejected and not extracted', () => {
    for (const address of invalid) {
      assert.equal(isValidSegwitAddress(address), false, address);
      assert.deepEqual(extractBitcoinAddresses(`pay ${address} now`), [], address);
    }
  });
  test('one changed character fails the checksum', () => {
    const address = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0';
    for (const index of [5, 20, address.length - 1])
      assert.equal(isValidBitcoinAddress(changeChar(address, index)), false);
    assert.equal(isValidBitcoinAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'), false);
  });
  test('mixed case is rejected', () => {
    assert.equal(isValidSegwitAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3T4'), false);
  });
});
