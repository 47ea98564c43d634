/**
 * Dark-web intelligence: search with the query language (as `vitals darkweb search`), mentions, one
 * document, watchlists and alerts. The parser, the search plan and the watchlist rules are the CLI's.
 */
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../core/alerts.js';
import type { DarkwebSearchHit } from '../../core/darkweb.js';
import { withContext } from '../../core/errors.js';
import { addWatchlist } from '../../darkweb/watch/watchlists.js';
import { parseSearchQuery } from '../../darkweb/search/parser.js';
import { DOCUMENT_CLASSES } from '../../darkweb/types.js';
import { AlertOutput, MentionOutput, SearchHitOutput, WatchlistOutput } from '../../output/schemas.js';
import { MAX_SEARCH_LIMIT } from '../../store/repos/darkweb-search.repo.js';
import { alertToJson, mentionToJson, searchHitToJson, watchlistRows } from '../../views/darkweb.js';
import { endpoint, json, problemOf, send } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { pageOf, pageQuery, paginate, sortQuery } from '../pagination.js';
import { Timestamp } from '../params.js';
import { ApiProblem } from '../problem.js';
import { findOrganization } from './orgs.js';

/** Highlight marks: `[`...`]` as the CLI prints, or U+E000/U+E001 for a client that escapes text first. */
const HIGHLIGHTS = {
  brackets: { open: '[', close: ']' },
  'private-use': { open: '\uE000', close: '\uE001' },
} as const;

const DocumentOutput = z.strictObject({
  doc_id: z.string(),
  title: z.string().nullable(),
  author: z.string().nullable(),
  source: z.string(),
  source_type: z.string(),
  url: z.string().nullable(),
  posted_at: z.string().nullable(),
  ingested_at: z.string(),
  language: z.string().nullable(),
  class: z.enum(DOCUMENT_CLASSES),
  text: z.string(),
  entities: z.array(z.strictObject({ type: z.string(), value: z.string() })),
});

const WatchlistRequest = z.strictObject({
  org: z.string().min(1).max(300).optional(),
  term: z.string().min(1).max(500).optional(),
  regex: z.string().min(1).max(2000).optional(),
  ignore_case: z.boolean().optional(),
  name: z.string().min(1).max(100).optional(),
  webhook: z.string().min(1).max(2000).optional(),
  secret: z.string().min(16).max(500).optional(),
  only_new: z.boolean().optional(),
});

const WatchlistCreatedOutput = z.strictObject({
  watchlist: WatchlistOutput,
  /** The webhook signing secret when one was generated: shown this once. */
  secret: z.string().nullable(),
});

export function darkwebRoutes(app: ApiApp, deps: ApiDeps): void {
  const store = deps.store;
  const requireWatchlist = async (name: string) => {
    const watchlist = await store.alerts.getWatchlist(name);
    if (watchlist === undefined) throw new ApiProblem(404, `no watchlist named "${name}"`, 'not-found');
    return watchlist;
  };

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/darkweb/search',
      operationId: 'searchDarkweb',
      tags: ['darkweb'],
      summary: 'Search the dark-web documents with the query language (docs/darkweb.md), ranked, with snippets',
      request: {
        query: z.strictObject({
          q: z.string().min(1).max(2000),
          ...pageQuery,
          sort: sortQuery(['rank', 'posted_at'], 'rank'),
          highlight: z.enum(['brackets', 'private-use']).default('brackets'),
        }),
      },
      responses: { 200: json(pageOf(SearchHitOutput), 'A page of hits (at most the first 1,000 matches)') },
    },
    async (c) => {
      const query = c.req.valid('query');
      let hits: DarkwebSearchHit[];
      try {
        const tree = parseSearchQuery(query.q);
        hits = (
          await store.darkwebSearch.search(tree, { limit: MAX_SEARCH_LIMIT, highlight: HIGHLIGHTS[query.highlight] })
        ).hits;
      } catch (error) {
        throw withContext(error, 'q: ');
      }
      const ranked = hits.map((hit, rank) => ({ rank, hit: searchHitToJson(hit) }));
      const page = paginate(
        ranked,
        query,
        { rank: (r) => r.rank, posted_at: (r) => r.hit.posted_at as string | null },
        (r) => r.hit.doc_id as string,
      );
      return send(c, pageOf(SearchHitOutput), { ...page, items: page.items.map((r) => r.hit) });
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/darkweb/mentions',
      operationId: 'listMentions',
      tags: ['darkweb'],
      summary: 'Mentions of monitored organizations in dark-web documents, newest first by default',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['posted_at', 'confidence', 'org'], '-posted_at'),
          org: z.string().min(1).max(300).optional(),
          class: z.enum(DOCUMENT_CLASSES).optional(),
          since: Timestamp.optional(),
        }),
      },
      responses: { 200: json(pageOf(MentionOutput), 'A page of mentions'), 404: problemOf('No such organization') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const mentions = await store.darkweb.listMentions({
        ...(query.org === undefined ? {} : { organizationId: (await findOrganization(store, query.org)).id }),
        ...(query.class === undefined ? {} : { class: query.class }),
        ...(query.since === undefined ? {} : { since: new Date(query.since).toISOString() }),
      });
      const rows = mentions.map((m) => ({
        id: `${m.documentId} ${m.organizationId} ${m.via}`,
        json: mentionToJson(m),
      }));
      const page = paginate(
        rows,
        query,
        {
          posted_at: (r) => r.json.posted_at as string | null,
          confidence: (r) => r.json.confidence as number,
          org: (r) => String(r.json.org).toLowerCase(),
        },
        (r) => r.id,
      );
      return send(c, pageOf(MentionOutput), { ...page, items: page.items.map((r) => r.json) });
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/darkweb/documents/{id}',
      operationId: 'getDocument',
      tags: ['darkweb'],
      summary: 'One dark-web document with its text and the identifiers extracted from it',
      request: { params: z.strictObject({ id: z.string().min(1).max(300) }) },
      responses: { 200: json(DocumentOutput, 'The document'), 404: problemOf('No such document') },
    },
    async (c) => {
      const id = c.req.valid('param').id;
      const doc = await store.darkweb.getDocument(id);
      if (doc === undefined) throw new ApiProblem(404, `no document "${id}"`, 'not-found');
      const entities = await store.darkweb.entitiesOf(id);
      return send(c, DocumentOutput, {
        doc_id: doc.id,
        title: doc.title,
        author: doc.author,
        source: doc.source,
        source_type: doc.source_type,
        url: doc.url,
        posted_at: doc.posted_at,
        ingested_at: doc.ingested_at,
        language: doc.language,
        class: doc.class,
        text: doc.text,
        entities: entities.map((e) => ({ type: e.type, value: e.value })),
      });
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/watchlists',
      operationId: 'listWatchlists',
      tags: ['watchlists'],
      summary: 'Watchlists with their alert counts',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['name', 'created_at', 'alerts'], 'name'),
          kind: z.enum(['organization', 'term', 'regex']).optional(),
        }),
      },
      responses: { 200: json(pageOf(WatchlistOutput), 'A page of watchlists') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const rows = (await watchlistRows(store)).filter((w) => query.kind === undefined || w.kind === query.kind);
      const page = paginate(
        rows,
        query,
        { name: (w) => w.name, created_at: (w) => w.created_at, alerts: (w) => w.alerts },
        (w) => w.name,
      );
      return send(c, pageOf(WatchlistOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'analyst',
    {
      method: 'post',
      path: '/api/v1/watchlists',
      operationId: 'addWatchlist',
      tags: ['watchlists'],
      summary: 'Add a watchlist: exactly one of org, term, regex (RE2); optional signed webhook',
      request: { body: { required: true, content: { 'application/json': { schema: WatchlistRequest } } } },
      responses: { 201: json(WatchlistCreatedOutput, 'The watchlist, and its generated secret if any') },
    },
    async (c) => {
      const body = c.req.valid('json');
      const { watchlist, generatedSecret } = await addWatchlist(store, {
        ...(body.org === undefined ? {} : { org: body.org }),
        ...(body.term === undefined ? {} : { term: body.term }),
        ...(body.regex === undefined ? {} : { regex: body.regex }),
        ...(body.ignore_case === undefined ? {} : { ignoreCase: body.ignore_case }),
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.webhook === undefined ? {} : { webhook: body.webhook }),
        ...(body.secret === undefined ? {} : { secret: body.secret }),
        ...(body.only_new === undefined ? {} : { onlyNew: body.only_new }),
        now: deps.now(),
      });
      const row = (await watchlistRows(store)).find((w) => w.name === watchlist.name);
      return send(c, WatchlistCreatedOutput, { watchlist: row, secret: generatedSecret ?? null }, 201);
    },
  );

  endpoint(
    app,
    deps,
    'analyst',
    {
      method: 'delete',
      path: '/api/v1/watchlists/{name}',
      operationId: 'removeWatchlist',
      tags: ['watchlists'],
      summary: 'Remove a watchlist with its alerts and undelivered webhooks',
      request: { params: z.strictObject({ name: z.string().min(1).max(100) }) },
      responses: { 204: { description: 'Removed' }, 404: problemOf('No such watchlist') },
    },
    async (c) => {
      const watchlist = await requireWatchlist(c.req.valid('param').name);
      await store.alerts.removeWatchlist(watchlist.id);
      return c.body(null, 204);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/alerts',
      operationId: 'listAlerts',
      tags: ['watchlists'],
      summary: 'Alerts with their delivery state, newest first by default',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['created_at', 'watchlist'], '-created_at'),
          watchlist: z.string().min(1).max(100).optional(),
          status: z.enum([...DELIVERY_STATUSES, 'not_sent']).optional(),
          since: Timestamp.optional(),
        }),
      },
      responses: { 200: json(pageOf(AlertOutput), 'A page of alerts'), 404: problemOf('No such watchlist') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const watchlistId = query.watchlist === undefined ? undefined : (await requireWatchlist(query.watchlist)).id;
      const alerts = await store.alerts.listAlerts({
        ...(watchlistId === undefined ? {} : { watchlistId }),
        ...(query.status === undefined ? {} : { delivery: query.status }),
        ...(query.since === undefined ? {} : { since: new Date(query.since).toISOString() }),
      });
      const organizations = new Map((await store.organizations.list()).map((o) => [o.id, o.name]));
      const page = paginate(
        alerts.map((a) => alertToJson(a, organizations)),
        query,
        { created_at: (a) => a.created_at, watchlist: (a) => a.watchlist },
        (a) => a.alert_id,
      );
      return send(c, pageOf(AlertOutput), page);
    },
  );
}
