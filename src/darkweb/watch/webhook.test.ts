import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffDelay } from './deliver.js';
import {
  parseRetryAfter,
  postWebhook,
  signWebhookBody,
  validateWebhookUrl,
  verifyWebhookSignature,
  WebhookUrlError,
} from './webhook.js';
import { startReceiver } from './watch-test-helpers.js';

describe('validateWebhookUrl', () => {
  const valid: [string, string][] = [
    ['https://hooks.example.org/vitals', 'https://hooks.example.org/vitals'],
    ['http://127.0.0.1:8080/in?x=1', 'http://127.0.0.1:8080/in?x=1'],
    ['  https://[::1]:9000/a#frag ', 'https://[::1]:9000/a'],
  ];
  for (const [input, expected] of valid) {
    test(`accepts ${input.trim()}`, () => assert.equal(validateWebhookUrl(input), expected));
  }
  const invalid = [
    'ftp://example.org/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'example.org/hook',
    '',
    'https://user:pw@example.org/',
    'https://token@example.org/',
    `https://example.org/${'a'.repeat(2100)}`,
  ];
  for (const input of invalid) {
    test(`refuses ${JSON.stringify(input.slice(0, 40))}`, () =>
      assert.throws(() => validateWebhookUrl(input), WebhookUrlError));
  }
});

describe('signature', () => {
  test('is the hex HMAC-SHA256 of the raw body, prefixed sha256=', () => {
    const body = '{"alert_id":"1","matched":"Zürich"}';
    const expected = createHmac('sha256', 'topsecret-topsecret').update(Buffer.from(body, 'utf8')).digest('hex');
    assert.equal(signWebhookBody(body, 'topsecret-topsecret'), `sha256=${expected}`);
    assert.equal(verifyWebhookSignature(body, 'topsecret-topsecret', `sha256=${expected}`), true);
    assert.equal(verifyWebhookSignature(body, 'other-secret-xxxxx', `sha256=${expected}`), false);
    assert.equal(verifyWebhookSignature(`${body} `, 'topsecret-topsecret', `sha256=${expected}`), false);
    assert.equal(verifyWebhookSignature(body, 'topsecret-topsecret', undefined), false);
    assert.equal(verifyWebhookSignature(body, 'topsecret-topsecret', 'sha256=00'), false);
  });
});

describe('backoff and Retry-After', () => {
  test('doubles from the base, with jitter within [d/2, d], capped', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, 500, 30_000, () => 0.999999)),
      [500, 1000, 2000, 4000],
    );
    assert.deepEqual(
      [1, 2, 3].map((n) => backoffDelay(n, 500, 30_000, () => 0)),
      [250, 500, 1000],
    );
    assert.equal(
      backoffDelay(20, 500, 30_000, () => 0.999999),
      30_000,
    );
    assert.equal(
      backoffDelay(1000, 500, 30_000, () => 0),
      15_000,
    );
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 500, 30_000)));
    assert.ok(draws.size > 1, 'jitter varies the delay');
    for (const d of draws) assert.ok(d >= 1000 && d <= 2000);
  });

  test('Retry-After as seconds or HTTP date', () => {
    const now = new Date('2025-03-01T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('postWebhook against a real server on 127.0.0.1', () => {
  let redirector: Server;
  let redirectorUrl: string;
  before(async () => {
    redirector = createServer((_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => redirector.close(() => resolve())));

  const attempt = (url: string, timeoutMs = 2000, signal?: AbortSignal) =>
    postWebhook({
      url,
      body: '{"alert_id":"a-1"}',
      alertId: 'a-1',
      secret: 'secret-secret-secret',
      timeoutMs,
      ...(signal ? { signal } : {}),
    });

  test('2xx is delivered; the headers carry id, timestamp and a valid signature', async () => {
    const receiver = await startReceiver(['ok']);
    try {
      const result = await attempt(receiver.url);
      assert.deepEqual(result, { ok: true, status: 200 });
      const receipt = receiver.receipts[0];
      assert.ok(receipt);
      assert.equal(receipt.headers['x-vitals-alert-id'], 'a-1');
      assert.equal(receipt.headers['content-type'], 'application/json');
      assert.ok(!Number.isNaN(Date.parse(String(receipt.headers['x-vitals-timestamp']))));
      const expected = `sha256=${createHmac('sha256', 'secret-secret-secret').update(receipt.body).digest('hex')}`;
      assert.equal(receipt.headers['x-vitals-signature'], expected);
    } finally {
      await receiver.close();
    }
  });

  test('500, a dropped connection, a silent server and a redirect are failures with a reason', async () => {
    const receiver = await startReceiver(['fail500', 'drop', 'hang']);
    try {
      const r500 = await attempt(receiver.url);
      assert.equal(r500.ok, false);
      assert.equal(r500.ok === false && r500.status, 500);
      const dropped = await attempt(receiver.url);
      assert.equal(dropped.ok, false);
      assert.match(dropped.ok === false ? dropped.error : '', /ECONNRESET|socket hang up/i);
      const started = Date.now();
      const silent = await attempt(receiver.url, 300);
      assert.equal(silent.ok, false);
      assert.match(silent.ok === false ? silent.error : '', /no response within 300 ms/);
      assert.ok(Date.now() - started < 2000);
      const redirected = await attempt(redirectorUrl);
      assert.deepEqual(redirected, { ok: false, status: 302, error: 'HTTP 302' });
    } finally {
      await receiver.close();
    }
  });

  test('a refused connection is a failure, and an abort interrupts an attempt', async () => {
    const receiver = await startReceiver([], 'hang');
    const port = new URL(receiver.url).port;
    await receiver.close();
    const refused = await attempt(`http://127.0.0.1:${port}/`);
    assert.equal(refused.ok, false);
    assert.match(refused.ok === false ? refused.error : '', /ECONNREFUSED/);

    const hanging = await startReceiver([], 'hang');
    try {
      const controller = new AbortController();
      const pending = attempt(hanging.url, 10_000, controller.signal);
      await hanging.waitForRequests(1);
      controller.abort();
      const result = await pending;
      assert.deepEqual(result, { ok: false, error: 'interrupted' });
    } finally {
      await hanging.close();
    }
  });
});
