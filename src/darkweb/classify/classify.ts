/**
 * Classifies a dark-web document (forum, market, paste, leak-site or chat text) as a ransomware
 * listing, data for sale, access for sale, credential leak, PHI exposure or plain chatter, from the
 * rule table in rules.ts and signals the entity extractor computed. Every point of the score is
 * explained in `reasons`. Data and access sales must also have an offer's structure (offer.ts), and
 * a page's navigation bar is not read as part of the post (navigation.ts).
 */
import type { DocumentClass, SourceType } from '../types.js';
import {
  CLASS_PRIORITY,
  CLASS_THRESHOLD,
  DISCUSSION_RULES,
  KEYWORD_RULES,
  SCORE_SCALE,
  SOURCE_PRIORS,
  credentialWeight,
  phiWeight,
} from './rules.js';
import type { KeywordRule, OfferClass, ScoredClass } from './rules.js';
import { stripNavigationLines } from './navigation.js';
import { assessOffer, offerLines } from './offer.js';
import type { PatientRecordEvidence } from './patient-records.js';
import { RegexPrefilter } from '../match/regex-prefilter.js';

/** Weight of patient rows: the data itself, so enough to decide the class on its own. */
const PATIENT_TABLE_WEIGHT = 8;
const PATIENT_ROWS_WEIGHT = 6;
/** Lines with several patient identifiers that make a dump of records (one line can be a quote). */
const MIN_PATIENT_ROWS = 2;

export type { DocumentClass } from '../types.js';

/** The document fields classification reads. */
export interface ClassifiableDocument {
  source_type: SourceType;
  title?: string;
  text: string;
}

/** What the entity extractor found in the document. */
export interface ClassificationSignals {
  entityTypes: Set<string>;
  /** E-mail/user + password pairs. */
  credentialCount: number;
  /** PHI indicator entities (patient + DOB, MRN, diagnosis). */
  phiIndicators: number;
  /** Patient-record tables and identifier rows (patient-records.ts). */
  patientRecords?: PatientRecordEvidence;
}

/** The class, a 0..1 score (how strongly the rules point to it) and why. */
export interface Classification {
  class: DocumentClass;
  score: number;
  reasons: string[];
  /** For an offer: the lines that state it (offer.ts offerLines), whitespace collapsed. */
  offerLines?: string[];
}

/**
 * Keyword rules read the title and the first 256 KiB of text: an offer or listing states itself at
 * the top, and the bound keeps a 50 MB dump from costing more than its first screenfuls (the
 * credential and PHI counts come from signals computed over the whole document).
 */
const MAX_CLASSIFIED_CHARS = 256 * 1024;

function countMatches(pattern: RegExp, text: string, limit: number): { count: number; first: string } {
  pattern.lastIndex = 0;
  let count = 0;
  let first = '';
  for (let m = pattern.exec(text); m !== null && count < limit; m = pattern.exec(text)) {
    if (count === 0) first = m[0];
    count++;
    if (m[0] === '') pattern.lastIndex++;
  }
  return { count, first };
}

let keywordPrefilter: RegexPrefilter | undefined;

/** One literal pass per document tells which keyword rules can match; most match in few posts. */
function rulePrefilter(): RegexPrefilter {
  keywordPrefilter ??= new RegexPrefilter([...KEYWORD_RULES, ...DISCUSSION_RULES].map((rule) => rule.pattern));
  return keywordPrefilter;
}

/** Classes that must have an offer's structure (rules.ts OFFER_STRUCTURE) to be chosen. */
const OFFER_CLASSES: readonly OfferClass[] = ['data_for_sale', 'access_for_sale'];

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Classifies one document. */
export function classifyDocument(doc: ClassifiableDocument, signals: ClassificationSignals): Classification {
  const scores = new Map<ScoredClass, number>(CLASS_PRIORITY.map((c) => [c, 0]));
  const evidence = new Map<ScoredClass, number>(CLASS_PRIORITY.map((c) => [c, 0]));
  const contributions = new Map<ScoredClass, string[]>(CLASS_PRIORITY.map((c) => [c, []]));
  const add = (cls: ScoredClass, weight: number, why: string): void => {
    if (weight === 0) return;
    scores.set(cls, scores.get(cls)! + weight);
    if (weight > 0) evidence.set(cls, evidence.get(cls)! + weight);
    contributions.get(cls)!.push(`${why} (${weight > 0 ? '+' : ''}${round2(weight)})`);
  };

  for (const [cls, weight] of Object.entries(SOURCE_PRIORS[doc.source_type]) as [ScoredClass, number][]) {
    add(cls, weight, `source ${doc.source_type}`);
  }

  const body = doc.text.length > MAX_CLASSIFIED_CHARS ? doc.text.slice(0, MAX_CLASSIFIED_CHARS) : doc.text;
  // A page's menu ("Home · Rules · Escrow") is the site talking, not the post.
  const text = stripNavigationLines(doc.title === undefined ? body : `${doc.title}\n${body}`);
  const mayMatch = rulePrefilter().mayMatch(text);
  const applyRules = (rules: readonly KeywordRule[]): void => {
    for (const rule of rules) {
      if (!mayMatch(rule.pattern)) continue;
      const { count, first } = countMatches(rule.pattern, text, rule.maxCount ?? 1);
      if (count === 0) continue;
      for (const [cls, weight] of Object.entries(rule.weights) as [ScoredClass, number][]) {
        add(cls, weight * count, `${rule.id}: "${first.replace(/\s+/g, ' ')}"${count > 1 ? ` ×${count}` : ''}`);
      }
    }
  };
  applyRules(KEYWORD_RULES);
  // On a leak site the post is the listing whatever words it uses; elsewhere, talk about an event is not one.
  if (doc.source_type !== 'leak_site') applyRules(DISCUSSION_RULES);

  add('credential_leak', credentialWeight(signals.credentialCount), `${signals.credentialCount} credential pairs`);
  add(
    'phi_exposure',
    phiWeight(signals.phiIndicators, signals.entityTypes),
    `${signals.phiIndicators} PHI indicators, identifiers ` +
      `[${[...signals.entityTypes].filter((t) => ['ssn', 'mbi', 'npi', 'dea'].includes(t)).join(', ')}]`,
  );
  if (signals.entityTypes.has('btc') || signals.entityTypes.has('xmr'))
    add('data_for_sale', 1, 'cryptocurrency address');

  // Patient rows published in the clear win over an offer (the most specific class): the rows are the data.
  const records = signals.patientRecords;
  let patientRows = false;
  if (records !== undefined) {
    const table = records.tables.find((t) => t.rows > 0);
    if (table !== undefined) {
      patientRows = true;
      add(
        'phi_exposure',
        PATIENT_TABLE_WEIGHT,
        `patient-record table: columns ${table.fields.join(', ')}, ${table.rows} row${table.rows === 1 ? '' : 's'}`,
      );
    } else if (records.rows >= MIN_PATIENT_ROWS) {
      patientRows = true;
      add('phi_exposure', PATIENT_ROWS_WEIGHT, `${records.rows} rows carry several patient identifiers`);
    }
  }

  // An offer class needs an offer's structure, whatever its score: a seller, an object of the right
  // kind, and terms. Checked only for classes that reached the threshold (the rest cannot win anyway).
  const notOffers = new Set<ScoredClass>();
  for (const cls of OFFER_CLASSES) {
    if (scores.get(cls)! < CLASS_THRESHOLD) continue;
    const offer = assessOffer(cls, text, doc.source_type);
    if (offer.complete) contributions.get(cls)!.push(`offer: ${offer.found.join(', ')}`);
    else {
      notOffers.add(cls);
      contributions
        .get(cls)!
        .push(
          `not an offer: no ` +
            `${offer.missing.join(', no ')}${offer.found.length > 0 ? ` (found ${offer.found.join(', ')})` : ''}`,
        );
    }
  }

  let best: ScoredClass | undefined;
  for (const cls of CLASS_PRIORITY) {
    const score = scores.get(cls)!;
    if (notOffers.has(cls)) continue;
    if (score >= CLASS_THRESHOLD && (best === undefined || score > scores.get(best)!)) best = cls;
  }
  // On a leak site the post is the victim listing, samples of rows included; elsewhere rows win.
  const listing = doc.source_type === 'leak_site' && best === 'ransomware_listing';
  if (patientRows && !listing && best !== 'phi_exposure') {
    contributions.get('phi_exposure')!.push(`patient rows win over ${best ?? 'chatter'}`);
    best = 'phi_exposure';
  }
  if (best === undefined) {
    // Explain the class with the most positive evidence, penalties included, so a reader sees why
    // e.g. a news discussion of a leak did not become a listing.
    const [top, topEvidence] = CLASS_PRIORITY.map((c) => [c, evidence.get(c)!] as const).reduce((a, b) =>
      b[1] > a[1] ? b : a,
    );
    const topScore = scores.get(top)!;
    const reasons = [
      notOffers.size > 0
        ? `no class reached ${CLASS_THRESHOLD} with its required structure`
        : `no class reached ${CLASS_THRESHOLD}`,
    ];
    if (topEvidence > 0) reasons.push(`strongest ${top} ${round2(topScore)}`, ...contributions.get(top)!);
    // An offer class that scored but was not an offer says why even when another class is shown.
    for (const cls of notOffers) {
      if (cls !== top || topEvidence <= 0)
        reasons.push(`${cls} ${round2(scores.get(cls)!)}, ${contributions.get(cls)!.at(-1)!}`);
    }
    // Chatter is surer the further the strongest class stayed from the threshold.
    const strongest = Math.max(0, ...CLASS_PRIORITY.map((c) => scores.get(c)!));
    return { class: 'chatter', score: round2(1 - 0.5 * Math.min(1, strongest / CLASS_THRESHOLD)), reasons };
  }
  const score = scores.get(best)!;
  const result: Classification = {
    class: best,
    score: round2(Math.min(1, score / SCORE_SCALE)),
    reasons: [`${best} ${round2(score)}`, ...contributions.get(best)!],
  };
  if (best === 'access_for_sale' || best === 'data_for_sale') result.offerLines = offerLines(best, text);
  return result;
}
