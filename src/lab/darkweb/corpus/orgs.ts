/**
 * What the corpus needs to know about each monitored organization: how it may be mentioned (name,
 * domain, e-mail domain, an alias that is safe with context), which of its aliases are ambiguous
 * (short acronyms, common words, aliases shared by several organizations: issue #3 section 4), and
 * look-alikes that must not match. Also a guard that finds organization terms in filler text, so no
 * sentence of the corpus mentions an organization by accident.
 */
import type { Rng } from '../../world/rng.js';

/** An organization as the corpus takes it (the lab world's truth organizations fit). */
export interface CorpusOrganization {
  name: string;
  domain: string;
  sector: string;
  aliases: readonly string[];
}

/** Why an alias cannot count without corroborating context. */
export type AliasAmbiguity = 'short' | 'common_word' | 'shared';

/** Everything derived for one organization. */
export interface OrgProfile {
  index: number;
  name: string;
  domain: string;
  sector: string;
  /** Aliases that identify only this organization, usable in a mention next to a sector word. */
  mentionAliases: string[];
  /** Aliases that need context, with the reason. */
  ambiguousAliases: Array<{ alias: string; why: AliasAmbiguity }>;
  /** Names that look like this organization's but are someone else's. */
  lookalikeNames: Array<{
    text: string;
    kind: 'lookalike_plural' | 'lookalike_typo' | 'lookalike_other_place' | 'lookalike_continuation';
  }>;
  /** Domains spelled almost like this organization's. */
  typoDomains: string[];
}

/**
 * Aliases that are ordinary English words, with sentences using them as such. An organization whose
 * alias is one of these gets these sentences as traps (they must not count as mentions).
 */
export const ORDINARY_WORD_USES: Readonly<Record<string, readonly string[]>> = {
  summit: ['we reached the summit before noon and the signal died', 'the summit talks went nowhere, as usual'],
  evergreen: [
    'an evergreen topic on this board: which VPS takes crypto',
    'that question is evergreen, search before posting',
  ],
  mercy: ['no mercy for scammers, ban him', 'he begged for mercy after the exit scam'],
  riverside: ['rented a riverside cabin for the weekend', 'the riverside bar takes cash only'],
  woodland: ['woodland camo jacket, barely worn', 'a woodland trail with zero coverage'],
  highland: ['highland whisky is overrated', 'highland cattle pics thread'],
  harbor: ['the harbor cranes were idle all week', 'boats left the harbor at dawn'],
  unity: ['unity engine cracks are in the games section', 'some unity in this scene would be nice for once'],
  providence: ['trust in providence, not in escrow', 'by providence the server came back'],
  genesis: ['the genesis block of that chain is from 2014', 'genesis of this drama was a bad review'],
  pinnacle: ['the pinnacle of lazy coding', 'that release was the pinnacle of the year'],
  beacon: ['the beacon interval was too noisy', 'a beacon of bad opsec'],
  trinity: ['the trinity of opsec: vpn, tor, patience', 'trinity of bad ideas right there'],
};

/** Words that corroborate a mention of an organization of each sector, used right next to an alias. */
export const SECTOR_NOUNS: Readonly<Record<string, readonly string[]>> = {
  hospital: ['hospital', 'hospital network', 'medical center'],
  clinic: ['clinic', 'clinic staff', 'practice'],
  telehealth: ['telehealth', 'telehealth app', 'telemedicine platform'],
  laboratory: ['lab', 'lab portal', 'laboratory'],
  pharmacy: ['pharmacy', 'pharmacy chain'],
  payer: ['health plan', 'insurance'],
  vendor: ['health IT vendor', 'EHR vendor'],
};

const SHORT_ALIAS_CHARS = 3;

function fold(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Tokens of a folded text: letters and digits runs. */
function tokens(folded: string): string[] {
  return folded.split(/[^a-z0-9]+/).filter((t) => t !== '');
}

function isAcronym(alias: string): boolean {
  return /^[A-Z0-9&]{2,6}$/.test(alias) && /[A-Z]/.test(alias);
}

/** One edit of a word that keeps it pronounceable: a letter doubled, swapped or replaced by a look-alike. */
function typoOf(rng: Rng, word: string): string {
  const lower = word.toLowerCase();
  for (let attempt = 0; attempt < 10; attempt++) {
    const at = rng.range(1, Math.max(1, lower.length - 2));
    const how = rng.int(3);
    let out: string;
    if (how === 0) out = lower.slice(0, at) + lower[at] + lower.slice(at);
    else if (how === 1) out = lower.slice(0, at) + (lower[at + 1] ?? '') + lower[at] + lower.slice(at + 2);
    else {
      const swaps: Record<string, string> = {
        a: 'e',
        e: 'a',
        i: 'y',
        o: 'a',
        l: 'i',
        n: 'm',
        m: 'n',
        r: 'n',
        d: 't',
        t: 'd',
        c: 'k',
        k: 'c',
        s: 'z',
        v: 'w',
        w: 'v',
      };
      const ch = lower[at]!;
      out = lower.slice(0, at) + (swaps[ch] ?? 'o') + lower.slice(at + 1);
    }
    if (out !== lower) return word[0] === word[0]!.toUpperCase() ? out[0]!.toUpperCase() + out.slice(1) : out;
  }
  return `${word}x`;
}

const OTHER_PLACES = [
  'Quarrytown',
  'Ashbourne',
  'Kestrelby',
  'Duncombe',
  'Marlowe',
  'Penhallow',
  'Tresco',
  'Wyndham',
  'Larkspur',
  'Corrigan',
];

/** Up to this many first tokens (or acronyms), the guard pre-checks a text with one regex. */
const QUICK_TERMS = 300;

/** Folded names, aliases and domain labels of every organization, for the filler guard. */
export class TermGuard {
  /** Folded multi-token phrases (names, non-acronym aliases, domain labels as tokens). */
  private readonly phrases = new Set<string>();
  /** First tokens of the phrases: most tokens start none, which skips the phrase building. */
  private readonly firstTokens = new Set<string>();
  /** Acronym aliases, matched with their exact case. */
  readonly acronyms = new Set<string>();
  private maxTokens = 1;
  /**
   * For a small portfolio, one regex of every first token and one of the acronyms: a text that
   * fails both has no term, found in one scan without building its token list (every document's
   * filler goes through here). A big portfolio's alternation would cost more than the tokens.
   */
  private readonly quickNames: RegExp | undefined;
  private readonly quickAcronyms: RegExp | undefined;

  constructor(orgs: readonly CorpusOrganization[]) {
    for (const org of orgs) {
      this.addPhrase(org.name);
      this.addPhrase(org.domain.replace(/\.[a-z]+$/, ''));
      for (const alias of org.aliases) {
        if (isAcronym(alias)) this.acronyms.add(alias);
        else this.addPhrase(alias);
      }
    }
    const quote = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (this.firstTokens.size <= QUICK_TERMS)
      this.quickNames = new RegExp(`(?<![a-z0-9])(?:${[...this.firstTokens].map(quote).join('|')})(?![a-z0-9])`, 'i');
    if (this.acronyms.size > 0 && this.acronyms.size <= QUICK_TERMS)
      this.quickAcronyms = new RegExp(
        `(?<![A-Za-z0-9&])(?:${[...this.acronyms].map(quote).join('|')})(?![A-Za-z0-9&])`,
      );
  }

  private addPhrase(text: string): void {
    const t = tokens(fold(text));
    if (t.length === 0) return;
    this.phrases.add(t.join(' '));
    this.firstTokens.add(t[0]!);
    this.maxTokens = Math.max(this.maxTokens, t.length);
  }

  /**
   * The first organization term found in `text` (case-insensitive for names, exact case for acronyms), or undefined.
   */
  find(text: string): string | undefined {
    if (this.quickNames === undefined || this.quickNames.test(text)) {
      const phrase = this.findPhrase(text);
      if (phrase !== undefined) return phrase;
    }
    if (this.quickAcronyms !== undefined) return this.quickAcronyms.exec(text)?.[0];
    if (this.acronyms.size > 0) {
      const upper = text.match(/(?<![A-Za-z0-9])[A-Z0-9&]{2,6}(?![A-Za-z0-9])/g);
      if (upper !== null) for (const word of upper) if (this.acronyms.has(word)) return word;
    }
    return undefined;
  }

  private findPhrase(text: string): string | undefined {
    const t = tokens(text.toLowerCase());
    for (let i = 0; i < t.length; i++) {
      if (!this.firstTokens.has(t[i]!)) continue;
      let phrase = '';
      for (let n = 0; n < this.maxTokens && i + n < t.length; n++) {
        phrase = n === 0 ? t[i]! : `${phrase} ${t[i + n]!}`;
        if (this.phrases.has(phrase)) return phrase;
      }
    }
    return undefined;
  }
}

/** Derives the profiles; `rng` drives the look-alike spellings. */
export function buildOrgProfiles(orgs: readonly CorpusOrganization[], rng: Rng): OrgProfile[] {
  const owners = new Map<string, Set<number>>();
  orgs.forEach((org, index) => {
    for (const term of [org.name, ...org.aliases]) {
      const key = fold(term);
      const set = owners.get(key) ?? new Set<number>();
      set.add(index);
      owners.set(key, set);
    }
  });
  const guard = new TermGuard(orgs);
  return orgs.map((org, index) => {
    const mentionAliases: string[] = [];
    const ambiguousAliases: OrgProfile['ambiguousAliases'] = [];
    for (const alias of org.aliases) {
      if (fold(alias) === fold(org.name)) continue;
      const shared = (owners.get(fold(alias))?.size ?? 0) > 1;
      const short = alias.replace(/[^A-Za-z0-9]/g, '').length <= SHORT_ALIAS_CHARS;
      const common = ORDINARY_WORD_USES[fold(alias)] !== undefined;
      if (shared) ambiguousAliases.push({ alias, why: 'shared' });
      else if (short) ambiguousAliases.push({ alias, why: 'short' });
      else if (common) ambiguousAliases.push({ alias, why: 'common_word' });
      // Only unique aliases are used in mentions; even they always come with a sector word.
      if (!shared) mentionAliases.push(alias);
    }

    const words = org.name.split(' ');
    const leadCount = words[0] === 'St.' ? 2 : 1;
    const lead = words.slice(0, leadCount).join(' ');
    const rest = words.slice(leadCount).join(' ');
    const lookalikeNames: OrgProfile['lookalikeNames'] = [];
    if (rest !== '') {
      const candidates: OrgProfile['lookalikeNames'] = [
        { text: `${lead}s ${rest}`, kind: 'lookalike_plural' },
        {
          text: `${leadCount === 2 ? `St. ${typoOf(rng, words[1]!)}` : typoOf(rng, lead)} ${rest}`,
          kind: 'lookalike_typo',
        },
        { text: `${rng.pick(OTHER_PLACES)} ${rest}`, kind: 'lookalike_other_place' },
      ];
      if (!/s$/i.test(org.name)) candidates.push({ text: `${org.name}s`, kind: 'lookalike_continuation' });
      for (const c of candidates) {
        // The continuation look-alike starts with this organization's own alias by design; any
        // other organization's term inside a look-alike would make it a real mention.
        const probe = c.kind === 'lookalike_continuation' ? c.text.slice(lead.length) : c.text;
        if (guard.find(probe) === undefined && fold(c.text) !== fold(org.name)) lookalikeNames.push(c);
      }
    }

    const [label = '', ...tld] = org.domain.split('.');
    const suffix = tld.length > 0 ? `.${tld.join('.')}` : '';
    const labelWords = label.split('-');
    const typoDomains = new Set<string>();
    const firstTypo = typoOf(rng, labelWords[0]!).toLowerCase();
    typoDomains.add([firstTypo, ...labelWords.slice(1)].join('-') + suffix);
    if (labelWords.length > 1) typoDomains.add(`${labelWords.join('')}${suffix}`);
    typoDomains.add(
      `${labelWords[0]!.replace(/l/, '1').replace(/o/, '0')}` +
        `${labelWords.length > 1 ? `-${labelWords.slice(1).join('-')}` : ''}${suffix}`,
    );
    typoDomains.delete(org.domain);
    const safeTypoDomains = [...typoDomains].filter((d) => guard.find(d.replace(/\./g, ' ')) === undefined);

    return {
      index,
      name: org.name,
      domain: org.domain,
      sector: org.sector,
      mentionAliases,
      ambiguousAliases,
      lookalikeNames,
      typoDomains: safeTypoDomains,
    };
  });
}
