import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import dnsPacket from 'dns-packet';
import { createDnsClient } from './dns/dns-client.js';
import { NetworkGuard } from './guarded-socket.js';
import { createRateLimit } from './rate-limit.js';

test('--rate is measured: N queries at rate R with burst B take at least (N - B) / R seconds', async () => {
  const server = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  let received = 0;
  server.on('message', (raw, remote) => {
    received++;
    const query = dnsPacket.decode(raw);
    server.send(
      dnsPacket.encode({ type: 'response', id: query.id, questions: query.questions }),
      remote.port,
      remote.address,
    );
  });
  const [count, rate, burst] = [120, 200, 20];
  const client = createDnsClient({ guard: new NetworkGuard({ rate: createRateLimit(rate, burst) }) });
  try {
    const address = { address: '127.0.0.1', port: server.address().port };
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => client.query(address, `q${i}.rate.test`, 'A')),
    );
    const seconds = (performance.now() - started) / 1000;
    assert.ok(results.every((r) => r.ok));
    assert.equal(received, count);
    assert.ok(seconds >= (count - burst) / rate - 0.01, `${count} queries took ${seconds.toFixed(3)} s`);
    assert.ok(seconds < ((count - burst) / rate) * 3 + 0.5, `the limiter is far too slow: ${seconds.toFixed(3)} s`);
  } finally {
    await client.close();
    server.close();
  }
});

test('the rate holds across worker threads: two threads share one budget', async () => {
  const [perThread, rate, burst] = [60, 200, 10];
  const spec = createRateLimit(rate, burst);
  const started = performance.now();
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./rate-limit.test-worker.js', import.meta.url), {
            workerData: { spec, count: perThread },
          });
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  // Each thread alone would need (60 - 10) / 200 = 0.25 s; together they must need (120 - 10) / 200.
  const floor = (2 * perThread - burst) / rate;
  assert.ok(seconds >= floor - 0.01, `two threads took ${seconds.toFixed(3)} s, under the shared floor ${floor} s`);
});
