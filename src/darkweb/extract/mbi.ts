/**
 * Medicare Beneficiary Identifiers (CMS "Understanding the MBI Format"): 11 characters, no check digit.
 * Position 1 is 1-9; 2, 5, 8, 9 a letter; 3 and 6 a letter or digit; 4, 7, 10, 11 a digit. Letters
 * exclude S, L, O, I, B, Z. Printed as 1EG4-TE5-MK73; dashes are optional in text and never stored.
 */
import { entityAt, hasContextNear, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const L = '[AC-HJKMNP-RT-Y]';
const A = '[AC-HJKMNP-RT-Y0-9]';
/** The CMS format as an anchored regex over the undashed form. */
export const MBI_FORMAT = new RegExp(`^[1-9]${L}${A}[0-9]${L}${A}[0-9]${L}{2}[0-9]{2}$`);
const MBI_PATTERN = new RegExp(
  `(?<![A-Za-z0-9-])[1-9]${L}${A}[0-9]-?${L}${A}[0-9]-?${L}{2}[0-9]{2}(?![A-Za-z0-9]|-[A-Za-z0-9])`,
  'g',
);
const CONTEXT_WORDS = /\b(?:mbi|medicare|beneficiary|hicn|cms)\b/i;

const CONFIDENCE = 0.5;
const CONTEXT_CONFIDENCE = 0.9;

/** True when `mbi` (dashes allowed only in the printed 4-3-4 positions) has the CMS MBI format. */
export function isValidMbi(mbi: string): boolean {
  // Either no dashes or both, in the printed places: half-dashed strings are something else.
  if (mbi.includes('-') && !/^[^-]{4}-[^-]{3}-[^-]{4}$/.test(mbi)) return false;
  return MBI_FORMAT.test(mbi.replace(/-/g, ''));
}

/** MBIs; value is the 11 characters without dashes. */
export function extractMbis(text: string): ExtractedEntity[] {
  if (!/[1-9][A-Z]/.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(MBI_PATTERN, text)) {
    const raw = match[0];
    if (!isValidMbi(raw)) continue;
    const start = match.index;
    const end = start + raw.length;
    const confidence = hasContextNear(text, start, end, CONTEXT_WORDS, 40, 10) ? CONTEXT_CONFIDENCE : CONFIDENCE;
    found.push(entityAt(text, 'mbi', raw.replace(/-/g, ''), start, end, confidence));
  }
  return found;
}
