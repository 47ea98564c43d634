/**
 * Bare connection attempts against real sockets on loopback, with every implementation (the native
 * engine, the libuv handle and net.Socket) giving the same answers: accepted, refused (RST), and silence
 * until aborted, one at a time and thousands in flight.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { NetworkGuard } from './guarded-socket.js';
import { startSilentListener, type SilentListener } from './silent-listener.test-helper.js';
import {
  ATTEMPT_IMPLEMENTATION,
  AVAILABLE_IMPLEMENTATIONS,
  type AttemptImplementation,
  startAttempt,
} from './tcp-attempt.js';

/** Ports something on this machine listens on, on any address (Linux's /proc/net/tcp and tcp6). */
function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local) ports.add(Number.parseInt(local.split(':')[1]!, 16));
    }
  }
  return ports;
}

function attempt(port: number, implementation: AttemptImplementation): Promise<string | null> {
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

  test('this installation has the native engine (built by npm install) and the libuv handle', () => {
    assert.equal(ATTEMPT_IMPLEMENTATION, 'engine');
    assert.deepEqual(AVAILABLE_IMPLEMENTATIONS, ['engine', 'handle', 'socket']);
  });

  for (const implementation of AVAILABLE_IMPLEMENTATIONS) {
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

  test('IPv6 (::1): every implementation says accepted and refused alike', async (t) => {
    const v6 = net.createServer((socket) => socket.destroy());
    const bound = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.listen(0, '::1', () => resolve(true));
    });
    if (!bound) {
      t.skip('no IPv6 loopback on this machine');
      return;
    }
    try {
      const port = (v6.address() as net.AddressInfo).port;
      for (const implementation of AVAILABLE_IMPLEMENTATIONS) {
        const accepted = await new Promise((resolve) =>
          startAttempt('::1', 6, port, { answered: resolve }, implementation),
        );
        const refused = await new Promise((resolve) =>
          startAttempt('::1', 6, unused, { answered: resolve }, implementation),
        );
        assert.deepEqual([accepted, refused], [null, 'ECONNREFUSED'], implementation);
      }
    } finally {
      await new Promise((resolve) => v6.close(resolve));
    }
  });

  for (const implementation of AVAILABLE_IMPLEMENTATIONS) {
    test(`${implementation}: 2,000 attempts, 300 in flight, each started by an answer: all right`, async () => {
      // Fifty listening ports among refused ones; a new attempt starts inside each answer, as the scan does,
      // so an answer delivered to the wrong attempt (a reused slot, say) shows as a wrong or missing verdict.
      // On an address of their own (127.0.0.1 has the machine's services), on ports below the ephemeral
      // range, where a connection to a port nobody listens on can never meet itself, and none that anything
      // on the machine listens on (on every address, say).
      const address = '127.78.9.1';
      const taken = listeningPorts();
      const base = 10_000 + Math.floor(Math.random() * 20_000);
      const listeners = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const s = net.createServer((socket) => socket.destroy());
          await new Promise<void>((resolve, reject) => {
            s.once('error', reject);
            s.listen(base + i * 40, address, resolve);
          });
          return s;
        }),
      );
      try {
        const openPorts = new Set(listeners.map((s) => (s.address() as net.AddressInfo).port));
        const ports = Array.from({ length: 2000 }, (_, i) => base + i).filter((p) => openPorts.has(p) || !taken.has(p));
        const verdicts = new Map<number, string | null>();
        await new Promise<void>((resolve, reject) => {
          let next = 0;
          let pending = 0;
          const start = (): void => {
            if (next >= ports.length) {
              if (pending === 0) resolve();
              return;
            }
            const port = ports[next++]!;
            pending++;
            startAttempt(
              address,
              4,
              port,
              {
                answered: (code) => {
                  if (verdicts.has(port)) reject(new Error(`port ${port} answered twice`));
                  verdicts.set(port, code);
                  pending--;
                  start();
                },
              },
              implementation,
            );
          };
          for (let i = 0; i < 300; i++) start();
        });
        assert.equal(verdicts.size, ports.length, 'every attempt answered once');
        const wrong = ports.filter((p) => (verdicts.get(p) === null) !== openPorts.has(p));
        assert.deepEqual(wrong, [], 'open exactly where something listens');
      } finally {
        await Promise.all(listeners.map((s) => new Promise((resolve) => s.close(resolve))));
      }
    });
  }

  test('a worker thread ended with attempts in flight ends cleanly (the engine closes before it is unloaded)', () => {
    const module = new URL('./tcp-attempt.js', import.meta.url).href;
    const script = `
      import { Worker } from 'node:worker_threads';
      // The worker's code is a module too: it inherits --input-type=module.
      const worker = new Worker(\`
        import { parentPort } from 'node:worker_threads';
        import { startAttempt } from ${JSON.stringify(module)};
        for (let i = 0; i < 20; i++) startAttempt('127.0.0.1', 4, ${silent.port}, { answered: () => undefined });
        startAttempt('127.0.0.1', 4, ${unused}, { answered: (code) => parentPort.postMessage(code) });\`,
        { eval: true });
      console.log(await new Promise((resolve) => worker.once('message', resolve)));
      await worker.terminate();
      console.log('ended');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(child.signal, null, `the process died of ${child.signal}: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(child.stdout.trim().split('\n'), ['ECONNREFUSED', 'ended']);
  });

  test('answers stay right while another thread keeps starting programs (forked children hold sockets)', () => {
    // A forked child holds a copy of every descriptor until it execs; a socket closed meanwhile stays in an
    // epoll set unless its registration is one-shot. The first engine then answered stale slots and corrupted
    // its heap within seconds: the scan runs in workers while other threads may start programs.
    const module = new URL('./tcp-attempt.js', import.meta.url).href;
    const script = `
      import { Worker } from 'node:worker_threads';
      import { spawn } from 'node:child_process';
      const worker = new Worker(\`
        import { parentPort } from 'node:worker_threads';
        import { startAttempt } from ${JSON.stringify(module)};
        let wrong = 0, answered = 0, aborted = 0, late = 0, stop = false;
        parentPort.on('message', () => (stop = true));
        const tick = () => {
          for (let i = 0; i < 100; i++) {
            const open = i % 3 === 0;
            const port = open ? ${open} : ${unused};
            let gone = false;
            const attempt = startAttempt('127.0.0.1', 4, port, { answered: (code) => {
              if (gone) late++;
              answered++;
              if ((code === null) !== open || (code !== null && code !== 'ECONNREFUSED')) wrong++;
            } });
            if (i % 4 === 1) { gone = true; aborted++; attempt.abort(); }
          }
          if (stop) setTimeout(() => parentPort.postMessage({ wrong, answered, aborted, late }), 200);
          else setImmediate(tick);
        };
        tick();\`, { eval: true });
      let spawned = 0;
      const end = Date.now() + 2500;
      const again = () => {
        if (Date.now() > end) return worker.postMessage('stop');
        spawned++;
        spawn('/bin/true').on('exit', again);
      };
      for (let i = 0; i < 3; i++) again();
      const report = await new Promise((resolve) => worker.once('message', resolve));
      console.log(JSON.stringify({ ...report, spawned }));
      await worker.terminate();`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.signal, null, `the process died of ${child.signal}: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    const report = JSON.parse(child.stdout) as Record<string, number>;
    assert.ok(report.spawned! > 20 && report.answered! > 2_000, `too little happened: ${child.stdout}`);
    assert.deepEqual({ wrong: report.wrong, late: report.late }, { wrong: 0, late: 0 }, child.stdout);
  });

  test('engine: an address it cannot read (an unknown IPv6 zone) is answered EINVAL, not thrown', async (t) => {
    if (!AVAILABLE_IMPLEMENTATIONS.includes('engine')) {
      t.skip('the engine is not built here');
      return;
    }
    const code = await new Promise((resolve) =>
      startAttempt('fe80::1%no-such-interface0', 6, 443, { answered: resolve }, 'engine'),
    );
    assert.equal(code, 'EINVAL');
  });

  test('engine: with no descriptor left to start it, attempts fall back to libuv handles and are answered', (t) => {
    if (!AVAILABLE_IMPLEMENTATIONS.includes('engine')) {
      t.skip('the engine is not built here');
      return;
    }
    const module = new URL('./tcp-attempt.js', import.meta.url).href;
    // Every descriptor taken, then the first attempt of the thread: the engine's epoll set cannot be made.
    const script = `
      import { openSync, closeSync } from 'node:fs';
      import { startAttempt } from ${JSON.stringify(module)};
      const held = [];
      try { for (;;) held.push(openSync('/dev/null', 'r')); } catch {}
      let first;
      try {
        const listener = { answered: null };
        first = await new Promise((resolve) => {
          listener.answered = resolve;
          startAttempt('127.0.0.1', 4, ${unused}, listener, 'engine');
        });
      } catch (error) {
        first = 'threw ' + error.message;
      }
      for (const fd of held) closeSync(fd);
      const second = await new Promise((resolve) => startAttempt('127.0.0.1', 4, ${unused}, { answered: resolve }));
      console.log(JSON.stringify([first, second]));`;
    const child = spawnSync(
      '/bin/sh',
      ['-c', 'ulimit -n 256 && exec "$0" --input-type=module -e "$1"', process.execPath, script],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(child.status, 0, child.stderr);
    const [first, second] = JSON.parse(child.stdout) as string[];
    assert.match(String(first), /^E(MFILE|NFILE)$/, 'out of descriptors: answered as a local failure');
    assert.equal(second, 'ECONNREFUSED', 'answered once descriptors are free again');
  });

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
