import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethereumAddress, ethereumValid } from './checksums.js';
import { plantEth } from './identifiers.js';
import { createRng } from '../../world/rng.js';
import { extractEntities } from '../../../darkweb/extract/index.js';

test('answer key: EIP-55 test vectors spelled from their 20 bytes, one-case forms accepted', () => {
  for (const address of [
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ]) {
    assert.equal(ethereumAddress(Buffer.from(address.slice(2), 'hex')), address);
    assert.ok(ethereumValid(address));
    assert.ok(ethereumValid(address.toLowerCase()));
  }
  assert.equal(ethereumValid('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'), false, 'last letter in the wrong case');
  assert.equal(ethereumValid('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe'), false, '39 digits');
});

test('planted addresses: the product extractor reports every valid one and no look-alike', () => {
  const rng = createRng(42);
  for (let i = 0; i < 200; i++) {
    const valid = i % 2 === 0;
    const planted = plantEth(rng, valid);
    assert.equal(ethereumValid(planted.entity.value), valid, planted.entity.value);
    const found = extractEntities(`payment to ${planted.text} (ERC-20)`).filter((e) => e.type === 'eth');
    assert.deepEqual(
      found.map((e) => e.value),
      valid ? [planted.entity.value] : [],
      `${planted.text} should be ${valid ? 'reported' : 'rejected'}`,
    );
  }
});
