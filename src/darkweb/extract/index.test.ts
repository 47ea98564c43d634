import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities, resolveOverlaps } from './index.js';
import { scanCredentials } from './credential-layouts.js';
import { onionV3FromPublicKey } from './onion.js';
import type { ExtractedEntity } from './types.js';

describe('extractEntities', () => {
  test('mixed leak post: every entity, in order, at the right offsets', () => {
    const onion = onionV3FromPublicKey(randomBytes(32));
    const monero = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
    const parts: [string, ExtractedEntity['type'] | undefined, string | undefined][] = [
      ['[LEAK] mercy-hospital.org patient DB, mirror ', undefined, undefined],
      [onion, 'onion', onion],
      [' (backup mercy-hospital[.]org)\n', undefined, undefined],
      ['alice@mercy-hospital.org:Winter2024!', 'credential', 'alice@mercy-hospital.org'],
      ['\nContact: admin@mercy-hospital.org, BTC ', undefined, undefined],
      ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'btc', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
      [' or XMR ', undefined, undefined],
      [monero, 'xmr', monero],
      [
        '\nSample row: Patient: Jane Doe DOB 03/14/1962 | SSN 536-22-1234 | NPI 1234567893 | card 4539 1488 ' +
          '0343 6467\n',
        undefined,
        undefined,
      ],
      ['Initial access via CVE-2024-3400 from 203.0.113.7; decoy 1234567890 and invoice.pdf.', undefined, undefined],
    ];
    const text = parts.map(([s]) => s).join('');
    const found = extractEntities(text);

    const expected: [ExtractedEntity['type'], string, string][] = [
      ['domain', 'mercy-hospital.org', 'mercy-hospital.org'],
      ['onion', onion, onion],
      ['domain', 'mercy-hospital.org', 'mercy-hospital[.]org'],
      ['credential', 'alice@mercy-hospital.org', 'alice@mercy-hospital.org:********'],
      ['email', 'admin@mercy-hospital.org', 'admin@mercy-hospital.org'],
      ['btc', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
      ['xmr', monero, monero],
      ['phi_indicator', 'patient_name_dob', 'Patient: Jane Doe DOB 03/14/1962'],
      ['ssn', '536-22-1234', '536-22-1234'],
      ['npi', '1234567893', '1234567893'],
      ['card', '4539148803436467', '4539 1488 0343 6467'],
      ['cve', 'CVE-2024-3400', 'CVE-2024-3400'],
      ['ipv4', '203.0.113.7', '203.0.113.7'],
    ];
    assert.deepEqual(
      found.map((e) => [e.type, e.value, e.raw]),
      expected,
    );

    // Offsets: sorted, and each raw (credentials aside, whose raw masks the password) is the text there.
    for (let i = 1; i < found.length; i++) assert.ok(found[i - 1]!.start <= found[i]!.start);
    for (const entity of found) {
      const span = text.slice(entity.start, entity.end);
      if (entity.type === 'credential') {
        assert.equal(span, 'alice@mercy-hospital.org:Winter2024!');
        assert.equal(entity.secret, 'Winter2024!');
      } else {
        assert.equal(span, entity.raw, `${entity.type} at ${entity.start}`);
      }
    }
    // Spot-check absolute offsets against where the parts were placed.
    const onionStart = parts[0]![0].length;
    assert.deepEqual([found[1]!.start, found[1]!.end], [onionStart, onionStart + onion.length]);
    const ssnStart = text.indexOf('536-22-1234');
    assert.deepEqual(
      found.filter((e) => e.type === 'ssn').map((e) => [e.start, e.end]),
      [[ssnStart, ssnStart + 11]],
    );
    for (const entity of found) assert.ok(entity.confidence > 0 && entity.confidence <= 1);
  });

  test('overlaps: the containing, more specific entity wins; PHI indicators sit alongside', () => {
    const found = extractEntities('Dx: E11.9 noted\nbob@clinic.test;pw1\n[2001:db8::10.0.0.1]');
    assert.deepEqual(
      found.map((e) => [e.type, e.value]),
      [
        ['phi_indicator', 'diagnosis'],
        ['icd10', 'E11.9'],
        ['credential', 'bob@clinic.test'],
        ['ipv6', '2001:db8::a00:1'],
      ],
    );
  });

  test('resolveOverlaps keeps disjoint entities and picks by specificity, then confidence', () => {
    const make = (type: ExtractedEntity['type'], start: number, end: number, confidence = 0.5): ExtractedEntity => ({
      type,
      value: type,
      raw: '',
      start,
      end,
      confidence,
    });
    const kept = resolveOverlaps([
      make('domain', 6, 17),
      make('email', 0, 17),
      make('ipv4', 20, 27),
      make('cve', 30, 40, 0.4),
      make('cve', 35, 45, 0.9),
    ]);
    assert.deepEqual(
      kept.map((e) => [e.type, e.start]),
      [
        ['email', 0],
        ['ipv4', 20],
        ['cve', 35],
      ],
    );
  });

  // Throughput is measured by bench/darkweb-match.bench.ts (npm run bench); this keeps the part a test can check.
  test('ordinary prose with numbers, dates, versions and prices holds no entities', () => {
    const words = (
      'the of and to in is was for on that with as by at from patients hospital records were system ' +
      'update network data breach report said 2023 about 15 percent users March $1,200 12:30 2023-04-01 ' +
      'call 555-0134 v1.2.3 e.g. U.S. Dr. Smith (see below) "quoted" 100% sure; ok'
    ).split(' ');
    const chunks: string[] = [];
    let length = 0;
    for (let i = 0; length < 200_000; i++) {
      const word = words[(i * 7919) % words.length]!;
      const chunk = word + (i % 13 === 0 ? '. ' : i % 41 === 0 ? ',\n' : ' ');
      chunks.push(chunk);
      length += chunk.length;
    }
    assert.deepEqual(extractEntities(chunks.join('')), [], 'ordinary text holds no entities');
  });
});

describe('extractEntities with a credential scan', () => {
  test('an address inside a pair whose login is a user name is still reported as an e-mail', () => {
    const text =
      'username,email,password\n' +
      'kbell,kbell.ops@fabrikam-health.test,9e107d9d372bb6826bd81d3542a419d6\n' +
      'tmora,t.mora@fabrikam-health.test,e4d909c290d0fb1ca068ffaddf22cbd0\n';
    const entities = extractEntities(text, scanCredentials(text));
    assert.deepEqual(
      entities.filter((e) => e.type === 'email').map((e) => e.value),
      ['kbell.ops@fabrikam-health.test', 't.mora@fabrikam-health.test'],
    );
    assert.equal(entities.filter((e) => e.type === 'credential').length, 2);
  });
});
