/**
 * CVE identifiers (CVE Numbering Authority rules, in force since 2014): "CVE-", a 4-digit year from 1999,
 * "-", a sequence number of at least 4 digits (no upper bound in the rules; 7 here bounds the scan).
 */
import { entityAt, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const CVE_PATTERN = /(?<![A-Za-z0-9])CVE[-‐‑–]((?:19|20)\d{2})[-‐‑–](\d{4,7})(?![\d])/gi;
const FIRST_CVE_YEAR = 1999;

const CONFIDENCE = 0.99;

/** True when `id` is a well-formed CVE id (CVE-YYYY-NNNN+, year 1999 to next year). */
export function isValidCve(id: string): boolean {
  const match = /^CVE-(\d{4})-(\d{4,7})$/i.exec(id);
  if (match === null) return false;
  const year = Number(match[1]);
  return year >= FIRST_CVE_YEAR && year <= new Date().getUTCFullYear() + 1;
}

/** CVE ids; value is upper case with plain hyphens (CVE-2024-3400). */
export function extractCves(text: string): ExtractedEntity[] {
  if (!/cve/i.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(CVE_PATTERN, text)) {
    const value = `CVE-${match[1]!}-${match[2]!}`;
    if (!isValidCve(value)) continue;
    found.push(entityAt(text, 'cve', value, match.index, match.index + match[0].length, CONFIDENCE));
  }
  return found;
}
