/**
 * `vitals users`, `vitals tokens` and `vitals serve` as a user runs them: a user and a token made on the
 * command line (the token printed once as JSON), the server started on a free loopback port, the token
 * accepted and a revoked one refused, then Ctrl-C stops the server cleanly; and `npm start` (demo --serve).
 */
// test-lane: serial (starts a lab through the CLI, on the lab's own TLS and service ports)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ApiTokenOutput, TokenCreatedOutput, UserOutput } from '../../src/output/schemas.js';
import { VITALS_BIN, removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { randomHighPort } from '../helpers/lab.js';

after(removeTempHomes);

test('users and tokens from the CLI; serve answers with them and stops on Ctrl-C', async () => {
  const home = tempHome('vitals-serve-');
  const added = await runVitals(['users', 'add', 'alice', '--role', 'admin', '--password-stdin'], home, {
    stdin: 'a long enough password\n',
  });
  assert.equal(added.code, 0, added.stderr);
  assert.doesNotMatch(added.stdout, /password/, 'a password read from stdin is not echoed');
  const short = await runVitals(['users', 'add', 'bob', '--role', 'viewer', '--password-stdin'], home, {
    stdin: 'short\n',
  });
  assert.equal(short.code, 2);
  assert.match(short.stderr, /12/);
  const users = await runVitals(['users', 'list', '--format', 'json'], home);
  assert.deepEqual(
    UserOutput.array()
      .parse(JSON.parse(users.stdout))
      .map((u) => [u.username, u.role]),
    [['alice', 'admin']],
  );

  const created = await runVitals(['tokens', 'create', '--role', 'viewer', '--name', 'ci', '--format', 'json'], home);
  assert.equal(created.code, 0, created.stderr);
  const { token } = TokenCreatedOutput.parse(JSON.parse(created.stdout));
  const doomed = await runVitals(['tokens', 'create', '--role', 'admin', '--name', 'doomed', '--format', 'json'], home);
  const doomedToken = TokenCreatedOutput.parse(JSON.parse(doomed.stdout)).token;
  const listed = await runVitals(['tokens', 'list', '--format', 'json'], home);
  const records = ApiTokenOutput.array().parse(JSON.parse(listed.stdout));
  assert.deepEqual(
    records.map((t) => t.name),
    ['ci', 'doomed'],
  );
  assert.ok(!listed.stdout.includes(token), 'a listing never shows a token');
  assert.equal((await runVitals(['tokens', 'revoke', 'doomed'], home)).code, 0);

  const child = spawn(process.execPath, [VITALS_BIN, 'serve', '--port', '0', '--no-scan'], {
    env: { ...process.env, VITALS_HOME: home, VITALS_DATABASE_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /serving the API at (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    const ok = await fetch(`${url}/api/v1/orgs`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { items: [], next_cursor: null });
    const revoked = await fetch(`${url}/api/v1/orgs`, { headers: { authorization: `Bearer ${doomedToken}` } });
    assert.equal(revoked.status, 401);
    const scan = await fetch(`${url}/api/v1/scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doomedToken}`, 'content-type': 'application/json' },
      body: '{"all": true}',
    });
    assert.equal(scan.status, 401);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stdout, /stopping/);
});

test('npm start (demo --serve): the demo data served with a one-time admin login, removed on Ctrl-C', async () => {
  const home = tempHome('vitals-demo-serve-');
  const child = spawn(
    process.execPath,
    [
      VITALS_BIN,
      'demo',
      '--orgs',
      '2',
      '--documents',
      '0',
      '--no-history',
      '--dns-port',
      String(randomHighPort()),
      '--serve',
      '0',
    ],
    { env: { ...process.env, VITALS_HOME: home, VITALS_DATABASE_URL: '' } },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const login = await new Promise<{ url: string; username: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no login printed: ${stdout} ${stderr}`)), 180_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const url = /Serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      const credentials = /One-time admin login \(this run only\): (\S+) \/ (\S+)/.exec(stdout);
      if (url !== undefined && credentials !== null) {
        clearTimeout(timer);
        resolve({ url, username: credentials[1]!, password: credentials[2]! });
      }
    });
  });
  try {
    const session = await fetch(`${login.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: login.username, password: login.password }),
    });
    assert.equal(session.status, 200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';', 1)[0]!;
    const orgs = await fetch(`${login.url}/api/v1/orgs`, { headers: { cookie } });
    assert.equal(orgs.status, 200);
    assert.equal(((await orgs.json()) as { items: unknown[] }).items.length, 2, 'the demo portfolio');
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, stderr);
  const users = await runVitals(['users', 'list', '--format', 'json'], home);
  assert.deepEqual(JSON.parse(users.stdout), [], 'the one-time admin is gone');
});
