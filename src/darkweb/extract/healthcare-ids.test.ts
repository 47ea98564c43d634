import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractClias, isValidClia } from './clia.js';
import { extractDeaNumbers, isValidDea } from './dea.js';
import { extractIcd10Codes, isValidIcd10 } from './icd10.js';
import { extractMbis, isValidMbi } from './mbi.js';
import { extractNpis, isValidNpi } from './npi.js';
import { extractSsns, isItin, isValidSsn } from './ssn.js';
import type { ExtractedEntity } from './types.js';

const summary = (entities: ExtractedEntity[]): [string, number][] => entities.map((e) => [e.value, e.confidence]);

describe('SSN', () => {
  const valid: [string, string, number][] = [
    ['emp 536-22-1234 row', '536-22-1234', 0.6],
    ['SSN: 536-22-1234', '536-22-1234', 0.9],
    ['social security number 536 22 1234', '536-22-1234', 0.75],
    ['ssn 536221234', '536-22-1234', 0.75],
    ['SSN 665-01-0001', '665-01-0001', 0.9],
    ['SSN 899-99-9998', '899-99-9998', 0.9],
  ];
  for (const [text, value, confidence] of valid) {
    test(`finds ${value} in "${text}"`, () => assert.deepEqual(summary(extractSsns(text)), [[value, confidence]]));
  }
  const invalid: [string, string][] = [
    ['SSN 000-12-3456', 'area 000'],
    ['SSN 666-12-3456', 'area 666'],
    ['SSN 900-12-3456', 'area 900+'],
    ['SSN 912-70-1234', 'ITIN range'],
    ['SSN 123-00-4567', 'group 00'],
    ['SSN 123-45-0000', 'serial 0000'],
    ['SSN 078-05-1120', 'Woolworth wallet sample'],
    ['SSN 123-45-6789', 'sample'],
    ['SSN 111-11-1111', 'one repeated digit'],
    ['SSN 536-22 1234', 'mixed separators'],
    ['order 536221234 shipped', 'bare 9 digits without context'],
    ['call 536 22 1234', 'spaced without context'],
    ['SSN 536-22-12345', 'too many digits'],
  ];
  for (const [text, why] of invalid) {
    test(`rejects "${text}" (${why})`, () => assert.deepEqual(extractSsns(text), []));
  }
  test('validators', () => {
    assert.ok(isValidSsn('536-22-1234'));
    assert.ok(isItin('912-70-1234'));
    assert.equal(isItin('912-12-1234'), false);
  });
});

describe('NPI', () => {
  const valid: [string, string, number][] = [
    ['NPI: 1234567893', '1234567893', 0.9], // CMS example
    ['npi 1993999998', '1993999998', 0.9], // johndcook.com example
    ['provider 2827364540 billed', '2827364540', 0.3],
    ['NPI 1047293844', '1047293844', 0.9],
  ];
  for (const [text, value, confidence] of valid) {
    test(`finds ${value}`, () => assert.deepEqual(summary(extractNpis(text)), [[value, confidence]]));
  }
  const invalid: [string, string][] = [
    ['NPI 1234567890', 'check digit fails'],
    ['NPI 1234567839', 'transposed digits'],
    ['NPI 3234567893', 'first digit 3'],
    ['NPI 1111111112', 'one repeated digit in the body (Luhn-valid)'],
    ['NPI 12345678931', '11 digits'],
  ];
  for (const [text, why] of invalid) {
    test(`rejects "${text}" (${why})`, () => assert.deepEqual(extractNpis(text), []));
  }
  test('validator', () => assert.ok(isValidNpi('1234567893')));
});

describe('DEA', () => {
  const valid: [string, string, number][] = [
    ['DEA# AP5836727', 'AP5836727', 0.95], // reference example: 15 + 2*16 = 47
    ['BJ6125341 refill', 'BJ6125341', 0.6], // (6+2+3) + 2*(1+5+4) = 31
    ['DEA F91234563-001AB', 'F91234563', 0.95], // business (9), supervised suffix
  ];
  for (const [text, value, confidence] of valid) {
    test(`finds ${value}`, () => assert.deepEqual(summary(extractDeaNumbers(text)), [[value, confidence]]));
  }
  const invalid: [string, string][] = [
    ['DEA AP5836728', 'wrong check digit'],
    ['DEA AP5836772', 'swapped digits'],
    ['DEA IP5836727', 'I is no registrant type'],
    ['DEA AP583672', 'six digits'],
    ['DEA XAP5836727', 'glued to a letter'],
  ];
  for (const [text, why] of invalid) {
    test(`rejects "${text}" (${why})`, () => assert.deepEqual(extractDeaNumbers(text), []));
  }
  test('validator', () => assert.ok(isValidDea('AP5836727')));
});

describe('MBI', () => {
  const valid: [string, string, number][] = [
    ['Medicare ID 1EG4-TE5-MK73', '1EG4TE5MK73', 0.9], // CMS example
    ['member 1EG4TE5MK73 active', '1EG4TE5MK73', 0.5],
    ['MBI 9AA0A00AA00', '9AA0A00AA00', 0.9],
  ];
  for (const [text, value, confidence] of valid) {
    test(`finds ${value}`, () => assert.deepEqual(summary(extractMbis(text)), [[value, confidence]]));
  }
  const invalid: [string, string][] = [
    ['MBI 0EG4TE5MK73', 'position 1 is 0'],
    ['MBI 1SG4TE5MK73', 'S is excluded'],
    ['MBI 1EGATE5MK73', 'position 4 must be a digit'],
    ['MBI 1EG4TE5MK7', '10 characters'],
    ['MBI 1EG4-TE5MK73', 'half-dashed'],
    ['MBI 1eg4te5mk73', 'lower case'],
  ];
  for (const [text, why] of invalid) {
    test(`rejects "${text}" (${why})`, () => assert.deepEqual(extractMbis(text), []));
  }
  test('validator', () => {
    assert.ok(isValidMbi('1EG4-TE5-MK73'));
    assert.equal(isValidMbi('1EG-4TE5-MK73'), false);
  });
});

describe('CLIA', () => {
  test('found with context', () => {
    assert.deepEqual(summary(extractClias('CLIA #05D0642835')), [['05D0642835', 0.85]]);
    assert.deepEqual(summary(extractClias('Quest lab 33d2097857 results')), [['33D2097857', 0.85]]);
  });
  test('not found without context or with the wrong letter', () => {
    assert.deepEqual(extractClias('ref 05D0642835 shipped'), []);
    assert.deepEqual(extractClias('CLIA 05X0642835'), []);
    assert.deepEqual(extractClias('CLIA 05D06428351'), []);
  });
  test('validator', () => assert.ok(isValidClia('05D0642835')));
});

describe('ICD-10-CM', () => {
  const valid: [string, string][] = [
    ['Dx: E11.9 type 2 diabetes', 'E11.9'],
    ['diagnosis code S72.001A (hip fracture)', 'S72.001A'],
    ['ICD-10 C4A.0', 'C4A.0'],
    ['diagnoses F32.A and Z79.4', 'F32.A'],
    ['ICD10 I10 hypertension', 'I10'],
  ];
  for (const [text, first] of valid) {
    test(`finds ${first} in "${text}"`, () => assert.equal(extractIcd10Codes(text)[0]?.value, first));
  }
  test('both codes after one context word', () => {
    assert.deepEqual(
      extractIcd10Codes('diagnoses F32.A and Z79.4').map((e) => e.value),
      ['F32.A', 'Z79.4'],
    );
  });
  const invalid: [string, string][] = [
    ['part E11.9 in stock', 'no context'],
    ['Dx: E1.9', 'too short'],
    ['Dx: 11E.9', 'starts with a digit'],
    ['Dx: E11.12345', 'more than 4 after the dot'],
    ['Dx: e11.9', 'lower case'],
  ];
  for (const [text, why] of invalid) {
    test(`rejects "${text}" (${why})`, () => assert.deepEqual(extractIcd10Codes(text), []));
  }
  test('validator', () => assert.ok(isValidIcd10('S72.001A')));
});
