/**
 * Turns a query tree into an execution plan: one full-text query that drives the search (the index
 * finds and ranks candidates first) and SQL predicates over the document row `d` for everything
 * else (field filters, and word searches mixed with filters under OR or NOT). Every value reaches SQL
 * as a bound parameter through Kysely's `sql` template; no user text is concatenated into SQL.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DateRangeNode, EntityNode, FilterNode, QueryNode } from '../../core/search-query.js';
import { combineTextConjuncts, toFts5WithFacets, toTextQuery, type TextEngine } from './text-query.js';

/** What the compiler needs from the caller. */
export interface PlanContext {
  engine: TextEngine;
  /** Ids of the organizations an `org:` filter names (by name or alias), resolved beforehand. */
  organizationIds(node: FilterNode): readonly string[];
}

/** The compiled query. */
export interface SearchPlan {
  /** The engine query that selects and ranks documents; null when the query has no positive words. */
  textQuery: string | null;
  /** Further conditions on `d` (darkweb_documents), all of which must hold. */
  predicates: RawBuilder<unknown>[];
}

/** The SQL predicate "document `d` matches this engine query". */
export function textPredicate(engine: TextEngine, query: string): RawBuilder<unknown> {
  return engine === 'fts5'
    ? sql`d.seq IN (SELECT rowid FROM darkweb_documents_fts WHERE darkweb_documents_fts MATCH ${query})`
    : sql`d.search_vector @@ to_tsquery('english', ${query})`;
}

/** `LIKE` pattern for "starts with", with `!` escaping the pattern characters. */
function likePrefix(value: string): string {
  return `${value.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** The day after a `YYYY-MM-DD` date, for "up to and including that day". */
function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function isDay(value: string): boolean {
  return value.length === 10;
}

function datePredicate(node: DateRangeNode): RawBuilder<unknown> {
  // posted_at is ISO-8601 text, so text order is time order on both dialects. Day bounds compare as
  // bare dates: '2026-01-01' <= '2026-01-01T08:00...' < '2026-01-02', whatever precision was stored.
  // The IS NOT NULL keeps NOT posted_at:... two-valued: an undated document matches no date filter.
  const parts: RawBuilder<unknown>[] = [sql`d.posted_at IS NOT NULL`];
  const { from, to } = node;
  if (from !== null) {
    if (isDay(from.value))
      parts.push(from.inclusive ? sql`d.posted_at >= ${from.value}` : sql`d.posted_at >= ${nextDay(from.value)}`);
    else parts.push(from.inclusive ? sql`d.posted_at >= ${from.value}` : sql`d.posted_at > ${from.value}`);
  }
  if (to !== null) {
    if (isDay(to.value))
      parts.push(to.inclusive ? sql`d.posted_at < ${nextDay(to.value)}` : sql`d.posted_at < ${to.value}`);
    else parts.push(to.inclusive ? sql`d.posted_at <= ${to.value}` : sql`d.posted_at < ${to.value}`);
  }
  return sql`(${sql.join(parts, sql` AND `)})`;
}

/** The smallest string greater than every string starting with `prefix` (in code-unit order). */
function prefixUpperBound(prefix: string): string {
  return `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
}

function entityPredicate(node: EntityNode, engine: TextEngine): RawBuilder<unknown> {
  // IN (subquery) rather than a correlated EXISTS: both engines then read the matching entities once
  // (through the (type, lower(value)) index of migration 0003) instead of probing per document.
  // A prefix is a range on SQLite, whose BINARY order the index follows; PostgreSQL's collation may
  // not sort by code point, so there it stays a LIKE.
  const value = !node.prefix
    ? sql`lower(e.value) = ${node.value}`
    : engine === 'fts5'
      ? sql`lower(e.value) >= ${node.value} AND lower(e.value) < ${prefixUpperBound(node.value)}`
      : sql`lower(e.value) LIKE ${likePrefix(node.value)} ESCAPE '!'`;
  return sql`d.id IN (SELECT e.document_id FROM darkweb_entities e WHERE e.type IN (${sql.join(node.types)})
    AND ${value})`;
}

function filterPredicate(node: FilterNode, context: PlanContext): RawBuilder<unknown> {
  switch (node.field) {
    case 'source_type':
      return sql`d.source_type = ${node.value}`;
    case 'class':
      // A document's own class, or the class of any of its mentions (a chatter thread can hold a listing).
      return sql`(d.class = ${node.value} OR d.id IN (SELECT m.document_id FROM darkweb_mentions m WHERE
        m.class = ${node.value}))`;
    case 'org': {
      const ids = context.organizationIds(node);
      if (ids.length === 0) return sql`1 = 0`;
      return sql`d.id IN (SELECT m.document_id FROM darkweb_mentions m WHERE m.organization_id IN
        (${sql.join([...ids])}))`;
    }
  }
}

/** The SQL predicate over `d` for any subtree. */
export function compilePredicate(node: QueryNode, context: PlanContext): RawBuilder<unknown> {
  const text = node.kind === 'not' ? null : toTextQuery(node, context.engine);
  if (text !== null) return textPredicate(context.engine, text);
  switch (node.kind) {
    case 'and':
    case 'or':
      return sql`(${sql.join(
        node.children.map((c) => compilePredicate(c, context)),
        node.kind === 'and' ? sql` AND ` : sql` OR `,
      )})`;
    case 'not':
      return sql`NOT (${compilePredicate(node.child, context)})`;
    case 'filter':
      return filterPredicate(node, context);
    case 'entity':
      return entityPredicate(node, context.engine);
    case 'date_range':
      return datePredicate(node);
    default:
      // A bare term or phrase always compiles to text above; reaching here is a compiler bug.
      throw new Error(`cannot compile a ${node.kind} node`);
  }
}

/**
 * Plans a query: the top-level AND's word-only conjuncts become the engine query (negated ones join
 * it as NOT when there is a positive one), the rest become predicates checked on the candidates. On
 * FTS5, once there is a positive word conjunct, the conjuncts that only add `source_type:` and
 * `class:` filters (alone or mixed with words under OR, AND and NOT) join the MATCH as facet-column
 * matches too: the index then applies them while it walks the words' doclists, instead of every
 * match being looked up in the documents table.
 */
export function planSearch(root: QueryNode, context: PlanContext): SearchPlan {
  const conjuncts = root.kind === 'and' ? root.children : [root];
  const positives: string[] = [];
  const negatives: string[] = [];
  const faceted: Array<{ node: QueryNode; text: string }> = [];
  const rest: QueryNode[] = [];
  for (const node of conjuncts) {
    const inner = node.kind === 'not' ? node.child : node;
    const text = toTextQuery(inner, context.engine);
    const withFacets = context.engine === 'fts5' && text === null ? toFts5WithFacets(inner) : null;
    if (text !== null) (node.kind === 'not' ? negatives : positives).push(text);
    else if (withFacets !== null) faceted.push({ node, text: withFacets });
    else rest.push(node);
  }
  if (positives.length === 0) {
    // Nothing positive to look up, nothing to rank by: the conjuncts are checked per document
    // (newest first), the negated words as NOT of a text match.
    const predicates = [...rest, ...faceted.map((f) => f.node)].map((node) => compilePredicate(node, context));
    predicates.push(...negatives.map((n) => sql`NOT (${textPredicate(context.engine, n)})`));
    return { textQuery: null, predicates };
  }
  for (const { node, text } of faceted) (node.kind === 'not' ? negatives : positives).push(text);
  return {
    textQuery: combineTextConjuncts(positives, negatives, context.engine),
    predicates: rest.map((node) => compilePredicate(node, context)),
  };
}
