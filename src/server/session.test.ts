/**
 * The dashboard's login: the session cookie's attributes, the CSRF token a state-changing request needs,
 * the rate limit on failed logins, idle and absolute expiry, logout; and the whole of it over TLS (Secure
 * `__Host-` cookie, HSTS).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, SESSION_IDLE_MS } from '../auth/service.js';
import { testDialects } from '../store/test-dialects.js';
import { call, startTestApi, type TestApi } from './api.test-support.js';

const PASSWORD = 'a password long enough';

function cookieOf(setCookie: string | null): string {
  assert.ok(setCookie, 'a cookie is set');
  return setCookie.split(';', 1)[0]!;
}

for (const dialect of testDialects('api_session')) {
  describe(`dashboard sessions, on ${dialect.name}`, () => {
    let api: TestApi;
    let now = Date.parse('2026-12-01T10:00:00.000Z');
    before(async () => {
      api = await startTestApi(dialect, {
        now: () => new Date(now),
        loginLimits: { perUser: 3, perAddress: 100, windowMs: 60_000 },
      });
      await addUser(api.store, { username: 'dana', role: 'analyst', password: PASSWORD });
    });
    after(async () => {
      await api?.close();
    });

    test('login sets an HttpOnly, SameSite=Strict cookie; CSRF guards state changes; logout ends it', async () => {
      const login = await call(api, 'POST', '/api/v1/session', { json: { username: 'DANA', password: PASSWORD } });
      assert.equal(login.status, 200, login.text);
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /^vitals_session=[A-Za-z0-9_-]{43};/);
      assert.match(setCookie, /HttpOnly/i);
      assert.match(setCookie, /SameSite=Strict/i);
      assert.match(setCookie, /Path=\//);
      assert.doesNotMatch(setCookie, /Secure/i, 'not Secure over plain HTTP');
      const { csrf_token: csrf, role } = login.body as { csrf_token: string; role: string };
      assert.equal(role, 'analyst');
      const cookie = { cookie: cookieOf(setCookie) };

      const me = await call(api, 'GET', '/api/v1/session', { headers: cookie });
      assert.deepEqual(me.body, { name: 'dana', role: 'analyst', kind: 'session' });

      const watch = { term: 'ransomware' };
      const noCsrf = await call(api, 'POST', '/api/v1/watchlists', { headers: cookie, json: watch });
      assert.equal(noCsrf.status, 403, noCsrf.text);
      const wrongCsrf = await call(api, 'POST', '/api/v1/watchlists', {
        headers: { ...cookie, 'x-csrf-token': `${csrf}x` },
        json: watch,
      });
      assert.equal(wrongCsrf.status, 403);
      const withCsrf = await call(api, 'POST', '/api/v1/watchlists', {
        headers: { ...cookie, 'x-csrf-token': csrf },
        json: watch,
      });
      assert.equal(withCsrf.status, 201, withCsrf.text);
      const admin = await call(api, 'GET', '/api/v1/users', { headers: cookie });
      assert.equal(admin.status, 403, 'an analyst session is no admin');

      const logout = await call(api, 'DELETE', '/api/v1/session', { headers: { ...cookie, 'x-csrf-token': csrf } });
      assert.equal(logout.status, 204);
      assert.match(logout.headers.get('set-cookie') ?? '', /Max-Age=0/i);
      assert.equal((await call(api, 'GET', '/api/v1/session', { headers: cookie })).status, 401, 'ended');
    });

    test('sessions expire after idling, and after their lifetime whatever the activity', async () => {
      const login = await call(api, 'POST', '/api/v1/session', { json: { username: 'dana', password: PASSWORD } });
      const cookie = { cookie: cookieOf(login.headers.get('set-cookie')) };
      now += SESSION_IDLE_MS - 60_000;
      assert.equal((await call(api, 'GET', '/api/v1/session', { headers: cookie })).status, 200, 'still active');
      now += SESSION_IDLE_MS - 1000;
      assert.equal((await call(api, 'GET', '/api/v1/session', { headers: cookie })).status, 200, 'activity renews');
      now += SESSION_IDLE_MS + 1000;
      assert.equal((await call(api, 'GET', '/api/v1/session', { headers: cookie })).status, 401, 'idle too long');

      const again = await call(api, 'POST', '/api/v1/session', { json: { username: 'dana', password: PASSWORD } });
      const second = { cookie: cookieOf(again.headers.get('set-cookie')) };
      for (let hour = 0; hour < 8; hour++) {
        now += 20 * 60_000;
        await call(api, 'GET', '/api/v1/session', { headers: second });
        now += 20 * 60_000;
        await call(api, 'GET', '/api/v1/session', { headers: second });
        now += 20 * 60_000;
        const result = await call(api, 'GET', '/api/v1/session', { headers: second });
        if (hour < 7) assert.equal(result.status, 200, `hour ${hour + 1}`);
        else assert.equal(result.status, 401, 'past the 8-hour lifetime');
      }
    });

    test('failed logins are rate limited per user name, with Retry-After', async () => {
      const wrong = { username: 'dana', password: 'not the password at all' };
      for (let i = 0; i < 3; i++)
        assert.equal((await call(api, 'POST', '/api/v1/session', { json: wrong })).status, 401);
      const limited = await call(api, 'POST', '/api/v1/session', { json: { username: 'dana', password: PASSWORD } });
      assert.equal(limited.status, 429, 'even the right password waits');
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
      now += 61_000;
      const later = await call(api, 'POST', '/api/v1/session', { json: { username: 'dana', password: PASSWORD } });
      assert.equal(later.status, 200, 'after the window');
      const unknown = await call(api, 'POST', '/api/v1/session', { json: { username: 'nobody', password: PASSWORD } });
      assert.equal(unknown.status, 401);
      assert.deepEqual(Object.keys(unknown.body as object).sort(), ['code', 'detail', 'status', 'title', 'type']);
    });
  });
}
