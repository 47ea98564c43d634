/**
 * The connect scan against real sockets on loopback: a listening port is open, an unused one closed,
 * a port that never answers filtered after its retries, and an address the policy refuses gets no
 * connection attempt at all; every attempt, retries included, passes the guard.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Semaphore } from '../../net/concurrency.js';
import { NetworkGuard } from '../../net/guarded-socket.js';
import { createRateLimit } from '../../net/rate-limit.js';
import { startSilentListener } from '../../net/silent-listener.test-helper.js';
import { scanAddress, scanPort } from './connect-scan.js';

const tuning = { connectTimeoutMs: 1000, retries: 1, perHostConcurrency: 8 };

describe('TCP connect scan', () => {
  const servers: net.Server[] = [];
  const open: number[] = [];
  before(async () => {
    for (let i = 0; i < 3; i++) {
      const server = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      open.push((server.address() as net.AddressInfo).port);
    }
  });
  after(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  test('a listening port is open (syn-ack), a port nobody listens on is closed (conn-refused)', async () => {
    const guard = new NetworkGuard();
    assert.deepEqual(await scanPort(guard, '127.0.0.1', open[0]!, tuning), {
      port: open[0],
      state: 'open',
      reason: 'syn-ack',
    });
    const unused = await freePort();
    assert.deepEqual(await scanPort(guard, '127.0.0.1', unused, tuning), {
      port: unused,
      state: 'closed',
      reason: 'conn-refused',
    });
  });

  test('an answer that came while the loop was busy past the timeout still counts (no false filtered)', async () => {
    const pending = scanPort(new NetworkGuard(), '127.0.0.1', open[0]!, { connectTimeoutMs: 20, retries: 0 });
    const until = performance.now() + 200;
    while (performance.now() < until); // a starved loop: the timer is due before the answer is read
    assert.deepEqual(await pending, { port: open[0], state: 'open', reason: 'syn-ack' });
  });

  test('an address scan lists the open ports and counts the closed ones', async () => {
    const unused = [await freePort(), await freePort()];
    const result = await scanAddress(
      new NetworkGuard(),
      '127.0.0.1',
      ['host.test'],
      [...open, ...unused],
      tuning,
      new Semaphore(4),
    );
    assert.deepEqual(result.open, [...open]);
    assert.equal(result.closed, unused.length);
    assert.deepEqual(result.filtered, []);
    assert.deepEqual(result.failed, []);
  });

  test('a port that never answers is filtered (no-response) after the retries, each through the guard', async () => {
    const silent = await startSilentListener();
    try {
      const sent: number[] = [];
      const guard = new NetworkGuard({ recorder: { sent: (_a, port) => sent.push(port), refused: () => undefined } });
      const started = performance.now();
      const outcome = await scanPort(guard, '127.0.0.1', silent.port, { connectTimeoutMs: 150, retries: 2 });
      assert.deepEqual(outcome, { port: silent.port, state: 'filtered', reason: 'no-response' });
      assert.deepEqual(sent, [silent.port, silent.port, silent.port], 'three attempts: one and two retries');
      assert.ok(performance.now() - started >= 3 * 150 - 20, 'each attempt waited for its timeout');
    } finally {
      await silent.close();
    }
  });

  test('a many-port scan under a rate limit: every port decided, every attempt metered and recorded', async () => {
    const unused = [await freePort(), await freePort(), await freePort()];
    const ports = Array.from({ length: 30 }, (_, i) => [...open, ...unused][i % 6]!);
    const sent: number[] = [];
    const guard = new NetworkGuard({
      rate: createRateLimit(200, 5),
      recorder: { sent: (_a, port) => sent.push(port), refused: () => undefined },
    });
    const started = performance.now();
    const result = await scanAddress(
      guard,
      '127.0.0.1',
      [],
      ports,
      { ...tuning, perHostConcurrency: 30 },
      new Semaphore(7),
    );
    assert.equal(result.open.length + result.closed, ports.length);
    assert.equal(result.closed, 15);
    assert.equal(sent.length, ports.length);
    assert.ok(performance.now() - started >= ((ports.length - 5) / 200) * 1000 - 20, 'the rate limit applied');
  });

  test('an address the policy refuses is not contacted', async () => {
    const sent: string[] = [];
    const guard = new NetworkGuard({
      policy: { allowPrivate: false, allowedEndpoints: [], exclusions: { cidrs: [], suffixes: [] } },
      recorder: { sent: (address) => sent.push(address), refused: () => undefined },
    });
    const result = await scanAddress(guard, '127.0.0.1', ['host.test'], open, tuning, new Semaphore(4));
    assert.match(result.refused ?? '', /loopback|private/);
    assert.deepEqual(result.open, []);
    assert.deepEqual(sent, []);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
