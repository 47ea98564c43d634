/**
 * Bare connection attempts against real sockets on loopback, with both implementations (the libuv
 * handle and net.Socket) giving the same answers: accepted, refused (RST), and silence until aborted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { NetworkGuard } from './guarded-socket.js';
import { startSilentListener, type SilentListener } from './silent-listener.test-helper.js';
import { ATTEMPT_IMPLEMENTATION, startAttempt } from './tcp-attempt.js';

function attempt(port: number, implementation: 'handle' | 'socket'): Promise<string | null> {
  return new Promise((resolve) => startAttempt('127.0.0.1', 4, port, { answered: resolve }, implementation));
}

describe('bare TCP connection attempts', () => {
  let server: net.Server;
  let open: number;
  let unused: number;
  let silent: SilentListener;
  before(async () => {
    server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open = (server.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    unused = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    silent = await startSilentListener();
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await silent.close();
  });

  test('this Node exposes the libuv handle (else every scan falls back to net.Socket)', () => {
    assert.equal(ATTEMPT_IMPLEMENTATION, 'handle');
  });

  for (const implementation of ['handle', 'socket'] as const) {
    test(`${implementation}: accepted is null, an unused port ECONNREFUSED`, async () => {
      assert.equal(await attempt(open, implementation), null);
      assert.equal(await attempt(unused, implementation), 'ECONNREFUSED');
    });

    test(`${implementation}: a port that never answers stays pending; once aborted, done is never called`, async () => {
      let called = false;
      const attempt = startAttempt('127.0.0.1', 4, silent.port, { answered: () => (called = true) }, implementation);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(called, false, 'no answer within 300 ms');
      attempt.abort();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(called, false, 'an aborted attempt is not reported');
    });
  }

  test('ports outside 1-65535 are refused before any socket is made', () => {
    assert.throws(() => startAttempt('127.0.0.1', 4, 70000, { answered: () => undefined }), /not 1-65535/);
    assert.throws(() => startAttempt('127.0.0.1', 4, 0, { answered: () => undefined }), /not 1-65535/);
  });

  test('the guard refuses a destination its policy refuses: no attempt, a Refusal', () => {
    const sent: string[] = [];
    const guard = new NetworkGuard({
      policy: { allowPrivate: false, allowedEndpoints: [], exclusions: { cidrs: [], suffixes: [] } },
      recorder: { sent: (address) => sent.push(address), refused: () => undefined },
    });
    const started = guard.tryConnect('127.0.0.1', open, { answered: () => assert.fail('no attempt may start') });
    assert.equal(typeof started, 'object');
    assert.match((started as { reason: string }).reason, /loopback|private/);
    assert.deepEqual(sent, []);
  });

  test('the guard allows a configured endpoint on a refused private address, on that port only', async () => {
    const guard = new NetworkGuard({
      policy: {
        allowPrivate: false,
        allowedEndpoints: [{ address: '127.0.0.1', port: open }],
        exclusions: { cidrs: [], suffixes: [] },
      },
    });
    const code = await new Promise<string | null>((resolve) => {
      const started = guard.tryConnect('127.0.0.1', open, { answered: resolve });
      assert.ok(!('reason' in started), 'an attempt, not a refusal');
    });
    assert.equal(code, null);
    assert.equal(typeof guard.tryConnect('127.0.0.1', unused, { answered: () => undefined }), 'object');
  });
});
