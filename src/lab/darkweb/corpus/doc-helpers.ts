/**
 * What every document layout of the corpus shares: the builder contract, victims drawn from the
 * exposure roster, asides that name another organization in passing, handles, passwords, dates and
 * the field renderings offers use (labels in any order and wording, as text or HTML markup).
 */
import type { DocumentClass, SourceType } from '../../../darkweb/types.js';
import type { AddressPools } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import type { DocWriter, MentionVia } from './writer.js';
import { HANDLE_HEADS, HANDLE_TAILS, UNMONITORED_ORGS, US_STATES } from './vocabulary.js';

/** What a builder returns (text still holds markers; the generator finishes it). */
export interface BuiltDocument {
  sourceType: SourceType;
  class: DocumentClass;
  title: string;
  body: string;
  /** Which template wrote it (`credential/ulp`, `phi/markdown`...): in the truth, so results group by layout. */
  layout: string;
  /**
   * How a forum page shows the text when the generator renders it as HTML: a paragraph per line (the
   * default), a code block (`pre`: whitespace kept, as forums show pasted dumps) or lines separated
   * by `<br>`. Tables whose columns are whitespace (TSV, fixed width) only stay tables in `pre`.
   */
  blocks?: 'p' | 'pre' | 'br';
  /** The page body as HTML markup (markers inside are escaped when finished); `body` is then unused. */
  html?: string;
}

/** Everything a builder may use. */
export interface BuildInput {
  w: DocWriter;
  index: number;
  pools: AddressPools;
}

export type Builder = (input: BuildInput) => BuiltDocument;

export const SECTOR_LABELS: Record<string, string> = {
  hospital: 'Hospitals & Health Systems',
  clinic: 'Outpatient Clinics',
  telehealth: 'Telehealth',
  laboratory: 'Diagnostic Laboratories',
  pharmacy: 'Pharmacies',
  payer: 'Health Insurance',
  vendor: 'Healthcare Software',
};

export function handle(w: DocWriter): string {
  const r = w.rng;
  return `${r.pick(HANDLE_HEADS)}${r.pick(HANDLE_TAILS)}${r.chance(0.6) ? String(r.range(1, 999)) : ''}`;
}

const PASSWORD_WORDS = [
  'summer',
  'winter',
  'welcome',
  'password',
  'nurse',
  'dragon',
  'monkey',
  'charlie',
  'tigers',
  'sunshine',
  'qwerty',
  'letmein',
  'baseball',
  'shadow',
  'buster',
  'football',
  'michael',
  'jordan',
  'princess',
  'spring',
  'autumn',
  'coffee',
];

/**
 * A fake password of the kinds dumps are full of (word + year + symbol, leet, keyboard walks,
 * random strings a manager made). Never ':' '@' ';' '|' ',' or spaces: they are the dumps' separators.
 */
export function password(w: DocWriter): string {
  const r = w.rng;
  const base = r.pick(PASSWORD_WORDS);
  const cased = r.chance(0.5) ? base[0]!.toUpperCase() + base.slice(1) : base;
  const kind = r.int(10);
  if (kind < 6) return `${cased}${r.range(1, 2024)}${r.pick(['', '!', '#', '$', '!!', '*'])}`;
  if (kind === 6)
    return cased.replace(/a/g, '@').replace(/o/g, '0').replace(/e/g, '3').replace(/@/g, '4') + r.range(1, 99);
  if (kind === 7) return r.pick(['qwerty123', '1q2w3e4r', 'zaq12wsx', '123456789', 'asdf1234', '1qaz2wsx']);
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = r.range(10, 18); i > 0; i--) out += alphabet[r.int(alphabet.length)];
  return out;
}

/** A date of birth in one of the ways exports write it. */
export function dateOfBirth(w: DocWriter, style = w.rng.int(3)): string {
  const r = w.rng;
  const y = r.range(1938, 2004);
  const m = String(r.range(1, 12)).padStart(2, '0');
  const d = String(r.range(1, 28)).padStart(2, '0');
  return style === 0 ? `${m}/${d}/${y}` : style === 1 ? `${y}-${m}-${d}` : `${m}-${d}-${y}`;
}

/** A victim for a document of `cls`: only organizations whose exposure profile has that class (undefined when none). */
export function victimFor(w: DocWriter, cls: DocumentClass): OrgProfile | undefined {
  return w.ctx.exposure.pick(w.rng, cls);
}

/** Up to `count` distinct victims for a document of `cls`. */
export function victimsFor(w: DocWriter, cls: DocumentClass, count: number): OrgProfile[] {
  return w.ctx.exposure.sample(w.rng, cls, count);
}

/** A victim that is not monitored: an unmonitored organization or a look-alike of a monitored one (a trap). */
export function unmonitoredVictim(w: DocWriter): string {
  const r = w.rng;
  if (r.chance(0.45)) {
    const org = r.pick(w.ctx.orgs);
    if (org.lookalikeNames.length > 0) {
      const look = r.pick(org.lookalikeNames);
      return w.trap(org, look.kind, look.text);
    }
  }
  return w.keep(r.pick(UNMONITORED_ORGS));
}

export function anonymousVictim(w: DocWriter): string {
  const r = w.rng;
  return r.pick([
    `a US hospital (${r.pick(US_STATES)})`,
    `regional health system, ${r.pick(US_STATES)}`,
    `a multi-site clinic group in ${r.pick(US_STATES)}`,
    `US diagnostic lab chain`,
    `mid-size health insurer, Midwest`,
    `a pharmacy chain with ${r.range(12, 140)} stores`,
  ]);
}

export function typoDomainTrap(w: DocWriter): string | undefined {
  const org = w.rng.pick(w.ctx.orgs);
  if (org.typoDomains.length === 0) return undefined;
  return w.trap(org, 'typo_domain', w.rng.pick(org.typoDomains));
}

/** A chatter-profile organization other than the document's targets, or undefined. */
function bystander(w: DocWriter): OrgProfile | undefined {
  for (let attempt = 0; attempt < 4; attempt++) {
    const org = w.ctx.exposure.pick(w.rng, 'chatter');
    if (org !== undefined && !w.mentions.has(org.index)) return org;
  }
  return undefined;
}

/**
 * With probability `p`, a sentence that names another organization in passing (it reports or
 * compares: "was hit last month", "FYI", "similar to"); its mention is chatter whatever the
 * document is. Empty when no organization fits.
 */
export function aside(w: DocWriter, p: number): string {
  const r = w.rng;
  if (!r.chance(p)) return '';
  const org = bystander(w);
  if (org === undefined) return '';
  const x = w.aside(org, r.pick<MentionVia>(['name', 'name', 'domain', 'alias']));
  return r.pick([
    `FYI, ${x} was hit last month by another crew, not related.`,
    `Not the same as the ${x} thing that was posted here last month.`,
    `Similar to what happened to ${x} in the spring, according to the news.`,
    `PS: whoever asked about ${x} - I have nothing on them, stop asking.`,
    `(${x} was already burned by someone else last year, this is a different network.)`,
    `Same MSP as ${x}, which got popped last month according to a reporter.`,
  ]);
}

/** How offers write a label and its value. */
export type FieldStyle = 'colon' | 'dash' | 'arrow' | 'plus' | 'bullet' | 'below' | 'emoji' | 'upper';

export const FIELD_STYLES: readonly FieldStyle[] = [
  'colon',
  'colon',
  'dash',
  'arrow',
  'plus',
  'bullet',
  'below',
  'emoji',
  'upper',
];

/** One labelled field of an offer: `key` is filler (cleaned), `value` may hold markers. */
export interface Field {
  key: string;
  value: string;
  emoji?: string;
}

/** The fields as text lines, one style for the whole list. */
export function fieldLines(fields: readonly Field[], style: FieldStyle): string[] {
  const out: string[] = [];
  for (const { key, value, emoji } of fields) {
    if (style === 'colon') out.push(`${key}: ${value}`);
    else if (style === 'dash') out.push(`${key} - ${value}`);
    else if (style === 'arrow') out.push(`${key} => ${value}`);
    else if (style === 'plus') out.push(`[+] ${key}: ${value}`);
    else if (style === 'bullet') out.push(`- ${key}: ${value}`);
    else if (style === 'emoji') out.push(`${emoji ?? '▪️'} ${key}: ${value}`);
    else if (style === 'upper') out.push(`${key.toUpperCase()} : ${value}`);
    else out.push(`${key}:`, value, '');
  }
  return out;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&#39;')
    .replace(/"/g, '&quot;');
}

/** The fields as HTML markup a market page would use: a definition list, a table or a list. */
export function fieldHtml(fields: readonly Field[], kind: number): string {
  const e = escapeHtml;
  if (kind % 3 === 0)
    return `<dl class="specs">\n${fields.map((f) => `<dt>${e(f.key)}</dt><dd>${e(f.value)}</dd>`).join('\n')}\n</dl>`;
  if (kind % 3 === 1)
    return (
      `<table class="listing-details">\n` +
      `${fields.map((f) => `<tr><th>${e(f.key)}</th><td>${e(f.value)}</td></tr>`).join('\n')}\n</table>`
    );
  return `<ul>\n${fields.map((f) => `<li><b>${e(f.key)}:</b> ${e(f.value)}</li>`).join('\n')}\n</ul>`;
}

/** Paragraphs of text as HTML (`<p>` per line). */
export function paragraphs(lines: readonly string[]): string {
  return lines
    .filter((l) => l !== '')
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('\n');
}

/** A short random hex string (ids, hashes, tox ids). */
export function hex(w: DocWriter, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[w.rng.int(16)];
  return out;
}

/** A clock time hh:mm. */
export function clock(w: DocWriter): string {
  return `${String(w.rng.range(0, 23)).padStart(2, '0')}:${String(w.rng.range(0, 59)).padStart(2, '0')}`;
}
