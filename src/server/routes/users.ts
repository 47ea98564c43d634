/** Users and API tokens (admin): what `vitals users` and `vitals tokens` do, over HTTP. */
import { z } from 'zod';
import { addUser, createApiToken, removeUser, revokeApiToken } from '../../auth/service.js';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { ROLES } from '../../core/auth.js';
import { ApiTokenOutput, TokenCreatedOutput, UserOutput } from '../../output/schemas.js';
import { apiTokenToJson, userToJson } from '../../views/users.js';
import { endpoint, json, send } from '../access.js';
import type { ApiApp, ApiDeps } from '../context.js';
import { pageOf, pageQuery, paginate, sortQuery } from '../pagination.js';

const UserRequest = z.strictObject({
  username: z.string().min(1).max(64),
  role: z.enum(ROLES),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

const TokenRequest = z.strictObject({
  name: z.string().min(1).max(100),
  role: z.enum(ROLES),
  /** When the token stops working; null or absent: never. */
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
});

const UsernameParam = z.strictObject({ username: z.string().min(1).max(64) });
const TokenParam = z.strictObject({ token: z.string().min(1).max(100) });

export function userRoutes(app: ApiApp, deps: ApiDeps): void {
  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'get',
      path: '/api/v1/users',
      operationId: 'listUsers',
      tags: ['users'],
      summary: 'List users',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['username', 'role', 'created_at'], 'username'),
          role: z.enum(ROLES).optional(),
        }),
      },
      responses: { 200: json(pageOf(UserOutput), 'A page of users') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const users = (await deps.store.users.listUsers()).filter(
        (u) => query.role === undefined || u.role === query.role,
      );
      const page = paginate(
        users.map(userToJson),
        query,
        {
          username: (u) => u.username.toLowerCase(),
          role: (u) => ROLES.indexOf(u.role),
          created_at: (u) => u.created_at,
        },
        (u) => u.username,
      );
      return send(c, pageOf(UserOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'post',
      path: '/api/v1/users',
      operationId: 'addUser',
      tags: ['users'],
      summary: 'Add a user (password at least 12 characters)',
      request: { body: { required: true, content: { 'application/json': { schema: UserRequest } } } },
      responses: { 201: json(UserOutput, 'The user') },
    },
    async (c) => {
      const user = await addUser(deps.store, c.req.valid('json'), { now: deps.now });
      return send(c, UserOutput, userToJson(user), 201);
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'delete',
      path: '/api/v1/users/{username}',
      operationId: 'removeUser',
      tags: ['users'],
      summary: 'Remove a user (their sessions end)',
      request: { params: UsernameParam },
      responses: { 204: { description: 'Removed' } },
    },
    async (c) => {
      await removeUser(deps.store, c.req.valid('param').username);
      return c.body(null, 204);
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'get',
      path: '/api/v1/tokens',
      operationId: 'listTokens',
      tags: ['tokens'],
      summary: 'List API tokens (their records: a token itself is shown only when it is created)',
      request: {
        query: z.strictObject({
          ...pageQuery,
          sort: sortQuery(['name', 'role', 'created_at', 'expires_at'], 'name'),
          role: z.enum(ROLES).optional(),
        }),
      },
      responses: { 200: json(pageOf(ApiTokenOutput), 'A page of token records') },
    },
    async (c) => {
      const query = c.req.valid('query');
      const tokens = (await deps.store.users.listTokens()).filter(
        (t) => query.role === undefined || t.role === query.role,
      );
      const page = paginate(
        tokens.map(apiTokenToJson),
        query,
        {
          name: (t) => t.name,
          role: (t) => ROLES.indexOf(t.role),
          created_at: (t) => t.created_at,
          expires_at: (t) => t.expires_at,
        },
        (t) => t.id,
      );
      return send(c, pageOf(ApiTokenOutput), page);
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'post',
      path: '/api/v1/tokens',
      operationId: 'createToken',
      tags: ['tokens'],
      summary: 'Create an API token: the response shows it once; only its SHA-256 is stored',
      request: { body: { required: true, content: { 'application/json': { schema: TokenRequest } } } },
      responses: { 201: json(TokenCreatedOutput, 'The token, shown this once') },
    },
    async (c) => {
      const body = c.req.valid('json');
      const created = await createApiToken(
        deps.store,
        {
          name: body.name,
          role: body.role,
          expiresAt: body.expires_at == null ? null : new Date(body.expires_at).toISOString(),
          createdBy: c.get('principal').name,
        },
        { now: deps.now },
      );
      return send(
        c,
        TokenCreatedOutput,
        {
          token: created.token,
          name: created.record.name,
          role: created.record.role,
          expires_at: created.record.expiresAt,
        },
        201,
      );
    },
  );

  endpoint(
    app,
    deps,
    'admin',
    {
      method: 'delete',
      path: '/api/v1/tokens/{token}',
      operationId: 'revokeToken',
      tags: ['tokens'],
      summary: 'Revoke an API token by name or id',
      request: { params: TokenParam },
      responses: { 204: { description: 'Revoked' } },
    },
    async (c) => {
      await revokeApiToken(deps.store, c.req.valid('param').token);
      return c.body(null, 204);
    },
  );
}
