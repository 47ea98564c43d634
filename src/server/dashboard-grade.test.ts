/**
 * The dashboard's own headers, judged as Vitals judges any web site (issue #11: it earns an A from Vitals'
 * web checks and from the MDN HTTP Observatory's scoring). `vitals serve` over TLS with a certificate of
 * the lab's CA is fetched by the web probe exactly as a scan fetches a site (through the NetworkGuard,
 * the chain checked), and graded with the Observatory's method and the application_security checks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLabPki } from '../lab/tls/lab-ca.js';
import { NetworkGuard } from '../net/guarded-socket.js';
import { type EndpointContext, probeEndpoint } from '../probes/web/endpoint.probe.js';
import { WEB_DEFAULTS } from '../probes/web/web-family.js';
import { webSecureContext } from '../probes/web/http-client.js';
import { describeHost } from '../probes/web/web.probe.js';
import type { WebHost } from '../probes/web/web.types.js';
import { observatoryGrade } from '../checks/application_security/observatory.js';
import { REGISTRY } from '../scanner/registry.js';
import { mergeOutcomes } from '../core/types.js';
import { testDialects } from '../store/test-dialects.js';
import { labTlsOptions, startTestApi, type TestApi } from './api.test-support.js';

const NAME = 'dashboard.vitals.test';
const pki = createLabPki();

describe('the dashboard judged by Vitals as a web site', () => {
  let api: TestApi;
  let host: WebHost;
  before(async () => {
    // SQLite is enough: the headers do not depend on the store.
    const dialect = testDialects('dashboard_grade')[0]!;
    api = await startTestApi(dialect, { tls: labTlsOptions(pki, NAME, 90) });
    const port = Number(new URL(api.url).port);
    const context: EndpointContext = {
      guard: new NetworkGuard(),
      limits: WEB_DEFAULTS.limits,
      maxRedirects: WEB_DEFAULTS.maxRedirects,
      deep: true,
      secureContext: webSecureContext(pki.root.pem),
      inScope: (name) => name === NAME,
      resolve: async (name) => (name === NAME ? '127.0.0.1' : null),
    };
    const endpoint = await probeEndpoint(context, NAME, '127.0.0.1', 'https', port);
    host = describeHost(NAME, '127.0.0.1', [endpoint]);
  });
  after(async () => {
    await api?.close();
  });

  test('the page was fetched over a verified TLS connection', () => {
    const endpoint = host.endpoints[0]!;
    assert.equal(endpoint.state, 'answered', JSON.stringify(endpoint));
  });

  test('an A or better by the Observatory method, every test at its best or neutral result', () => {
    const grade = observatoryGrade(host);
    assert.ok(grade, 'the dashboard got a header grade');
    assert.match(grade.grade, /^A/, `grade ${grade.grade} (score ${grade.score}): ${JSON.stringify(grade.tests)}`);
    assert.ok(grade.score >= 90, `score ${grade.score}`);
    assert.equal(grade.tests['strict-transport-security'], 'hsts-implemented-max-age-at-least-six-months');
    assert.match(grade.tests['content-security-policy'] ?? '', /^csp-implemented-with-no-unsafe/);
    assert.equal(grade.tests['x-content-type-options'], 'x-content-type-options-nosniff');
  });

  test('no application_security finding on the dashboard', () => {
    const checks = REGISTRY.checks.filter((c) => c.factor === 'application_security');
    const outcome = mergeOutcomes(checks.map((c) => c.judge({ domain: NAME }, [{ domain: NAME, hosts: [host] }])));
    assert.deepEqual(
      outcome.findings.map((f) => `${f.type}: ${JSON.stringify(f.evidence)}`),
      [],
    );
  });
});
