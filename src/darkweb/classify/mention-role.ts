/**
 * Which organization a post is about (issue #9 section 2). An offer, a leak or a listing has a target
 * or an owner; other organizations a post names in passing ("FYI, X was hit last month") are chatter
 * in it. The role of each organization comes from where it is named:
 * - target: in the title, on a labelled line (`Target:`, `Victim:`, `Company:`, `Website:`...), or,
 *   in a credential leak, as the domain of the leaked e-mail addresses;
 * - passing: every sentence naming it has a cue of someone reporting an event or comparing
 *   ("was hit", "last month", "similar to", "FYI", "according to");
 * - neutral: otherwise.
 * With a target named, the document's class goes to the targets and everyone else is chatter; with
 * none, it goes to the neutral ones and those named in passing are chatter.
 */
import type { DocumentClass } from '../types.js';

/** One place the organization is named: offsets into the text the matcher read (title, newline, text). */
export interface NamedAt {
  start: number;
  end: number;
  /** How it was recognised: name, alias, domain, email_domain. */
  via: string;
}

export type MentionRole = 'target' | 'passing' | 'neutral';

/** A role with the words that decided it. */
export interface RoleJudgement {
  role: MentionRole;
  reason: string;
}

const TARGET_LABEL = new RegExp(
  String.raw`^[ \t>*•#[(-]*(?:target|victim|company|compan(?:y|ies)\s+name|org(?:anization|anisation)?|name|` +
    String.raw`website|web\s?site|site|domain|url|owner|source|client|hospital|clinic|practice|lab|pharmacy|` +
    String.raw`entity|access\s+to|data\s+(?:of|from)|db\s+(?:of|from)|leak(?:ed)?\s+from|dump\s+of)\s*[:=\]|-]`,
  'i',
);
const PASSING_CUE = new RegExp(
  String.raw`\b(?:fyi|btw|by\s+the\s+way|(?:was|were|got|been|being)\s+(?:hit|breached|hacked|ransomed|` +
    String.raw`compromised|listed|popped|owned|encrypted)|last\s+(?:week|month|year|time)|(?:days?|weeks?|` +
    String.raw`months?|years?)\s+ago|earlier\s+this\s+(?:week|month|year)|remember|reminds?\s+me|` +
    String.raw`(?:like|as)\s+(?:what\s+happened|with)|similar\s+to|same\s+(?:as|crew|group|gang|way)|unlike|` +
    String.raw`also\s+hit|not\s+(?:the|a|our)\s+target|unrelated|nothing\s+to\s+do\s+with|in\s+the\s+news|` +
    String.raw`wtb|want(?:ed)?\s+to\s+buy|looking\s+for|who\s+(?:has|sells)|anyone\s+(?:has|selling)|` +
    String.raw`according\s+to|reportedly|saw\s+(?:on|in)|read\s+(?:on|in|about)|heard|rumou?r)\b`,
  'i',
);
/** Classes an organization can be the target or owner of (chatter has none). */
const CLASSES_WITH_SUBJECT: ReadonlySet<DocumentClass> = new Set([
  'ransomware_listing',
  'data_for_sale',
  'access_for_sale',
  'credential_leak',
  'phi_exposure',
]);

/** The sentence around [start, end): back and forward to `.`, `!`, `?` or a line end. */
function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < 400 && !/[.!?\n]/.test(text[from - 1]!)) from--;
  let to = end;
  // A dot inside a domain or a number ("clinic.test", "2.5") does not end the sentence.
  while (
    to < text.length &&
    to - end < 400 &&
    !(/[!?\n]/.test(text[to]!) || (text[to] === '.' && !/\w/.test(text[to + 1] ?? '')))
  )
    to++;
  return text.slice(from, to);
}

/** The whole line holding `start`, trimmed, whitespace collapsed (as offerLines gives them). */
function wholeLine(text: string, start: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  let to = text.indexOf('\n', start);
  if (to === -1) to = text.length;
  return text.slice(from, to).trim().replace(/\s+/g, ' ');
}

function lineAround(text: string, start: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  return text.slice(from, start);
}

/**
 * The role of an organization named at `places` in `text`, whose first `titleLength` characters are
 * the title (0 without one). `docClass` is the document's class.
 */
export function judgeRole(
  text: string,
  titleLength: number,
  places: readonly NamedAt[],
  docClass: DocumentClass,
  offerLines: ReadonlySet<string> = new Set(),
): RoleJudgement {
  let passingCue: string | undefined;
  let allPassing = places.length > 0;
  for (const place of places) {
    if (place.start < titleLength) return { role: 'target', reason: 'named in the title' };
    if (TARGET_LABEL.test(lineAround(text, place.start)))
      return {
        role: 'target',
        reason: `named on a labelled line ("${lineAround(text, place.start).trim().slice(0, 40)}")`,
      };
    const line = wholeLine(text, place.start);
    if (offerLines.has(line))
      return { role: 'target', reason: `named where the post states its object ("${line.slice(0, 50)}")` };
    if (docClass === 'credential_leak' && place.via === 'email_domain')
      return { role: 'target', reason: 'owner of leaked e-mail addresses' };
    const cue = PASSING_CUE.exec(sentenceAround(text, place.start, place.end));
    if (cue === null) allPassing = false;
    else passingCue ??= cue[0];
  }
  if (allPassing && passingCue !== undefined)
    return { role: 'passing', reason: `named in passing ("${passingCue.replace(/\s+/g, ' ')}")` };
  return { role: 'neutral', reason: 'named in the post' };
}

/**
 * The class each organization gets: the document's for its targets (or, with none named, for every
 * organization not named in passing), chatter for the rest.
 */
export function classesByRole(docClass: DocumentClass, roles: readonly RoleJudgement[]): DocumentClass[] {
  if (!CLASSES_WITH_SUBJECT.has(docClass)) return roles.map(() => docClass);
  const anyTarget = roles.some((r) => r.role === 'target');
  return roles.map((r) => {
    if (r.role === 'target') return docClass;
    if (r.role === 'passing') return 'chatter';
    return anyTarget ? 'chatter' : docClass;
  });
}
