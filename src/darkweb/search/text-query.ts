/**
 * Compiles the word-searching part of a query tree to the full-text engines' own query strings:
 * SQLite FTS5 MATCH expressions and PostgreSQL `to_tsquery` input. Every term and phrase is quoted,
 * so nothing the user typed is read as engine syntax; the strings are then bound as parameters.
 */
import type { QueryNode } from './ast.js';

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
 * The FTS5 expression for a subtree that only searches words, or null when the subtree holds a
 * filter or a NOT that FTS5 cannot express: FTS5's NOT is binary (`a NOT b`), so a NOT needs a
 * positive sibling in the same AND (sqlite.org/fts5.html section 3.7).
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
    case 'and': {
      const positives: string[] = [];
      const negatives: string[] = [];
      for (const child of node.children) {
        const part = child.kind === 'not' ? toFts5(child.child) : toFts5(child);
        if (part === null) return null;
        (child.kind === 'not' ? negatives : positives).push(part);
      }
      if (positives.length === 0) return null;
      const base = `(${positives.join(' AND ')})`;
      return negatives.length === 0 ? base : `(${base} NOT (${negatives.join(' OR ')}))`;
    }
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

/** The query string of `engine` for a words-only subtree, or null. */
export function toTextQuery(node: QueryNode, engine: TextEngine): string | null {
  return engine === 'fts5' ? toFts5(node) : toTsquery(node);
}

/**
 * Joins positive word conjuncts and negated ones into one engine query: `(p1 AND p2) NOT (n1 OR n2)`
 * in FTS5, `p1 & p2 & !n1 & !n2` in tsquery. Needs at least one positive conjunct.
 */
export function combineTextConjuncts(positives: readonly string[], negatives: readonly string[], engine: TextEngine): string {
  if (engine === 'tsquery') return [...positives, ...negatives.map((n) => `!(${n})`)].join(' & ');
  const base = positives.length === 1 ? positives[0]! : `(${positives.join(' AND ')})`;
  return negatives.length === 0 ? base : `${base} NOT (${negatives.join(' OR ')})`;
}
