/**
 * Indicators that a text carries protected health information (HIPAA 45 CFR 164.514(b)(2) lists names,
 * dates of birth and medical record numbers among the identifiers). These are context-level signals,
 * not identifiers: the entity's value is the indicator kind, its span the evidence.
 *   patient_name_dob  a capitalized name followed by DOB / date of birth and a real date
 *   mrn               "MRN" / "medical record" with an identifier (6+ digits, so "records of 1200 patients" is not one)
 *                    within 20 characters
 *   diagnosis         "diagnosis:", "dx:", "diagnosed with …" and the phrase after it (to line or sentence end;
 *                    a dot inside a code such as E11.9 does not end it)
 */
import { entityAt, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

/** PHI indicator kinds, used as the entity value. */
export type PhiIndicatorKind = 'patient_name_dob' | 'mrn' | 'diagnosis';

const NAME = String.raw`[A-Z][a-z'’-]{1,30}(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-z'’-]{1,30}){1,2}`;
const DOB_WORD = String.raw`(?:DOB|[Dd]ob|D\.O\.B\.?|[Dd]ate of [Bb]irth|[Bb]orn(?: on)?)`;
const DATE = String.raw`\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}`;
const NAME_DOB_PATTERN = new RegExp(
  String.raw`(\b(?:[Pp]atient|PATIENT|[Pp]t|[Nn]ame|NAME)(?:\s+[Nn]ame)?\s*[:#-]?\s*)?` +
    String.raw`\b(${NAME})\s*[,;(]?\s*${DOB_WORD}\s*[:#-]?\s*(${DATE})`,
  'g',
);
const MRN_PATTERN = new RegExp(
  String.raw`\b(?:MRN|medical\s+record(?:\s+(?:number|num|no\.?|#))?)(?![A-Za-z])[^\r\n]{0,20}?` +
    String.raw`(?<![A-Za-z0-9-])((?=(?:[A-Z-]*\d){6})[A-Z0-9][A-Z0-9-]{5,19})(?![A-Za-z0-9])`,
  'gi',
);
const DIAGNOSIS_PATTERN = new RegExp(
  String.raw`\b(?:(?:primary\s+|admitting\s+|discharge\s+)?(?:diagnos[ie]s|dx)\s*[:#-]|` +
    String.raw`diagnosed\s+with)[ \t]*[^\s.;](?:[^\r\n.;]|\.(?=\S)){0,78}`,
  'gi',
);

const NAME_DOB_LABELLED_CONFIDENCE = 0.9;
const NAME_DOB_CONFIDENCE = 0.75;
const MRN_CONFIDENCE = 0.8;
const DIAGNOSIS_CONFIDENCE = 0.6;

/**
 * True when `date` (M/D/Y, M-D-Y, M.D.Y with 2- or 4-digit year, or ISO Y-M-D) is a real calendar date
 * of a living person's birth.
 */
export function isPlausibleBirthDate(date: string, now = new Date()): boolean {
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (iso !== null) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(date);
    if (us === null) return false;
    [month, day, year] = [Number(us[1]), Number(us[2]), Number(us[3])];
    // Day-first dates (14/03/1962) are common outside the US: accept when only that reading works.
    if (month > 12 && day <= 12) [month, day] = [day, month];
    if (us[3]!.length === 2) year += year + 2000 > now.getUTCFullYear() ? 1900 : 2000;
  }
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  return year >= now.getUTCFullYear() - 125 && Date.UTC(year, month - 1, day) <= now.getTime();
}

/** PHI indicators; value is the PhiIndicatorKind. */
export function extractPhiIndicators(text: string): ExtractedEntity[] {
  const found: ExtractedEntity[] = [];
  if (/dob|d\.o\.b|birth|born/i.test(text)) {
    for (const match of matchesOf(NAME_DOB_PATTERN, text)) {
      if (!isPlausibleBirthDate(match[3]!)) continue;
      const confidence = match[1] !== undefined ? NAME_DOB_LABELLED_CONFIDENCE : NAME_DOB_CONFIDENCE;
      found.push(indicator(text, 'patient_name_dob', match.index, match.index + match[0].length, confidence));
    }
  }
  if (/mrn|medical\s+record/i.test(text)) {
    for (const match of matchesOf(MRN_PATTERN, text)) {
      found.push(indicator(text, 'mrn', match.index, match.index + match[0].length, MRN_CONFIDENCE));
    }
  }
  if (/diagnos|dx/i.test(text)) {
    for (const match of matchesOf(DIAGNOSIS_PATTERN, text)) {
      const raw = match[0].trimEnd();
      found.push(indicator(text, 'diagnosis', match.index, match.index + raw.length, DIAGNOSIS_CONFIDENCE));
    }
  }
  return found;
}

function indicator(
  text: string,
  kind: PhiIndicatorKind,
  start: number,
  end: number,
  confidence: number,
): ExtractedEntity {
  return entityAt(text, 'phi_indicator', kind, start, end, confidence);
}
