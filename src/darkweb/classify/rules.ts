/**
 * The classification rule table: keywords and patterns with weights per document class, source-type
 * priors, and "discussion" cues that mark talk about an event rather than an offer or a listing.
 *
 * Why a table and not a model: no labelled healthcare dark-web corpus is available to train on
 * (shared/reference/darkweb.md §6), and every weight here can be read, argued with and tested.
 * Patterns are simple alternations with word boundaries (linear time, no nested quantifiers).
 */
import type { DocumentClass, SourceType } from '../types.js';

/** Classes that can be decided by rules; `chatter` is what remains. */
export type ScoredClass = Exclude<DocumentClass, 'chatter'>;

/** One keyword rule: every occurrence (up to `maxCount`) adds its weights. */
export interface KeywordRule {
  id: string;
  pattern: RegExp;
  weights: Partial<Record<ScoredClass, number>>;
  /** Occurrences that count; default 1 (presence only). */
  maxCount?: number;
}

/** A raw score at or above this makes a class; below it, the document is chatter. */
export const CLASS_THRESHOLD = 4;

/** Raw score mapped to 1.0. */
export const SCORE_SCALE = 10;

/** When two classes tie, the more specific or more severe one wins. */
export const CLASS_PRIORITY: readonly ScoredClass[] = ['ransomware_listing', 'phi_exposure', 'access_for_sale', 'data_for_sale', 'credential_leak'];

/** What the source type alone says: a leak-site victim post is a listing before any word is read. */
export const SOURCE_PRIORS: Readonly<Record<SourceType, Partial<Record<ScoredClass, number>>>> = {
  leak_site: { ransomware_listing: 4, data_for_sale: 0.5 },
  market: { data_for_sale: 2, access_for_sale: 1.5 },
  paste: { credential_leak: 1, phi_exposure: 0.5 },
  forum: {},
  chat: {},
};

/** Offer and listing vocabulary. */
export const KEYWORD_RULES: readonly KeywordRule[] = [
  // Ransomware leak-site victim posts.
  {
    id: 'will be published',
    pattern: /\b(?:data|files|documents|information|everything|it)\s+will\s+be\s+(?:published|leaked|released|made\s+public|sold|disclosed)\b/gi,
    weights: { ransomware_listing: 4 },
  },
  { id: 'days/hours left', pattern: /\b\d{1,3}\s*(?:d|days?|h|hours?)\s+(?:left|remaining|until\s+publication)\b/gi, weights: { ransomware_listing: 3 } },
  { id: 'countdown', pattern: /\b(?:countdown|timer|time\s+left|publication\s+date|deadline)\b/gi, weights: { ransomware_listing: 2 } },
  { id: 'published/leaked', pattern: /\b(?:published|leaked|disclosed|full\s+leak|data\s+leak)\b/gi, weights: { ransomware_listing: 1.5 }, maxCount: 2 },
  { id: 'ransom terms', pattern: /\b(?:pay(?:ing)?\s+(?:the\s+)?ransom|contact\s+us|negotiat(?:e|ion|ions)|decrypt(?:or|ion)?|did\s+not\s+pay|refused\s+to\s+pay)\b/gi, weights: { ransomware_listing: 1.5 } },
  { id: 'data size', pattern: /\b\d+(?:[.,]\d+)?\s*(?:gb|tb)\b/gi, weights: { ransomware_listing: 1, data_for_sale: 1 } },
  { id: 'victim profile', pattern: /\b(?:website|revenue|employees|industry|country|hq)\s*:/gi, weights: { ransomware_listing: 1, access_for_sale: 1 }, maxCount: 2 },

  // Data for sale.
  { id: 'selling', pattern: /\b(?:selling|for\s+sale|wts|sell(?:s)?|on\s+sale|auction)\b/gi, weights: { data_for_sale: 2.5, access_for_sale: 1 } },
  { id: 'price', pattern: /\b(?:price|cost|starting\s+bid|blitz)\b|\$\s?\d[\d,.]*\s?k?\b|\b\d[\d,.]*\s?(?:usd|usdt)\b/gi, weights: { data_for_sale: 2, access_for_sale: 1.5 } },
  { id: 'escrow', pattern: /\b(?:escrow|guarantor|garant)\b/gi, weights: { data_for_sale: 2, access_for_sale: 1 } },
  { id: 'crypto', pattern: /\b(?:btc|xmr|monero|bitcoin|usdt|ltc)\b/gi, weights: { data_for_sale: 1.5, access_for_sale: 0.5 } },
  { id: 'data goods', pattern: /\b(?:db|database|dump|records|rows|lines|leads|sql|csv|fullz|ssn\s+lookups?)\b/gi, weights: { data_for_sale: 1.5 }, maxCount: 2 },
  { id: 'fullz', pattern: /\bfullz\b/gi, weights: { data_for_sale: 2 } },
  { id: 'sample', pattern: /\b(?:sample|proof|samples)\b/gi, weights: { data_for_sale: 1 } },
  { id: 'contact', pattern: /\b(?:pm\s+me|dm\s+me|tox|jabber|xmpp|session\s+id|telegram)\b/gi, weights: { data_for_sale: 0.5, access_for_sale: 0.5 } },

  // Access for sale (initial-access brokers).
  { id: 'remote access', pattern: /\b(?:rdp|vpn|citrix|pulse\s+secure|fortinet|fortigate|anyconnect|globalprotect|vcenter|esxi|owa|rdweb|webshell|web\s+shell|shell|ssh|vnc|teamviewer|anydesk)\b/gi, weights: { access_for_sale: 2 }, maxCount: 2 },
  { id: 'domain admin', pattern: /\b(?:domain\s+admin|local\s+admin|admin\s+rights|da\s+rights|enterprise\s+admin|system\s+privileges)\b/gi, weights: { access_for_sale: 3 } },
  { id: 'initial access', pattern: /\binitial\s+access\b|\bia\s+broker\b/gi, weights: { access_for_sale: 3 } },
  { id: 'access', pattern: /\baccess(?:es)?\b/gi, weights: { access_for_sale: 1 } },
  { id: 'network facts', pattern: /\b(?:av|edr|hosts|machines|endpoints|backups?)\s*:/gi, weights: { access_for_sale: 1 }, maxCount: 2 },

  // Credential leaks (counts of pairs come from signals; this is the vocabulary).
  { id: 'credential words', pattern: /\b(?:combo(?:list)?s?|credentials|creds|email:pass|mail:pass|user:pass|login:pass|stealer\s+logs?|logins?\s+and\s+passwords?)\b/gi, weights: { credential_leak: 1.5 } },

  // PHI vocabulary: weak on its own, since an offer lists the fields it sells ("DOB, SSN, MRN").
  { id: 'phi words', pattern: /\b(?:patients?|dob|date\s+of\s+birth|mrn|medical\s+records?|diagnos(?:is|es)|icd-?10|insurance\s+id|member\s+id|hipaa|phi)\b/gi, weights: { phi_exposure: 0.5 }, maxCount: 3 },
];

/**
 * Discussion cues: words of someone reporting or asking about an event. They subtract from the
 * offer/listing classes (not on leak sites, where the post is the listing).
 */
export const DISCUSSION_RULES: readonly KeywordRule[] = [
  {
    id: 'news language',
    pattern: /\b(?:according\s+to|reported(?:ly)?|reports?\s+(?:say|said|that)|news|article|journalists?|press\s+release|breaking|statement|spokesperson|claimed\s+responsibility|(?:was|were|got)\s+hit\s+by|suffered|outage|investigating|they\s+say|saw\s+(?:on|in)|read\s+(?:on|in))\b/gi,
    weights: { ransomware_listing: -1.5, data_for_sale: -1.5, access_for_sale: -1.5 },
    maxCount: 3,
  },
  {
    id: 'news site',
    pattern: /\b(?:bleepingcomputer|therecord|the\s+record|reuters|securityweek|databreaches\.net|hipaa\s?journal|darkreading|techcrunch|krebs)\b/gi,
    weights: { ransomware_listing: -2, data_for_sale: -2, access_for_sale: -2 },
  },
  {
    id: 'question',
    pattern: /\b(?:anyone|anybody|does\s+any(?:one|body)|what\s+do\s+you\s+think|is\s+it\s+true|any\s+info)\b/gi,
    weights: { ransomware_listing: -1, data_for_sale: -1, access_for_sale: -1 },
  },
  {
    id: 'wanted',
    pattern: /\b(?:wtb|buying|looking\s+for|want\s+to\s+buy|need)\b/gi,
    weights: { data_for_sale: -2, access_for_sale: -2 },
  },
];

/** Credential pairs: AIL tags a credential leak above 8 pairs (`criticalNumberToAlert`, darkweb.md §2). */
export function credentialWeight(credentialCount: number): number {
  if (credentialCount >= 8) return 6 + Math.min(2, Math.log10(credentialCount / 8));
  if (credentialCount >= 3) return 3;
  return credentialCount > 0 ? 1 : 0;
}

/** PHI evidence from the extractor: indicators (patient+DOB, MRN, diagnosis) and identifiers. */
export function phiWeight(phiIndicators: number, entityTypes: ReadonlySet<string>): number {
  let weight = Math.min(6, 2 * phiIndicators);
  if (entityTypes.has('mbi')) weight += 2;
  // An SSN next to a named patient (a phi indicator) is PHI; an SSN alone is identity data.
  if (entityTypes.has('ssn')) weight += phiIndicators > 0 ? 2 : 0.5;
  if (entityTypes.has('npi') || entityTypes.has('dea')) weight += 0.5;
  return weight;
}
