/**
 * ICD-10-CM diagnosis codes: letter, digit, letter-or-digit, then optionally a dot and 1-4 more letters
 * or digits (SEER code structure: `^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`, e.g. E11.9, C4A.0, S72.001A).
 * The shape collides with part numbers, grid squares and model names, so a code is reported only with
 * a context word ("dx", "diagnosis", "ICD", also as part of a key such as `icd10_code`) within 40
 * characters before it or 20 after, or in a table column whose header names a diagnosis or ICD
 * (`ICD10`, `Dx`, `diagnosis_code`: tables.ts), however far the header is, or in the place a clinical
 * message format gives a diagnosis: an HL7 v2 DG1-3 field (hl7.ts), a CDA/C-CDA element whose
 * `codeSystem` is the ICD-10-CM (or ICD-10) OID.
 */
import { entityAt, hasContextNear, matchesOf } from './context.js';
import { columnsNamed, findTables } from './tables.js';
import { hl7Components, hl7Fields } from './hl7.js';
import type { ExtractedEntity } from './types.js';

/** The ICD-10-CM code format (upper case). */
export const ICD10_FORMAT = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;
const ICD10_PATTERN = /(?<![A-Za-z0-9.])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9]|\.[A-Za-z0-9])/g;
// Letters (not \b) bound the words, so `dx_code`, `icd10_primary` and `"diagnosis":` count too.
// A key may go on with "code" (`DiagnosisCode`, `dxcd`, `icd10code`).
const CONTEXT_WORDS =
  /(?<![a-z])(?:dx|ddx|diagnos[ie]s|diagnosed|diag|icd(?:-?10(?:-?cm)?)?)(?:_?(?:codes?|cd))?(?![a-z])/i;
/** A header naming a diagnosis or ICD column: `icd10`, `dx`, `dxcode`, `primarydx`, `diagnosis`, `diag1`. */
const DIAGNOSIS_COLUMN = /icd|^dx|dx$|dx\d|diag/;
const CELL_CODES = /(?<![A-Za-z0-9.])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9]|\.[A-Za-z0-9])/g;
const COLUMN_CONFIDENCE = 0.8;
/** HL7 and CDA name the code system: the surest context there is. */
const CODED_CONFIDENCE = 0.9;
/** DG1-3's coding system (component 3): ICD-10 or ICD-10-CM, as feeds write it. */
const HL7_ICD10_SYSTEM = /^(?:I10|I10C|ICD-?10(?:-?CM)?)$/i;
/** A CDA element (`<value xsi:type="CD" code="E11.9" codeSystem="2.16.840.1.113883.6.90"/>`). */
const CDA_ELEMENT = /<[A-Za-z][^<>]{0,1000}>/g;
/** OIDs of ICD-10-CM (2.16.840.1.113883.6.90) and ICD-10 (…6.3). */
const CDA_ICD10_SYSTEM = /\bcodeSystem\s*=\s*["']2\.16\.840\.1\.113883\.6\.(?:90|3)["']/;
const CDA_CODE = /\scode\s*=\s*["']([^"']{1,12})["']/;

const CONFIDENCE = 0.7;

/** True when `code` has the ICD-10-CM format. */
export function isValidIcd10(code: string): boolean {
  return ICD10_FORMAT.test(code);
}

/** ICD-10-CM codes near a diagnosis context word; value is the code as written (upper case). */
export function extractIcd10Codes(text: string): ExtractedEntity[] {
  const found: ExtractedEntity[] = [];
  const starts = new Set<number>();
  const add = (code: string, start: number, confidence: number): void => {
    if (starts.has(start) || !isValidIcd10(code)) return;
    starts.add(start);
    found.push(entityAt(text, 'icd10', code, start, start + code.length, confidence));
  };
  for (const field of hl7Fields(text, 'DG1', 3)) {
    const [code, , system] = hl7Components(field);
    if (code !== undefined && (system === undefined || HL7_ICD10_SYSTEM.test(system.text)))
      add(code.text, code.start, CODED_CONFIDENCE);
  }
  if (text.includes('2.16.840.1.113883.6.')) {
    for (const element of matchesOf(CDA_ELEMENT, text)) {
      if (!CDA_ICD10_SYSTEM.test(element[0])) continue;
      const code = CDA_CODE.exec(element[0]);
      if (code !== null) add(code[1]!, element.index + code.index + code[0].indexOf(code[1]!), CODED_CONFIDENCE);
    }
  }
  if (!/dx|diag|icd/i.test(text)) return found.sort((a, b) => a.start - b.start);
  for (const match of matchesOf(ICD10_PATTERN, text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!isValidIcd10(match[0]) || !hasContextNear(text, start, end, CONTEXT_WORDS, 40, 20)) continue;
    add(match[0], start, CONFIDENCE);
  }
  for (const table of findTables(text)) {
    for (const column of columnsNamed(table, (c) => DIAGNOSIS_COLUMN.test(c))) {
      for (const row of table.rows) {
        const cell = row[column];
        if (cell === undefined || cell.start < 0 || cell.text === '') continue;
        for (const code of matchesOf(CELL_CODES, cell.text)) add(code[0], cell.start + code.index, COLUMN_CONFIDENCE);
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
