import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, extractOnions, isValidOnionV3, onionV3FromPublicKey } from './onion.js';

/** Replaces the character at `index` with a different base32 character. */
function flip(address: string, index: number): string {
  const ch = address[index]!;
  const replacement = ch === 'a' ? 'b' : 'a';
  return address.slice(0, index) + replacement + address.slice(index + 1);
}

describe('onion v3', () => {
  // The Tor Project's published onion service for torproject.org.
  const torProject = '2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion';

  test('generated addresses from random 32-byte keys validate and are found in text', () => {
    for (let i = 0; i < 20; i++) {
      const address = onionV3FromPublicKey(randomBytes(32));
      assert.match(address, /^[a-z2-7]{56}\.onion$/);
      assert.ok(isValidOnionV3(address), address);
      const text = `mirror: http://${address}/leaks and more`;
      const [entity, ...rest] = extractOnions(text);
      assert.equal(rest.length, 0);
      assert.equal(entity?.value, address);
      assert.equal(entity?.start, text.indexOf(address));
      assert.equal(entity?.end, text.indexOf(address) + address.length);
      assert.equal(entity?.confidence, 0.99);
    }
  });

  test('a published address validates', () => {
    assert.ok(isValidOnionV3(torProject));
    assert.equal(extractOnions(`Tor Project: ${torProject.toUpperCase()}`)[0]?.value, torProject);
  });

  test('look-alikes fail: any flipped character, wrong version byte, wrong length', () => {
    const address = onionV3FromPublicKey(randomBytes(32));
    for (const index of [0, 10, 31, 51, 52, 53, 54, 55]) {
      const flipped = flip(address, index);
      assert.equal(isValidOnionV3(flipped), false, `flip at ${index}: ${flipped}`);
      assert.deepEqual(extractOnions(`see ${flipped} now`), []);
    }
    // Same key and a checksum computed for version 4: the version byte check must catch it.
    const key = randomBytes(32);
    const bytes = base32Decode(onionV3FromPublicKey(key).slice(0, 56))!;
    bytes[34] = 4;
    assert.equal(isValidOnionV3(base32Encode(bytes)), false);
    assert.equal(isValidOnionV3(address.slice(1)), false);
    assert.deepEqual(extractOnions(`x${address}`), [], 'glued to a longer base32 run');
  });

  test('defanged onions are found and normalized', () => {
    const address = onionV3FromPublicKey(randomBytes(32));
    const defanged = address.replace('.onion', '[.]onion');
    const [entity] = extractOnions(`leak site ${defanged}`);
    assert.equal(entity?.value, address);
    assert.equal(entity?.raw, defanged);
  });

  test('v2 addresses are only flagged at low confidence', () => {
    const [entity] = extractOnions('old market expyuzz4wqqyqhjn.onion (dead)');
    assert.equal(entity?.value, 'expyuzz4wqqyqhjn.onion');
    assert.equal(entity?.confidence, 0.1);
  });

  test('base32 round-trips', () => {
    for (const length of [0, 1, 5, 35]) {
      const bytes = randomBytes(length);
      assert.deepEqual(Buffer.from(base32Decode(base32Encode(bytes))!), bytes);
    }
    assert.equal(base32Decode('abc1'), undefined);
  });
});
