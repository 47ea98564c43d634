/**
 * CLIA laboratory certificate numbers (CMS): 2-digit state code, the letter D, 7 digits ("05D0642835").
 * No public check digit, so a match needs the context word "CLIA" or "lab" nearby (Presidio
 * us_clia_recognizer); without it the shape alone is not reported.
 */
import { entityAt, hasContextNear, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const CLIA_PATTERN = /(?<![A-Za-z0-9])\d{2}D\d{7}(?![A-Za-z0-9])/gi;
const CONTEXT_WORDS = /\b(?:clia|lab|labs|laboratory|laboratories)\b/i;

const CONFIDENCE = 0.85;

/** True when `clia` has the CLIA number format (2 digits, D, 7 digits; the D in either case). */
export function isValidClia(clia: string): boolean {
  return /^\d{2}[Dd]\d{7}$/.test(clia);
}

/** CLIA numbers with a CLIA/lab context word within 40 characters; value upper-cased. */
export function extractClias(text: string): ExtractedEntity[] {
  if (!/\d{2}D\d{7}/i.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(CLIA_PATTERN, text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!isValidClia(match[0]) || !hasContextNear(text, start, end, CONTEXT_WORDS, 40, 20)) continue;
    found.push(entityAt(text, 'clia', match[0].toUpperCase(), start, end, CONFIDENCE));
  }
  return found;
}
