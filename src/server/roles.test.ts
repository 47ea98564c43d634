/**
 * Every route of the OpenAPI document, walked with no token, an expired token, a token of the role just
 * below the one the route declares (x-vitals-role) and a token of that role: 401, 401, 403 and success.
 * The routes come from the served document, so a new route cannot escape: one without a fixture here fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../core/auth.js';
import { createApiToken } from '../auth/service.js';
import { addDispute } from '../disputes/service.js';
import type { Finding } from '../core/finding.js';
import { testDialects } from '../store/test-dialects.js';
import { seedOrganization } from '../../test/helpers/seed.js';
import { call, seedDocument, startTestApi, type TestApi } from './api.test-support.js';
import { addUser } from '../auth/service.js';
import { addWatchlist } from '../darkweb/watch/watchlists.js';

interface Fixture {
  /** The path with its parameters filled in, and a query string when one is needed. */
  path: string;
  json?: unknown;
  raw?: { body: string; type: string };
  /** The success status expected with the right role. */
  status: number;
}

type FixtureMaker = (ctx: Context) => Promise<Fixture> | Fixture;

interface Context {
  api: TestApi;
  findings: Finding[];
  counter: () => number;
}

const ORG = 'Role Clinic';
const org = encodeURIComponent(ORG);

const FIXTURES: Record<string, FixtureMaker> = {
  login: async ({ api, counter }) => {
    const username = `login${counter()}`;
    await addUser(api.store, { username, role: 'viewer', password: 'correct horse battery' });
    return { path: '/api/v1/session', json: { username, password: 'correct horse battery' }, status: 200 };
  },
  whoAmI: () => ({ path: '/api/v1/session', status: 200 }),
  logout: () => ({ path: '/api/v1/session', status: 204 }),
  listUsers: () => ({ path: '/api/v1/users?sort=-username&limit=5', status: 200 }),
  addUser: ({ counter }) => ({
    path: '/api/v1/users',
    json: { username: `added${counter()}`, role: 'analyst', password: 'a long enough password' },
    status: 201,
  }),
  removeUser: async ({ api, counter }) => {
    const username = `doomed${counter()}`;
    await addUser(api.store, { username, role: 'viewer', password: 'a long enough password' });
    return { path: `/api/v1/users/${username}`, status: 204 };
  },
  listTokens: () => ({ path: '/api/v1/tokens?role=admin', status: 200 }),
  createToken: ({ counter }) => ({
    path: '/api/v1/tokens',
    json: { name: `made${counter()}`, role: 'viewer' },
    status: 201,
  }),
  revokeToken: async ({ api, counter }) => {
    const name = `revoked${counter()}`;
    await createApiToken(api.store, { name, role: 'viewer', expiresAt: null, createdBy: 'test' });
    return { path: `/api/v1/tokens/${name}`, status: 204 };
  },
  listOrganizations: () => ({ path: '/api/v1/orgs?sort=-score&sector=clinic', status: 200 }),
  upsertOrganization: ({ counter }) => ({
    path: '/api/v1/orgs',
    json: {
      name: `Upserted ${counter()}`,
      sector: 'hospital',
      domains: [`upserted${counter()}.example`],
      telehealth: true,
    },
    status: 200,
  }),
  importOrganizations: ({ counter }) => ({
    path: '/api/v1/orgs/import',
    raw: {
      type: 'text/csv',
      body: `name,domains,sector,telehealth\nImported ${counter()},imported${counter()}.example,clinic,no\n`,
    },
    status: 200,
  }),
  getOrganization: () => ({ path: `/api/v1/orgs/${org}`, status: 200 }),
  deleteOrganization: async ({ api, counter }) => {
    const name = `Doomed ${counter()}`;
    await api.store.organizations.upsert({
      name,
      sector: 'clinic',
      domains: [`doomed${counter()}.example`],
      telehealth: false,
    });
    return { path: `/api/v1/orgs/${encodeURIComponent(name)}`, status: 204 };
  },
  getScorecard: () => ({ path: `/api/v1/orgs/${org}/scorecard`, status: 200 }),
  getScoreHistory: () => ({ path: `/api/v1/orgs/${org}/history`, status: 200 }),
  listAssets: () => ({ path: `/api/v1/orgs/${org}/assets?sort=-last_seen`, status: 200 }),
  listFindings: () => ({ path: `/api/v1/findings?org=${org}&status=all&sort=-first_seen`, status: 200 }),
  listDisputes: () => ({ path: '/api/v1/disputes?status=open', status: 200 }),
  addDispute: ({ findings }) => ({
    path: '/api/v1/disputes',
    json: { finding_id: findings[0]!.id, reason: 'false_positive', note: 'not ours' },
    status: 201,
  }),
  resolveDispute: async ({ api, findings }) => {
    const dispute = await addDispute(api.store, {
      finding: findings[1]!.id,
      reason: 'false_positive',
      note: 'n',
      by: 't',
    });
    return { path: `/api/v1/disputes/${dispute.id}/resolve`, json: { note: 'agreed' }, status: 200 };
  },
  rejectDispute: async ({ api, findings }) => {
    const dispute = await addDispute(api.store, {
      finding: findings[2]!.id,
      reason: 'false_positive',
      note: 'n',
      by: 't',
    });
    return { path: `/api/v1/disputes/${dispute.id}/reject`, status: 200 };
  },
  listExclusions: () => ({ path: '/api/v1/exclusions?sort=host', status: 200 }),
  excludeAsset: () => ({
    path: '/api/v1/exclusions',
    json: { host: 'old.role-clinic.example', reason: 'sold in 2025', org: ORG },
    status: 201,
  }),
  listAudit: () => ({ path: '/api/v1/audit?sort=-seq', status: 200 }),
  getPortfolio: () => ({ path: '/api/v1/portfolio?cohort=non_telehealth', status: 200 }),
  getStudy: () => ({ path: '/api/v1/study?from=2026-01&to=2026-02&resamples=100', status: 200 }),
  getPortfolioTable: () => ({ path: '/api/v1/portfolio/table', status: 200 }),
  getOrganizationChart: () => ({ path: `/api/v1/orgs/${org}/charts/waterfall`, status: 200 }),
  getPortfolioChart: () => ({ path: '/api/v1/portfolio/charts/grades?sector=clinic', status: 200 }),
  getStudyChart: () => ({ path: '/api/v1/study/charts/change?from=2026-01&to=2026-02&resamples=100', status: 200 }),
  getCatalogue: () => ({ path: '/api/v1/catalogue', status: 200 }),
  listFindingTypes: () => ({ path: '/api/v1/catalogue/findings?factor=dns_health&sort=-severity', status: 200 }),
  searchDarkweb: () => ({ path: `/api/v1/darkweb/search?q=${encodeURIComponent('ransomware clinic')}`, status: 200 }),
  listMentions: () => ({ path: '/api/v1/darkweb/mentions?sort=confidence', status: 200 }),
  getDocument: () => ({ path: '/api/v1/darkweb/documents/role-doc-1', status: 200 }),
  listWatchlists: () => ({ path: '/api/v1/watchlists?kind=term', status: 200 }),
  addWatchlist: ({ counter }) => ({
    path: '/api/v1/watchlists',
    json: { term: `ransomware ${counter()}` },
    status: 201,
  }),
  removeWatchlist: async ({ api, counter }) => {
    const name = `gone${counter()}`;
    await addWatchlist(api.store, { term: name, name });
    return { path: `/api/v1/watchlists/${name}`, status: 204 };
  },
  listAlerts: () => ({ path: '/api/v1/alerts?status=pending', status: 200 }),
  startScan: () => ({ path: '/api/v1/scans', json: { domains: ['role-clinic.example'] }, status: 202 }),
  listScans: () => ({ path: '/api/v1/scans', status: 200 }),
  getScan: async ({ api }) => {
    // The jobs live in the server: the one startScan began, or a new one.
    const listed = await call(api, 'GET', '/api/v1/scans', { token: api.tokens.viewer });
    let id = (listed.body as { items: Array<{ id: string }> }).items[0]?.id;
    if (id === undefined) {
      const started = await call(api, 'POST', '/api/v1/scans', { token: api.tokens.analyst, json: { all: true } });
      id = (started.body as { id: string }).id;
    }
    return { path: `/api/v1/scans/${id}`, status: 200 };
  },
};

interface Operation {
  operationId: string;
  'x-vitals-role': Role | 'public';
}

for (const dialect of testDialects('api_roles')) {
  describe(`every API route by role, on ${dialect.name}`, () => {
    let api: TestApi;
    let findings: Finding[];
    let n = 0;
    before(async () => {
      api = await startTestApi(dialect);
      findings = await seedOrganization(
        api.store,
        ORG,
        [
          { type: 'dns.spf.missing', host: 'role-clinic.example' },
          { type: 'dns.caa.missing', host: 'role-clinic.example' },
          { type: 'dns.dmarc.missing', host: 'role-clinic.example' },
          { type: 'dns.dmarc.missing', host: 'old.role-clinic.example' },
        ],
        '2026-01-01T00:00:00.000Z',
      );
      await seedDocument(api.store, {
        id: 'role-doc-1',
        title: 'clinic data',
        text: 'ransomware listing of a clinic',
        class: 'ransomware_listing',
        postedAt: '2026-01-02T00:00:00.000Z',
      });
    });
    after(async () => {
      await api?.close();
    });

    test('no token 401, expired 401, lower role 403, right role success, for every documented route', async () => {
      const document = (await call(api, 'GET', '/api/v1/openapi.json')).body as {
        openapi: string;
        paths: Record<string, Record<string, Operation>>;
      };
      assert.equal(document.openapi, '3.1.0');
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
      );
      assert.ok(operations.length >= 30, `only ${operations.length} operations documented`);
      const missing = operations.filter((o) => FIXTURES[o.operation.operationId] === undefined);
      assert.deepEqual(
        missing.map((o) => `${o.method} ${o.path} (${o.operation.operationId})`),
        [],
        'routes without a fixture',
      );
      const context: Context = { api, findings, counter: () => ++n };
      for (const { path, method, operation } of operations) {
        const role = operation['x-vitals-role'];
        const where = `${method} ${path}`;
        assert.ok(role === 'public' || ROLES.includes(role), `${where} declares its role`);
        const fixture = await FIXTURES[operation.operationId]!(context);
        const request = {
          ...(fixture.json === undefined ? {} : { json: fixture.json }),
          ...(fixture.raw ? { raw: fixture.raw } : {}),
        };
        if (role !== 'public') {
          const none = await call(api, method, fixture.path, request);
          assert.equal(none.status, 401, `${where} without a token: ${none.text}`);
          assert.match(none.headers.get('content-type') ?? '', /^application\/problem\+json/);
          assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
          const expired = await call(api, method, fixture.path, { ...request, token: api.expired });
          assert.equal(expired.status, 401, `${where} with an expired token: ${expired.text}`);
          const below = ROLES.indexOf(role) - 1;
          if (below >= 0) {
            const lower = await call(api, method, fixture.path, { ...request, token: api.tokens[ROLES[below]!] });
            assert.equal(lower.status, 403, `${where} as ${ROLES[below]}: ${lower.text}`);
          }
        }
        const right = await call(api, method, fixture.path, {
          ...request,
          ...(role === 'public' ? {} : { token: api.tokens[role] }),
        });
        assert.equal(right.status, fixture.status, `${where} as ${role}: ${right.text}`);
      }
    });
  });
}
