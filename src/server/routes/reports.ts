/** The portfolio (as `vitals portfolio`), the study (as `vitals study`) and the finding catalogue. */
import { z } from 'zod';
import { getCatalogue } from '../../catalogue/catalogue.js';
import { FACTORS, SEVERITIES, STORED_SECTORS } from '../../core/types.js';
import { PortfolioOutput, PortfolioTableOutput, StudyOutput } from '../../output/schemas.js';
import { portfolioTable } from '../../views/portfolio-table.js';
import { COHORTS, portfolioReport } from '../../portfolio/service.js';
import { runStudy } from '../../reports/study.js';
import { COHORTS as STUDY_COHORTS } from '../../study/figures.js';
import { studyPeriods } from '../../study/periods.js';
import { endpoint, json, problemOf, send } from '../access.js';
import { type JsonAnswer, jsonAnswer, jsonAnswerResponse } from '../answer-cache.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { pageOf, pageQuery, paginate, sortQuery } from '../pagination.js';
import { Timestamp } from '../params.js';
import { findOrganization } from './orgs.js';

const Month = z.string().regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM');

/** The study query the study route takes (`vitals study`'s options). */
export const StudyQuery = {
  from: Month,
  to: Month,
  cohort: z.enum(STUDY_COHORTS).optional(),
  by: z.enum(['span', 'month']).default('span'),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  resamples: z.coerce.number().int().min(100).max(100_000).optional(),
};

/** The study for a query, kept in the answer cache (the page asks for the JSON and two charts of it). */
export function studyAnswer(deps: ApiDeps, query: z.infer<z.ZodObject<typeof StudyQuery>>) {
  studyPeriods(query.from, query.to, query.by);
  return deps.answers.get(`study ${JSON.stringify(query)}`, () =>
    runStudy(deps.store, (range) => deps.store.scoreSnapshots.streamSnapshots(range), {
      from: query.from,
      to: query.to,
      by: query.by,
      ...(query.cohort === undefined ? {} : { cohort: query.cohort }),
      ...(query.seed === undefined ? {} : { seed: query.seed }),
      ...(query.resamples === undefined ? {} : { resamples: query.resamples }),
    }),
  );
}

const CatalogueReferenceOutput = z.strictObject({ kind: z.string(), ref: z.string(), url: z.string().optional() });
const FindingTypeOutput = z.strictObject({
  id: z.string(),
  factor: z.enum(FACTORS),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  description: z.string(),
  remediation: z.string(),
  references: z.array(CatalogueReferenceOutput),
});
/** `vitals catalogue --format json`. */
const CatalogueOutput = z.strictObject({
  findings: z.array(FindingTypeOutput),
  controls: z.array(z.strictObject({ id: z.string(), title: z.string(), description: z.string() })),
});

/** The portfolio's checked, serialized answer for a query, kept until the store changes. */
export async function portfolioAnswer(
  deps: ApiDeps,
  query: {
    sector?: (typeof STORED_SECTORS)[number];
    cohort?: (typeof COHORTS)[number];
    vendors_of?: string;
    as_of?: string;
  },
): Promise<JsonAnswer> {
  const client = query.vendors_of === undefined ? undefined : await findOrganization(deps.store, query.vendors_of);
  // Thousands of organizations make megabytes of JSON: the checked, serialized answer is what is kept.
  return deps.answers.get(`portfolio ${JSON.stringify({ ...query, vendors_of: client?.id })}`, async () => {
    const report = await portfolioReport(deps.store, {
      asOf: query.as_of ?? deps.now(),
      ...(query.sector === undefined ? {} : { sector: query.sector }),
      ...(query.cohort === undefined ? {} : { cohort: query.cohort }),
      ...(client === undefined ? {} : { vendorsOf: client.id }),
    });
    return jsonAnswer(PortfolioOutput.parse(report));
  });
}

export function reportRoutes(app: ApiApp, deps: ApiDeps): void {
  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/portfolio',
      operationId: 'getPortfolio',
      tags: ['reports'],
      summary: 'Grade distribution, factor percentiles, weakest factors and the ranking, as `vitals portfolio`',
      request: {
        query: z.strictObject({
          sector: z.enum(STORED_SECTORS).optional(),
          cohort: z.enum(COHORTS).optional(),
          vendors_of: z.string().min(1).max(300).optional().describe('organization id, name or alias'),
          as_of: Timestamp.optional(),
        }),
      },
      responses: { 200: json(PortfolioOutput, 'The portfolio'), 404: problemOf('No such organization') },
    },
    async (c) => {
      const body = await portfolioAnswer(deps, c.req.valid('query'));
      return jsonAnswerResponse(body, c.req.header('accept-encoding'));
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/portfolio/table',
      operationId: 'getPortfolioTable',
      tags: ['reports'],
      summary:
        "The dashboard's portfolio table: every organization with grade, score, trend and 12-month sparkline, " +
        'sector, telehealth, worst factor, open findings by severity and dark-web mentions',
      responses: { 200: json(PortfolioTableOutput, 'Every organization') },
    },
    async (c) => {
      const body = await deps.answers.get('portfolio table', async () =>
        jsonAnswer(PortfolioTableOutput.parse(await portfolioTable(deps.store, deps.now()))),
      );
      return jsonAnswerResponse(body, c.req.header('accept-encoding'));
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/study',
      operationId: 'getStudy',
      tags: ['reports'],
      summary: 'The seed study between two months, as `vitals study --format json`',
      request: {
        query: z.strictObject(StudyQuery),
      },
      responses: { 200: json(StudyOutput, 'The study') },
    },
    async (c) => {
      const report = await studyAnswer(deps, c.req.valid('query'));
      return send(c, StudyOutput, report);
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/catalogue',
      operationId: 'getCatalogue',
      tags: ['catalogue'],
      summary: 'The whole finding catalogue, as `vitals catalogue --format json`',
      responses: { 200: json(CatalogueOutput, 'The catalogue') },
    },
    async (c) => send(c, CatalogueOutput, getCatalogue()),
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/catalogue/findings',
      operationId: 'listFindingTypes',
      tags: ['catalogue'],
      summary: 'Finding types of the catalogue, with remediation and HICP/HIPAA/RFC references',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['id', 'severity', 'factor'], 'id'),
          factor: z.enum(FACTORS).optional(),
          severity: z.enum(SEVERITIES).optional(),
        }),
      },
      responses: { 200: json(pageOf(FindingTypeOutput), 'A page of finding types') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const types = getCatalogue().findings.filter(
        (f) =>
          (query.factor === undefined || f.factor === query.factor) &&
          (query.severity === undefined || f.severity === query.severity),
      );
      const page = paginate(
        types,
        query,
        { id: (f) => f.id, severity: (f) => SEVERITIES.indexOf(f.severity), factor: (f) => f.factor },
        (f) => f.id,
      );
      return send(c, pageOf(FindingTypeOutput), page);
    },
  );
}
