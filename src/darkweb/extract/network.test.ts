import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCves, isValidCve } from './cve.js';
import { extractDomains, isValidDomain } from './domain.js';
import { extractEmails, isValidEmail } from './email.js';
import { extractIpv4 } from './ipv4.js';
import { extractIpv6 } from './ipv6.js';
import type { ExtractedEntity } from './types.js';

const values = (entities: ExtractedEntity[]): string[] => entities.map((e) => e.value);

describe('e-mail', () => {
  const valid: [string, string][] = [
    ['contact alice@clinic.test today', 'alice@clinic.test'],
    ['Mail: J.Doe+billing@Mercy-Hospital.ORG.', 'j.doe+billing@mercy-hospital.org'],
    ['(bob_99@lab.example.co.uk)', 'bob_99@lab.example.co.uk'],
    ['defanged admin[@]clinic[.]test', 'admin@clinic.test'],
    ['defanged admin[at]clinic.test', 'admin@clinic.test'],
    ['...carol@clinic.test', 'carol@clinic.test'],
  ];
  for (const [text, expected] of valid) {
    test(`finds ${expected} in "${text}"`, () => {
      const found = extractEmails(text);
      assert.deepEqual(values(found), [expected]);
      const [entity] = found;
      assert.equal(text.slice(entity!.start, entity!.end), entity!.raw);
    });
  }
  const invalid = [
    'user@localhost',
    'a..b@clinic.test',
    'logo@2x.png',
    'name@invoice.pdf',
    '.@clinic.test',
    '@clinic.test',
  ];
  for (const text of invalid) {
    test(`rejects "${text}"`, () => assert.deepEqual(extractEmails(text), []));
  }
  test('validator', () => {
    assert.ok(isValidEmail('alice@clinic.test'));
    assert.equal(isValidEmail('alice.@clinic.test'), false);
  });
});

describe('domain', () => {
  const valid: [string, string, number][] = [
    ['breach at mercy-hospital.org was posted', 'mercy-hospital.org', 0.7],
    ['portal: https://portal.clinic.test/login', 'portal.clinic.test', 0.9],
    ['IOC example[.]com and', 'example.com', 0.9],
    ['IOC example(.)net and', 'example.net', 0.9],
    ['IOC evil[dot]co[dot]uk and', 'evil.co.uk', 0.9],
    ['visit WWW.Example.COM.', 'www.example.com', 0.9],
    ['code at https://setup.py/docs', 'setup.py', 0.9],
    ['IDN xn--bcher-kva.de', 'xn--bcher-kva.de', 0.7],
  ];
  for (const [text, expected, confidence] of valid) {
    test(`finds ${expected} in "${text}"`, () => {
      const found = extractDomains(text);
      assert.deepEqual(values(found), [expected]);
      assert.equal(found[0]!.confidence, confidence);
      assert.equal(text.slice(found[0]!.start, found[0]!.end), found[0]!.raw);
    });
  }
  const invalid = [
    'open invoice.pdf now',
    'run setup.py then',
    'see notes.md',
    'archive backup.zip',
    'e.g. this',
    'version 1.2.3 released',
    'user@clinic.test', // left to the e-mail extractor
    'sentence end.Next sentence',
    'bad-.example', // no such TLD either
    'x.invalidtld',
  ];
  for (const text of invalid) {
    test(`rejects "${text}"`, () => assert.deepEqual(extractDomains(text), []));
  }
  test('validator', () => {
    assert.ok(isValidDomain('clinic.test'));
    assert.equal(isValidDomain('-bad.com'), false);
    assert.equal(isValidDomain(`${'a'.repeat(64)}.com`), false);
    assert.equal(isValidDomain('abcdefghijklmnop.onion'), false, 'onion names must be valid v3');
  });
});

describe('IPv4', () => {
  const valid: [string, string][] = [
    ['from 203.0.113.7 at', '203.0.113.7'],
    ['C2 198.51.100[.]23.', '198.51.100.23'],
    ['ends 10.0.0.1.', '10.0.0.1'],
    ['edge 255.255.255.255,', '255.255.255.255'],
  ];
  for (const [text, expected] of valid) {
    test(`finds ${expected}`, () => assert.deepEqual(values(extractIpv4(text)), [expected]));
  }
  const invalid = ['256.1.1.1', '1.2.3', '1.2.3.4.5', '10.0.0.01', '999.999.999.999', 'v1.2.3.4a'];
  for (const text of invalid) {
    test(`rejects "${text}"`, () => assert.deepEqual(extractIpv4(text), []));
  }
});

describe('IPv6', () => {
  const valid: [string, string][] = [
    ['host 2001:db8::1 up', '2001:db8::1'],
    ['[2001:DB8:0:0:0:0:0:1]:443', '2001:db8::1'],
    ['loopback ::1.', '::1'],
    ['mapped ::ffff:192.0.2.1 ok', '::ffff:c000:201'],
    ['full fe80:0000:0000:0000:0204:61ff:fe9d:f156', 'fe80::204:61ff:fe9d:f156'],
  ];
  for (const [text, expected] of valid) {
    test(`finds ${expected}`, () => assert.deepEqual(values(extractIpv6(text)), [expected]));
  }
  const invalid = [
    'at 12:30:45 today',
    'mac 00:1a:2b:3c:4d:5e',
    '2001:db8:::1',
    '1:2:3:4:5:6:7:8:9',
    'gggg::1',
    'ratio 3:2',
  ];
  for (const text of invalid) {
    test(`rejects "${text}"`, () => assert.deepEqual(extractIpv6(text), []));
  }
});

describe('CVE', () => {
  const valid: [string, string][] = [
    ['exploit for CVE-2024-3400 (PAN-OS)', 'CVE-2024-3400'],
    ['log4shell cve-2021-44228', 'CVE-2021-44228'],
    ['seven digits CVE-2023-1234567', 'CVE-2023-1234567'],
    ['first CVE-1999-0001', 'CVE-1999-0001'],
  ];
  for (const [text, expected] of valid) {
    test(`finds ${expected}`, () => assert.deepEqual(values(extractCves(text)), [expected]));
  }
  const invalid = ['CVE-2024-123', 'CVE-1990-1234', 'CVE-2999-1234', 'CVE2024-1234', 'XCVE-2024-1234'];
  for (const text of invalid) {
    test(`rejects "${text}"`, () => assert.deepEqual(extractCves(text), []));
  }
  test('validator', () => assert.equal(isValidCve('CVE-2024-3400'), true));
});
