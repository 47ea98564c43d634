/**
 * Identifiers where a clinical or dump format puts them rather than next to a context word: HL7 v2
 * fields, CDA code systems, SQL INSERT column lists, `DiagnosisCode:` keys.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hl7Components, hl7Fields } from './hl7.js';
import { extractIcd10Codes } from './icd10.js';
import { extractSsns } from './ssn.js';
import { findTables } from './tables.js';

const values = (entities: { value: string }[]): string[] => entities.map((e) => e.value);

const ADT = [
  'MSH|^~\\&|EPICADT|WESTFIELD|HUB|WESTFIELD|202501020304||ADT^A04|55120|P|2.5.1',
  'PID|1||88812^^^WESTFIELD^MR||ROWE^ANNA||19700304|F|||12 PINE RD^^DOVER^DE^19901||||||||219093344',
  'PV1|1|O',
  'DG1|1|I10|J45.909^Asthma, unspecified^I10||20250102|A',
  'DG1|2|I10|Z87.891^History of nicotine dependence^I10C||20250102|A',
  'DG1|3||4548^Some local code^L||20250102|A',
].join('\n');

describe('HL7 v2 fields', () => {
  test('fields are numbered as the standard numbers them, with their offsets', () => {
    const [pid3] = hl7Fields(ADT, 'PID', 3);
    assert.equal(pid3?.text, '88812^^^WESTFIELD^MR');
    assert.equal(ADT.slice(pid3!.start, pid3!.start + 5), '88812');
    const parts = hl7Components(pid3!);
    assert.deepEqual(
      parts.map((p) => p.text),
      ['88812', '', '', 'WESTFIELD', 'MR'],
    );
    assert.equal(ADT.slice(parts[3]!.start, parts[3]!.start + 9), 'WESTFIELD');
    assert.deepEqual(hl7Fields('no segments here', 'PID', 3), []);
  });

  test('PID-19 holds the patient SSN, bare digits included; other numeric fields are not SSNs', () => {
    assert.deepEqual(values(extractSsns(ADT)), ['219-09-3344']);
    // The same nine digits as a visit number (PV1-19) say nothing.
    assert.deepEqual(extractSsns('PV1|1|O|||||||||||||||||219093344'), []);
  });

  test('DG1-3 holds the diagnosis; the coding method I10 of DG1-2 and the message type A04 are not codes', () => {
    assert.deepEqual(values(extractIcd10Codes(ADT)), ['J45.909', 'Z87.891']);
  });
});

describe('CDA code systems', () => {
  test('a code under the ICD-10-CM OID is a diagnosis; a SNOMED or LOINC code is not', () => {
    const cda = [
      '<observation classCode="OBS"><code code="29308-4" codeSystem="2.16.840.1.113883.6.1"/>',
      '<value xsi:type="CD" code="K35.80" codeSystem="2.16.840.1.113883.6.90" displayName="Appendicitis"/>',
      "<value xsi:type=\"CD\" codeSystem='2.16.840.1.113883.6.90' code='R51.9'/>",
      '<value xsi:type="CD" code="C50" codeSystem="2.16.840.1.113883.6.96"/></observation>',
    ].join('\n');
    const found = extractIcd10Codes(cda);
    assert.deepEqual(values(found), ['K35.80', 'R51.9']);
    assert.equal(cda.slice(found[0]!.start, found[0]!.end), 'K35.80');
  });
});

describe('diagnosis keys', () => {
  test('a key that goes on with "code" (DiagnosisCode, dxcd, ICD10Code) is a context word', () => {
    assert.deepEqual(values(extractIcd10Codes('pt: R. Ames\nDiagnosisCode: N39.0\n')), ['N39.0']);
    assert.deepEqual(values(extractIcd10Codes('"dxcd": "M25.561"')), ['M25.561']);
    assert.deepEqual(values(extractIcd10Codes('ICD10Code=E03.9')), ['E03.9']);
    assert.deepEqual(extractIcd10Codes('Decoder: N39.0 board'), []);
  });
});

describe('SQL INSERT tables', () => {
  const dump = [
    '-- exported from clinicdb',
    'INSERT INTO `visits` (`chart_id`,`surname`,`birth`,`primary_dx`,`note`) VALUES',
    "('30021','O''Hara','1990-02-11','M54.16','walk-in, back pain'),",
    "('30022','Lind',NULL,'J02.9','strep (ruled out)');",
    "INSERT INTO staff (id, login) VALUES (7, 'kbell');",
  ].join('\n');

  test('the column list is the header; each tuple, on the INSERT line or below it, is a row', () => {
    const tables = findTables(dump);
    assert.deepEqual(
      tables.map((t) => [t.layout, t.columns, t.rows.length]),
      [
        ['sql', ['chartid', 'surname', 'birth', 'primarydx', 'note'], 2],
        ['sql', ['id', 'login'], 1],
      ],
    );
    const first = tables[0]!.rows[0]!;
    assert.deepEqual(
      first.map((c) => c.text),
      ['30021', "O'Hara", '1990-02-11', 'M54.16', 'walk-in, back pain'],
    );
    assert.equal(dump.slice(first[3]!.start, first[3]!.start + 6), 'M54.16');
  });

  test('codes in a diagnosis column of an SQL dump are found however far the header is', () => {
    assert.deepEqual(values(extractIcd10Codes(dump)), ['M54.16', 'J02.9']);
  });
});

describe('key: value records', () => {
  test('blocks of key: value lines are the rows of a table whose header is the keys', () => {
    const text = [
      'dump, enjoy',
      '',
      'chart_id: 4410',
      'born: 1950-01-02',
      'Primary Dx: K57.30',
      '',
      'chart_id: 4411',
      'born: 1961-12-30',
      'Primary Dx: E78.5',
      'chart_id: 4412',
      'Primary Dx: I25.10',
      'that is all',
    ].join('\n');
    const [table] = findTables(text).filter((t) => t.layout === 'records');
    assert.deepEqual(table?.columns, ['chartid', 'born', 'primarydx']);
    assert.deepEqual(
      table?.rows.map((r) => r.map((c) => c.text)),
      [
        ['4410', '1950-01-02', 'K57.30'],
        ['4411', '1961-12-30', 'E78.5'],
        ['4412', '', 'I25.10'],
      ],
    );
    assert.equal(text.slice(table!.rows[1]![2]!.start, table!.rows[1]![2]!.start + 5), 'E78.5');
  });
});
