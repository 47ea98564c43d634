import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDnsClient } from '../src/net/dns/dns-client.js';
import { createRecordingDnsClient } from './recording-client.js';
import { startTestDnsServer } from './test-dns-server.js';

test('the recording client counts and records every query and passes replies through unchanged', async () => {
  const dns = await startTestDnsServer({ existing: ['www.example.test'], silent: ['slow.example.test'] });
  const client = createRecordingDnsClient(createDnsClient(), { record: true });
  try {
    const server = { address: dns.address, port: dns.port };
    const found = await client.query(server, 'www.example.test', 'A');
    assert.ok(found.ok);
    assert.equal(found.response.rcode, 'NOERROR');
    assert.equal(found.response.answers.length, 1);
    const missing = await client.query(server, 'nope.example.test', 'A', {
      recursionDesired: false,
      dnssecOk: true,
      checkingDisabled: true,
    });
    assert.ok(missing.ok);
    assert.equal(missing.response.rcode, 'NXDOMAIN');
    const silent = await client.query(server, 'slow.example.test', 'A', { timeoutMs: 100, retries: 0 });
    assert.equal(silent.ok, false);

    assert.deepEqual(client.tally, { queries: 3, axfr: 0, failures: { timeout: 1 } });
    assert.deepEqual(
      client.recorded.map((q) => [q.name, q.type, q.qclass, q.recursionDesired, q.dnssecOk, q.checkingDisabled, q.tcp]),
      [
        ['www.example.test', 'A', 'IN', true, false, false, false],
        ['nope.example.test', 'A', 'IN', false, true, true, false],
        ['slow.example.test', 'A', 'IN', true, false, false, false],
      ],
    );
    // What was recorded is what the server received.
    assert.deepEqual(
      dns.seen.map((q) => [q.name, q.recursionDesired, q.dnssecOk, q.checkingDisabled]),
      [
        ['www.example.test', true, false, false],
        ['nope.example.test', false, true, true],
        ['slow.example.test', true, false, false],
      ],
    );
  } finally {
    await client.close();
    await dns.close();
  }
});

test('without recording it only counts', async () => {
  const dns = await startTestDnsServer({ existing: [] });
  const client = createRecordingDnsClient(createDnsClient(), { record: false });
  try {
    await client.query({ address: dns.address, port: dns.port }, 'a.example.test', 'AAAA');
    assert.equal(client.tally.queries, 1);
    assert.deepEqual(client.recorded, []);
  } finally {
    await client.close();
    await dns.close();
  }
});
