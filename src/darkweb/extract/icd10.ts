/**
 * ICD-10-CM diagnosis codes: letter, digit, letter-or-digit, then optionally a dot and 1-4 more letters
 * or digits (SEER code structure: `^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`, e.g. E11.9, C4A.0, S72.001A).
 * The shape collides with part numbers, grid squares and model names, so a code is reported only with
 * a context word ("dx", "diagnosis", "ICD") within 40 characters before it or 20 after.
 */
import { entityAt, hasContextNear, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

/** The ICD-10-CM code format (upper case). */
export const ICD10_FORMAT = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;
const ICD10_PATTERN = /(?<![A-Za-z0-9.])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9]|\.[A-Za-z0-9])/g;
const CONTEXT_WORDS = /\b(?:dx|ddx|diagnos[ie]s|diagnosed|icd(?:-?10(?:-?cm)?)?)\b/i;

const CONFIDENCE = 0.7;

/** True when `code` has the ICD-10-CM format. */
export function isValidIcd10(code: string): boolean {
  return ICD10_FORMAT.test(code);
}

/** ICD-10-CM codes near a diagnosis context word; value is the code as written (upper case). */
export function extractIcd10Codes(text: string): ExtractedEntity[] {
  if (!/\b(?:dx|diagnos|icd)/i.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(ICD10_PATTERN, text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!isValidIcd10(match[0]) || !hasContextNear(text, start, end, CONTEXT_WORDS, 40, 20)) continue;
    found.push(entityAt(text, 'icd10', match[0], start, end, CONFIDENCE));
  }
  return found;
}
