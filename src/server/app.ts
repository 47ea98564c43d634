/**
 * The REST API as one Hono app (issue #11 section 1): routes under /api/v1 declared with zod schemas (the
 * CLI's output shapes from src/output/schemas.ts), the OpenAPI 3.1 document generated from them at
 * /api/v1/openapi.json, the server's security headers on every response, and RFC 9457 problem details for
 * every error, a 404 and a thrown bug alike.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { sessionCookieName } from './access.js';
import type { ApiApp, ApiDeps, ApiEnv } from './context.js';
import { problem, problemFromError, validationProblem } from './problem.js';
import { chartRoutes } from './routes/charts.js';
import { darkwebRoutes } from './routes/darkweb.js';
import { findingRoutes } from './routes/findings.js';
import { organizationRoutes } from './routes/orgs.js';
import { reportRoutes } from './routes/reports.js';
import { scanRoutes } from './routes/scans.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import { securityHeaders } from './security-headers.js';
import { dashboardRoutes } from './dashboard.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

export function createApi(deps: ApiDeps, version: string): ApiApp {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationProblem });
  app.use('*', securityHeaders(deps.tls));
  // A write that succeeded may change any cached answer (a dispute moves a score, an import the portfolio).
  app.use('*', async (c, next) => {
    await next();
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) && c.res.status < 400) deps.answers.bump();
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from `vitals tokens create` (or POST /api/v1/tokens)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookieName(deps.tls),
    description: 'The dashboard session from POST /api/v1/session; state-changing requests also need X-CSRF-Token',
  });

  sessionRoutes(app, deps);
  userRoutes(app, deps);
  organizationRoutes(app, deps);
  findingRoutes(app, deps);
  reportRoutes(app, deps);
  darkwebRoutes(app, deps);
  scanRoutes(app, deps);
  chartRoutes(app, deps);

  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Vitals API',
      version,
      description:
        'Security ratings and dark-web intelligence for healthcare organizations. Every route names the role it ' +
        'needs in x-vitals-role (viewer < analyst < admin); errors are RFC 9457 problem details.',
    },
  });

  dashboardRoutes(app);

  app.notFound((c) => problem(404, `no route ${c.req.method} ${c.req.path}`, { code: 'not-found' }));
  app.onError((error) => problemFromError(error, deps.log));
  return app;
}
