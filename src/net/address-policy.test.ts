import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressPolicy, type AddressCategory, classifyAddress } from './address-policy.js';

/** [address, category, words the reason must contain] */
const TABLE: Array<[string, AddressCategory, string]> = [
  // IPv4 special-purpose registry
  ['0.0.0.0', 'never', 'unspecified'],
  ['0.1.2.3', 'never', 'unspecified'],
  ['10.1.2.3', 'private', 'private'],
  ['100.64.0.1', 'private', 'carrier-grade NAT'],
  ['100.127.255.254', 'private', 'carrier-grade NAT'],
  ['127.0.0.1', 'private', 'loopback'],
  ['127.16.0.5', 'private', 'loopback'],
  ['169.254.169.254', 'private', 'link-local'],
  ['172.16.0.1', 'private', 'private'],
  ['172.31.255.255', 'private', 'private'],
  ['192.0.0.8', 'never', 'reserved'],
  ['192.0.2.1', 'never', 'reserved'],
  ['192.88.99.1', 'never', 'reserved'],
  ['192.168.1.1', 'private', 'private'],
  ['198.18.0.1', 'never', 'reserved'],
  ['198.19.255.255', 'never', 'reserved'],
  ['198.51.100.7', 'never', 'reserved'],
  ['203.0.113.9', 'never', 'reserved'],
  ['224.0.0.1', 'never', 'multicast'],
  ['239.255.255.250', 'never', 'multicast'],
  ['240.0.0.1', 'never', 'reserved'],
  ['255.255.255.255', 'never', 'broadcast'],
  // IPv6 special-purpose registry and multicast
  ['::', 'never', 'unspecified'],
  ['::1', 'private', 'loopback'],
  ['fe80::1', 'private', 'link-local'],
  ['fd00::1', 'private', 'unique-local'],
  ['fc00::1', 'private', 'unique-local'],
  ['fec0::1', 'private', 'site-local'],
  ['ff02::1', 'never', 'multicast'],
  ['ff05::1:3', 'never', 'multicast'],
  ['100::1', 'never', 'discard'],
  ['2001:db8::1', 'never', 'reserved'],
  ['2001:2::1', 'never', 'benchmarking'],
  ['3fff::1', 'never', 'reserved'],
  ['5f00::1', 'never', 'segment-routing'],
  // IPv6 forms that lead to an IPv4 address are judged by that address
  ['::ffff:127.0.0.1', 'private', 'IPv4-mapped address of 127.0.0.1, a loopback'],
  ['::ffff:10.0.0.1', 'private', 'IPv4-mapped address of 10.0.0.1, a private'],
  ['::ffff:0.0.0.0', 'never', 'unspecified'],
  ['::ffff:0:a00:1', 'private', 'IPv4-translated address of 10.0.0.1'],
  ['64:ff9b::7f00:1', 'private', 'NAT64 address of 127.0.0.1, a loopback'],
  ['64:ff9b::a9fe:a9fe', 'private', 'NAT64 address of 169.254.169.254, a link-local'],
  ['64:ff9b:1::c0a8:101', 'private', 'NAT64 address of 192.168.1.1'],
  ['2002:7f00:1::1', 'private', '6to4 address of 127.0.0.1'],
  ['2002:c0a8:101::', 'private', '6to4 address of 192.168.1.1'],
  // Teredo: the client address is stored inverted (RFC 4380): 0xf5fffffe is 10.0.0.1
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private', 'Teredo address of 10.0.0.1'],
  ['2001:0:a00:1::1', 'private', 'Teredo address of 10.0.0.1'],
  // Public destinations, including the embedding forms of public IPv4 addresses
  ['8.8.8.8', 'public', ''],
  ['1.1.1.1', 'public', ''],
  ['172.32.0.1', 'public', ''],
  ['100.128.0.1', 'public', ''],
  ['2606:4700:4700::1111', 'public', ''],
  ['::ffff:8.8.8.8', 'public', ''],
  ['64:ff9b::808:808', 'public', ''],
  ['2002:808:808::1', 'public', ''],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'public', ''],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'never', 'Teredo address of 192.0.2.45'],
  // Not an address at all
  ['not-an-ip', 'never', 'not an IP address'],
  ['ns1.example.test', 'never', 'not an IP address'],
];

describe('classifyAddress: IANA special-purpose registries and the IPv6 forms of IPv4', () => {
  for (const [address, category, words] of TABLE) {
    test(`${address} is ${category}`, () => {
      const cls = classifyAddress(address);
      assert.equal(cls.category, category, `${address}: ${JSON.stringify(cls)}`);
      assert.ok(cls.kind.includes(words), `${address}: "${cls.kind}" lacks "${words}"`);
    });
  }
});

describe('AddressPolicy', () => {
  const noExclusions = { cidrs: [], suffixes: [] };

  test('without --allow-private: private refused with the address and why; public allowed', () => {
    const policy = new AddressPolicy({ allowPrivate: false, allowedEndpoints: [], exclusions: noExclusions });
    assert.equal(policy.refusal('8.8.8.8', 53), null);
    const refusal = policy.refusal('fd00::1', 53);
    assert.ok(refusal);
    assert.match(refusal.reason, /^fd00::1 is a unique-local \(private\) address; pass --allow-private/);
    assert.match(policy.refusal('169.254.169.254')?.reason ?? '', /169\.254\.169\.254 is a link-local address/);
  });

  test('--allow-private opens private ranges, never unspecified, multicast, broadcast or reserved', () => {
    const policy = new AddressPolicy({ allowPrivate: true, allowedEndpoints: [], exclusions: noExclusions });
    for (const open of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.1', 'fd00::1', '100.64.0.1', 'fe80::1'])
      assert.equal(policy.refusal(open, 53), null, open);
    for (const closed of ['0.0.0.0', '::', 'ff02::1', '224.0.0.251', '255.255.255.255', '240.0.0.1', '198.18.0.1']) {
      const refusal = policy.refusal(closed, 53);
      assert.ok(refusal, closed);
      assert.match(refusal.reason, /no option allows contacting it/);
    }
  });

  test('the configured resolver is allowed by address and port, and only there', () => {
    const policy = new AddressPolicy({
      allowPrivate: false,
      allowedEndpoints: [{ address: '127.0.0.53', port: 53 }],
      exclusions: noExclusions,
    });
    assert.equal(policy.refusal('127.0.0.53', 53), null);
    assert.ok(policy.refusal('127.0.0.53', 5353));
    assert.ok(policy.refusal('127.0.0.1', 53));
  });

  test('--exclude wins over everything, IPv4 entries also cover IPv4-mapped addresses', () => {
    const policy = new AddressPolicy({
      allowPrivate: true,
      allowedEndpoints: [{ address: '10.0.0.53', port: 53 }],
      exclusions: { cidrs: ['10.0.0.0/8', '2001:4860::/32'], suffixes: [] },
    });
    assert.match(
      policy.refusal('10.0.0.53', 53)?.reason ?? '',
      /10\.0\.0\.53 is excluded by --exclude \(10\.0\.0\.0\/8\)/,
    );
    assert.match(policy.refusal('::ffff:10.1.1.1', 53)?.reason ?? '', /excluded by --exclude \(10\.0\.0\.0\/8\)/);
    assert.match(policy.refusal('2001:4860::8888', 53)?.reason ?? '', /excluded/);
    assert.equal(policy.refusal('8.8.8.8', 53), null);
  });
});
