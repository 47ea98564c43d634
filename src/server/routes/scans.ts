/** Scans as jobs: start one (analyst), follow its progress and read its report (viewer). */
import { z } from 'zod';
import { normalizeDomain } from '../../core/names.js';
import { ScanReportOutput } from '../../output/schemas.js';
import { endpoint, json, problemOf, send } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { pageOf, pageQuery, paginate, sortQuery } from '../pagination.js';
import { ApiProblem } from '../problem.js';

const ScanJobOutput = z.strictObject({
  id: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  requested_by: z.string(),
  created_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
  request: z.strictObject({ domains: z.array(z.string()), organizations: z.array(z.string()), all: z.boolean() }),
  progress: z.strictObject({
    done: z.number().int(),
    total: z.number().int().nullable(),
    current: z.string().nullable(),
  }),
  scan_id: z.string().nullable(),
  error: z.string().nullable(),
  /** The report of `vitals scan --format json`, once the scan finished. */
  report: ScanReportOutput.nullable(),
});

const ScanRequestBody = z.strictObject({
  domains: z.array(z.string().min(1).max(253)).max(10_000).default([]),
  organizations: z.array(z.string().min(1).max(300)).max(10_000).default([]),
  all: z.boolean().default(false),
});

export function scanRoutes(app: ApiApp, deps: ApiDeps): void {
  endpoint(
    app,
    deps,
    'analyst',
    {
      method: 'post',
      path: '/api/v1/scans',
      operationId: 'startScan',
      tags: ['scans'],
      summary: 'Start a scan of domains, organizations or the whole portfolio; it runs as a job',
      request: { body: { required: true, content: { 'application/json': { schema: ScanRequestBody } } } },
      responses: {
        202: json(ScanJobOutput, 'The scan started; follow it at /api/v1/scans/{id}'),
        409: problemOf('A scan is running'),
        503: problemOf('This server was started without scanning'),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      if (body.domains.length === 0 && body.organizations.length === 0 && !body.all)
        throw new ApiProblem(400, 'name what to scan: domains, organizations, or all', 'scan-request-invalid');
      const domains = body.domains.map((d) => normalizeDomain(d));
      const job = deps.scans.start(
        { domains, organizations: body.organizations, all: body.all },
        c.get('principal').name,
      );
      c.header('location', `/api/v1/scans/${job.id}`);
      return c.json(ScanJobOutput.parse(job), 202);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/scans',
      operationId: 'listScans',
      tags: ['scans'],
      summary: 'The scans started over the API since the server started (the last 20)',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['created_at', 'status'], '-created_at'),
          status: z.enum(['running', 'succeeded', 'failed']).optional(),
        }),
      },
      responses: { 200: json(pageOf(ScanJobOutput), 'A page of scan jobs') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const jobs = deps.scans.list().filter((j) => query.status === undefined || j.status === query.status);
      const page = paginate(jobs, query, { created_at: (j) => j.created_at, status: (j) => j.status }, (j) => j.id);
      return send(c, pageOf(ScanJobOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/scans/{id}',
      operationId: 'getScan',
      tags: ['scans'],
      summary: 'A scan job: its progress, and its report once done',
      request: { params: z.strictObject({ id: z.string().min(1).max(64) }) },
      responses: { 200: json(ScanJobOutput, 'The scan job'), 404: problemOf('No such scan job') },
    },
    async (c) => {
      const id = c.req.valid('param').id;
      const job = deps.scans.get(id);
      if (job === undefined) throw new ApiProblem(404, `no scan job "${id}"`, 'not-found');
      return send(c, ScanJobOutput, job);
    },
  );
}
