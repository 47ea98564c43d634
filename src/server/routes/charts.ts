/**
 * The dashboard's charts as SVG images (src/views/charts.ts renders them with ECharts on the server): an
 * organization's score history, factors, lost-points waterfall and what-if plan; the portfolio's grades;
 * the study's change by factor and its series. Same roles and inputs as the JSON they draw.
 */
import { z } from 'zod';
import { COHORTS } from '../../portfolio/service.js';
import { parseAsOf, scorecardFor } from '../../ratings/scorecard.js';
import { STORED_SECTORS } from '../../core/types.js';
import {
  type Chart,
  factorChart,
  gradeChart,
  planChart,
  scoreHistoryChart,
  studyChangeChart,
  studySeriesChart,
  waterfallChart,
} from '../../views/charts.js';
import { endpoint, problemOf } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { Day, OrgParam, Timestamp } from '../params.js';
import { findOrganization } from './orgs.js';
import { portfolioAnswer, StudyQuery, studyAnswer } from './reports.js';

const svg = (description: string) => ({
  description,
  content: { 'image/svg+xml': { schema: z.string().describe('an SVG image with role="img" and a <title>') } },
});

function sendChart(chart: Chart): Response {
  return new Response(chart.svg, { status: 200, headers: { 'content-type': 'image/svg+xml; charset=utf-8' } });
}

export const ORGANIZATION_CHARTS = ['history', 'factors', 'waterfall', 'plan'] as const;
export const PORTFOLIO_CHARTS = ['grades'] as const;
export const STUDY_CHARTS = ['change', 'series'] as const;

export function chartRoutes(app: ApiApp, deps: ApiDeps): void {
  const store = deps.store;

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/orgs/{org}/charts/{chart}',
      operationId: 'getOrganizationChart',
      tags: ['charts'],
      summary: "An organization's chart as SVG: score history, factor scores, lost-points waterfall, what-if plan",
      request: {
        params: z.strictObject({ ...OrgParam.shape, chart: z.enum(ORGANIZATION_CHARTS) }),
        query: z.strictObject({ as_of: z.union([Day, Timestamp]).optional() }),
      },
      responses: { 200: svg('The chart'), 404: problemOf('No such organization') },
    },
    async (c) => {
      const { org: reference, chart } = c.req.valid('param');
      const org = await findOrganization(store, reference);
      if (chart === 'history') {
        const history = await store.scoreSnapshots.snapshotHistory(org.id);
        return sendChart(
          scoreHistoryChart(
            org.name,
            history.map((s) => ({ taken_at: s.takenAt, score: s.score })),
          ),
        );
      }
      const asOf = c.req.valid('query').as_of;
      const card = await scorecardFor(store, org.id, {
        now: deps.now(),
        ...(asOf === undefined ? {} : { asOf: parseAsOf(asOf, deps.now()) }),
      });
      if (chart === 'factors') return sendChart(factorChart(card.organization, card.factors));
      if (chart === 'waterfall') return sendChart(waterfallChart(card));
      return sendChart(planChart(card));
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/portfolio/charts/{chart}',
      operationId: 'getPortfolioChart',
      tags: ['charts'],
      summary: "The portfolio's chart as SVG: how many organizations have each grade",
      request: {
        params: z.strictObject({ chart: z.enum(PORTFOLIO_CHARTS) }),
        query: z.strictObject({
          sector: z.enum(STORED_SECTORS).optional(),
          cohort: z.enum(COHORTS).optional(),
        }),
      },
      responses: { 200: svg('The chart') },
    },
    async (c) => {
      const body = await portfolioAnswer(deps, c.req.valid('query'));
      return sendChart(gradeChart(JSON.parse(body.json.toString('utf8'))));
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/study/charts/{chart}',
      operationId: 'getStudyChart',
      tags: ['charts'],
      summary: "The study's chart as SVG: change in findings per domain by factor (with intervals), or the series",
      request: {
        params: z.strictObject({ chart: z.enum(STUDY_CHARTS) }),
        query: z.strictObject(StudyQuery),
      },
      responses: { 200: svg('The chart') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const study = await studyAnswer(deps, query);
      if (c.req.valid('param').chart === 'series') return sendChart(studySeriesChart(study));
      return sendChart(studyChangeChart(study, query.cohort ?? 'all'));
    },
  );
}
