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
  signWebhook,
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
  const secret = 'topsecret-topsecret';
  const body = '{"alert_id":"1","matched":"Zürich"}';
  const timestamp = '2026-12-02T08:00:00.000Z';
  const now = new Date('2026-12-02T08:01:00.000Z');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;

  test('is the hex HMAC-SHA256 of timestamp + "." + raw body, prefixed sha256=', () => {
    assert.equal(signWebhook(timestamp, body, secret), expected);
    assert.equal(verifyWebhookSignature({ body, timestamp, signature: expected }, secret, now), true);
    assert.equal(verifyWebhookSignature({ body, timestamp, signature: expected }, 'other-secret-xxxxx', now), false);
    assert.equal(verifyWebhookSignature({ body: `${body} `, timestamp, signature: expected }, secret, now), false);
    assert.equal(verifyWebhookSignature({ body, timestamp, signature: undefined }, secret, now), false);
    assert.equal(verifyWebhookSignature({ body, timestamp, signature: 'sha256=00' }, secret, now), false);
  });

  test('the timestamp is signed, and one outside the 5-minute replay window is refused', () => {
    // Moving the timestamp forward to replay a captured request breaks the signature.
    const moved = '2026-12-02T08:10:00.000Z';
    const later = new Date('2026-12-02T08:10:30.000Z');
    assert.equal(verifyWebhookSignature({ body, timestamp: moved, signature: expected }, secret, later), false);
    // The genuine request, replayed 6 minutes later, is outside the window.
    const replayAt = new Date('2026-12-02T08:06:00.001Z');
    assert.equal(verifyWebhookSignature({ body, timestamp, signature: expected }, secret, replayAt), false);
    assert.equal(verifyWebhookSignature({ body, timestamp: undefined, signature: expected }, secret, now), false);
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
      const received = {
        body: receipt.body,
        timestamp: String(receipt.headers['x-vitals-timestamp']),
        signature: String(receipt.headers['x-vitals-signature']),
      };
      assert.equal(verifyWebhookSignature(received, 'secret-secret-secret'), true);
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

  test(
    'a receiver that trickles its answer cannot hold the attempt past its deadline; at most 1 KiB is ' + 'read',
    async () => {
      const sockets: { closed: boolean }[] = [];
      const trickler = createServer((req, res) => {
        const state = { closed: false };
        sockets.push(state);
        req.socket.on('close', () => (state.closed = true));
        req.resume();
        req.on('end', () => {
          const status = req.url === '/ok' ? 200 : 503;
          res.writeHead(status, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('x'), 50);
          res.on('close', () => clearInterval(timer));
        });
      });
      const flooder = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(500).end('y'.repeat(5_000_000)));
      });
      await new Promise<void>((resolve) => trickler.listen(0, '127.0.0.1', resolve));
      await new Promise<void>((resolve) => flooder.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(trickler.address() as AddressInfo).port}`;
      try {
        let started = Date.now();
        const slow = await attempt(`${base}/fail`, 800);
        assert.equal(slow.ok, false);
        assert.match(slow.ok === false ? slow.error : '', /no response within 800 ms/);
        assert.ok(Date.now() - started < 1500, 'the deadline covers the body');
        started = Date.now();
        assert.deepEqual(await attempt(`${base}/ok`, 5000), { ok: true, status: 200 });
        assert.ok(Date.now() - started < 1000, 'a 2xx is delivered without waiting for its body');
        const big = await attempt(`http://127.0.0.1:${(flooder.address() as AddressInfo).port}/`, 5000);
        assert.equal(big.ok === false && big.error, `HTTP 500: ${'y'.repeat(1024)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(
          sockets.map((s) => s.closed),
          [true, true],
          'no socket outlives its attempt',
        );
      } finally {
        trickler.closeAllConnections();
        flooder.closeAllConnections();
        await new Promise<void>((resolve) => trickler.close(() => resolve()));
        await new Promise<void>((resolve) => flooder.close(() => resolve()));
      }
    },
  );
});
