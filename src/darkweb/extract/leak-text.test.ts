import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCredentials, SECRET_MASK } from './credential.js';
import { extractPhiIndicators, isPlausibleBirthDate } from './phi.js';

describe('credential pairs', () => {
  const combo = [
    'alice@clinic.test:Sup3rS3cret!',
    '  Bob.Smith@Mercy-Hospital.org;p@ss;word',
    'carol@lab.example.com | hunter2 | 2023-01-01 | US',
    'dave@clinic.test:pass:with:colons\r',
  ].join('\n');

  test('each combo line yields the e-mail as value and the password only in secret', () => {
    const found = extractCredentials(combo);
    assert.deepEqual(
      found.map((e) => [e.value, e.secret]),
      [
        ['alice@clinic.test', 'Sup3rS3cret!'],
        ['bob.smith@mercy-hospital.org', 'p@ss;word'],
        ['carol@lab.example.com', 'hunter2'],
        ['dave@clinic.test', 'pass:with:colons'],
      ],
    );
    for (const entity of found) {
      assert.ok(!entity.raw.includes(entity.secret!), `raw must not carry the password: ${entity.raw}`);
      assert.ok(entity.raw.endsWith(SECRET_MASK));
      // The span covers e-mail through password, so callers can redact the whole pair.
      const span = combo.slice(entity.start, entity.end);
      assert.ok(span.toLowerCase().startsWith(entity.value), span);
      assert.ok(span.endsWith(entity.secret!), span);
    }
  });

  test('not credentials: chat after an e-mail, no password, invalid e-mail', () => {
    assert.deepEqual(extractCredentials('bob@clinic.test: please reset my account'), []);
    assert.deepEqual(extractCredentials('bob@clinic.test:'), []);
    assert.deepEqual(extractCredentials('bob@clinic.test'), []);
    assert.deepEqual(extractCredentials('bob@invoice.pdf:secret'), []);
  });

  test('a pair glued inside a sentence is a credential (its password must be masked)', () => {
    assert.deepEqual(
      extractCredentials('contact me at bob@clinic.test:secret').map((e) => [e.value, e.secret]),
      [['bob@clinic.test', 'secret']],
    );
  });
});

describe('PHI indicators', () => {
  test('patient name with date of birth', () => {
    const text = 'Records: Patient: Jane Doe DOB 03/14/1962; also John Q. Public, date of birth 1975-07-04.';
    const found = extractPhiIndicators(text);
    assert.deepEqual(
      found.map((e) => [e.value, e.raw, e.confidence]),
      [
        ['patient_name_dob', 'Patient: Jane Doe DOB 03/14/1962', 0.9],
        ['patient_name_dob', 'John Q. Public, date of birth 1975-07-04', 0.75],
      ],
    );
    assert.equal(found[0]!.start, text.indexOf('Patient:'));
  });

  test('name + DOB look-alikes: impossible or future dates, lower-case words', () => {
    assert.deepEqual(extractPhiIndicators('Patient: Jane Doe DOB 13/45/1962'), []);
    assert.deepEqual(extractPhiIndicators('Patient: Jane Doe DOB 02/30/1962'), []);
    assert.deepEqual(extractPhiIndicators('Patient: Jane Doe DOB 01/01/2999'), []);
    assert.deepEqual(extractPhiIndicators('the patient dob 03/14/1962'), []);
  });

  test('MRN near a keyword', () => {
    const found = extractPhiIndicators('MRN: 00123456 and medical record number OPD-000423, chart 2026-000423');
    assert.deepEqual(
      found.map((e) => [e.value, e.raw]),
      [
        ['mrn', 'MRN: 00123456'],
        ['mrn', 'medical record number OPD-000423'],
      ],
    );
  });

  test('MRN look-alikes: keyword too far, too few digits', () => {
    assert.deepEqual(extractPhiIndicators('MRN field was left blank by the clerk, id 00123456'), []);
    assert.deepEqual(extractPhiIndicators('medical records of 1200 patients'), []);
  });

  test('diagnosis context', () => {
    const found = extractPhiIndicators('Dx: E11.9 type 2 diabetes. Next line');
    assert.deepEqual(
      found.map((e) => [e.value, e.raw]),
      [['diagnosis', 'Dx: E11.9 type 2 diabetes']],
    );
    assert.equal(extractPhiIndicators('was diagnosed with HIV in 2019')[0]?.raw, 'diagnosed with HIV in 2019');
    assert.deepEqual(extractPhiIndicators('the diagnosis is hard to make'), [], 'no "diagnosis:" label');
  });

  test('birth date plausibility', () => {
    const now = new Date(Date.UTC(2025, 0, 1));
    assert.ok(isPlausibleBirthDate('03/14/1962', now));
    assert.ok(isPlausibleBirthDate('14/03/1962', now), 'day-first when only that reading works');
    assert.ok(isPlausibleBirthDate('03/14/62', now));
    assert.equal(isPlausibleBirthDate('02/29/1963', now), false);
    assert.equal(isPlausibleBirthDate('01/01/1850', now), false);
  });
});
