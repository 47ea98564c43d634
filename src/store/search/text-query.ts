/**
 * Compiles the word-searching part of a query tree to the full-text engines' own query strings:
 * SQLite FTS5 MATCH expressions and PostgreSQL `to_tsquery` input. Every term and phrase is quoted,
 * so nothing the user typed is read as engine syntax; the strings are then bound as parameters.
 */
import { walkQuery, type QueryNode } from '../../core/search-query.js';

/** The full-text engines Vitals runs on. */
export type TextEngine = 'fts5' | 'tsquery';

/**
 * An FTS5 string: double quotes around, inner double quotes doubled (sqlite.org/fts5.html section
 * 3.1). Inside one, the tokenizer splits the text into a phrase, so `user@x.org` matches its words in order.
 */
export function fts5String(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A tsquery lexeme: single quotes around, inner quotes doubled and backslashes escaped (PostgreSQL
 * manual 8.11.2). `to_tsquery` still normalises it, and a quoted run of several words becomes a
 * `<->` phrase.
 */
export function tsqueryString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The FTS5 columns words are searched in (a column filter, sqlite.org/fts5.html section 3.6): never
 * the facets column, so neither `sou*` nor a word spelled like a facet token matches a filter token.
 */
export const FTS5_TEXT_COLUMNS = '{title text}';

/** Filter fields the SQLite index holds as facet tokens (migration 0003). */
export type FacetField = 'source_type' | 'class';

/**
 * The facets-column token of a `source_type:` or `class:` value: the field's prefix and the value
 * without underscores, one unicode61 token (`leak_site` -> `sourceleaksite`). Must agree with the
 * facets SQL of migration 0003-darkweb-search.
 */
export function fts5FacetToken(field: FacetField, value: string): string {
  return `${field === 'source_type' ? 'source' : 'class'}${value.replace(/_/g, '')}`;
}

/** Restricts a words-only FTS5 expression to the text columns. */
export function fts5InTextColumns(expression: string): string {
  return `${FTS5_TEXT_COLUMNS} : (${expression})`;
}

/** What every facet token starts with (`fts5FacetToken`). */
const FACET_TOKEN_STARTS = ['source', 'class'];

/**
 * Whether a term could match a facet token: a word starting like one (porter only rewrites the ends
 * of words, and facet tokens are long), a prefix of one (`sou*`), or anything non-ASCII, whose folding
 * by unicode61 is not worth predicting here.
 */
function couldMatchFacetToken(text: string, prefix: boolean): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) return true;
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  return words.some(
    (word, i) =>
      FACET_TOKEN_STARTS.some((start) => word.startsWith(start)) ||
      (prefix && i === words.length - 1 && FACET_TOKEN_STARTS.some((start) => start.startsWith(word))),
  );
}

/**
 * A words-only FTS5 expression restricted to the text columns when one of its terms could match a
 * facet token. The column filter costs a second pass over every position list (about twice the time
 * of a common word), and other words cannot match the facets column anyway.
 */
function fts5WordsOnly(node: QueryNode, words: string): string {
  for (const leaf of walkQuery(node)) {
    if (
      (leaf.kind === 'term' && couldMatchFacetToken(leaf.text, leaf.prefix)) ||
      (leaf.kind === 'phrase' && couldMatchFacetToken(leaf.text, false))
    ) {
      return fts5InTextColumns(words);
    }
  }
  return words;
}

/**
 * The FTS5 expression for a subtree that only searches words, or null when the subtree holds a
 * filter or a NOT that FTS5 cannot express: FTS5's NOT is binary (`a NOT b`), so a NOT needs a
 * positive sibling in the same AND (sqlite.org/fts5.html section 3.7). The expression searches every
 * column: callers go through `toTextQuery` or `toFts5WithFacets`, which keep it out of the facets.
 */
export function toFts5(node: QueryNode): string | null {
  switch (node.kind) {
    case 'term':
      return node.prefix ? `${fts5String(node.text)}*` : fts5String(node.text);
    case 'phrase':
      return fts5String(node.text);
    case 'or': {
      const parts = node.children.map(toFts5);
      return parts.every((p): p is string => p !== null) ? `(${parts.join(' OR ')})` : null;
    }
    case 'and':
      return fts5And(node.children, toFts5);
    default:
      return null;
  }
}

/**
 * An AND of FTS5 parts, negated children joined with FTS5's binary NOT; null when one cannot compile or none is
 * positive.
 */
function fts5And(children: readonly QueryNode[], compile: (node: QueryNode) => string | null): string | null {
  const positives: string[] = [];
  const negatives: string[] = [];
  for (const child of children) {
    const part = child.kind === 'not' ? compile(child.child) : compile(child);
    if (part === null) return null;
    (child.kind === 'not' ? negatives : positives).push(part);
  }
  if (positives.length === 0) return null;
  const base = `(${positives.join(' AND ')})`;
  return negatives.length === 0 ? base : `(${base} NOT (${negatives.join(' OR ')}))`;
}

/**
 * Like `toFts5`, kept out of the facets column, and with `source_type:` and `class:` filters as
 * facet-column matches (`{facets} : "sourceforum"`): the whole subtree then runs inside the MATCH.
 * Null when the subtree holds another filter or an inexpressible NOT.
 */
export function toFts5WithFacets(node: QueryNode): string | null {
  const words = toFts5(node);
  if (words !== null) return fts5WordsOnly(node, words);
  switch (node.kind) {
    case 'filter':
      // The parser lets only whole, known values through for these two fields (never a prefix).
      if (node.prefix || (node.field !== 'source_type' && node.field !== 'class')) return null;
      return `{facets} : ${fts5String(fts5FacetToken(node.field, node.value))}`;
    case 'or': {
      const parts = node.children.map(toFts5WithFacets);
      return parts.every((p): p is string => p !== null) ? `(${parts.join(' OR ')})` : null;
    }
    case 'and':
      return fts5And(node.children, toFts5WithFacets);
    default:
      return null;
  }
}

/** The `to_tsquery` input for a subtree that only searches words, or null when it holds a filter. */
export function toTsquery(node: QueryNode): string | null {
  switch (node.kind) {
    case 'term':
      return node.prefix ? `${tsqueryString(node.text)}:*` : tsqueryString(node.text);
    case 'phrase':
      return tsqueryString(node.text);
    case 'not': {
      const inner = toTsquery(node.child);
      return inner === null ? null : `!(${inner})`;
    }
    case 'and':
    case 'or': {
      const parts = node.children.map(toTsquery);
      if (!parts.every((p): p is string => p !== null)) return null;
      return `(${parts.join(node.kind === 'and' ? ' & ' : ' | ')})`;
    }
    default:
      return null;
  }
}

/** The query string of `engine` for a words-only subtree (on FTS5, kept out of the facets column), or null. */
export function toTextQuery(node: QueryNode, engine: TextEngine): string | null {
  if (engine === 'tsquery') return toTsquery(node);
  const words = toFts5(node);
  return words === null ? null : fts5WordsOnly(node, words);
}

/**
 * Joins positive word conjuncts and negated ones into one engine query: `(p1 AND p2) NOT (n1 OR n2)`
 * in FTS5, `p1 & p2 & !n1 & !n2` in tsquery. Needs at least one positive conjunct.
 */
export function combineTextConjuncts(
  positives: readonly string[],
  negatives: readonly string[],
  engine: TextEngine,
): string {
  if (engine === 'tsquery') return [...positives, ...negatives.map((n) => `!(${n})`)].join(' & ');
  const base = positives.length === 1 ? positives[0]! : `(${positives.join(' AND ')})`;
  return negatives.length === 0 ? base : `${base} NOT (${negatives.join(' OR ')})`;
}
