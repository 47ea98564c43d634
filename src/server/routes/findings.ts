/**
 * Findings (filters as `vitals findings`), disputes (list, open, resolve, reject), exclusions and the
 * audit log: the disputes service does the work, the routes only map HTTP onto it.
 */
import { z } from 'zod';
import { DISPUTE_REASONS, DISPUTE_STATUSES } from '../../core/disputes.js';
import { FINDING_STATUSES } from '../../core/finding.js';
import { FACTORS, SEVERITIES } from '../../core/types.js';
import { addDispute, decideDispute, excludeAsset } from '../../disputes/service.js';
import { auditToJson, disputeToJson, exclusionToJson } from '../../disputes/json.js';
import { AssetExclusionOutput, AuditEntryOutput, DisputeOutput, FindingOutput } from '../../output/schemas.js';
import { findingRows } from '../../views/findings.js';
import { endpoint, json, problemOf, send } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { pageOf, pageQuery, paginate, sortQuery } from '../pagination.js';
import { Timestamp } from '../params.js';
import { findOrganization } from './orgs.js';

const OrgFilter = z.string().min(1).max(300).optional().describe('organization id, name or alias');
const DisputeParam = z.strictObject({ id: z.string().min(8).max(64) });
const Decision = z.strictObject({ note: z.string().min(1).max(4000).optional() });

export function findingRoutes(app: ApiApp, deps: ApiDeps): void {
  const store = deps.store;
  const organizationId = async (org: string | undefined) =>
    org === undefined ? undefined : (await findOrganization(store, org)).id;

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/findings',
      operationId: 'listFindings',
      tags: ['findings'],
      summary: 'Stored findings (open unless `status` says otherwise), with the dispute in force on each',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['severity', 'first_seen', 'last_seen', 'type', 'organization'], 'severity'),
          org: OrgFilter,
          factor: z.enum(FACTORS).optional(),
          severity: z.enum(SEVERITIES).optional(),
          status: z.enum([...FINDING_STATUSES, 'all']).default('open'),
          type: z.string().min(1).max(200).optional(),
          host: z.string().min(1).max(253).optional(),
          disputed: z.enum(['true', 'false']).optional(),
        }),
      },
      responses: { 200: json(pageOf(FindingOutput), 'A page of findings'), 404: problemOf('No such organization') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const orgId = await organizationId(query.org);
      const rows = (
        await findingRows(
          store,
          {
            ...(orgId === undefined ? {} : { organizationId: orgId }),
            ...(query.factor === undefined ? {} : { factor: query.factor }),
            ...(query.severity === undefined ? {} : { severity: query.severity }),
            ...(query.status === 'all' ? {} : { status: query.status }),
            ...(query.type === undefined ? {} : { type: query.type }),
            ...(query.host === undefined ? {} : { assetHost: query.host }),
          },
          deps.now(),
        )
      ).filter((f) => query.disputed === undefined || (f.dispute != null) === (query.disputed === 'true'));
      const page = paginate(
        rows,
        query,
        {
          severity: (f) => SEVERITIES.indexOf(f.severity as (typeof SEVERITIES)[number]),
          first_seen: (f) => f.first_seen,
          last_seen: (f) => f.last_seen,
          type: (f) => f.type,
          organization: (f) => f.organization.toLowerCase(),
        },
        (f) => f.id,
      );
      return send(c, pageOf(FindingOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/disputes',
      operationId: 'listDisputes',
      tags: ['disputes'],
      summary: 'Disputes of findings, oldest first by default',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['created_at', 'decided_at', 'status', 'organization'], 'created_at'),
          org: OrgFilter,
          status: z.enum(DISPUTE_STATUSES).optional(),
        }),
      },
      responses: { 200: json(pageOf(DisputeOutput), 'A page of disputes'), 404: problemOf('No such organization') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const orgId = await organizationId(query.org);
      const at = deps.now().toISOString();
      const disputes = await store.disputes.list({
        at,
        ...(orgId === undefined ? {} : { organizationId: orgId }),
        ...(query.status === undefined ? {} : { status: query.status }),
      });
      const page = paginate(
        disputes.map((d) => disputeToJson(d, at)),
        query,
        {
          created_at: (d) => d.created_at,
          decided_at: (d) => d.decided_at,
          status: (d) => d.status,
          organization: (d) => d.organization.toLowerCase(),
        },
        (d) => d.id,
      );
      return send(c, pageOf(DisputeOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'analyst',
    {
      method: 'post',
      path: '/api/v1/disputes',
      operationId: 'addDispute',
      tags: ['disputes'],
      summary: 'Dispute a finding: it keeps counting, marked disputed, until the dispute is resolved',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                finding_id: z.string().min(8).max(64),
                reason: z.enum(DISPUTE_REASONS),
                note: z.string().min(1).max(4000),
                expires: z.string().min(1).max(64).optional().describe('YYYY-MM-DD (through that day, UTC)'),
              }),
            },
          },
        },
      },
      responses: {
        201: json(DisputeOutput, 'The dispute'),
        404: problemOf('No such finding'),
        409: problemOf('The finding is resolved or already disputed'),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const dispute = await addDispute(
        store,
        {
          finding: body.finding_id,
          reason: body.reason,
          note: body.note,
          by: c.get('principal').name,
          ...(body.expires === undefined ? {} : { expires: body.expires }),
        },
        { now: deps.now },
      );
      return send(c, DisputeOutput, disputeToJson(dispute, deps.now().toISOString()), 201);
    },
  );

  for (const [action, decision] of [
    ['resolve', 'accepted'],
    ['reject', 'rejected'],
  ] as const) {
    endpoint(
      app,
      deps,
      'analyst',
      {
        method: 'post',
        path: `/api/v1/disputes/{id}/${action}`,
        operationId: `${action}Dispute`,
        tags: ['disputes'],
        summary:
          decision === 'accepted'
            ? 'Accept a dispute: the finding leaves the score (until the expiry, if any)'
            : 'Reject a dispute: the finding keeps counting',
        request: {
          params: DisputeParam,
          body: { required: false, content: { 'application/json': { schema: Decision } } },
        },
        responses: {
          200: json(DisputeOutput, 'The decided dispute'),
          404: problemOf('No such dispute'),
          409: problemOf('The dispute is already decided'),
        },
      },
      async (c) => {
        const note = c.req.valid('json').note;
        const dispute = await decideDispute(
          store,
          {
            dispute: c.req.valid('param').id,
            decision,
            by: c.get('principal').name,
            ...(note === undefined ? {} : { note }),
          },
          { now: deps.now },
        );
        return send(c, DisputeOutput, disputeToJson(dispute, deps.now().toISOString()));
      },
    );
  }

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/exclusions',
      operationId: 'listExclusions',
      tags: ['disputes'],
      summary: 'Hosts excluded from their organization’s rating',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['created_at', 'host', 'organization'], 'created_at'),
          org: OrgFilter,
        }),
      },
      responses: {
        200: json(pageOf(AssetExclusionOutput), 'A page of exclusions'),
        404: problemOf('No such organization'),
      },
    },
    async (c) => {
      const query = c.req.valid('query');
      const exclusions = (await store.disputes.listExclusions(await organizationId(query.org))).map(exclusionToJson);
      const page = paginate(
        exclusions,
        query,
        {
          created_at: (e) => e.created_at,
          host: (e) => e.host,
          organization: (e) => e.organization.toLowerCase(),
        },
        (e) => e.id,
      );
      return send(c, pageOf(AssetExclusionOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'analyst',
    {
      method: 'post',
      path: '/api/v1/exclusions',
      operationId: 'excludeAsset',
      tags: ['disputes'],
      summary: "Exclude a host that is not the organization's: its findings leave the score",
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                host: z.string().min(1).max(253),
                reason: z.string().min(1).max(4000),
                org: z.string().min(1).max(300).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: json(AssetExclusionOutput, 'The exclusion'),
        404: problemOf('No such host or organization'),
        409: problemOf('Already excluded'),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const orgId = await organizationId(body.org);
      const exclusion = await excludeAsset(
        store,
        {
          host: body.host,
          reason: body.reason,
          by: c.get('principal').name,
          ...(orgId === undefined ? {} : { organizationId: orgId }),
        },
        { now: deps.now },
      );
      return send(c, AssetExclusionOutput, exclusionToJson(exclusion), 201);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/audit',
      operationId: 'listAudit',
      tags: ['disputes'],
      summary: 'The append-only audit log of disputes, decisions and exclusions',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['seq', 'at'], 'seq'),
          org: OrgFilter,
          action: z.string().min(1).max(100).optional(),
          since: Timestamp.optional(),
        }),
      },
      responses: {
        200: json(pageOf(AuditEntryOutput), 'A page of audit entries'),
        404: problemOf('No such organization'),
      },
    },
    async (c) => {
      const query = c.req.valid('query');
      const orgId = await organizationId(query.org);
      const since = query.since === undefined ? undefined : new Date(query.since).toISOString();
      const entries = (await store.audit.list(orgId === undefined ? {} : { organizationId: orgId }))
        .map(auditToJson)
        .filter(
          (e) => (query.action === undefined || e.action === query.action) && (since === undefined || e.at >= since),
        );
      const page = paginate(entries, query, { seq: (e) => e.seq, at: (e) => e.at }, (e) =>
        String(e.seq).padStart(12, '0'),
      );
      return send(c, pageOf(AuditEntryOutput), page);
    },
  );
}
