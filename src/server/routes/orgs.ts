/**
 * Organizations: the portfolio list (as `orgs list`), one organization (as `orgs show`), its scorecard,
 * score history and assets; create or update, import and delete (admin).
 */
import { z } from 'zod';
import { FILE_CAPS } from '../../core/capped-file.js';
import type { Organization } from '../../core/organization.js';
import { GRADES } from '../../core/score-snapshots.js';
import { SECTORS, STORED_SECTORS } from '../../core/types.js';
import { parseAsOf, scorecardFor } from '../../ratings/scorecard.js';
import { importOrganizations, parseOrganizationsText } from '../../store/import-organizations.js';
import {
  OrganizationAssetOutput,
  OrganizationDetailOutput,
  OrganizationOutput,
  ScoreHistoryPointOutput,
  ScorecardOutput,
} from '../../output/schemas.js';
import { organizationAssetToJson, organizationDetail, organizationRows } from '../../views/organizations.js';
import { endpoint, json, problemOf, send } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { pageOf, pageQuery, paginate, sortQuery } from '../pagination.js';
import { ApiProblem } from '../problem.js';
import { Bool, Day, OrgParam, Timestamp } from '../params.js';
import type { Store } from '../../store/database.js';

/** The organization a path names: its id, name or alias; 404 when none. */
export async function findOrganization(store: Store, reference: string): Promise<Organization> {
  const org =
    (await store.organizations.getById(reference)) ?? (await store.organizations.findByNameOrAlias(reference));
  if (org === undefined)
    throw new ApiProblem(404, `no organization "${reference}" (by id, name or alias)`, 'not-found');
  return org;
}

/** One organization as the import takes it (the same validation as a row of `orgs import`). */
const OrganizationRequest = z.strictObject({
  name: z.string().min(1).max(200),
  sector: z.enum(SECTORS),
  domains: z.array(z.string().min(1).max(253)).min(1).max(1000),
  telehealth: z.boolean(),
  aliases: z.array(z.string().min(1).max(200)).max(100).optional(),
  tags: z.array(z.string().min(1).max(100)).max(100).optional(),
  vendors: z.array(z.string().min(1).max(200)).max(1000).optional(),
});

const notFound = problemOf('No such organization');

const ImportCountsOutput = z.strictObject({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
const UpsertOutput = z.strictObject({
  change: z.enum(['created', 'updated', 'unchanged']),
  organization: OrganizationOutput,
});

export function organizationRoutes(app: ApiApp, deps: ApiDeps): void {
  const store = deps.store;
  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/orgs',
      operationId: 'listOrganizations',
      tags: ['organizations'],
      summary: 'The portfolio: every organization with score, grade, trend and open findings by severity',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['name', 'score', 'grade', 'trend', 'sector'], 'name'),
          sector: z.enum(STORED_SECTORS).optional(),
          telehealth: Bool.optional(),
          grade: z.enum(GRADES).optional(),
          q: z.string().min(1).max(200).optional().describe('part of the name, an alias or a domain'),
        }),
      },
      responses: { 200: json(pageOf(OrganizationOutput), 'A page of organizations') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const needle = query.q?.toLowerCase();
      const all = await deps.answers.get('organization rows', () => organizationRows(store, undefined, deps.now()));
      const rows = all.filter(
        (o) =>
          (query.sector === undefined || o.sector === query.sector) &&
          (query.telehealth === undefined || o.telehealth === (query.telehealth === 'true')) &&
          (query.grade === undefined || o.grade === query.grade) &&
          (needle === undefined ||
            [o.name, ...o.aliases, ...o.domains].some((text) => text.toLowerCase().includes(needle))),
      );
      const page = paginate(
        rows,
        query,
        {
          name: (o) => o.name.toLowerCase(),
          score: (o) => o.score,
          grade: (o) => o.grade,
          trend: (o) => o.trend,
          sector: (o) => o.sector,
        },
        (o) => o.name.toLowerCase(),
      );
      return send(c, pageOf(OrganizationOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'post',
      path: '/api/v1/orgs',
      operationId: 'upsertOrganization',
      tags: ['organizations'],
      summary: 'Create an organization, or update the one with this name (validated as a row of `orgs import`)',
      request: { body: { required: true, content: { 'application/json': { schema: OrganizationRequest } } } },
      responses: { 200: json(UpsertOutput, 'What changed, and the organization') },
    },
    async (c) => {
      const body = c.req.valid('json');
      const parsed = parseOrganizationsText(JSON.stringify([body]), 'json', '<request body>');
      const counts = await importOrganizations(store, parsed);
      const change = counts.created > 0 ? 'created' : counts.updated > 0 ? 'updated' : 'unchanged';
      const org = await findOrganization(store, parsed.organizations[0]!.name);
      const [row] = await organizationRows(store, [org], deps.now());
      return send(c, UpsertOutput, { change, organization: row });
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'post',
      path: '/api/v1/orgs/import',
      operationId: 'importOrganizations',
      tags: ['organizations'],
      summary:
        'Import organizations from CSV or JSON, as `vitals orgs import` (a body with any bad row is refused whole)',
      request: {
        query: z.strictObject({ allow_shared_domains: Bool.optional() }),
        // Not `required`: the JSON validator then leaves a CSV body alone (the media types are still enforced).
        body: {
          required: false,
          content: {
            'text/csv': { schema: z.string() },
            'application/json': {
              schema: z.union([
                z.array(z.looseObject({})),
                z.strictObject({ organizations: z.array(z.looseObject({})) }),
              ]),
            },
          },
        },
      },
      responses: { 200: json(ImportCountsOutput, 'Organizations created, updated and unchanged') },
    },
    async (c) => {
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      if (!type.startsWith('text/csv') && !type.startsWith('application/json'))
        throw new ApiProblem(415, 'send the organizations as text/csv or application/json', 'request-invalid');
      const csv = type.startsWith('text/csv');
      const text = csv ? await c.req.text() : JSON.stringify(c.req.valid('json'));
      const parsed = parseOrganizationsText(text, csv ? 'csv' : 'json', '<request body>');
      const counts = await importOrganizations(store, parsed, {
        allowSharedDomains: c.req.valid('query').allow_shared_domains === 'true',
      });
      return send(c, ImportCountsOutput, counts);
    },
    { bodyLimit: FILE_CAPS.organizations },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/orgs/{org}',
      operationId: 'getOrganization',
      tags: ['organizations'],
      summary: 'One organization (by id, name or alias) with its score, factors, assets and findings',
      request: { params: OrgParam },
      responses: { 200: json(OrganizationDetailOutput, 'The organization'), 404: notFound },
    },
    async (c) => {
      const org = await findOrganization(store, c.req.valid('param').org);
      return send(c, OrganizationDetailOutput, await organizationDetail(store, org));
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'delete',
      path: '/api/v1/orgs/{org}',
      operationId: 'deleteOrganization',
      tags: ['organizations'],
      summary: 'Delete an organization with its assets, findings, disputes and history',
      request: { params: OrgParam },
      responses: { 204: { description: 'Deleted' }, 404: notFound },
    },
    async (c) => {
      const org = await findOrganization(store, c.req.valid('param').org);
      await store.organizations.remove(org.id);
      return c.body(null, 204);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/orgs/{org}/scorecard',
      operationId: 'getScorecard',
      tags: ['organizations'],
      summary: 'The scorecard, as `vitals scorecard ORG --format json`; `as_of` answers from the score history',
      request: {
        params: OrgParam,
        query: z.strictObject({ as_of: z.union([Day, Timestamp]).optional() }),
      },
      responses: { 200: json(ScorecardOutput, 'The scorecard'), 404: notFound },
    },
    async (c) => {
      const org = await findOrganization(store, c.req.valid('param').org);
      const asOf = c.req.valid('query').as_of;
      const card = await scorecardFor(store, org.id, {
        now: deps.now(),
        ...(asOf === undefined ? {} : { asOf: parseAsOf(asOf, deps.now()) }),
      });
      return send(c, ScorecardOutput, card);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/orgs/{org}/history',
      operationId: 'getScoreHistory',
      tags: ['organizations'],
      summary: 'Score history: every score snapshot (scans, disputes, exclusions), oldest first by default',
      request: {
        params: OrgParam,
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['taken_at', 'score'], 'taken_at'),
          from: Timestamp.optional(),
          to: Timestamp.optional(),
        }),
      },
      responses: { 200: json(pageOf(ScoreHistoryPointOutput), 'A page of score snapshots'), 404: notFound },
    },
    async (c) => {
      const org = await findOrganization(store, c.req.valid('param').org);
      const query = c.req.valid('query');
      const history = await store.scoreSnapshots.snapshotHistory(org.id, {
        ...(query.from === undefined ? {} : { from: new Date(query.from).toISOString() }),
        ...(query.to === undefined ? {} : { to: new Date(query.to).toISOString() }),
      });
      const points = history.map((s) => ({
        id: s.id,
        point: {
          taken_at: s.takenAt,
          reason: s.reason,
          scan_id: s.scanId,
          method_version: s.methodVersion,
          score: s.score,
          grade: s.grade,
          factors: s.factors,
        },
      }));
      const page = paginate(
        points,
        query,
        { taken_at: (p) => p.point.taken_at, score: (p) => p.point.score },
        (p) => p.id,
      );
      return send(c, pageOf(ScoreHistoryPointOutput), { ...page, items: page.items.map((p) => p.point) });
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/orgs/{org}/assets',
      operationId: 'listAssets',
      tags: ['organizations'],
      summary: "An organization's stored assets with how each was found",
      request: {
        params: OrgParam,
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['host', 'first_seen', 'last_seen'], 'host'),
          discovered_by: z.string().min(1).max(100).optional(),
        }),
      },
      responses: { 200: json(pageOf(OrganizationAssetOutput), 'A page of assets'), 404: notFound },
    },
    async (c) => {
      const org = await findOrganization(store, c.req.valid('param').org);
      const query = c.req.valid('query');
      const assets = (await store.assets.list(org.id))
        .map(organizationAssetToJson)
        .filter((a) => query.discovered_by === undefined || a.discovered_by.includes(query.discovered_by));
      const page = paginate(
        assets,
        query,
        { host: (a) => a.host, first_seen: (a) => a.first_seen, last_seen: (a) => a.last_seen },
        (a) => a.host,
      );
      return send(c, pageOf(OrganizationAssetOutput), page);
    },
  );
}
