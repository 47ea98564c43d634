/**
 * DEA registration numbers: 2 letters + 7 digits. Letter 1 is the registrant type (Presidio's set
 * A B C D E F G H J K L M P R S T U X), letter 2 the first letter of the registrant's surname or 9 for a
 * business. Check digit: (d1 + d3 + d5) + 2 × (d2 + d4 + d6), last digit = d7 (AP5836727: 15 + 32 = 47).
 * A supervised-practitioner suffix ("-001AB") may follow and is not part of the value.
 */
import { entityAt, hasContextNear, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const DEA_PATTERN = /(?<![A-Za-z0-9])[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}(?![A-Za-z0-9])/g;
const CONTEXT_WORDS = /\b(?:dea|registration|prescriber|controlled substance|schedule ii)\b/i;

const CONFIDENCE = 0.6;
const CONTEXT_CONFIDENCE = 0.95;

/** True when `dea` has the registrant letters and a correct check digit. */
export function isValidDea(dea: string): boolean {
  if (!/^[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}$/.test(dea)) return false;
  const d = [...dea.slice(2)].map(Number);
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
  return sum % 10 === d[6];
}

/** DEA numbers; value is the 9 characters in upper case. */
export function extractDeaNumbers(text: string): ExtractedEntity[] {
  if (!/[A-Z][A-Z9]\d{7}/.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(DEA_PATTERN, text)) {
    if (!isValidDea(match[0])) continue;
    const start = match.index;
    const end = start + match[0].length;
    const confidence = hasContextNear(text, start, end, CONTEXT_WORDS, 40, 10) ? CONTEXT_CONFIDENCE : CONFIDENCE;
    found.push(entityAt(text, 'dea', match[0], start, end, confidence));
  }
  return found;
}
