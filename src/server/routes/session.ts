/** The dashboard's login (`POST /session`), who is asking (`GET`), and logout (`DELETE`). */
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_LIFETIME_MS, endSession, login } from '../../auth/service.js';
import { ROLES } from '../../core/auth.js';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { endpoint, json, send, sessionCookieName } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { ProblemDetails, problem } from '../problem.js';

const LoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/** A new session: who logged in, and the CSRF token to send with every state-changing request. */
export const SessionOutput = z.strictObject({
  username: z.string(),
  role: z.enum(ROLES),
  csrf_token: z.string(),
  expires_at: z.iso.datetime(),
});

/** Who the credentials of a request act as. */
export const WhoAmIOutput = z.strictObject({
  name: z.string(),
  role: z.enum(ROLES),
  kind: z.enum(['session', 'token']),
});

const problemContent = { 'application/problem+json': { schema: ProblemDetails } };

export function sessionRoutes(app: ApiApp, deps: ApiDeps): void {
  endpoint(
    app,
    deps,
    'public',
    {
      method: 'post',
      path: '/api/v1/session',
      operationId: 'login',
      tags: ['session'],
      summary: 'Log in with a user name and password: sets the session cookie, returns the CSRF token',
      request: { body: { required: true, content: { 'application/json': { schema: LoginRequest } } } },
      responses: {
        200: json(SessionOutput, 'Logged in; the session cookie is set'),
        401: { description: 'Wrong user name or password', content: problemContent },
        429: { description: 'Too many failed logins; Retry-After says when to try again', content: problemContent },
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const address = clientAddress(c);
      const now = deps.now();
      const wait = deps.loginLimiter.retryAfter(address, body.username, now.getTime());
      if (wait > 0)
        return problem(
          429,
          `too many failed logins: try again in ${wait} seconds`,
          { code: 'login-rate-limited' },
          {
            'retry-after': String(wait),
          },
        );
      const session = await login(deps.store, body, { now: deps.now });
      if (session === undefined) {
        deps.loginLimiter.fail(address, body.username, now.getTime());
        return problem(401, 'wrong user name or password', { code: 'login-failed' });
      }
      deps.loginLimiter.succeed(body.username);
      setCookie(c, sessionCookieName(deps.tls), session.sessionToken, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: deps.tls,
        path: '/',
        maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
      });
      return send(c, SessionOutput, {
        username: session.user.username,
        role: session.user.role,
        csrf_token: session.csrfToken,
        expires_at: session.expiresAt,
      });
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'get',
      path: '/api/v1/session',
      operationId: 'whoAmI',
      tags: ['session'],
      summary: 'Who the credentials act as, and with which role',
      responses: { 200: json(WhoAmIOutput, 'The caller') },
    },
    async (c) => {
      const principal = c.get('principal');
      return send(c, WhoAmIOutput, { name: principal.name, role: principal.role, kind: principal.kind });
    },
  );

  endpoint(
    app,
    deps,
    'viewer',
    {
      method: 'delete',
      path: '/api/v1/session',
      operationId: 'logout',
      tags: ['session'],
      summary: 'Log out: ends the session and clears its cookie (nothing to end for a bearer token)',
      responses: { 204: { description: 'Logged out' } },
    },
    async (c) => {
      const session = c.get('session');
      if (session !== undefined) {
        await endSession(deps.store, session.id);
        deleteCookie(c, sessionCookieName(deps.tls), { path: '/', secure: deps.tls });
      }
      return c.body(null, 204);
    },
  );
}

/** The peer's address (the server does not trust X-Forwarded-For: no proxy is configured to set it). */
function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
