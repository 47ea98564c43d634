/**
 * Served over TLS (`vitals serve --tls-cert --tls-key`): the session cookie is `__Host-` prefixed and
 * Secure, and every response carries HSTS. The certificate comes from the lab's CA and the client checks
 * it (chain and name), so this is the real handshake a browser makes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { addUser } from '../auth/service.js';
import { createLabPki } from '../lab/tls/lab-ca.js';
import { testDialects } from '../store/test-dialects.js';
import { labTlsOptions, startTestApi, type TestApi } from './api.test-support.js';
import { HSTS } from './security-headers.js';

const NAME = 'vitals.test';
const pki = createLabPki();

function httpsCall(
  api: TestApi,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        servername: NAME,
        ca: pki.root.pem,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

for (const dialect of testDialects('api_tls')) {
  describe(`the API over TLS, on ${dialect.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(dialect, { tls: labTlsOptions(pki, NAME) });
      await addUser(api.store, { username: 'tess', role: 'viewer', password: 'a password long enough' });
    });
    after(async () => {
      await api?.close();
    });

    test('a Secure __Host- session cookie, and HSTS on every response', async () => {
      assert.match(api.url, /^https:/);
      const login = await httpsCall(api, 'POST', '/api/v1/session', {
        username: 'tess',
        password: 'a password long enough',
      });
      assert.equal(login.status, 200, login.text);
      const cookie = login.headers['set-cookie']?.[0] ?? '';
      assert.match(cookie, /^__Host-vitals_session=/);
      assert.match(cookie, /; Secure/i);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Domain=/i, '__Host- cookies carry no Domain');
      assert.equal(login.headers['strict-transport-security'], HSTS);

      const me = await httpsCall(api, 'GET', '/api/v1/session', undefined, { cookie: cookie.split(';', 1)[0]! });
      assert.equal(me.status, 200, me.text);
      const missing = await httpsCall(api, 'GET', '/api/v1/nothing');
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['strict-transport-security'], HSTS, 'errors carry HSTS too');
      const plainName = await httpsCall(api, 'GET', '/api/v1/session', undefined, { cookie: 'vitals_session=x' });
      assert.equal(plainName.status, 401, 'the plain-HTTP cookie name means nothing under TLS');
    });
  });
}
