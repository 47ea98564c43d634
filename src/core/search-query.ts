/**
 * The dark-web search query language as a tree (issue #3 section 5). The parser (src/darkweb/search)
 * builds it; the store (src/store/search) turns it into an FTS5 MATCH string, a PostgreSQL tsquery and
 * SQL filter predicates. It lives in core because it is the contract between the two: the query
 * language's owner hands the store a tree, and the store, the only code that knows SQL, runs it.
 * Positions are 0-based offsets into the query text, kept for error messages.
 */
import type { EntityType } from './darkweb.js';

/** A bare word; `prefix` when it ended in `*` (`pati*`). */
export interface TermNode {
  kind: 'term';
  text: string;
  prefix: boolean;
  position: number;
}

/** A quoted phrase: its words must appear next to each other, in order. */
export interface PhraseNode {
  kind: 'phrase';
  text: string;
  position: number;
}

/** Every child must match. */
export interface AndNode {
  kind: 'and';
  children: QueryNode[];
}

/** At least one child must match. */
export interface OrNode {
  kind: 'or';
  children: QueryNode[];
}

/** The child must not match (`NOT x`, `-x`). */
export interface NotNode {
  kind: 'not';
  child: QueryNode;
}

/** `source_type:`, `class:` or `org:` with one value (`prefix` when it ended in `*`). */
export interface FilterNode {
  kind: 'filter';
  field: 'source_type' | 'class' | 'org';
  value: string;
  prefix: boolean;
  position: number;
}

/** An extracted-entity filter (`email:`, `btc:`, `ip:`...): any entity of `types` with this value. */
export interface EntityNode {
  kind: 'entity';
  /** The field as written, lower-cased (`ip`), for messages and formatting. */
  field: string;
  types: EntityType[];
  /** Lower-cased: entity values compare case-insensitively. */
  value: string;
  prefix: boolean;
  position: number;
}

/** One end of a date range: `value` is `YYYY-MM-DD` or a full ISO-8601 UTC timestamp. */
export interface DateBound {
  value: string;
  inclusive: boolean;
}

/** `posted_at:` range; a missing bound is open. Documents without a date never match. */
export interface DateRangeNode {
  kind: 'date_range';
  field: 'posted_at';
  from: DateBound | null;
  to: DateBound | null;
  position: number;
}

/** Any node of a parsed query. */
export type QueryNode = TermNode | PhraseNode | AndNode | OrNode | NotNode | FilterNode | EntityNode | DateRangeNode;

/** Nodes that search the documents' words (and so can be ranked and highlighted). */
export type TextNode = TermNode | PhraseNode;

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function formatBound(bound: DateBound | null, side: 'from' | 'to'): string {
  if (bound === null) return '*';
  return bound.inclusive ? bound.value : `${side === 'from' ? '>' : '<'}${bound.value}`;
}

/**
 * A canonical, fully parenthesised rendering of a tree (`(AND a (OR b c*) (NOT "d e"))`): what the
 * parser understood, for tests and for `--explain`-style messages.
 */
export function formatQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return /^[\p{L}\p{N}][^\s()"]*$/u.test(node.text)
        ? `${node.text}${node.prefix ? '*' : ''}`
        : `${quote(node.text)}${node.prefix ? '*' : ''}`;
    case 'phrase':
      return quote(node.text);
    case 'and':
      return `(AND ${node.children.map(formatQuery).join(' ')})`;
    case 'or':
      return `(OR ${node.children.map(formatQuery).join(' ')})`;
    case 'not':
      return `(NOT ${formatQuery(node.child)})`;
    case 'filter':
    case 'entity':
      return `${node.field}:${quote(node.value)}${node.prefix ? '*' : ''}`;
    case 'date_range':
      return `posted_at:[${formatBound(node.from, 'from')} TO ${formatBound(node.to, 'to')}]`;
  }
}

/** Every node of the tree, depth first (the root included). */
export function* walkQuery(node: QueryNode): Generator<QueryNode> {
  yield node;
  if (node.kind === 'and' || node.kind === 'or') for (const child of node.children) yield* walkQuery(child);
  else if (node.kind === 'not') yield* walkQuery(node.child);
}
