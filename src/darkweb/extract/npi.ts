/**
 * US National Provider Identifiers (45 CFR 162.406; check digit per 69 FR 3434): 10 digits, first digit
 * 1 or 2, last digit a Luhn check computed over "80840" + the first 9 digits (the ISO 7812 prefix for
 * US health), i.e. the whole 15-digit string must pass Luhn. Bare 10-digit numbers are common (phone
 * numbers pass Luhn one time in ten), so a bare match scores low and a nearby "NPI" raises it.
 */
import { allSameChar, entityAt, hasContextNear, luhnValid, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const NPI_PATTERN = /(?<![\d-])[12]\d{9}(?![\d]|-\d)/g;
const CONTEXT_WORDS =
  /\b(?:npi|national provider|provider id(?:entifier)?|prescriber|rendering provider|billing provider)\b/i;

const BARE_CONFIDENCE = 0.3;
const CONTEXT_CONFIDENCE = 0.9;

/** True when `npi` is 10 digits starting 1 or 2 whose check digit verifies (and not one digit repeated). */
export function isValidNpi(npi: string): boolean {
  if (!/^[12]\d{9}$/.test(npi)) return false;
  if (allSameChar(npi.slice(0, 9))) return false;
  return luhnValid(`80840${npi}`);
}

/** NPIs; value is the 10 digits. */
export function extractNpis(text: string): ExtractedEntity[] {
  if (!/[12]\d{9}/.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(NPI_PATTERN, text)) {
    if (!isValidNpi(match[0])) continue;
    const start = match.index;
    const end = start + match[0].length;
    const confidence = hasContextNear(text, start, end, CONTEXT_WORDS, 40, 10) ? CONTEXT_CONFIDENCE : BARE_CONFIDENCE;
    found.push(entityAt(text, 'npi', match[0], start, end, confidence));
  }
  return found;
}
