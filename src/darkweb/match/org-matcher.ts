/**
 * Finds mentions of monitored organizations in dark-web text: one Aho–Corasick pass per document over
 * every name, alias, domain and e-mail domain of every organization, then rules that decide which hits
 * are mentions (issue #9 section 1).
 *
 * Rules (why: a false mention of a hospital on a leak site is an alarming, costly error):
 * - Full names, domains and e-mail domains count alone.
 * - An alias counts alone unless it is judged ambiguous (alias-judgement.ts: an English word or
 *   phrase, a place name, a short all-capitals acronym, shared by two organizations, an import-file
 *   override, or demoted by corpus evidence). An ambiguous alias counts only with tight corroboration:
 *   the organization's full name, domain or e-mail domain in the same document (which also covers an
 *   acronym defined there, "Northwind Family Clinic (NFC)"), or a noun of the organization's sector
 *   attached to it in the same noun phrase ("Summit hospital", "Summit telehealth", "Summit (telehealth,
 *   AZ)", "Summit lab"). A healthcare word elsewhere nearby does not count: text about healthcare is
 *   full of healthcare words that corroborate nothing. A one-word name that is an English word is
 *   treated the same way; acronyms must match their case.
 * - Terms match on word boundaries (no ASCII letter or digit on either side); domains also reject
 *   a '-' before or a further label after ("northwind.test.evil.example" is someone else's domain).
 * - The longest match wins: an alias that is the start of the full name but is followed by the name's
 *   next word while the full name did not match ("Northwind Family Clinics Supply") is a look-alike; an
 *   alias followed by its sector noun and then a company word ("Summit Hospital Supply Co") is another
 *   company's name; a hit inside a longer accepted mention is dropped.
 */
import { buildAhoCorasick, isAsciiWordByte } from './aho-corasick.js';
import { englishWordSet, judgeAliases } from './alias-judgement.js';
import { SECTOR_NOUNS } from './sector-words.js';
import { canonicalName } from '../../core/names.js';

/** One organization as the matcher needs it (a plain shape: no store dependency). */
export interface OrgPatternInput {
  name: string;
  aliases?: readonly string[];
  /** Web/registrable domains; a hit preceded by `user@` (or `user@sub.`) is reported as an e-mail domain. */
  domains?: readonly string[];
  /** Domains used only for e-mail: they match only after '@'. */
  emailDomains?: readonly string[];
  /** A sector of src/core/types.ts; picks the nouns that corroborate ambiguous aliases. */
  sector?: string;
  /**
   * Stored judgements of the aliases (alias-judgement.ts, written by `orgs import`); aliases without
   * one are judged here without the gazetteer.
   */
  aliasJudgements?: readonly { alias: string; ambiguous: boolean; reason: string }[];
}

/** Which kind of term produced a mention. */
export type MentionVia = 'name' | 'alias' | 'domain' | 'email_domain';

/** One mention of an organization in a document. Offsets are UTF-16 indices into the text, end exclusive. */
export interface OrgMention {
  orgIndex: number;
  /** The organization's name. */
  name: string;
  /** The text as it appears in the document. */
  matched: string;
  via: MentionVia;
  start: number;
  end: number;
  /** 0..1: e-mail domain 0.97, domain 0.95, full name 0.9, alias 0.8, corroborated ambiguous alias 0.75–0.78. */
  confidence: number;
  /** About 80 characters either side of the mention, whitespace collapsed. */
  snippet: string;
  /** For an ambiguous term: the text that corroborated it (the organization's name or domain, or a sector noun). */
  corroboratedBy?: string;
}

/** One alias seen in a document (once per document, organization and alias). */
export interface AliasHit {
  orgIndex: number;
  /** The alias as configured. */
  alias: string;
  /** True when none of the organization's unambiguous terms is in the document. */
  standalone: boolean;
}

/** Tuning knobs. */
export interface OrgMatcherOptions {
  /** Characters of context either side of a mention in `snippet`. Default 80. */
  snippetRadius?: number;
}

/** A compiled matcher over a list of organizations. */
export interface OrgMatcher {
  /** All mentions in one document, in order of position. */
  match(text: string): OrgMention[];
  /**
   * The mentions, and every alias hit with whether the document also holds one of the organization's
   * unambiguous terms (name, domain, e-mail domain): the corpus evidence that demotes an alias.
   */
  matchWithEvidence(text: string): { mentions: OrgMention[]; aliasHits: AliasHit[] };
  /** Distinct search terms compiled (after case folding and variants). */
  readonly patternCount: number;
  readonly stateCount: number;
  readonly tableBytes: number;
  /** Inputs that were ignored, with the reason (an invalid domain, an empty alias...). */
  readonly skipped: readonly string[];
}

/** Confidence given to each kind of mention (see OrgMention.confidence). */
export const CONFIDENCE = {
  email_domain: 0.97,
  domain: 0.95,
  name: 0.9,
  alias: 0.8,
  corroboratedByOrgContext: 0.78,
  corroboratedBySectorNoun: 0.75,
} as const;

const DEFAULT_SNIPPET_RADIUS = 80;
/** RFC 1035 §2.3.4: a name is at most 255 octets, which bounds the walk back to an '@'. */
const MAX_DOMAIN_BYTES = 255;

/** What a compiled term is for. */
const Role = { Name: 0, Alias: 1, Domain: 2, EmailOnlyDomain: 3 } as const;
type Role = (typeof Role)[keyof typeof Role];

/** `none`, or why the term needs corroboration (alias-judgement.ts reasons). */
type Ambiguity = string;

/** What one compiled term means for one organization. */
interface TermEntry {
  role: Role;
  org: number;
  ambiguity: Ambiguity;
  /** Acronyms must match with this exact case ("NFC", not "nfc"). */
  exactBytes?: Uint8Array;
  /**
   * A coined name with inner capitals ("MediPort", "NovaScript") counts alone only in that spelling;
   * written otherwise ("mediport", "Mediport") it is the common noun or another product and needs
   * corroboration like an ambiguous alias.
   */
  brandBytes?: Uint8Array;
  /** Folded next word of the org's name after this alias, for the look-alike rule. */
  nameContinuation?: Uint8Array;
  /** The alias as configured (for corpus evidence). */
  alias?: string;
  /** For a shared alias: false when another sharer has the same sector, so a sector noun cannot decide. */
  sectorNounsDecide?: boolean;
}

/** A term hit that passed its boundary checks. Offsets are in bytes. */
interface Occurrence {
  entry: TermEntry;
  start: number;
  end: number;
  email: boolean;
}

interface Candidate extends Occurrence {
  via: MentionVia;
  confidence: number;
  corroboratedBy?: { start: number; end: number };
}

const encoder = new TextEncoder();

/** Lower-cases ASCII letters only, as the automaton folds. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

function normalizeTerm(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** Spelling variants that mean the same name: straight/curly apostrophe, '&'/'and'. */
function spellingVariants(term: string): string[] {
  const variants = new Set([term]);
  for (const v of [...variants]) {
    if (v.includes("'")) variants.add(v.replaceAll("'", '\u2019'));
    if (v.includes('\u2019')) variants.add(v.replaceAll('\u2019', "'"));
  }
  for (const v of [...variants]) {
    if (v.includes(' & ')) variants.add(v.replaceAll(' & ', ' and '));
    if (/ and /i.test(v)) variants.add(v.replace(/ and /gi, ' & '));
  }
  return [...variants];
}

const DOMAIN_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$/;

/** Lower-cases, drops a trailing dot and a leading "www.", and validates (RFC 1035 §2.3.1 LDH labels). */
function normalizeDomain(domain: string): string | undefined {
  let d = canonicalName(domain.trim());
  if (d.startsWith('www.')) d = d.slice(4);
  return DOMAIN_PATTERN.test(d) && d.length <= 253 ? d : undefined;
}

/** The domain plus the "defanged" spellings analysts and criminals write: a[.]b[.]test, a.b[.]test. */
function domainVariants(domain: string): string[] {
  const variants = new Set([domain, domain.replaceAll('.', '[.]')]);
  const lastDot = domain.lastIndexOf('.');
  variants.add(`${domain.slice(0, lastDot)}[.]${domain.slice(lastDot + 1)}`);
  return [...variants];
}

function isAcronym(term: string): boolean {
  return /^[A-Z0-9&]{2,6}$/.test(term) && /[A-Z]/.test(term);
}

/** Why a one-word name cannot count alone ("Summit"), or `none`. */
function nameAmbiguity(name: string): Ambiguity {
  if (name.includes(' ')) return 'none';
  if (name.replace(/[^\p{L}\p{N}]/gu, '').length <= 3) return 'acronym';
  return englishWordSet().has(name.toLowerCase()) ? 'english_word' : 'none';
}

const LONGER_NAME = /^(?: (?:[A-Z][a-z]+|and|&)){0,5} (?:of|for) [A-Z][a-z]/;

/** Up to four capitalized words right after a match (one space between), for headsOtherInstitution. */
const FOLLOWING_CAPITALIZED = /^(?: [A-Z][a-z]+){1,4}\b/;

/** Head nouns that end the name of an institution or a place ("... General Hospital", "... Avenue"). */
const INSTITUTION_HEADS = new Set(
  (
    'hospital hospitals clinic clinics center centre health healthcare diagnostics laboratories laboratory labs ' +
    'lab pharmacy imaging hospice motel hotel inn resort apartments avenue street road drive lane boulevard ' +
    'airport school university college bank church park plaza mall homes club stakes'
  ).split(' '),
);

/**
 * A name or alias inside a host name ("beacon-telehealth.health", "mediport-rx.other.test") is part of
 * that domain, someone else's unless it is one of the organization's own domains (matched as such).
 */
function insideHostName(buffer: Uint8Array, start: number, end: number): boolean {
  let a = start;
  while (a > 0 && start - a < 253 && isDomainByte(buffer[a - 1]!)) a--;
  let b = end;
  while (b < buffer.length && b - end < 253 && isDomainByte(buffer[b]!)) b++;
  if (a === start && b === end) return false;
  const token = buffer.subarray(a, b).toString();
  return (
    /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\.?$/.test(token) &&
    /[.-]/.test(token.slice(0, start - a) + token.slice(end - a))
  );
}

/** Company words that make "<alias> <sector noun> <word>" another organization's name. */
const COMPANY_WORDS = new Set(
  'inc llc ltd corp co company supply supplies group foundation partners associates holdings services solutions'.split(
    ' ',
  ),
);

/** Is `byte` a space, tab, CR or LF? */
function isSpaceByte(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function isDomainByte(byte: number): boolean {
  return isAsciiWordByte(byte) || byte === 0x2d || byte === 0x2e;
}

/** Builds the matcher; throws RangeError for an organization without a name. */
export function buildOrgMatcher(orgs: readonly OrgPatternInput[], options: OrgMatcherOptions = {}): OrgMatcher {
  const snippetRadius = options.snippetRadius ?? DEFAULT_SNIPPET_RADIUS;
  const skipped: string[] = [];
  const entriesByKey = new Map<string, TermEntry[]>();
  const addTerm = (term: string, entry: TermEntry): void => {
    const key = asciiLower(term);
    const list = entriesByKey.get(key);
    if (list === undefined) entriesByKey.set(key, [entry]);
    else if (!list.some((e) => e.org === entry.org && e.role === entry.role)) list.push(entry);
  };

  // Which organizations use each folded name/alias, to find shared aliases.
  const ownersOfNameKey = new Map<string, Set<number>>();
  const names = orgs.map((org, index) => {
    const name = normalizeTerm(org.name);
    if (name === '') throw new RangeError(`organization ${index} has no name`);
    return name;
  });
  const aliasLists = orgs.map((org, index) => {
    const aliases: string[] = [];
    for (const raw of org.aliases ?? []) {
      const alias = normalizeTerm(raw);
      if (alias === '' || alias.replace(/[^\p{L}\p{N}]/gu, '') === '') {
        skipped.push(`organization ${index}: alias ${JSON.stringify(raw)} has no letters or digits`);
        continue;
      }
      if (asciiLower(alias) !== asciiLower(names[index]!)) aliases.push(alias);
    }
    return aliases;
  });
  // Aliases without a stored judgement are judged here (no gazetteer: that is for import time).
  const unjudged = orgs.some((org) => org.aliasJudgements === undefined);
  const computed = unjudged
    ? judgeAliases(
        orgs.map((org, index) => ({ name: names[index]!, aliases: aliasLists[index]! })),
        { gazetteer: false, details: false },
      )
    : [];
  const judgementOf = (index: number, alias: string): Ambiguity => {
    const stored = orgs[index]!.aliasJudgements?.find((j) => asciiLower(j.alias) === asciiLower(alias));
    const judged = stored ?? computed[index]?.find((j) => asciiLower(j.alias) === asciiLower(alias));
    if (judged === undefined) return 'none';
    return judged.ambiguous ? judged.reason : 'none';
  };
  orgs.forEach((_, index) => {
    for (const term of [names[index]!, ...aliasLists[index]!]) {
      const key = asciiLower(term);
      const owners = ownersOfNameKey.get(key) ?? new Set<number>();
      owners.add(index);
      ownersOfNameKey.set(key, owners);
    }
  });

  // Owners of each shared term by sector, counted once per term: an acronym shared by hundreds of
  // generated organizations made a per-alias count quadratic.
  const sectorCounts = new Map<string, Map<string, number>>();
  const sameSectorOwners = (key: string, owners: ReadonlySet<number>): Map<string, number> => {
    let counts = sectorCounts.get(key);
    if (counts === undefined) {
      counts = new Map();
      for (const i of owners) {
        const sector = orgs[i]!.sector ?? '';
        counts.set(sector, (counts.get(sector) ?? 0) + 1);
      }
      sectorCounts.set(key, counts);
    }
    return counts;
  };

  orgs.forEach((org, index) => {
    const name = names[index]!;
    const ambiguousName = nameAmbiguity(name);
    for (const variant of spellingVariants(name))
      addTerm(variant, { role: Role.Name, org: index, ambiguity: ambiguousName });

    const foldedName = asciiLower(name);
    for (const alias of aliasLists[index]!) {
      const key = asciiLower(alias);
      const sharers = ownersOfNameKey.get(key) ?? new Set<number>();
      const shared = sharers.size > 1;
      const entry: TermEntry = {
        role: Role.Alias,
        org: index,
        ambiguity: shared ? 'shared' : judgementOf(index, alias),
        alias,
      };
      if (shared) {
        const sector = org.sector ?? '';
        entry.sectorNounsDecide = sameSectorOwners(key, sharers).get(sector) === 1;
      }
      if (isAcronym(alias)) entry.exactBytes = encoder.encode(alias);
      else if (/\p{Ll}\p{Lu}/u.test(alias)) entry.brandBytes = encoder.encode(alias);
      if (foldedName.startsWith(`${key} `)) {
        const nextWord = foldedName.slice(key.length + 1).split(' ')[0];
        if (nextWord !== undefined && nextWord !== '') entry.nameContinuation = encoder.encode(nextWord);
      }
      const variants = entry.exactBytes === undefined ? spellingVariants(alias) : [alias];
      for (const variant of variants) addTerm(variant, entry);
    }

    for (const raw of org.domains ?? []) {
      const domain = normalizeDomain(raw);
      if (domain === undefined) {
        skipped.push(`organization ${index}: invalid domain ${JSON.stringify(raw)}`);
        continue;
      }
      for (const variant of domainVariants(domain))
        addTerm(variant, { role: Role.Domain, org: index, ambiguity: 'none' });
    }
    for (const raw of org.emailDomains ?? []) {
      const domain = normalizeDomain(raw);
      if (domain === undefined) {
        skipped.push(`organization ${index}: invalid e-mail domain ${JSON.stringify(raw)}`);
        continue;
      }
      addTerm(domain, { role: Role.EmailOnlyDomain, org: index, ambiguity: 'none' });
    }
  });
  // Sector nouns by sector, folded, longest first ("health system" before "health").
  const nounsBySector = new Map<string, Uint8Array[]>(
    Object.entries(SECTOR_NOUNS).map(([sector, nouns]) => [
      sector,
      [...nouns].sort((x, y) => y.length - x.length).map((n) => encoder.encode(asciiLower(n))),
    ]),
  );

  const keys = [...entriesByKey.keys()];
  const entriesById = keys.map((key) => entriesByKey.get(key)!);
  const automaton = buildAhoCorasick(keys, { whitespaceAsSpace: true });
  const lengths = Int32Array.from(keys, (_, id) => automaton.patternLength(id));

  /** Passes boundary checks for one hit; returns whether the domain was written as an e-mail domain. */
  function checkBoundaries(
    entry: TermEntry,
    buffer: Uint8Array,
    start: number,
    end: number,
  ): { ok: boolean; email: boolean } {
    const before = start > 0 ? buffer[start - 1]! : -1;
    const after = end < buffer.length ? buffer[end]! : -1;
    if (entry.role !== Role.Domain && entry.role !== Role.EmailOnlyDomain) {
      return { ok: !(before >= 0 && isAsciiWordByte(before)) && !(after >= 0 && isAsciiWordByte(after)), email: false };
    }
    // A domain continues with letters, digits, '-' or '_' ; "name.test.evil" is another domain,
    // "name.test." ends a sentence.
    if (after >= 0 && (isAsciiWordByte(after) || after === 0x2d || after === 0x5f)) return { ok: false, email: false };
    if (after === 0x2e && end + 1 < buffer.length && isAsciiWordByte(buffer[end + 1]!))
      return { ok: false, email: false };
    if (before >= 0 && (isAsciiWordByte(before) || before === 0x2d || before === 0x5f))
      return { ok: false, email: false };
    let email = before === 0x40;
    if (before === 0x2e) {
      // A subdomain: walk back over its labels to see whether it follows an '@' (user@mail.org.test).
      for (let i = start - 2, steps = 0; i >= 0 && steps < MAX_DOMAIN_BYTES; i--, steps++) {
        const byte = buffer[i]!;
        if (byte === 0x40) {
          email = true;
          break;
        }
        if (!isDomainByte(byte)) break;
      }
    }
    if (entry.role === Role.EmailOnlyDomain && !email) return { ok: false, email: false };
    return { ok: true, email };
  }

  function exactCaseMatches(expected: Uint8Array, buffer: Uint8Array, start: number): boolean {
    for (let i = 0; i < expected.length; i++) if (buffer[start + i] !== expected[i]) return false;
    return true;
  }

  /** True when the text after the alias goes on with the next word of the org's full name. */
  function continuesLikeName(continuation: Uint8Array, buffer: Uint8Array, end: number): boolean {
    if (!isSpaceByte(buffer[end])) return false;
    let i = end;
    while (i < buffer.length && i - end < 8 && isSpaceByte(buffer[i])) i++;
    for (let k = 0; k < continuation.length; k++) {
      const byte = buffer[i + k];
      if (byte === undefined) return false;
      const folded = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
      if (folded !== continuation[k]) return false;
    }
    return true;
  }

  function match(text: string): OrgMention[] {
    return matchWithEvidence(text).mentions;
  }

  function matchWithEvidence(text: string): { mentions: OrgMention[]; aliasHits: AliasHit[] } {
    const buffer = Buffer.from(text, 'utf8');
    const hitIds: number[] = [];
    const hitEnds: number[] = [];
    // Every role needs at least "no ASCII letter or digit on either side" (checkBoundaries adds the
    // rest), so the scan drops the rest at once: with 3-letter acronyms folded, substring hits outnumber
    // whole-word ones ~70 to 1 in forum text ("RIC" in "price"), and each cost an entry loop.
    automaton.scan(
      buffer,
      (id, end) => {
        hitIds.push(id);
        hitEnds.push(end);
      },
      { wholeWords: true },
    );

    const candidates: Candidate[] = [];
    /** The first unambiguous name, domain or e-mail domain of each organization in the document. */
    const anchorByOrg = new Map<number, Occurrence>();
    const nameStarts = new Set<string>();
    for (let h = 0; h < hitIds.length; h++) {
      const id = hitIds[h]!;
      const end = hitEnds[h]!;
      const start = end - lengths[id]!;
      for (const entry of entriesById[id]!) {
        const { ok, email } = checkBoundaries(entry, buffer, start, end);
        if (!ok) continue;
        if (entry.exactBytes !== undefined && !exactCaseMatches(entry.exactBytes, buffer, start)) continue;
        const occurrence: Occurrence = { entry, start, end, email };
        if (entry.role !== Role.Alias && entry.ambiguity === 'none' && !anchorByOrg.has(entry.org))
          anchorByOrg.set(entry.org, occurrence);
        if (entry.role === Role.Name) nameStarts.add(`${entry.org}:${start}`);
        const via: MentionVia =
          entry.role === Role.Name ? 'name' : entry.role === Role.Alias ? 'alias' : email ? 'email_domain' : 'domain';
        candidates.push({ ...occurrence, via, confidence: CONFIDENCE[via] });
      }
    }

    const accepted: Candidate[] = [];
    const aliasHits = new Map<string, AliasHit>();
    /** Aliases (org, alias) this document uses inside another name. */
    const otherSense = new Set<string>();
    for (const candidate of candidates) {
      const { entry } = candidate;
      if (entry.nameContinuation !== undefined && !nameStarts.has(`${entry.org}:${candidate.start}`)) {
        if (continuesLikeName(entry.nameContinuation, buffer, candidate.end)) continue;
      }
      if (entry.role === Role.Name || entry.role === Role.Alias) {
        if (insideLongerName(buffer, candidate.end) || headsOtherInstitution(entry, buffer, candidate.end)) {
          if (entry.alias !== undefined) otherSense.add(`${entry.org}\u0000${entry.alias}`);
          continue;
        }
        if (insideHostName(buffer, candidate.start, candidate.end)) continue;
      }
      if (entry.alias !== undefined) {
        const key = `${entry.org}\u0000${entry.alias}`;
        if (!aliasHits.has(key))
          aliasHits.set(key, { orgIndex: entry.org, alias: entry.alias, standalone: !anchorByOrg.has(entry.org) });
      }
      const otherSpelling =
        entry.brandBytes !== undefined && !exactCaseMatches(entry.brandBytes, buffer, candidate.start);
      if (entry.ambiguity === 'none' && !otherSpelling) {
        accepted.push(candidate);
        continue;
      }
      const corroborated = corroborate(candidate, anchorByOrg.get(entry.org), buffer);
      if (corroborated !== undefined) accepted.push(corroborated);
    }

    // One sense per document: an alias the document uses inside another name ("Bellmont Avenue", "NMC
    // Health") means that other thing where it stands alone too, unless the organization itself is
    // named unambiguously in the document.
    const kept =
      otherSense.size === 0
        ? accepted
        : accepted.filter(
            (c) =>
              c.entry.alias === undefined ||
              anchorByOrg.has(c.entry.org) ||
              !otherSense.has(`${c.entry.org}\u0000${c.entry.alias}`),
          );
    return { mentions: toMentions(dropContained(kept), text, buffer), aliasHits: [...aliasHits.values()] };
  }

  /**
   * An ambiguous candidate with what corroborates it, or undefined: the organization's unambiguous
   * name, domain or e-mail domain anywhere in the document, else a noun of its sector attached to it.
   */
  function corroborate(
    candidate: Candidate,
    anchor: Occurrence | undefined,
    buffer: Uint8Array,
  ): Candidate | undefined {
    if (anchor !== undefined)
      return { ...candidate, confidence: CONFIDENCE.corroboratedByOrgContext, corroboratedBy: anchor };
    // A sector noun cannot tell apart organizations of the same sector sharing this alias.
    if (candidate.entry.ambiguity === 'shared' && candidate.entry.sectorNounsDecide !== true) return undefined;
    const noun = attachedSectorNoun(candidate, buffer);
    if (noun === undefined) return undefined;
    return { ...candidate, confidence: CONFIDENCE.corroboratedBySectorNoun, corroboratedBy: noun };
  }

  /**
   * A noun of the organization's sector right after the alias, in the same noun phrase: "Summit
   * hospital", "Summit's lab", "Summit-telehealth", "Summit (telehealth, AZ)"; not when a company word
   * follows ("Summit Hospital Supply Co" is another company).
   */
  function attachedSectorNoun(candidate: Candidate, buffer: Uint8Array): { start: number; end: number } | undefined {
    const nouns = nounsBySector.get(orgs[candidate.entry.org]!.sector ?? '') ?? [];
    let i = candidate.end;
    if ((buffer[i] === 0x27 && (buffer[i + 1] === 0x73 || buffer[i + 1] === 0x53)) || buffer[i] === 0xe2) {
      // 's or ’s (U+2019 is E2 80 99 in UTF-8).
      i += buffer[i] === 0xe2 ? (buffer[i + 1] === 0x80 && buffer[i + 2] === 0x99 ? 4 : 0) : 2;
    }
    let separators = 0;
    while (separators < 3 && (isSpaceByte(buffer[i]) || buffer[i] === 0x2d || buffer[i] === 0x28)) {
      i++;
      separators++;
    }
    if (separators === 0) return undefined;
    for (const noun of nouns) {
      let k = 0;
      while (k < noun.length) {
        const byte = buffer[i + k];
        if (byte === undefined) break;
        const folded = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
        if (folded !== noun[k]) break;
        k++;
      }
      if (k !== noun.length) continue;
      const after = buffer[i + k];
      if (after !== undefined && isAsciiWordByte(after)) continue;
      if (followedByCompanyWord(buffer, i + k)) return undefined;
      return { start: i, end: i + k };
    }
    return undefined;
  }

  /**
   * "Summit Health Plan of Oregon", "Harmony Family Clinic of Ontario", "Northbridge Medical Center for
   * Veterans", "Granite State Orthopedics and Sports Rehab of Maine": capitalized words (at most five,
   * joined by spaces, "and" or "&") then "of" or "for" and a capitalized word continue the proper name,
   * so the match is inside a longer name of another organization.
   */
  function insideLongerName(buffer: Uint8Array, from: number): boolean {
    const tail = buffer.subarray(from, Math.min(buffer.length, from + 120)).toString();
    return LONGER_NAME.test(tail);
  }

  /**
   * "Wexford General Hospital", "Ironwood Health Clinic", "Sunhaven Motel", "Vantage Labs Pet
   * Diagnostics": capitalized words after the name or alias that end in the head noun of an
   * institution or a place make a longer proper name, another organization's or a street's. One noun
   * of the organization's own sector alone ("Northbridge Hospital") is the organization itself.
   */
  function headsOtherInstitution(entry: TermEntry, buffer: Uint8Array, from: number): boolean {
    const tail = buffer.subarray(from, Math.min(buffer.length, from + 80)).toString();
    const m = FOLLOWING_CAPITALIZED.exec(tail);
    if (m === null) return false;
    const words = m[0].trim().split(/\s+/);
    let head = -1;
    for (let i = 0; i < words.length; i++) if (INSTITUTION_HEADS.has(words[i]!.toLowerCase())) head = i;
    if (head < 0) return false;
    if (head === 0) {
      const own = SECTOR_NOUNS[orgs[entry.org]!.sector ?? ''] ?? [];
      if (own.includes(words[0]!.toLowerCase())) return false;
    }
    return true;
  }

  function followedByCompanyWord(buffer: Uint8Array, from: number): boolean {
    let i = from;
    while (i < buffer.length && i - from < 3 && (isSpaceByte(buffer[i]) || buffer[i] === 0x2c)) i++;
    if (i === from) return false;
    let word = '';
    while (i < buffer.length && word.length < 12 && isAsciiWordByte(buffer[i]!))
      word += String.fromCharCode(buffer[i++]! | 0x20);
    return COMPANY_WORDS.has(word);
  }

  function toMentions(kept: Candidate[], text: string, buffer: Uint8Array): OrgMention[] {
    const toIndex = utf16IndexMapper(buffer, text.length);
    return kept.map((c) => {
      const start = toIndex(c.start);
      const end = toIndex(c.end);
      const mention: OrgMention = {
        orgIndex: c.entry.org,
        name: names[c.entry.org]!,
        matched: text.slice(start, end),
        via: c.via,
        start,
        end,
        confidence: c.confidence,
        snippet: snippetAround(text, start, end, snippetRadius),
      };
      if (c.corroboratedBy !== undefined) {
        mention.corroboratedBy = text.slice(toIndex(c.corroboratedBy.start), toIndex(c.corroboratedBy.end));
      }
      return mention;
    });
  }

  return {
    match,
    matchWithEvidence,
    patternCount: keys.length,
    stateCount: automaton.stateCount,
    tableBytes: automaton.tableBytes,
    skipped,
  };
}

/**
 * Drops a mention lying inside a longer accepted one (the more specific term wins) and duplicates of
 * the same organization on the same span; returns the rest in order of position.
 */
function dropContained(accepted: Candidate[]): Candidate[] {
  const sorted = [...accepted].sort((a, b) => a.start - b.start || b.end - a.end || b.confidence - a.confidence);
  const kept: Candidate[] = [];
  let maxEndBefore = -1;
  for (let i = 0; i < sorted.length; ) {
    const { start, end } = sorted[i]!;
    let j = i;
    while (j < sorted.length && sorted[j]!.start === start && sorted[j]!.end === end) j++;
    // Everything sorted earlier with a different span starts at or before `start`; reaching `end`
    // means it strictly contains this span.
    if (maxEndBefore < end) {
      const seenOrgs = new Set<number>();
      for (let k = i; k < j; k++) {
        const candidate = sorted[k]!;
        if (seenOrgs.has(candidate.entry.org)) continue;
        seenOrgs.add(candidate.entry.org);
        kept.push(candidate);
      }
    }
    maxEndBefore = Math.max(maxEndBefore, end);
    i = j;
  }
  return kept;
}

/**
 * Maps UTF-8 byte offsets (on character boundaries) to UTF-16 indices. ASCII text maps to itself;
 * otherwise a cursor walks forward, restarting only when asked for an earlier offset.
 */
function utf16IndexMapper(buffer: Uint8Array, textLength: number): (byteOffset: number) => number {
  if (buffer.length === textLength) return (offset) => offset;
  let cursorByte = 0;
  let cursorIndex = 0;
  return (offset) => {
    if (offset < cursorByte) {
      cursorByte = 0;
      cursorIndex = 0;
    }
    for (; cursorByte < offset; cursorByte++) {
      const byte = buffer[cursorByte]!;
      // Continuation bytes (10xxxxxx) add nothing; a 4-byte sequence is a surrogate pair.
      if ((byte & 0xc0) !== 0x80) cursorIndex += byte >= 0xf0 ? 2 : 1;
    }
    return cursorIndex;
  };
}

/** ±radius characters around [start, end), whitespace collapsed, not splitting a surrogate pair. */
export function snippetAround(text: string, start: number, end: number, radius = DEFAULT_SNIPPET_RADIUS): string {
  let from = Math.max(0, start - radius);
  let to = Math.min(text.length, end + radius);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++;
  return text.slice(from, to).replace(/\s+/g, ' ').trim();
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** One best mention per organization (highest confidence, then earliest), in order of position. */
export function bestMentions(mentions: readonly OrgMention[]): OrgMention[] {
  const best = new Map<number, OrgMention>();
  for (const m of mentions) {
    const current = best.get(m.orgIndex);
    if (
      current === undefined ||
      m.confidence > current.confidence ||
      (m.confidence === current.confidence && m.start < current.start)
    ) {
      best.set(m.orgIndex, m);
    }
  }
  return [...best.values()].sort((a, b) => a.start - b.start || a.orgIndex - b.orgIndex);
}
