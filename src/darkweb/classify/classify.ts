/**
 * Classifies a dark-web document (forum, market, paste, leak-site or chat text) as a ransomware
 * listing, data for sale, access for sale, credential leak, PHI exposure or plain chatter, from the
 * rule table in rules.ts and signals the entity extractor computed. Every point of the score is
 * explained in `reasons`.
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
import type { KeywordRule, ScoredClass } from './rules.js';

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
}

/** The class, a 0..1 score (how strongly the rules point to it) and why. */
export interface Classification {
  class: DocumentClass;
  score: number;
  reasons: string[];
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
  const text = doc.title === undefined ? body : `${doc.title}\n${body}`;
  const applyRules = (rules: readonly KeywordRule[]): void => {
    for (const rule of rules) {
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
  add('phi_exposure', phiWeight(signals.phiIndicators, signals.entityTypes), `${signals.phiIndicators} PHI indicators, identifiers [${[...signals.entityTypes].filter((t) => ['ssn', 'mbi', 'npi', 'dea'].includes(t)).join(', ')}]`);
  if (signals.entityTypes.has('btc') || signals.entityTypes.has('xmr')) add('data_for_sale', 1, 'cryptocurrency address');

  let best: ScoredClass | undefined;
  for (const cls of CLASS_PRIORITY) {
    const score = scores.get(cls)!;
    if (score >= CLASS_THRESHOLD && (best === undefined || score > scores.get(best)!)) best = cls;
  }
  if (best === undefined) {
    // Explain the class with the most positive evidence, penalties included, so a reader sees why
    // e.g. a news discussion of a leak did not become a listing.
    const [top, topEvidence] = CLASS_PRIORITY.map((c) => [c, evidence.get(c)!] as const).reduce((a, b) => (b[1] > a[1] ? b : a));
    const topScore = scores.get(top)!;
    const reasons = [`no class reached ${CLASS_THRESHOLD}`];
    if (topEvidence > 0) reasons.push(`strongest ${top} ${round2(topScore)}`, ...contributions.get(top)!);
    // Chatter is surer the further the strongest class stayed from the threshold.
    const strongest = Math.max(0, ...CLASS_PRIORITY.map((c) => scores.get(c)!));
    return { class: 'chatter', score: round2(1 - 0.5 * Math.min(1, strongest / CLASS_THRESHOLD)), reasons };
  }
  const score = scores.get(best)!;
  return {
    class: best,
    score: round2(Math.min(1, score / SCORE_SCALE)),
    reasons: [`${best} ${round2(score)}`, ...contributions.get(best)!],
  };
}
