/**
 * Dark-web full-text search (issue #3 section 5): parses the query language, plans it (the full-text
 * index selects and ranks, filters check the candidates), and returns ranked hits with highlighted
 * snippets and the organizations each document mentions. SQLite uses FTS5 with bm25; PostgreSQL a
 * tsvector column with ts_rank_cd and ts_headline. Both read the tables of migrations 0002 and 0003.
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { FilterNode, QueryNode } from '../../core/search-query.js';
import { walkQuery } from '../../core/search-query.js';
import type { DarkwebSearchHit, DarkwebSearchResults } from '../../core/darkweb.js';
import { planSearch, type SearchPlan } from '../search/sql-plan.js';
import type { TextEngine } from '../search/text-query.js';
import { chunks, stringArrayFromJson } from '../codec.js';
import { StoreError } from '../errors.js';
import { POSTGRES_INDEXED_CHARS } from '../migrations/0003-darkweb-search.js';
import type { StoreSchema } from '../schema.js';
import { organizationNameKey } from './organizations.repo.js';

/** Highest `limit` a search accepts. */
export const MAX_SEARCH_LIMIT = 1000;
/** Results when no limit is given. */
export const DEFAULT_SEARCH_LIMIT = 20;

/** Options of `search`. */
export interface DarkwebSearchOptions {
  /** Most hits returned (1..1000); default 20. */
  limit?: number;
  /** Marks around highlighted words in snippets; default `[` and `]`. */
  highlight?: { open: string; close: string };
  /** About how many words a snippet holds (4..64); default 24. */
  snippetWords?: number;
}

// Private-use characters mark matches inside the database's snippet; they become the caller's marks
// afterwards, so marks never pass through SQL or ts_headline's option syntax.
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
/**
 * Most candidates bm25 scores on SQLite. FTS5 scores every match before sorting (no top-k pruning),
 * so a word in half of a million documents would cost seconds; past this many matches (after the
 * filters), only the newest ones by `seq` are ranked. Filters are applied before the cap, so a
 * filtered document is never lost to it, only possibly left unranked.
 */
export const RANKING_CANDIDATES = 10_000;

interface SearchNotes {
  rankedCandidates: number | null;
  /** True when every hit is among the newest RANKING_CANDIDATES rows of the MATCH. */
  hitsAmongNewestMatches: boolean;
}

/** Characters of text shown when a query has no words to build a snippet around. */
const LEAD_CHARS = 240;

interface HitRow {
  id: string;
  seq: number | string;
  title: string | null;
  source: string;
  source_type: string;
  url: string | null;
  posted_at: string | null;
  class: string;
  rank: number | string | null;
}

/** Data access for dark-web search. */
export class DarkwebSearchRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  private get engine(): TextEngine {
    return this.db.getExecutor().adapter instanceof PostgresAdapter ? 'tsquery' : 'fts5';
  }

  /** Runs a parsed query (src/darkweb/search/parser.ts parses the text: the store only knows the tree). */
  async search(tree: QueryNode, options: DarkwebSearchOptions = {}): Promise<DarkwebSearchResults> {
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new StoreError(
        'invalid-input',
        `search limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}, not ${String(limit)}`,
      );
    }
    const snippetWords = Math.min(64, Math.max(4, Math.trunc(options.snippetWords ?? 24)));
    const highlight = options.highlight ?? { open: '[', close: ']' };
    const engine = this.engine;
    const organizationIds = await this.resolveOrganizations(tree);
    const plan = planSearch(tree, { engine, organizationIds: (node) => organizationIds.get(node) ?? [] });

    const notes: SearchNotes = { rankedCandidates: null, hitsAmongNewestMatches: false };
    const rows = await this.selectHits(plan, engine, limit, notes);
    // A prefix outside the prefix indexes costs a merge of its words' doclists on every evaluation.
    const hasPrefix = [...walkQuery(tree)].some((n) => n.kind === 'term' && n.prefix);
    const snippets = await this.snippets(plan, engine, rows, snippetWords, notes.hitsAmongNewestMatches || hasPrefix);
    const orgs = await this.organizationsOf(rows.map((r) => r.id));
    const hits = rows.map((row): DarkwebSearchHit => {
      const rank = row.rank === null ? null : Number(row.rank);
      return {
        docId: row.id,
        title: row.title,
        source: row.source,
        sourceType: row.source_type,
        url: row.url,
        postedAt: row.posted_at,
        class: row.class,
        // bm25 is "lower is better" and negative; flip it so every engine's score grows with relevance.
        score: rank === null ? null : engine === 'fts5' ? -rank : rank,
        snippet: (snippets.get(row.id) ?? '')
          .split(MARK_OPEN)
          .join(highlight.open)
          .split(MARK_CLOSE)
          .join(highlight.close),
        orgs: orgs.get(row.id) ?? [],
      };
    });
    return { query: tree, ranked: plan.textQuery !== null, rankedCandidates: notes.rankedCandidates, hits };
  }

  /** Ids of the organizations each `org:` filter names: name or alias, case-insensitively (prefix with `*`). */
  private async resolveOrganizations(tree: QueryNode): Promise<Map<FilterNode, string[]>> {
    const nodes = [...walkQuery(tree)].filter((n): n is FilterNode => n.kind === 'filter' && n.field === 'org');
    const resolved = new Map<FilterNode, string[]>();
    if (nodes.length === 0) return resolved;
    // Aliases live in a JSON column: read the portfolio once (a few thousand rows) and match here.
    const organizations = await this.db.selectFrom('organizations').select(['id', 'name_key', 'aliases']).execute();
    const keyed = organizations.map((o) => ({
      id: o.id,
      keys: [o.name_key, ...stringArrayFromJson(o.aliases, 'organizations.aliases').map(organizationNameKey)],
    }));
    for (const node of nodes) {
      const wanted = organizationNameKey(node.value);
      const matches = (key: string): boolean => (node.prefix ? key.startsWith(wanted) : key === wanted);
      resolved.set(
        node,
        keyed.filter((o) => o.keys.some(matches)).map((o) => o.id),
      );
    }
    return resolved;
  }

  private async selectHits(plan: SearchPlan, engine: TextEngine, limit: number, notes: SearchNotes): Promise<HitRow[]> {
    const columns = sql`d.id, d.seq, d.title, d.source, d.source_type, d.url, d.posted_at, d.class`;
    const where = (first: RawBuilder<unknown>[]): RawBuilder<unknown> => {
      const all = [...first, ...plan.predicates];
      return all.length === 0 ? sql`` : sql`WHERE ${sql.join(all, sql` AND `)}`;
    };
    let query: RawBuilder<HitRow>;
    if (plan.textQuery === null) {
      // Nothing to rank by: newest first. SQLite sorts NULL lowest, so undated documents come last
      // there by default (and the posted_at index serves the order); PostgreSQL needs NULLS LAST.
      const order =
        engine === 'fts5' ? sql`d.posted_at DESC, d.seq DESC` : sql`d.posted_at DESC NULLS LAST, d.seq DESC`;
      query = sql<HitRow>`SELECT ${columns}, NULL AS rank FROM darkweb_documents d ${where([])} ORDER BY
        ${order} LIMIT ${limit}`;
    } else if (engine === 'fts5') {
      return this.selectRankedFts5(plan.textQuery, plan.predicates, columns, limit, notes);
    } else {
      query = sql<HitRow>`SELECT ${columns}, ts_rank_cd(d.search_vector, q.query) AS rank
        FROM darkweb_documents d CROSS JOIN to_tsquery('english', ${plan.textQuery}) AS q(query)
        ${where([sql`d.search_vector @@ q.query`])}
        ORDER BY rank DESC, d.seq DESC LIMIT ${limit}`;
    }
    return (await query.execute(this.db)).rows;
  }

  /**
   * FTS5 ranking with bounded cost: when the words match more than RANKING_CANDIDATES documents, only
   * the newest RANKING_CANDIDATES of those that also pass the filters are ranked. FTS5 walks a doclist
   * newest first cheaply but scores every row it ranks, and a rowid range constraint makes it walk the
   * doclist from the start, so the newest candidates are taken with ORDER BY rowid DESC LIMIT and
   * ranked outside. `source_type:` and `class:` are already inside the MATCH (planSearch).
   */
  private async selectRankedFts5(
    textQuery: string,
    predicates: RawBuilder<unknown>[],
    columns: RawBuilder<unknown>,
    limit: number,
    notes: SearchNotes,
  ): Promise<HitRow[]> {
    const cap = RANKING_CANDIDATES;
    const match = sql`darkweb_documents_fts MATCH ${textQuery}`;
    const fts = sql`darkweb_documents_fts`;
    /**
     * Ranks the newest `cap` rows of `candidates` (seq, rank) best first, and notes when there were
     * more. Ties in bm25 (identical documents) break newest first, so a smaller limit gives a prefix
     * of a larger one.
     */
    const rankNewest = async (candidates: RawBuilder<unknown>, newestFirst = true): Promise<HitRow[]> => {
      // The candidates are materialised once (bm25 runs for each), then only the top `limit` of them
      // meet the documents table. A cap + 1st row only says that there were more.
      const result = await sql<HitRow & { total: number }>`WITH
          c AS MATERIALIZED (${candidates} ${newestFirst ? sql`ORDER BY ${fts}.rowid DESC` : sql``} LIMIT ${cap + 1}),
          s AS (SELECT count(*) AS total, min(seq) AS oldest FROM c),
          top AS (SELECT c.seq, c.rank FROM c, s WHERE s.total <= ${cap} OR c.seq > s.oldest ORDER BY c.rank,
            c.seq DESC LIMIT ${limit})
        SELECT ${columns}, top.rank AS rank, s.total AS total FROM top JOIN darkweb_documents d ON d.seq = top.seq, s
        ORDER BY top.rank, top.seq DESC`.execute(this.db);
      if (Number(result.rows[0]?.total ?? 0) > cap) notes.rankedCandidates = cap;
      return result.rows.map(({ total: _total, ...row }) => row);
    };

    if (predicates.length === 0) {
      notes.hitsAmongNewestMatches = true;
      return rankNewest(sql`SELECT ${fts}.rowid AS seq, ${fts}.rank AS rank FROM ${fts} WHERE ${match}`);
    }
    const filters = sql.join(predicates, sql` AND `);
    const passing = sql`SELECT ${fts}.rowid AS seq, ${fts}.rank AS rank
      FROM ${fts} JOIN darkweb_documents d ON d.seq = ${fts}.rowid WHERE ${match} AND ${filters}`;
    // Few text matches: walk them all, the filters checked per candidate.
    const beyondCap =
      await sql`SELECT rowid FROM ${fts} WHERE ${match} ORDER BY rowid DESC LIMIT 1 OFFSET ${cap}`.execute(this.db);
    if (beyondCap.rows.length === 0) {
      notes.hitsAmongNewestMatches = true;
      return rankNewest(passing);
    }
    // Many text matches but selective filters: the filtered set is built once (through the filters'
    // indexes) and each text match is checked against it, without a lookup of its document. The unary
    // + keeps SQLite from handing the IN to FTS5 as `rowid = ?` lookups, one full MATCH (and bm25
    // document count) per value.
    const filtered = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM (SELECT d.seq FROM darkweb_documents d WHERE ${filters} LIMIT ${cap + 1})`.execute(
      this.db,
    );
    if (Number(filtered.rows[0]?.n ?? 0) <= cap) {
      // At most `cap` can pass, so any order will do: FTS5 walks a doclist forwards fastest.
      return rankNewest(
        sql`SELECT ${fts}.rowid AS seq, ${fts}.rank AS rank FROM ${fts}
          WHERE ${match} AND +${fts}.rowid IN (SELECT d.seq FROM darkweb_documents d WHERE ${filters})`,
        false,
      );
    }
    // Many text matches, broad filters: the newest `cap` that pass the filters.
    return rankNewest(passing);
  }

  /** Snippets of the hits only (computing them for every candidate would dominate the query time). */
  private async snippets(
    plan: SearchPlan,
    engine: TextEngine,
    rows: HitRow[],
    words: number,
    walk: boolean,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (rows.length === 0) return out;
    const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
    if (plan.textQuery === null) {
      const leads = await sql<{ id: string; lead: string }>`SELECT d.id, substr(d.text, 1, ${LEAD_CHARS + 1}) AS lead
        FROM darkweb_documents d WHERE d.id IN (${sql.join(rows.map((r) => r.id))})`.execute(this.db);
      for (const { id, lead } of leads.rows)
        out.set(id, oneLine(lead.length > LEAD_CHARS ? `${lead.slice(0, LEAD_CHARS)}…` : lead));
      return out;
    }
    if (engine === 'fts5') {
      const bySeq = new Map(rows.map((r) => [Number(r.seq), r.id]));
      const seqs = [...bySeq.keys()];
      // `rowid IN (...)` runs one MATCH per hit: cheap for words, a whole merge each for an unindexed
      // prefix. When the hits are among the newest matches (or a prefix is involved), one walk newest
      // first, stopped at the last hit, is cheaper (the + keeps the IN out of FTS5); snippet() still
      // runs for the hits only.
      const which = walk
        ? sql`+rowid IN (${sql.join(seqs)}) ORDER BY rowid DESC LIMIT ${seqs.length}`
        : sql`rowid IN (${sql.join(seqs)})`;
      const result = await sql<{ seq: number; snippet: string | null }>`SELECT rowid AS seq,
          snippet(darkweb_documents_fts, 1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', ${words}) AS snippet
        FROM darkweb_documents_fts
        WHERE darkweb_documents_fts MATCH ${plan.textQuery} AND ${which}`.execute(this.db);
      for (const { seq, snippet } of result.rows) {
        const id = bySeq.get(Number(seq));
        if (id !== undefined) out.set(id, oneLine(snippet ?? ''));
      }
      return out;
    }
    const options =
      `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}, MaxWords=${words}, ` +
      `MinWords=${Math.max(3, Math.floor(words / 2))}, MaxFragments=2, FragmentDelimiter=" … "`;
    for (const part of chunks(rows.map((r) => r.id))) {
      const result = await sql<{ id: string; snippet: string }>`SELECT d.id,
          ts_headline('english', left(d.text, ${POSTGRES_INDEXED_CHARS}), to_tsquery('english',
            ${plan.textQuery}), ${options}) AS snippet
        FROM darkweb_documents d WHERE d.id IN (${sql.join(part)})`.execute(this.db);
      for (const { id, snippet } of result.rows) out.set(id, oneLine(snippet));
    }
    return out;
  }

  /** Organization names mentioned by each document, most confident mention first. */
  private async organizationsOf(documentIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks(documentIds)) {
      const rows = await this.db
        .selectFrom('darkweb_mentions')
        .innerJoin('organizations', 'organizations.id', 'darkweb_mentions.organization_id')
        .select(['darkweb_mentions.document_id as document_id', 'organizations.name as name'])
        .where('darkweb_mentions.document_id', 'in', part)
        .orderBy('darkweb_mentions.confidence', 'desc')
        .orderBy('organizations.name')
        .execute();
      for (const row of rows) out.set(row.document_id, [...(out.get(row.document_id) ?? []), row.name]);
    }
    return out;
  }
}
