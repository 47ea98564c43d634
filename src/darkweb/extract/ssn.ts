/**
 * US Social Security numbers, AAA-GG-SSSS. No check digit exists, so validity is structural
 * (SSA rules as summarized by Presidio's us_ssn_recognizer): area 000, 666 and 900-999 never issued
 * (900-999 is also the ITIN space: ITINs are 9XX with group 50-65, 70-88, 90-92, 94-99 and must not
 * be reported as SSNs), group 00 and serial 0000 never issued, one digit repeated and the famous sample
 * numbers (078-05-1120 from a 1938 wallet insert, 123-45-6789) rejected. Dashed numbers stand alone;
 * space-separated and bare 9-digit numbers need a context word ("SSN", "social security") or the place
 * a format gives the SSN: field 19 of an HL7 v2 PID segment (hl7.ts).
 */
import { allSameChar, entityAt, hasContextNear, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';
import { hl7Fields } from './hl7.js';

const SAMPLE_NUMBERS: ReadonlySet<string> = new Set(['078051120', '123456789']);
const CONTEXT_WORDS = /\b(?:ssn|ss#|ssns|social[\s-]+security(?:[\s-]+(?:number|no|#))?|soc[\s.-]*sec)\b/i;

const DASHED_CONFIDENCE = 0.6;
const CONTEXT_CONFIDENCE = 0.9;
const SPACED_OR_BARE_WITH_CONTEXT = 0.75;

// Either AAA-GG-SSSS / AAA GG SSSS (one separator kind), or 9 bare digits; not glued to digits/dashes.
const SSN_PATTERN = /(?<![\d-])(?:(\d{3})([- ])(\d{2})\2(\d{4})|(\d{9}))(?![\d]|-\d)/g;
const PREFILTER = /\d{3}[- ]?\d{2}[- ]?\d{4}/;

/** True when the 9 digits (dashes or spaces allowed) could be an issued SSN under the rules above. */
export function isValidSsn(number: string): boolean {
  const digits = number.replace(/[- ]/g, '');
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (allSameChar(digits) || SAMPLE_NUMBERS.has(digits)) return false;
  return true;
}

/** True for a number in the IRS ITIN space (9XX-[50-65|70-88|90-92|94-99]-XXXX): never an SSN. */
export function isItin(number: string): boolean {
  const digits = number.replace(/[- ]/g, '');
  if (!/^9\d{8}$/.test(digits)) return false;
  const group = Number(digits.slice(3, 5));
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || group >= 94;
}

/** Social Security numbers; value is the 9 digits in AAA-GG-SSSS form. */
export function extractSsns(text: string): ExtractedEntity[] {
  if (!PREFILTER.test(text)) return [];
  const found: ExtractedEntity[] = [];
  // PID-19 is "SSN Number - Patient": its place says what it is.
  const pid19 = new Set(hl7Fields(text, 'PID', 19).map((f) => f.start));
  for (const match of matchesOf(SSN_PATTERN, text)) {
    const raw = match[0];
    if (!isValidSsn(raw) || isItin(raw)) continue;
    const start = match.index;
    const end = start + raw.length;
    const context = pid19.has(start) || hasContextNear(text, start, end, CONTEXT_WORDS, 30, 10);
    const dashed = match[2] === '-';
    if (!dashed && !context) continue;
    const digits = raw.replace(/[- ]/g, '');
    const value = `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
    const confidence = dashed ? (context ? CONTEXT_CONFIDENCE : DASHED_CONFIDENCE) : SPACED_OR_BARE_WITH_CONTEXT;
    found.push(entityAt(text, 'ssn', value, start, end, confidence));
  }
  return found;
}
