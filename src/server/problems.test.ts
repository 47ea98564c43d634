/**
 * Bad input gets RFC 9457 problem details with a 4xx, never a 5xx: malformed JSON, wrong types, unknown
 * fields and query parameters, huge bodies (with and without Content-Length), an unsupported media type,
 * an unknown route, a bad cursor; and random JSON thrown at every state-changing route of the document.
 * Every response, errors included, carries the server's security headers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import fc from 'fast-check';
import { testDialects } from '../store/test-dialects.js';
import { call, startTestApi, type CallResult, type TestApi } from './api.test-support.js';

function assertProblem(result: CallResult, status: number, where: string): void {
  assert.equal(result.status, status, `${where}: ${result.text}`);
  assert.match(result.headers.get('content-type') ?? '', /^application\/problem\+json/, where);
  const body = result.body as { type: string; title: string; status: number; detail: string };
  assert.equal(body.status, status, where);
  assert.equal(typeof body.title, 'string', where);
  assert.equal(typeof body.type, 'string', where);
  assert.equal(typeof body.detail, 'string', where);
}

/**
 * A POST of `chunks` times `chunk`, streamed (no Content-Length for the limit to read up front) or with
 * its length announced. The server may answer and close before the whole body is sent: that is the point,
 * so write errors after the answer are expected (fetch would fail on them instead of reading the answer).
 */
function bigPost(
  url: string,
  path: string,
  token: string,
  chunks: number,
  chunk: string,
  chunked: boolean,
): Promise<number | 'reset'> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const target = new URL(path, url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(chunked
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': String(chunks * Buffer.byteLength(chunk)) }),
        },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPIPE' && code !== 'ECONNRESET') reject(error);
      else if (!answered) resolve('reset');
    });
    let sent = 0;
    const write = (): void => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

for (const dialect of testDialects('api_problems')) {
  describe(`problem details on bad input, on ${dialect.name}`, { timeout: 120_000 }, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(dialect);
    });
    after(async () => {
      await api?.close();
    });

    test('malformed JSON, wrong types, unknown fields, unknown query parameters: 400 naming the field', async () => {
      const token = api.tokens.admin;
      const malformed = await call(api, 'POST', '/api/v1/users', {
        token,
        raw: { body: '{"username": "x", ', type: 'application/json' },
      });
      assertProblem(malformed, 400, 'malformed JSON');

      const wrongType = await call(api, 'POST', '/api/v1/users', {
        token,
        json: { username: 42, role: 'viewer', password: 'long enough password' },
      });
      assertProblem(wrongType, 400, 'wrong type');
      const errors = (wrongType.body as { errors: Array<{ location: string; path: string }> }).errors;
      assert.deepEqual(
        errors.map((e) => [e.location, e.path]),
        [['json', 'username']],
      );

      const unknown = await call(api, 'POST', '/api/v1/users', {
        token,
        json: { username: 'eve', role: 'admin', password: 'long enough password', is_admin: true },
      });
      assertProblem(unknown, 400, 'unknown field');
      assert.match(unknown.text, /is_admin/);

      assertProblem(await call(api, 'GET', '/api/v1/orgs?colour=red', { token }), 400, 'unknown query parameter');
      assertProblem(await call(api, 'GET', '/api/v1/orgs?limit=0', { token }), 400, 'limit out of range');
      assertProblem(await call(api, 'GET', '/api/v1/orgs?limit=ten', { token }), 400, 'limit not a number');
      assertProblem(await call(api, 'GET', '/api/v1/orgs?sort=colour', { token }), 400, 'unknown sort');
      assertProblem(await call(api, 'GET', '/api/v1/orgs?cursor=garbage', { token }), 400, 'bad cursor');
      assertProblem(
        await call(api, 'GET', '/api/v1/darkweb/search?q=%22unclosed', { token }),
        400,
        'malformed search query',
      );
      assertProblem(await call(api, 'GET', '/api/v1/catalogue?format=md', { token }), 400, 'a parameter nobody takes');
      assertProblem(
        await call(api, 'GET', '/api/v1/orgs/No%20Such%20Clinic/scorecard?as_of=yesterday', { token }),
        400,
        'a bad as_of',
      );
    });

    test('huge bodies: 413 with or without Content-Length; a wrong media type: 415', async () => {
      const token = api.tokens.admin;
      const chunk = 'x'.repeat(64 * 1024);
      assert.equal(await bigPost(api.url, '/api/v1/users', token, 32, chunk, false), 413, 'a 2 MiB body');
      // A streamed body is read up to the cap; past it the server answers 413 and drops the connection, which
      // a client still sending may see as a reset before it reads the answer.
      const streamed = await bigPost(api.url, '/api/v1/users', token, 32, chunk, true);
      assert.ok(streamed === 413 || streamed === 'reset', `a 2 MiB chunked body: ${streamed}`);
      assert.equal((await call(api, 'GET', '/api/v1/session', { token })).status, 200, 'the server goes on');
      const justUnder = `{"username": "${'x'.repeat(1000 * 1024)}", "role": "viewer", "password": "long enough pw"}`;
      const under = await call(api, 'POST', '/api/v1/users', {
        token,
        raw: { body: justUnder, type: 'application/json' },
      });
      assertProblem(under, 400, 'a body under the cap is read, and refused for what it says');
      assertProblem(
        await call(api, 'POST', '/api/v1/users', { token, raw: { body: 'username=x', type: 'text/plain' } }),
        415,
        'text/plain body',
      );
    });

    test('unknown routes and things: 404 problem details with the security headers', async () => {
      const token = api.tokens.viewer;
      for (const [method, path] of [
        ['GET', '/api/v1/nothing'],
        ['GET', '/api/v1/orgs/No%20Such%20Clinic'],
        ['GET', '/api/v1/scans/nope'],
        ['GET', '/api/v1/darkweb/documents/nope'],
        ['GET', '/assets/nothing.js'],
        ['GET', '/assets/..%2Fpackage.json'],
      ] as const) {
        const result = await call(api, method, path, { token });
        assertProblem(result, 404, `${method} ${path}`);
        assert.match(result.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
        assert.doesNotMatch(result.headers.get('content-security-policy') ?? '', /unsafe-inline|unsafe-eval/);
        assert.equal(result.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(result.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(result.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
      }
    });

    test('the dashboard: its page and assets with these headers, and nothing inline for a CSP to allow', async () => {
      const page = await call(api, 'GET', '/');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
      assert.doesNotMatch(page.text, /\sstyle=|<style/, 'no inline style');
      const script = await call(api, 'GET', '/assets/app.js');
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.doesNotMatch(script.text, /innerHTML|insertAdjacentHTML|document\.write|eval\(/, 'text, never markup');
    });

    test('random JSON at every state-changing route: never a 5xx', async () => {
      const document = (await call(api, 'GET', '/api/v1/openapi.json')).body as {
        paths: Record<string, Record<string, { 'x-vitals-role': string }>>;
      };
      const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((m) => m === 'post' || m === 'delete')
          .map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x-y-z-12345678') })),
      );
      assert.ok(routes.length > 10);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue(), async (route, body) => {
          if (route.path === '/api/v1/scans') return; // a valid scan request would start a real job
          const result = await call(api, route.method, route.path, { token: api.tokens.admin, json: body });
          assert.ok(result.status < 500, `${route.method} ${route.path} ${JSON.stringify(body)}: ${result.text}`);
        }),
        { numRuns: 150 },
      );
    });
  });
}
