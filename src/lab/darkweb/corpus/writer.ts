/**
 * Assembles one document's text while recording its truth: every planted mention, trap and entity is
 * inserted through a marker, so filler text around it can be checked (and cleaned) for accidental
 * organization terms without touching what was planted on purpose.
 */
import type { Rng } from '../../world/rng.js';
import type { ExposureRoster } from './exposure.js';
import type { Written, PlantedEntity } from './identifiers.js';
import { SECTOR_NOUNS, type OrgProfile, type TermGuard } from './orgs.js';
import { FIRST_NAMES, LAST_NAMES, VOCABULARY_ACRONYMS } from './vocabulary.js';

/** How a mention names its organization (the matcher's `via`). */
export type MentionVia = 'name' | 'alias' | 'domain' | 'email_domain';

/** Kinds of text that look like a mention but must not count as one. */
export type TrapKind =
  | 'lookalike_plural'
  | 'lookalike_typo'
  | 'lookalike_other_place'
  | 'lookalike_continuation'
  | 'typo_domain'
  | 'short_alias_no_context'
  | 'common_word_alias'
  | 'shared_alias_no_context';

/** A trap: `org` is the organization it could be mistaken for. */
export interface TruthTrap {
  org: string;
  kind: TrapKind;
  text: string;
}

/** Shared, read-only state of one corpus run. */
export interface CorpusContext {
  orgs: readonly OrgProfile[];
  /** Which organizations each class may mention (the exposure profiles): builders pick victims here only. */
  exposure: ExposureRoster<OrgProfile>;
  guard: TermGuard;
  /** Vocabulary acronyms that equal some organization's acronym alias, as one regex (or undefined). */
  acronymRegex: RegExp | undefined;
}

const MARKER = /\u0000(\d+)\u0000/g;

/** Builds one document. */
export class DocWriter {
  private readonly slots: string[] = [];
  readonly mentions = new Map<number, MentionVia>();
  /** Organizations named only in passing (an aside in an offer or a dump): their mention is chatter. */
  readonly inPassing = new Set<number>();
  readonly traps: TruthTrap[] = [];
  readonly entities: PlantedEntity[] = [];

  constructor(
    readonly rng: Rng,
    readonly ctx: CorpusContext,
  ) {}

  /** Inserts text that the filler guard must leave alone. */
  keep(text: string): string {
    this.slots.push(text);
    return `\u0000${this.slots.length - 1}\u0000`;
  }

  /** Plants an identifier (recorded in the truth). */
  plant(written: Written): string {
    this.entities.push(written.entity);
    return this.keep(written.text);
  }

  /** Records an entity that the text already holds inside kept text (credential lines, PHI indicators). */
  record(entity: PlantedEntity): void {
    this.entities.push(entity);
  }

  /** A person's name (filler: checked by the guard like any other filler). */
  person(): { first: string; last: string } {
    return { first: this.rng.pick(FIRST_NAMES), last: this.rng.pick(LAST_NAMES) };
  }

  /** A staff e-mail address at `domain`. */
  staffEmail(domain: string): string {
    const { first, last } = this.person();
    const style = this.rng.int(4);
    const local =
      style === 0
        ? `${first}.${last}`
        : style === 1
          ? `${first[0]}${last}`
          : style === 2
            ? `${first}_${last}${this.rng.range(1, 99)}`
            : this.rng.pick(['it.helpdesk', 'billing', 'hr', 'radiology', 'admin', 'noreply', 'records']);
    return `${local}@${domain}`.toLowerCase();
  }

  /**
   * A mention of `org`, by the preferred way when it can be used (an alias only when the
   * organization has one that is its own, and always next to a sector word).
   */
  mention(org: OrgProfile, preferred?: MentionVia): string {
    let via: MentionVia =
      preferred ?? this.rng.pick<MentionVia>(['name', 'name', 'name', 'domain', 'email_domain', 'alias', 'alias']);
    if (via === 'alias' && org.mentionAliases.length === 0) via = 'name';
    let text: string;
    if (via === 'name') {
      const r = this.rng.next();
      text = r < 0.12 ? org.name.toUpperCase() : r < 0.2 ? `the ${org.name}` : org.name;
    } else if (via === 'domain') {
      const r = this.rng.next();
      const label = org.domain.slice(0, org.domain.lastIndexOf('.'));
      const tld = org.domain.slice(org.domain.lastIndexOf('.') + 1);
      text =
        r < 0.4
          ? org.domain
          : r < 0.65
            ? `https://${this.rng.pick(['portal', 'mychart', 'vpn', 'mail', 'remote'])}.${org.domain}/`
            : r < 0.9
              ? `www.${org.domain}`
              : `${label}[.]${tld}`;
    } else if (via === 'email_domain') {
      const email = this.staffEmail(org.domain);
      this.entities.push({ type: 'email', value: email, valid: true });
      text = email;
    } else {
      const nonAcronyms = org.mentionAliases.filter((a) => !/^[A-Z0-9&]{2,6}$/.test(a));
      const alias =
        nonAcronyms.length > 0 && this.rng.chance(0.8) ? this.rng.pick(nonAcronyms) : this.rng.pick(org.mentionAliases);
      // "Sageland health plan" for "Sageland Health Alliance" reads as another organization's name
      // (a look-alike), so no noun may start with the word that follows the alias in the full name.
      const next = org.name.slice(alias.length).trim().split(' ')[0]?.toLowerCase() ?? '';
      const nouns = (SECTOR_NOUNS[org.sector] ?? []).filter(
        (n) => !org.name.toLowerCase().startsWith(alias.toLowerCase()) || n.split(' ')[0] !== next,
      );
      const noun = this.rng.pick(nouns.length > 0 ? nouns : ['patients']);
      text = `${alias} ${noun}`;
    }
    if (!this.mentions.has(org.index)) this.mentions.set(org.index, via);
    // Named as a target here: whatever aside named it before, it takes the document's class.
    this.inPassing.delete(org.index);
    return this.keep(text);
  }

  /** Records `org` as a target the caller names in kept text itself (the domain of leaked addresses). */
  claim(org: OrgProfile, via: MentionVia): void {
    if (!this.mentions.has(org.index)) this.mentions.set(org.index, via);
    this.inPassing.delete(org.index);
  }

  /** A mention of `org` in passing (chatter), unless the document already names it as a target. */
  aside(org: OrgProfile, preferred?: MentionVia): string {
    const target = this.mentions.has(org.index) && !this.inPassing.has(org.index);
    const text = this.mention(org, preferred);
    if (!target) this.inPassing.add(org.index);
    return text;
  }

  /** A trap that must not match `org`. */
  trap(org: OrgProfile, kind: TrapKind, text: string): string {
    this.traps.push({ org: org.name, kind, text });
    return this.keep(text);
  }

  /** The final text: guarded filler with the kept parts put back (escaped by `escapeSlot` when given, for markup). */
  finish(template: string, escapeSlot?: (text: string) => string): string {
    const parts = template.split(MARKER);
    // One look at all the filler first: most documents have nothing to clean, and dumps have hundreds of parts.
    const fillers = parts.filter((_, i) => i % 2 === 0).join('\n');
    if (this.ctx.acronymRegex !== undefined) this.ctx.acronymRegex.lastIndex = 0;
    const dirty =
      (this.ctx.acronymRegex !== undefined && this.ctx.acronymRegex.test(fillers)) ||
      this.ctx.guard.find(fillers) !== undefined;
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) out += dirty ? this.clean(parts[i]!) : parts[i]!;
      else {
        const slot = this.slots[Number(parts[i])]!;
        out += escapeSlot === undefined ? slot : escapeSlot(slot);
      }
    }
    return out;
  }

  /** Filler must not name an organization: colliding acronyms are spelled out, other terms redacted. */
  private clean(filler: string): string {
    let text = filler;
    const regex = this.ctx.acronymRegex;
    if (regex !== undefined) text = text.replace(regex, (word) => VOCABULARY_ACRONYMS[word] ?? word.toLowerCase());
    for (let round = 0; round < 5; round++) {
      const term = this.ctx.guard.find(text);
      if (term === undefined) break;
      const pattern = /^[A-Z0-9&]{2,6}$/.test(term)
        ? new RegExp(`(?<![A-Za-z0-9])${term}(?![A-Za-z0-9])`, 'g')
        : new RegExp(`(?<![A-Za-z0-9])${term.split(' ').join('[^A-Za-z0-9]+')}(?![A-Za-z0-9])`, 'gi');
      text = text.replace(pattern, (word) => (/^[A-Z0-9&]{2,6}$/.test(term) ? word.toLowerCase() : 'someone'));
    }
    return text;
  }
}
