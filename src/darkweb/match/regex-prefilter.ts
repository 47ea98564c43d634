/**
 * A literal pre-check for many regular expressions over one text: each pattern is reduced to a set of
 * literal strings one of which every match must contain (the "required factors" of Google Code
 * Search's trigram index, Russ Cox 2012, on whole literals), and one Aho–Corasick pass over the text
 * tells which patterns can match at all; the others need not run.
 *
 * Why: classification runs some thirty keyword rules over every document, and V8 scans each one from
 * every position of the text (`\b(?:a|b|…)` with /i has no fast literal search): measured 120 µs of
 * a 1 KB post, about a third of its analysis, while most rules match in few posts. The pass costs one
 * scan of the text whatever the number of rules.
 *
 * The reduction is conservative: whatever it does not understand (flags u and v, unknown syntax) or
 * cannot bound gives no literal set, and such a pattern always runs. Literals are compared with ASCII
 * case folded (the automaton folds), which only admits more texts; under /i, a non-ASCII letter is
 * expanded to every character the regular expression treats as equal to it (ECMA-262
 * Canonicalize), so "цена" also finds "ЦЕНА".
 */
import { buildAhoCorasick } from './aho-corasick.js';
import type { AhoCorasick } from './aho-corasick.js';

/** Largest set of alternative strings kept for one piece of a pattern. */
const MAX_SET = 64;
/** Largest character class read as a set of literal characters. */
const MAX_CLASS = 16;

/**
 * A condition on the literals a text contains: a literal, or all / any of several conditions.
 * `null` stands for "true" (nothing required).
 */
export type LiteralQuery = string | { all: LiteralQuery[] } | { any: LiteralQuery[] };

/**
 * What is known of the strings a piece of a pattern matches: all of them (`exact`, when few), or a
 * condition every text holding a match meets (`query`; null: nothing is known).
 */
type Info = { exact: ReadonlySet<string> } | { query: LiteralQuery | null };

const EMPTY: Info = { exact: new Set(['']) };
const UNKNOWN: Info = { query: null };

/** Thrown on syntax the reduction does not read; the pattern then always runs. */
class Unsupported extends Error {}

function cross(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function anyOf(strings: Iterable<string>): LiteralQuery {
  const list = [...strings];
  return list.length === 1 ? list[0]! : { any: list };
}

/** What a piece requires: one of its exact strings unless one is empty (then nothing), or its query. */
function queryOf(info: Info): LiteralQuery | null {
  if ('query' in info) return info.query;
  return info.exact.has('') ? null : anyOf(info.exact);
}

function alternation(alternatives: readonly Info[]): Info {
  if (alternatives.every((a) => 'exact' in a)) {
    const union = new Set<string>();
    for (const a of alternatives) for (const s of (a as { exact: ReadonlySet<string> }).exact) union.add(s);
    if (union.size <= MAX_SET) return { exact: union };
  }
  const queries: LiteralQuery[] = [];
  for (const a of alternatives) {
    const query = queryOf(a);
    if (query === null) return UNKNOWN;
    queries.push(query);
  }
  return { query: queries.length === 1 ? queries[0]! : { any: queries } };
}

/** A concatenation: exact strings while they stay few, else everything its pieces require. */
class Sequence {
  private current: ReadonlySet<string> = new Set(['']);
  private readonly required: LiteralQuery[] = [];
  private exact = true;

  push(info: Info): void {
    if ('exact' in info) {
      if (this.current.size * info.exact.size <= MAX_SET) {
        this.current = cross(this.current, info.exact);
        return;
      }
      this.flush();
      this.current = info.exact;
      return;
    }
    this.flush();
    if (info.query !== null) this.required.push(info.query);
    this.current = new Set(['']);
  }

  private flush(): void {
    this.exact = false;
    const query = queryOf({ exact: this.current });
    if (query !== null) this.required.push(query);
  }

  result(): Info {
    if (this.exact) return { exact: this.current };
    this.flush();
    const r = this.required;
    return { query: r.length === 0 ? null : r.length === 1 ? r[0]! : { all: r } };
  }
}

let everyCodeUnit: string | undefined;

/**
 * Every code unit that /i (without u or v) treats as equal to `code`, itself included: found by the
 * engine itself, one pass over a string of all 65,536 code units, so its Canonicalize decides.
 */
function caseVariants(code: number): number[] {
  if (everyCodeUnit === undefined) {
    const parts: string[] = [];
    for (let from = 0; from < 0x10000; from += 0x1000) {
      parts.push(String.fromCharCode(...Array.from({ length: 0x1000 }, (_, i) => from + i)));
    }
    everyCodeUnit = parts.join('');
  }
  const same = new RegExp(`\\u${code.toString(16).padStart(4, '0')}`, 'gi');
  return [...everyCodeUnit.matchAll(same)].map((m) => m.index);
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/** Reads a pattern's source (ECMA-262 syntax with Annex B, no u or v flag) into an Info. */
class Reducer {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  run(): Info {
    const info = this.disjunction();
    if (this.pos !== this.source.length) throw new Unsupported('unbalanced parenthesis');
    return info;
  }

  private disjunction(): Info {
    const alternatives = [this.alternative()];
    while (this.source[this.pos] === '|') {
      this.pos++;
      alternatives.push(this.alternative());
    }
    return alternation(alternatives);
  }

  private alternative(): Info {
    const sequence = new Sequence();
    while (this.pos < this.source.length && this.source[this.pos] !== '|' && this.source[this.pos] !== ')')
      sequence.push(this.term());
    return sequence.result();
  }

  private term(): Info {
    const c = this.source[this.pos]!;
    if (c === '^' || c === '$') {
      this.pos++;
      return EMPTY;
    }
    let atom: Info;
    if (c === '(') atom = this.group();
    else if (c === '[') atom = this.characterClass();
    else if (c === '\\') atom = this.escape();
    else if (c === '.') {
      this.pos++;
      atom = UNKNOWN;
    } else if (c === '*' || c === '+' || c === '?') throw new Unsupported('nothing to repeat');
    else {
      this.pos++;
      atom = this.literal(c.charCodeAt(0));
    }
    return this.quantified(atom);
  }

  private quantified(atom: Info): Info {
    let min: number;
    let max: number;
    const c = this.source[this.pos];
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const braced = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.pos));
      if (braced === null) return atom; // a literal '{' (Annex B), read as the next atom
      this.pos += braced[0].length;
      min = Number(braced[1]);
      max = braced[2] === undefined ? min : braced[3] === '' ? Infinity : Number(braced[3]);
    } else return atom;
    if (this.source[this.pos] === '?') this.pos++; // lazy: the same strings
    if ('exact' in atom) {
      if (min === 0 && max === 1 && atom.exact.size < MAX_SET) return { exact: new Set(['', ...atom.exact]) };
      if (min === max && min <= 8 && atom.exact.size ** min <= MAX_SET) {
        let strings: ReadonlySet<string> = new Set(['']);
        for (let i = 0; i < min; i++) strings = cross(strings, atom.exact);
        return { exact: strings };
      }
    }
    return min === 0 ? UNKNOWN : { query: queryOf(atom) };
  }

  private group(): Info {
    this.pos++; // (
    let lookaround = false;
    if (this.source[this.pos] === '?') {
      const rest = this.source.slice(this.pos + 1, this.pos + 3);
      if (rest.startsWith(':')) this.pos += 2;
      else if (rest.startsWith('=') || rest.startsWith('!')) {
        lookaround = true;
        this.pos += 2;
      } else if (rest === '<=' || rest === '<!') {
        lookaround = true;
        this.pos += 3;
      } else if (rest.startsWith('<')) {
        const close = this.source.indexOf('>', this.pos);
        if (close < 0) throw new Unsupported('group name');
        this.pos = close + 1;
      } else throw new Unsupported('group modifier');
    }
    const inner = this.disjunction();
    if (this.source[this.pos] !== ')') throw new Unsupported('unclosed group');
    this.pos++;
    // A lookaround consumes nothing.
    return lookaround ? EMPTY : inner;
  }

  /** One character of the pattern: itself, or under /i every character equal to it. */
  private literal(code: number): Info {
    try {
      return { exact: new Set(this.charsOf([code])) };
    } catch {
      return UNKNOWN; // half of a surrogate pair: not a character the automaton can look for
    }
  }

  /** The strings of single characters matching any of `codes`; throws when it is not a useful few. */
  private charsOf(codes: readonly number[]): string[] {
    const out = new Set<string>();
    for (const code of codes) {
      if (isSurrogate(code)) throw new RangeError('surrogate');
      if (code < 128) {
        // The automaton folds ASCII letters, so the lower case stands for both.
        out.add(String.fromCharCode(code >= 0x41 && code <= 0x5a ? code | 0x20 : code));
        continue;
      }
      for (const variant of this.ignoreCase ? caseVariants(code) : [code]) {
        if (isSurrogate(variant)) throw new RangeError('surrogate');
        out.add(String.fromCharCode(variant));
      }
    }
    return [...out];
  }

  private escape(): Info {
    this.pos++; // backslash
    const c = this.source[this.pos];
    if (c === undefined) throw new Unsupported('trailing backslash');
    if (c === 'b' || c === 'B') {
      this.pos++;
      return EMPTY;
    }
    if (/[dDwWsS]/.test(c)) {
      this.pos++;
      return UNKNOWN;
    }
    // A back-reference (or an Annex B octal escape) may match anything, the empty string included.
    if (/[1-9]/.test(c) || (c === 'k' && this.source[this.pos + 1] === '<')) {
      this.pos++;
      return UNKNOWN;
    }
    return this.literal(this.escapedCode(false));
  }

  /** The code unit of a character escape at `pos` (just after the backslash); advances past it. */
  private escapedCode(inClass: boolean): number {
    const c = this.source[this.pos]!;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12 };
    if (simple[c] !== undefined) {
      this.pos++;
      return simple[c];
    }
    if (inClass && c === 'b') {
      this.pos++;
      return 8;
    }
    if (c === '0' && !/[0-9]/.test(this.source[this.pos + 1] ?? '')) {
      this.pos++;
      return 0;
    }
    if (c === 'c') {
      // Without a control letter, Annex B reads a backslash and a 'c': not worth the special case.
      if (!/[A-Za-z]/.test(this.source[this.pos + 1] ?? '')) throw new Unsupported('\\c');
      this.pos += 2;
      return this.source.charCodeAt(this.pos - 1) % 32;
    }
    const hex = c === 'x' ? /^x([0-9A-Fa-f]{2})/ : c === 'u' ? /^u([0-9A-Fa-f]{4})/ : undefined;
    const digits = hex?.exec(this.source.slice(this.pos));
    if (digits !== null && digits !== undefined) {
      this.pos += digits[0].length;
      return Number.parseInt(digits[1]!, 16);
    }
    if (/[0-9]/.test(c)) throw new Unsupported('octal escape');
    // An identity escape: the character itself.
    this.pos++;
    return c.charCodeAt(0);
  }

  /** A class of a few characters is a set of one-character strings; a larger or negated one is unknown. */
  private characterClass(): Info {
    this.pos++; // [
    const negated = this.source[this.pos] === '^';
    if (negated) this.pos++;
    if (this.source[this.pos] === ']') {
      if (!negated) throw new Unsupported('empty class');
      this.pos++;
      return UNKNOWN; // [^]: any character
    }
    const codes: number[] = [];
    let large = false;
    const next = (): number | 'set' => {
      if (this.source[this.pos] === '\\') {
        this.pos++;
        const c = this.source[this.pos];
        if (c !== undefined && /[dDwWsS]/.test(c)) {
          this.pos++;
          return 'set';
        }
        return this.escapedCode(true);
      }
      return this.source.charCodeAt(this.pos++);
    };
    while (this.pos < this.source.length && this.source[this.pos] !== ']') {
      const from = next();
      if (this.source[this.pos] === '-' && this.source[this.pos + 1] !== ']' && this.pos + 1 < this.source.length) {
        this.pos++;
        const to = next();
        if (from === 'set' || to === 'set') large = true;
        else if (to - from + 1 > MAX_CLASS) large = true;
        else for (let code = from; code <= to; code++) codes.push(code);
        continue;
      }
      if (from === 'set') large = true;
      else codes.push(from);
    }
    if (this.source[this.pos] !== ']') throw new Unsupported('unclosed class');
    this.pos++;
    if (negated || large) return UNKNOWN;
    try {
      const chars = this.charsOf(codes);
      return chars.length > MAX_CLASS ? UNKNOWN : { exact: new Set(chars) };
    } catch {
      return UNKNOWN;
    }
  }
}

/**
 * A condition on literals (ASCII letters in lower case, compared without ASCII case) that every text
 * holding a match of `pattern` meets, or undefined when none is known (the pattern may match
 * anywhere, or its syntax is not read here). A pattern that can match the empty string has none.
 */
export function requiredLiterals(pattern: RegExp): LiteralQuery | undefined {
  if (/[uv]/.test(pattern.flags)) return undefined;
  let info: Info;
  try {
    info = new Reducer(pattern.source, pattern.flags.includes('i')).run();
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
  return queryOf(info) ?? undefined;
}

/** A LiteralQuery over literal ids, evaluated against the literals found in a text. */
type Compiled = number | { all: Compiled[] } | { any: Compiled[] };

function holds(query: Compiled, found: Uint8Array): boolean {
  if (typeof query === 'number') return found[query] === 1;
  if ('all' in query) {
    for (const q of query.all) if (!holds(q, found)) return false;
    return true;
  }
  for (const q of query.any) if (holds(q, found)) return true;
  return false;
}

/** Many patterns, one literal pass per text (see the module comment). */
export class RegexPrefilter {
  private readonly index = new Map<RegExp, number>();
  /** Each pattern's condition; undefined for one that always runs. */
  private readonly conditions: (Compiled | undefined)[];
  private readonly literalCount: number;
  private readonly automaton: AhoCorasick | undefined;

  constructor(patterns: Iterable<RegExp>) {
    const literalIds = new Map<string, number>();
    /** The query over literal ids; undefined for "true". */
    const compile = (query: LiteralQuery): Compiled | undefined => {
      if (typeof query === 'string') {
        // A single letter or digit is in nearly every text and would only slow the scan.
        if (/^[a-z0-9]$/.test(query)) return undefined;
        let id = literalIds.get(query);
        if (id === undefined) {
          id = literalIds.size;
          literalIds.set(query, id);
        }
        return id;
      }
      if ('all' in query) {
        const all = query.all.map(compile).filter((q) => q !== undefined);
        return all.length === 0 ? undefined : all.length === 1 ? all[0] : { all };
      }
      const any = query.any.map(compile);
      return any.some((q) => q === undefined) ? undefined : { any: any as Compiled[] };
    };
    this.conditions = [...new Set(patterns)].map((pattern, i) => {
      this.index.set(pattern, i);
      const query = requiredLiterals(pattern);
      return query === undefined ? undefined : compile(query);
    });
    this.literalCount = literalIds.size;
    this.automaton = literalIds.size === 0 ? undefined : buildAhoCorasick([...literalIds.keys()]);
  }

  /**
   * A test for `text`: false only for a pattern of this set that cannot match anywhere in it. A
   * pattern the set was not built with is always true.
   */
  mayMatch(text: string): (pattern: RegExp) => boolean {
    const found = new Uint8Array(this.literalCount);
    this.automaton?.scan(Buffer.from(text, 'utf8'), (id) => {
      found[id] = 1;
    });
    return (pattern) => {
      const i = this.index.get(pattern);
      const condition = i === undefined ? undefined : this.conditions[i];
      return condition === undefined || holds(condition, found);
    };
  }
}
