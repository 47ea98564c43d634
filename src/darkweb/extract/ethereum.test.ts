import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEthereumAddresses, isValidEthereumAddress, toChecksumAddress } from './ethereum.js';
import { extractEntities } from './index.js';

/** EIP-55's own test vectors (mixed case: checksummed). */
const CHECKSUMMED = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];
/** EIP-55's one-case vectors: no checksum to verify. */
const ONE_CASE = ['0x52908400098527886E0F7030069857D2E4169EE7', '0xde709f2102306220921060314715629080e2fb77'];

/** The address with the case of its `n`-th letter flipped: the checksum no longer holds. */
function flipLetter(address: string, n: number): string {
  const letters = [...address.slice(2)].map((c, i) => [c, i + 2] as const).filter(([c]) => /[a-f]/i.test(c));
  const [c, at] = letters[n % letters.length]!;
  const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return address.slice(0, at) + flipped + address.slice(at + 1);
}

describe('EIP-55 checksum (Keccak-256)', () => {
  test('the spelling of each test vector is recomputed from its lower-case form', () => {
    for (const address of CHECKSUMMED) {
      assert.equal(toChecksumAddress(address.toLowerCase()), address);
      assert.equal(toChecksumAddress(`0x${address.slice(2).toUpperCase()}`), address);
      assert.ok(isValidEthereumAddress(address), address);
    }
  });

  test('one-case addresses carry no checksum and are accepted', () => {
    for (const address of ONE_CASE) assert.ok(isValidEthereumAddress(address), address);
  });

  test('invalid look-alikes: one letter of a checksummed address in the other case, wrong length, not hex', () => {
    for (const address of CHECKSUMMED) {
      for (let n = 0; n < 5; n++) assert.equal(isValidEthereumAddress(flipLetter(address, n)), false);
    }
    assert.equal(isValidEthereumAddress(CHECKSUMMED[0]!.slice(0, 41)), false);
    assert.equal(isValidEthereumAddress(`${CHECKSUMMED[0]!}a`), false);
    assert.equal(isValidEthereumAddress(`0x${'g'.repeat(40)}`), false);
  });
});

describe('extractEthereumAddresses', () => {
  test('finds addresses in text with their EIP-55 value and the text as written', () => {
    const lower = CHECKSUMMED[1]!.toLowerCase();
    const text = `Deposit (ETH/USDT ERC-20): ${CHECKSUMMED[0]} or ${lower}, escrow only.`;
    const found = extractEthereumAddresses(text);
    assert.deepEqual(
      found.map((e) => [e.value, e.raw, e.confidence]),
      [
        [CHECKSUMMED[0], CHECKSUMMED[0], 0.99],
        [CHECKSUMMED[1], lower, 0.8],
      ],
    );
    assert.equal(text.slice(found[0]!.start, found[0]!.end), CHECKSUMMED[0]);
  });

  test('reports no look-alike: a broken checksum, a 64-digit transaction hash, a longer hex run', () => {
    const text = [
      `wallet ${flipLetter(CHECKSUMMED[2]!, 3)}`,
      `tx 0x${'ab12'.repeat(16)}`,
      `key ${CHECKSUMMED[3]}ff`,
      `id a${CHECKSUMMED[3]}`,
    ].join('\n');
    assert.deepEqual(extractEthereumAddresses(text), []);
  });

  test('extractEntities reports it as type eth', () => {
    const found = extractEntities(`send to ${CHECKSUMMED[3]} today`);
    assert.deepEqual(
      found.filter((e) => e.type === 'eth').map((e) => e.value),
      [CHECKSUMMED[3]],
    );
  });
});
