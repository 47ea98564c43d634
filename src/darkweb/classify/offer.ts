/**
 * Decides whether a document has the structure of an offer of a given kind (rules.ts
 * OFFER_STRUCTURE): a seller cue, an object of that kind next to it, and at least one term of sale.
 * Keyword weights say how strongly a post looks like a sale; this says whether it is one at all.
 */
import type { SourceType } from '../types.js';
import { ACCESS_FIELDS, ACCESS_OBJECT_FIELDS, DATA_FIELDS, OFFER_STRUCTURE, PRICE, SALE_FIELDS } from './rules.js';
import type { OfferClass, OfferCue } from './rules.js';

/** What was found of an offer's structure, and what is missing. */
export interface OfferAssessment {
  complete: boolean;
  /** e.g. `seller "Selling"`, `data object "records"`, `price "Price: 0"`. */
  found: string[];
  /** e.g. `seller verb`, `data object next to the seller`, `terms (price, escrow, contact, …)`. */
  missing: string[];
}

/** Seller cues examined per document: an offer states itself early; the bound keeps hostile input cheap. */
const MAX_SELLER_CUES = 64;

/** A non-global copy of a cue's pattern, for `exec` on a window without shared `lastIndex` state. */
const singleMatchers = new Map<RegExp, RegExp>();
function single(pattern: RegExp): RegExp {
  let copy = singleMatchers.get(pattern);
  if (copy === undefined) {
    copy = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    singleMatchers.set(pattern, copy);
  }
  return copy;
}

function firstMatch(cue: OfferCue, text: string): string | undefined {
  return single(cue.pattern).exec(text)?.[0].trim().replace(/\s+/g, ' ');
}

/**
 * The text around a seller cue where its object may stand: the cue's line, up to `objectWindow`
 * characters each side, and the next line too when the cue ends its line ("Selling:" then a list).
 */
function sellerWindow(text: string, start: number, end: number): string {
  const reach = OFFER_STRUCTURE.objectWindow;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  if (!/\w{3}/.test(text.slice(end, lineEnd)) && lineEnd < text.length) {
    const next = text.indexOf('\n', lineEnd + 1);
    lineEnd = next === -1 ? text.length : next;
  }
  return text.slice(Math.max(lineStart, start - reach), Math.min(lineEnd, end + reach));
}

/** Labelled offer fields counted per document (a listing has a few; more say nothing new). */
const MAX_FIELDS = 8;

function countFields(pattern: RegExp, text: string): { count: number; first: string | undefined } {
  pattern.lastIndex = 0;
  let count = 0;
  let first: string | undefined;
  for (let m = pattern.exec(text); m !== null && count < MAX_FIELDS; m = pattern.exec(text)) {
    first ??= m[0].trim().replace(/\s+/g, ' ');
    count += 1;
  }
  pattern.lastIndex = 0;
  return { count, first };
}

/**
 * A listing written as fields (`Access: RDP`, `Rights: DA`, `Price: 2k`, in any order): three labelled
 * fields of which one is a term of sale say "offer" as plainly as a "selling" does.
 */
export function fieldedOffer(text: string): string | undefined {
  const sale = countFields(SALE_FIELDS, text);
  if (sale.count === 0) return undefined;
  const access = countFields(ACCESS_FIELDS, text);
  const data = countFields(DATA_FIELDS, text);
  if (sale.count + access.count + data.count < 3) return undefined;
  return `offer fields "${sale.first}"${(access.first ?? data.first) ? `, "${access.first ?? data.first}"` : ''}`;
}

/**
 * Two labelled facts of the class's kind ("Privs: user", "Workstations: 1.2k" for access; "Records:",
 * "Fields:" for data) describe the object of a fielded listing even when no word names it.
 */
function fieldsOfKind(cls: OfferClass, text: string): string | undefined {
  const facts = countFields(cls === 'access_for_sale' ? ACCESS_OBJECT_FIELDS : DATA_FIELDS, text);
  return facts.count >= 2 ? facts.first : undefined;
}

/** An auction's terms, "Start $2k / Step $200 / Blitz $6k": only a seller writes them. */
const AUCTION = /\bstart(?:ing)?\b[^\n]{0,40}\bstep\b|\bblitz\b[ \t]*[:=-]?[ \t]*\$?\d/i;
/** A lot is a list item ("1) …", "- …") or a line of fields ("clinic.test — RDWeb, DA, $500"). */
const LOT_SHAPE = /^[ \t]*(?:\d{1,2}[.)]|[-*•#]|lot\b)|[ \t][-–—|][ \t]/i;
/** Lines examined for lots; a listing states its lots early. */
const MAX_LOT_LINES = 400;

/**
 * A lot: one line naming an object of the class and a price ("2) clinic.test — RDWeb, DA, $500";
 * "have shell on the jump host, local admin ... Start $1500"): a listing, whatever else the post says.
 */
function lotLine(cls: OfferClass, text: string): string | undefined {
  const object = single(OFFER_STRUCTURE.objects[cls].pattern);
  const price = single(PRICE);
  let lines = 0;
  for (const line of text.split('\n')) {
    if (++lines > MAX_LOT_LINES) break;
    if (line.length > 600 || !LOT_SHAPE.test(line) || !price.test(line) || !object.test(line)) continue;
    return line.trim().replace(/\s+/g, ' ').slice(0, 60);
  }
  return undefined;
}

/**
 * The lines that state the offer: a seller's words, a lot (object and price), auction terms, labelled
 * fields. An organization named on one of them is what is offered (its target or owner).
 */
export function offerLines(cls: OfferClass, text: string): string[] {
  const object = single(OFFER_STRUCTURE.objects[cls].pattern);
  const price = single(PRICE);
  const seller = single(OFFER_STRUCTURE.seller.pattern);
  const fields = [SALE_FIELDS, ACCESS_FIELDS, DATA_FIELDS].map((p) => single(p));
  const lines: string[] = [];
  let count = 0;
  for (const line of text.split('\n')) {
    if (++count > MAX_LOT_LINES) break;
    if (line.length > 600 || line.trim() === '') continue;
    const lot = LOT_SHAPE.test(line) && price.test(line) && object.test(line);
    if (lot || seller.test(line) || AUCTION.test(line) || fields.some((f) => f.test(line)))
      lines.push(line.trim().replace(/\s+/g, ' '));
  }
  return lines;
}

/** Assesses `text` (title line first) as an offer of class `cls`. */
export function assessOffer(cls: OfferClass, text: string, sourceType: SourceType): OfferAssessment {
  const found: string[] = [];
  const missing: string[] = [];
  const object = OFFER_STRUCTURE.objects[cls];
  const objectName = object.id;

  let fields = OFFER_STRUCTURE.sellerImpliedBy.includes(sourceType) ? undefined : fieldedOffer(text);
  if (fields === undefined && !OFFER_STRUCTURE.sellerImpliedBy.includes(sourceType)) {
    const auction = AUCTION.exec(text);
    if (auction !== null) fields = `auction terms "${auction[0].replace(/\s+/g, ' ')}"`;
    else {
      const lot = lotLine(cls, text);
      if (lot !== undefined) fields = `lot "${lot}"`;
    }
  }
  if (OFFER_STRUCTURE.sellerImpliedBy.includes(sourceType) || fields !== undefined) {
    // A market page is a listing, and so is a post written as offer fields: the seller is the page
    // itself, and the object may be anywhere.
    found.push(fields === undefined ? `seller: ${sourceType} listing` : `seller: ${fields}`);
    const what = firstMatch(object, text) ?? fieldsOfKind(cls, text);
    if (what === undefined) missing.push(objectName);
    else found.push(`${objectName} "${what}"`);
  } else {
    const seller = OFFER_STRUCTURE.seller.pattern;
    seller.lastIndex = 0;
    let sellerWord: string | undefined;
    let objectWord: string | undefined;
    let cues = 0;
    for (let m = seller.exec(text); m !== null && cues < MAX_SELLER_CUES; m = seller.exec(text)) {
      cues += 1;
      if (m[0] === '') {
        seller.lastIndex += 1;
        continue;
      }
      sellerWord ??= m[0];
      const what = firstMatch(object, sellerWindow(text, m.index, m.index + m[0].length));
      if (what !== undefined) {
        sellerWord = m[0];
        objectWord = what;
        break;
      }
    }
    seller.lastIndex = 0;
    if (sellerWord === undefined) missing.push('seller verb (present tense, first person or listing headline)');
    else {
      found.push(`seller "${sellerWord.trim().replace(/\s+/g, ' ')}"`);
      if (objectWord === undefined) missing.push(`${objectName} next to the seller`);
      else found.push(`${objectName} "${objectWord}"`);
    }
  }

  const terms = OFFER_STRUCTURE.terms.flatMap((term) => {
    const what = firstMatch(term, text);
    return what === undefined ? [] : [`${term.id} "${what}"`];
  });
  if (terms.length === 0) missing.push(`terms (${OFFER_STRUCTURE.terms.map((t) => t.id).join(', ')})`);
  else found.push(...terms);

  return { complete: missing.length === 0, found, missing };
}
