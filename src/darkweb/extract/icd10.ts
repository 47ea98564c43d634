/**
 * ICD-10-CM diagnosis codes: letter, digit, letter-or-digit, then optionally a dot and 1-4 more letters
 * or digits (SEER code structure: `^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`, e.g. E11.9, C4A.0, S72.001A).
 * The shape collides with part numbers, grid squares and model names, so a code is reported only with
 * a context word ("dx", "diagnosis", "ICD", also as part of a key such as `icd10_code`) within 40
 * characters before it or 20 after, or in a table column whose header names a diagnosis or ICD
 * (`ICD10`, `Dx`, `diagnosis_code`: tables.ts), however far the header is.
 */
import { entityAt, hasContextNear, matchesOf } from './context.js';
import { columnsNamed, findTables } from './tables.js';
import type { ExtractedEntity } from './types.js';

/** The ICD-10-CM code format (upper case). */
export const ICD10_FORMAT = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;
const ICD10_PATTERN = /(?<![A-Za-z0-9.])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9]|\.[A-Za-z0-9])/g;
// Letters (not \b) bound the words, so `dx_code`, `icd10_primary` and `"diagnosis":` count too.
const CONTEXT_WORDS = /(?<![a-z])(?:dx|ddx|diagnos[ie]s|diagnosed|diag|icd(?:-?10(?:-?cm)?)?)(?![a-z])/i;
/** A header naming a diagnosis or ICD column: `icd10`, `dx`, `dxcode`, `primarydx`, `diagnosis`, `diag1`. */
const DIAGNOSIS_COLUMN = /icd|^dx|dx$|dx\d|diag/;
const CELL_CODES = /(?<![A-Za-z0-9.])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9]|\.[A-Za-z0-9])/g;
const COLUMN_CONFIDENCE = 0.8;

const CONFIDENCE = 0.7;

/** True when `code` has the ICD-10-CM format. */
export function isValidIcd10(code: string): boolean {
  return ICD10_FORMAT.test(code);
}

/** ICD-10-CM codes near a diagnosis context word; value is the code as written (upper case). */
export function extractIcd10Codes(text: string): ExtractedEntity[] {
  if (!/dx|diag|icd/i.test(text)) return [];
  const found: ExtractedEntity[] = [];
  const starts = new Set<number>();
  for (const match of matchesOf(ICD10_PATTERN, text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!isValidIcd10(match[0]) || !hasContextNear(text, start, end, CONTEXT_WORDS, 40, 20)) continue;
    found.push(entityAt(text, 'icd10', match[0], start, end, CONFIDENCE));
    starts.add(start);
  }
  for (const table of findTables(text)) {
    for (const column of columnsNamed(table, (c) => DIAGNOSIS_COLUMN.test(c))) {
      for (const row of table.rows) {
        const cell = row[column];
        if (cell === undefined || cell.start < 0 || cell.text === '') continue;
        for (const code of matchesOf(CELL_CODES, cell.text)) {
          const start = cell.start + code.index;
          if (starts.has(start) || !isValidIcd10(code[0])) continue;
          starts.add(start);
          found.push(entityAt(text, 'icd10', code[0], start, start + code[0].length, COLUMN_CONFIDENCE));
        }
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
