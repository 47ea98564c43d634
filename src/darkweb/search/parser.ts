/**
 * Hand-written lexer and recursive-descent parser of the dark-web search language (issue #3
 * section 5), Lucene-like as DarkOwl's search API `q` parameter:
 *
 *   query   := or EOF
 *   or      := and ( "OR" and )*
 *   and     := unary ( ["AND"] unary )*          juxtaposition is AND
 *   unary   := ( "NOT" | "-" ) unary | primary
 *   primary := "(" or ")" | PHRASE | WORD | FIELD ":" value
 *   value   := WORD | PHRASE | "(" value ( ["OR"] value )* ")"        entity, org, class, source_type
 *            | "[" date "TO" date "]" | (">=" | ">" | "<=" | "<")? date  posted_at ("{ }" exclude the ends)
 *
 * Operators are upper case, so the words "and", "or" and "not" in text stay searchable. A wildcard may
 * only end a word (`pati*`); a leading one (`*ent`) would need a full scan of the index and is refused,
 * as DarkOwl does. Every error is a `QuerySyntaxError` with the 0-based position of the problem.
 */
import { DOCUMENT_CLASSES, SOURCE_TYPES } from '../types.js';
import type { DateBound, EntityNode, FilterNode, QueryNode } from '../../core/search-query.js';
import { QuerySyntaxError } from './errors.js';
import { DATE_FIELD, ENTITY_FIELDS, type FILTER_FIELDS, KNOWN_FIELDS } from './fields.js';

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 4000;
/** Deepest nesting of parentheses and NOTs accepted. */
export const MAX_QUERY_DEPTH = 32;
/** Most terms, phrases and filters in one query. */
export const MAX_QUERY_CLAUSES = 256;

type Token =
  | { type: 'lparen' | 'rparen' | 'neg' | 'and' | 'or' | 'not' | 'eof'; pos: number }
  | { type: 'phrase'; pos: number; text: string }
  | { type: 'word'; pos: number; text: string }
  | { type: 'field'; pos: number; name: string; valuePos: number; adjacent: boolean }
  | { type: 'range'; pos: number; open: '[' | '{'; close: ']' | '}'; text: string };

const WORD_STOP = /[\s()"]/u;
const FIELD_PREFIX = /^([A-Za-z_][A-Za-z0-9_]*):/;
const SEARCHABLE = /[\p{L}\p{N}]/u;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string, pos: number): never => {
    throw new QuerySyntaxError(reason, pos, query);
  };
  while (true) {
    const previous = tokens[tokens.length - 1];
    // A value glued to `field:` is never an operator, a negation or another field (`ipv6:2001:db8::1`).
    const afterField = previous?.type === 'field' && previous.adjacent;
    while (i < query.length && /\s/u.test(query[i]!)) i += 1;
    if (i >= query.length) {
      tokens.push({ type: 'eof', pos: query.length });
      return tokens;
    }
    const ch = query[i]!;
    const start = i;
    if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', pos: start });
      i += 1;
    } else if (ch === '"') {
      // Phrases run to the next unescaped quote; `\"` and `\\` escape inside them.
      let text = '';
      i += 1;
      while (i < query.length && query[i] !== '"') {
        if (query[i] === '\\' && i + 1 < query.length) i += 1;
        text += query[i];
        i += 1;
      }
      if (i >= query.length) fail('unterminated quote', start);
      i += 1;
      tokens.push({ type: 'phrase', pos: start, text });
    } else if ((ch === '[' || ch === '{') && afterField) {
      const end = query.slice(i + 1).search(/[\]}]/);
      if (end < 0) fail(`expected '${ch === '[' ? ']' : '}'}'`, query.length);
      const closeAt = i + 1 + end;
      tokens.push({
        type: 'range',
        pos: start,
        open: ch,
        close: query[closeAt] as ']' | '}',
        text: query.slice(i + 1, closeAt),
      });
      i = closeAt + 1;
    } else if (ch === '-' && !afterField) {
      const next = query[i + 1];
      if (next === undefined || /[\s)]/u.test(next)) fail("expected a term after '-'", i + 1);
      tokens.push({ type: 'neg', pos: start });
      i += 1;
    } else {
      while (i < query.length && !WORD_STOP.test(query[i]!)) i += 1;
      const word = query.slice(start, i);
      const field = afterField ? null : FIELD_PREFIX.exec(word);
      if (field !== null) {
        const valuePos = start + field[0].length;
        i = valuePos;
        tokens.push({
          type: 'field',
          pos: start,
          name: field[1]!,
          valuePos,
          adjacent: i < query.length && !/\s/u.test(query[i]!),
        });
      } else if (!afterField && (word === 'AND' || word === 'OR' || word === 'NOT')) {
        tokens.push({ type: word === 'AND' ? 'and' : word === 'OR' ? 'or' : 'not', pos: start });
      } else {
        tokens.push({ type: 'word', pos: start, text: word });
      }
    }
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses `YYYY-MM-DD` (kept as is) or an ISO-8601 date-time with a zone (normalised to UTC). */
function parseDate(text: string): string | null {
  const day = DAY.exec(text);
  if (day !== null) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(year, month - 1, date));
    // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible dates.
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date)
      return null;
    return text;
  }
  if (!DATE_TIME.test(text)) return null;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** Compares bounds as the store compares them: text order of the ISO form. */
function boundsCross(from: DateBound | null, to: DateBound | null): boolean {
  if (from === null || to === null) return false;
  if (from.value.length === 10 && to.value.length === 10)
    return from.value > to.value || (from.value === to.value && (!from.inclusive || !to.inclusive));
  return from.value > to.value;
}

class Parser {
  private index = 0;
  private depth = 0;
  private clauses = 0;

  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  parse(): QueryNode {
    if (this.peek().type === 'eof') this.fail('empty query', 0);
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.type !== 'eof')
      this.fail(rest.type === 'rparen' ? "unexpected ')'" : `unexpected ${this.describe(rest)}`, rest.pos);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== 'eof') this.index += 1;
    return token;
  }

  private fail(reason: string, pos: number): never {
    throw new QuerySyntaxError(reason, pos, this.query);
  }

  private describe(token: Token): string {
    switch (token.type) {
      case 'and':
        return "'AND'";
      case 'or':
        return "'OR'";
      case 'not':
        return "'NOT'";
      case 'rparen':
        return "')'";
      case 'eof':
        return 'end of query';
      default:
        return `'${this.query.slice(token.pos, token.pos + 20)}'`;
    }
  }

  private startsUnary(token: Token): boolean {
    return ['lparen', 'neg', 'not', 'phrase', 'word', 'field'].includes(token.type);
  }

  /** After an operator: the next token must start an operand. */
  private expectOperand(operator: string): void {
    const token = this.peek();
    if (!this.startsUnary(token)) this.fail(`expected a term after '${operator}'`, token.pos);
  }

  private enter(pos: number): void {
    this.depth += 1;
    if (this.depth > MAX_QUERY_DEPTH) this.fail(`query nested deeper than ${MAX_QUERY_DEPTH} levels`, pos);
  }

  private countClause(pos: number): void {
    this.clauses += 1;
    if (this.clauses > MAX_QUERY_CLAUSES) this.fail(`query has more than ${MAX_QUERY_CLAUSES} terms and filters`, pos);
  }

  private parseOr(): QueryNode {
    const children = [this.parseAnd()];
    while (this.peek().type === 'or') {
      this.next();
      this.expectOperand('OR');
      children.push(this.parseAnd());
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseAnd(): QueryNode {
    const children = [this.parseUnary()];
    while (true) {
      const token = this.peek();
      if (token.type === 'and') {
        this.next();
        this.expectOperand('AND');
      } else if (!this.startsUnary(token)) {
        break;
      }
      children.push(this.parseUnary());
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private parseUnary(): QueryNode {
    const token = this.peek();
    if (token.type === 'not' || token.type === 'neg') {
      this.next();
      this.expectOperand(token.type === 'not' ? 'NOT' : '-');
      this.enter(token.pos);
      const child = this.parseUnary();
      this.depth -= 1;
      return { kind: 'not', child };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): QueryNode {
    const token = this.next();
    switch (token.type) {
      case 'lparen': {
        if (this.peek().type === 'rparen') this.fail('empty parentheses', this.peek().pos);
        this.enter(token.pos);
        const inner = this.parseOr();
        this.depth -= 1;
        const close = this.peek();
        if (close.type !== 'rparen') this.fail("expected ')'", close.pos);
        this.next();
        return inner;
      }
      case 'phrase':
        return this.phrase(token.text, token.pos);
      case 'word':
        return this.term(token.text, token.pos);
      case 'field':
        return this.field(token);
      case 'eof':
        return this.fail('expected a term', token.pos);
      default:
        return this.fail(`unexpected ${this.describe(token)}`, token.pos);
    }
  }

  private phrase(text: string, pos: number): QueryNode {
    this.countClause(pos);
    if (!SEARCHABLE.test(text)) this.fail('phrase has no letters or digits to search for', pos);
    return { kind: 'phrase', text, position: pos };
  }

  /** Splits a trailing `*` off a word; refuses leading and inner wildcards. */
  private wildcard(word: string, pos: number): { text: string; prefix: boolean } {
    if (word.startsWith('*')) this.fail('a leading wildcard is not supported', pos);
    const star = word.indexOf('*');
    if (star >= 0 && star !== word.length - 1) this.fail('a wildcard may only end a term', pos + star);
    return star >= 0 ? { text: word.slice(0, -1), prefix: true } : { text: word, prefix: false };
  }

  private term(word: string, pos: number): QueryNode {
    this.countClause(pos);
    const { text, prefix } = this.wildcard(word, pos);
    if (!SEARCHABLE.test(text)) this.fail(`'${word}' has no letters or digits to search for`, pos);
    return { kind: 'term', text, prefix, position: pos };
  }

  private field(token: Extract<Token, { type: 'field' }>): QueryNode {
    const name = token.name.toLowerCase();
    if (!KNOWN_FIELDS.includes(name))
      this.fail(`unknown field '${token.name}' (known fields: ${KNOWN_FIELDS.join(', ')})`, token.pos);
    if (!token.adjacent) this.fail(`expected a value after '${token.name}:'`, token.valuePos);
    if (name === DATE_FIELD) return this.dateValue();
    const value = this.peek();
    if (value.type !== 'lparen') return this.fieldValue(name, this.next());
    // `email:(a OR b c)`: any of the values, as DarkOwl's entity operators take them.
    this.next();
    if (this.peek().type === 'rparen') this.fail('empty parentheses', this.peek().pos);
    const children: QueryNode[] = [];
    while (this.peek().type !== 'rparen') {
      if (children.length > 0 && this.peek().type === 'or') this.next();
      const item = this.next();
      if (item.type === 'eof') this.fail("expected ')'", item.pos);
      if (item.type !== 'word' && item.type !== 'phrase')
        this.fail(`a field group holds values joined by OR, not ${this.describe(item)}`, item.pos);
      children.push(this.fieldValue(name, item));
    }
    this.next();
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private fieldValue(name: string, token: Token): FilterNode | EntityNode {
    if (token.type !== 'word' && token.type !== 'phrase')
      return this.fail(`expected a value after '${name}:'`, token.pos);
    this.countClause(token.pos);
    const { text, prefix } =
      token.type === 'word' ? this.wildcard(token.text, token.pos) : { text: token.text, prefix: false };
    const value = text.trim();
    if (value === '') this.fail(`expected a value after '${name}:'`, token.pos);
    const types = ENTITY_FIELDS.get(name);
    if (types !== undefined)
      return {
        kind: 'entity',
        field: name,
        types: [...types],
        value: value.toLowerCase(),
        prefix,
        position: token.pos,
      };
    const field = name as (typeof FILTER_FIELDS)[number];
    if (field === 'source_type' || field === 'class') {
      const allowed: readonly string[] = field === 'source_type' ? SOURCE_TYPES : DOCUMENT_CLASSES;
      const lowered = value.toLowerCase();
      if (prefix || !allowed.includes(lowered)) {
        this.fail(
          `unknown ${field === 'class' ? 'class' : 'source type'} ` +
            `'${token.type === 'word' ? token.text : value}' (expected one of ${allowed.join(', ')})`,
          token.pos,
        );
      }
      return { kind: 'filter', field, value: lowered, prefix: false, position: token.pos };
    }
    return { kind: 'filter', field, value, prefix, position: token.pos };
  }

  private date(text: string, pos: number): string {
    const date = parseDate(text.trim());
    if (date === null)
      this.fail(`bad date '${text.trim()}' (expected YYYY-MM-DD or an ISO-8601 date-time with a zone)`, pos);
    return date;
  }

  private dateValue(): QueryNode {
    const token = this.next();
    this.countClause(token.pos);
    let from: DateBound | null;
    let to: DateBound | null;
    if (token.type === 'range') {
      const parts = /^(\s*)(\S+)(\s+TO\s+)(\S+)\s*$/.exec(token.text);
      if (parts === null) this.fail("expected a range '[FROM TO UNTIL]'", token.pos);
      const fromPos = token.pos + 1 + parts[1]!.length;
      const toPos = fromPos + parts[2]!.length + parts[3]!.length;
      from = parts[2] === '*' ? null : { value: this.date(parts[2]!, fromPos), inclusive: token.open === '[' };
      to = parts[4] === '*' ? null : { value: this.date(parts[4]!, toPos), inclusive: token.close === ']' };
    } else if (token.type === 'word') {
      const comparison = /^(>=|<=|>|<|=)?(.*)$/s.exec(token.text)!;
      const operator = comparison[1] ?? '=';
      const value = this.date(comparison[2]!, token.pos + operator.length - (comparison[1] === undefined ? 1 : 0));
      from = operator.startsWith('>') || operator === '=' ? { value, inclusive: operator !== '>' } : null;
      to = operator.startsWith('<') || operator === '=' ? { value, inclusive: operator !== '<' } : null;
    } else {
      return this.fail(
        `${DATE_FIELD} takes a date, a comparison (>=2026-01-01) or a range ([2026-01-01 TO 2026-03-31])`,
        token.pos,
      );
    }
    if (boundsCross(from, to)) this.fail('date range ends before it starts', token.pos);
    return { kind: 'date_range', field: DATE_FIELD, from, to, position: token.pos };
  }
}

/** Parses a search query into its tree; throws `QuerySyntaxError` pointing at the problem. */
export function parseSearchQuery(query: string): QueryNode {
  if (query.length > MAX_QUERY_LENGTH)
    throw new QuerySyntaxError(
      `query longer than ${MAX_QUERY_LENGTH} characters`,
      MAX_QUERY_LENGTH,
      query.slice(0, 60),
    );
  return new Parser(query, tokenize(query)).parse();
}
