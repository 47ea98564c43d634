/**
 * Who may call what. Every route is declared through `endpoint` with the role it needs (`public` for the
 * login only); the role goes into the OpenAPI document as `x-vitals-role` with the security schemes, and
 * the route's first middleware enforces it before any input is read: 401 without valid credentials, 403
 * for a role below the one needed or a cookie request without its CSRF token.
 */
import { createRoute, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { activeSession, authenticateToken } from '../auth/service.js';
import { roleAllows, type Principal, type Role } from '../core/auth.js';
import type { ApiApp, ApiDeps, ApiEnv } from './context.js';
import { ProblemDetails, problem } from './problem.js';

/** The role a route needs, or `public` (no credentials: the login itself). */
export type Access = Role | 'public';

/** The dashboard's cookie; under TLS with the `__Host-` prefix (Secure, no Domain, path /: RFC 6265bis). */
export function sessionCookieName(tls: boolean): string {
  return tls ? '__Host-vitals_session' : 'vitals_session';
}

/** The header a cookie-authenticated state-changing request must carry the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Request bodies larger than this are refused with 413 before they are read whole. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

const unauthenticated = (detail: string, error?: string): Response =>
  problem(
    401,
    detail,
    { code: 'unauthenticated' },
    {
      'www-authenticate': `Bearer realm="vitals"${error ? `, error="${error}"` : ''}`,
    },
  );

/** Who the request acts as, or the 401/403 response that ends it. */
async function authenticate(c: Context<ApiEnv>, deps: ApiDeps): Promise<Principal | Response> {
  const clock = { now: deps.now };
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const token = BEARER.exec(header)?.[1];
    const principal = token === undefined ? undefined : await authenticateToken(deps.store, token, clock);
    return principal ?? unauthenticated('the bearer token is malformed, unknown, revoked or expired', 'invalid_token');
  }
  const cookie = getCookie(c, sessionCookieName(deps.tls));
  if (cookie !== undefined) {
    const session = await activeSession(deps.store, cookie, clock);
    if (session === undefined) return unauthenticated('the session has expired or ended: log in again');
    if (!SAFE_METHODS.has(c.req.method) && !session.csrfMatches(c.req.header(CSRF_HEADER)))
      return problem(403, `a request made with the session cookie must send its CSRF token in ${CSRF_HEADER}`, {
        code: 'csrf-token-invalid',
      });
    c.set('session', session);
    return session.principal;
  }
  return unauthenticated(
    'authentication required: send Authorization: Bearer TOKEN (see `vitals tokens create`) or log in',
  );
}

/** The middleware that lets a request through only with credentials of at least `access`. */
export function guard(deps: ApiDeps, access: Access): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('session', undefined);
    if (access === 'public') return next();
    const principal = await authenticate(c, deps);
    if (principal instanceof Response) return principal;
    if (!roleAllows(principal.role, access))
      return problem(403, `this needs the ${access} role; these credentials have the ${principal.role} role`, {
        code: 'forbidden',
      });
    c.set('principal', principal);
    await next();
  };
}

const problemContent = { 'application/problem+json': { schema: ProblemDetails } };

/** The problems every route can answer with, documented once. */
function problemResponses(access: Access, hasBody: boolean) {
  return {
    400: { description: 'Invalid request (problem details name each field)', content: problemContent },
    ...(access === 'public'
      ? {}
      : {
          401: { description: 'No valid credentials', content: problemContent },
          403: { description: 'The credentials lack the role, or the CSRF token is missing', content: problemContent },
        }),
    ...(hasBody ? { 413: { description: 'Request body too large', content: problemContent } } : {}),
  };
}

/** A handler of a route: the typed context (validated input), returning the response. */
export type ApiHandler<R extends RouteConfig> = (c: Parameters<RouteHandler<R, ApiEnv>>[0]) => Promise<Response>;

/** Declare and serve one route, needing `access`. */
export function endpoint<R extends RouteConfig>(
  app: ApiApp,
  deps: ApiDeps,
  access: Access,
  config: R,
  handler: ApiHandler<R>,
  options: { bodyLimit?: number } = {},
): void {
  const hasBody = config.request?.body !== undefined;
  const limit = bodyLimit({
    maxSize: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    onError: () =>
      problem(413, `the request body is larger than ${options.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes`, {
        code: 'body-too-large',
      }),
  });
  const route = createRoute({
    ...config,
    // No route takes query parameters it does not declare: an unknown one is a 400, like an unknown field.
    request: { query: z.strictObject({}), ...config.request },
    'x-vitals-role': access,
    security: access === 'public' ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
    middleware: [guard(deps, access), limit],
    responses: { ...problemResponses(access, hasBody), ...config.responses },
  });
  app.openapi(route, handler as unknown as RouteHandler<typeof route, ApiEnv>);
}

/** A JSON response after checking `value` against its schema: output that drifts from its contract is a bug. */
export function send<S extends z.ZodType>(c: Context, schema: S, value: unknown, status: 200 | 201 = 200): Response {
  return c.json(schema.parse(value) as object, status);
}

/** A problem response for the OpenAPI document. */
export function problemOf(description: string) {
  return { description, content: problemContent };
}

/** A JSON success response for the OpenAPI document. */
export function json<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
