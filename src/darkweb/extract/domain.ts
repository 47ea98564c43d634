/**
 * Domain names in free text, including defanged forms (`example[.]com`, `example(.)com`, `example[dot]com`)
 * that threat-intel writers use so links do not resolve. File names (`invoice.pdf`) are rejected by
 * requiring a known TLD; TLDs that double as file extensions (`.py`, `.zip`) need URL context.
 */
import { entityAt, matchesOf } from './context.js';
import { isValidOnionV3 } from './onion.js';
import { FILE_LIKE_TLDS, isKnownTld } from './tlds.js';
import type { ExtractedEntity } from './types.js';

/** A dot, plain or defanged. */
export const DOT_SOURCE = String.raw`(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))`;
/** One LDH label (RFC 1035 section 2.3.1: letters, digits, inner hyphens, at most 63 characters). */
const LABEL_SOURCE = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`;
/** A whole name: labels joined by dots, ending in an alphabetic or IDN (xn--) TLD. */
export const DOMAIN_SOURCE = String.raw`(?:${LABEL_SOURCE}${DOT_SOURCE})+(?:xn--[a-z0-9-]{2,59}|[a-z]{2,24})`;

// Matched only at a name's first character (sticky), found by walking back from a dot anchor.
const DOMAIN_AT = new RegExp(String.raw`${DOMAIN_SOURCE}(?![\w-]|${DOT_SOURCE}[a-z0-9])`, 'iy');
// A dot (plain or defanged) between a name character and a letter: every domain has one, prose rarely.
const ANCHOR = /[a-z0-9](?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))[a-z]/gi;
const DEFANG_PATTERN = /\[\.\]|\(\.\)|\[dot\]|\(dot\)/gi;
/** Longest stretch walked back from an anchor (RFC 1035: a name is at most 253 characters, defanging adds some). */
const MAX_WALK_BACK = 320;
/** Longest stretch a name with defanged dots can span. */
const MAX_NAME_WINDOW = 400;

const PLAIN_CONFIDENCE = 0.7;
const CONTEXT_CONFIDENCE = 0.9;

/** Lower-cases a domain and turns defanged dots back into dots. */
export function normalizeDomainText(raw: string): string {
  return raw.replace(DEFANG_PATTERN, '.').toLowerCase();
}

/**
 * True when `name` (normalized) is a syntactically valid host name (RFC 1035 / RFC 1123 labels,
 * at most 253 characters, 2+ labels) under a known TLD. `.onion` names must carry a valid v3 address.
 */
export function isValidDomain(name: string): boolean {
  if (name.length > 253) return false;
  const labels = name.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) return false;
  }
  const tld = labels[labels.length - 1]!;
  if (!isKnownTld(tld)) return false;
  if (tld === 'onion') return isValidOnionV3(labels[labels.length - 2]!);
  return true;
}

/**
 * "end.Next sentence": a lower-case word, a dot and a capitalized word is two sentences missing a
 * space, now that the root zone has TLDs such as `next`, `today` and `new`; a host name is written in
 * one case.
 */
function isSentenceJoin(raw: string): boolean {
  const dot = raw.lastIndexOf('.');
  return dot > 0 && /[a-z]$/.test(raw.slice(0, dot)) && /^[A-Z][a-z]+$/.test(raw.slice(dot + 1));
}

/** Where the name containing the character at `index` starts: back over labels and (defanged) dots. */
function nameStart(text: string, index: number): number {
  let pos = index;
  const limit = Math.max(0, index - MAX_WALK_BACK);
  while (pos > limit) {
    const prev = text.charCodeAt(pos - 1);
    if (isLdh(prev) || prev === 46 /* . */) pos--;
    else if (/^(?:\[\.\]|\(\.\))$/.test(text.slice(pos - 3, pos))) pos -= 3;
    else if (/^(?:\[dot\]|\(dot\))$/i.test(text.slice(pos - 5, pos))) pos -= 5;
    else break;
  }
  // A name starts with a letter or digit: skip hyphens and dots the walk took in ("...example.com").
  while (pos < index && !isAlnum(text.charCodeAt(pos))) pos++;
  return pos;
}

/** Where the run of labels and (defanged) dots containing `index` ends. */
function nameRunEnd(text: string, index: number): number {
  let pos = index;
  while (pos < text.length) {
    const code = text.charCodeAt(pos);
    if (isLdh(code) || code === 46 /* . */) pos++;
    else if (/^(?:\[\.\]|\(\.\))$/.test(text.slice(pos, pos + 3))) pos += 3;
    else if (/^(?:\[dot\]|\(dot\))$/i.test(text.slice(pos, pos + 5))) pos += 5;
    else break;
  }
  return pos;
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isLdh(code: number): boolean {
  return isAlnum(code) || code === 45;
}

/**
 * Domain names; value is lower case with defanged dots restored. Names glued to `@` (e-mail addresses,
 * left to the e-mail extractor) or to `_` are not reported.
 */
export function extractDomains(text: string): ExtractedEntity[] {
  const found: ExtractedEntity[] = [];
  let scanned = 0;
  for (const anchor of matchesOf(ANCHOR, text)) {
    if (anchor.index < scanned) continue;
    const start = nameStart(text, anchor.index);
    const before = start > 0 ? text[start - 1]! : '';
    // Match inside a bounded window: a name is at most 253 characters, and an unbounded forward scan
    // from every anchor would make "a.a.a.a…" quadratic. A match reaching the window's edge is too long.
    const window = text.slice(start, start + MAX_NAME_WINDOW);
    DOMAIN_AT.lastIndex = 0;
    const match = /[\w@]/.test(before) ? null : DOMAIN_AT.exec(window);
    if (match === null || (match[0].length === window.length && start + window.length < text.length)) {
      // Every later start in the same run of labels ends at the same places, so it fails too: skip the run.
      scanned = nameRunEnd(text, anchor.index);
      ANCHOR.lastIndex = Math.max(ANCHOR.lastIndex, scanned);
      continue;
    }
    const raw = match[0];
    const end = start + raw.length;
    scanned = end;
    ANCHOR.lastIndex = Math.max(ANCHOR.lastIndex, end);
    const value = normalizeDomainText(raw);
    if (!isValidDomain(value) || isSentenceJoin(raw)) continue;
    const lead = text.slice(Math.max(0, start - 10), start);
    const urlContext = /(?:\/\/|\[:\]\/\/)$/.test(lead) || value.startsWith('www.');
    const defanged = value.length !== raw.length;
    const tld = value.slice(value.lastIndexOf('.') + 1);
    if (FILE_LIKE_TLDS.has(tld) && !urlContext) continue;
    const confidence = urlContext || defanged ? CONTEXT_CONFIDENCE : PLAIN_CONFIDENCE;
    found.push(entityAt(text, 'domain', value, start, end, confidence));
  }
  return found;
}
