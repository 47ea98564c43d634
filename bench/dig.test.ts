import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DigOutputTally, digBatchLine, replayWithDig } from './dig.js';
import type { RecordedQuery } from './recording-client.js';
import { startTestDnsServer } from './test-dns-server.js';
import { findExecutable } from './tools.js';

const server = { address: '127.0.53.1', port: 10053 };
const base: RecordedQuery = {
  server,
  name: 'example.test',
  type: 'A',
  qclass: 'IN',
  recursionDesired: true,
  dnssecOk: false,
  checkingDisabled: false,
  tcp: false,
};

describe('digBatchLine', () => {
  test('names the server, port, absolute name and type', () => {
    assert.equal(digBatchLine(base), '@127.0.53.1 -p 10053 example.test. A');
  });
  test('reproduces the flags the scanner used', () => {
    assert.equal(
      digBatchLine({
        ...base,
        server: { address: '127.16.0.53', port: 20000 },
        name: 'version.bind',
        type: 'TXT',
        qclass: 'CH',
        recursionDesired: false,
      }),
      '@127.16.0.53 -p 20000 version.bind. CH TXT +norecurse',
    );
    assert.equal(
      digBatchLine({ ...base, type: 'DNSKEY', dnssecOk: true, checkingDisabled: true }),
      '@127.0.53.1 -p 10053 example.test. DNSKEY +dnssec +cdflag',
    );
    assert.equal(digBatchLine({ ...base, type: 'TXT', tcp: true }), '@127.0.53.1 -p 10053 example.test. TXT +tcp');
    // dig asks AXFR over TCP by itself.
    assert.equal(digBatchLine({ ...base, type: 'AXFR', tcp: true }), '@127.0.53.1 -p 10053 example.test. AXFR');
    assert.equal(digBatchLine({ ...base, name: '.', type: 'NS' }), '@127.0.53.1 -p 10053 . NS');
  });
  test('refuses servers outside 127.0.0.0/8 and odd names', () => {
    assert.throws(() => digBatchLine({ ...base, server: { address: '9.9.9.9', port: 53 } }), /loopback/);
    assert.throws(() => digBatchLine({ ...base, server: { address: '::1', port: 53 } }), /loopback/);
    assert.throws(() => digBatchLine({ ...base, server: { address: 'localhost', port: 53 } }), /loopback/);
    assert.throws(() => digBatchLine({ ...base, name: 'a b.test' }), /unexpected characters/);
  });
});

describe('DigOutputTally', () => {
  test('counts replies by rcode and give-ups, across chunk boundaries', () => {
    const tally = new DigOutputTally();
    const output = [
      ';; Got answer:',
      ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1',
      'example.test. 60 IN A 127.0.0.1',
      ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 2',
      ';; communications error to 127.0.0.1#5300: timed out',
      ';; no servers could be reached',
      ';; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: 3',
    ].join('\n');
    for (let i = 0; i < output.length; i += 7) tally.push(output.slice(i, i + 7));
    tally.end();
    assert.equal(tally.answered, 3);
    assert.equal(tally.failed, 1);
    assert.deepEqual(tally.rcodes, { NOERROR: 1, NXDOMAIN: 1, REFUSED: 1 });
  });
});

describe('replayWithDig against a real loopback server', () => {
  const digPath = findExecutable('dig');
  test('sends every recorded query once with its flags, and counts the replies', {
    skip: digPath ? false : 'dig is not installed',
  }, async () => {
    const dns = await startTestDnsServer({ existing: ['www.example.test'] });
    try {
      const target = { address: dns.address, port: dns.port };
      const queries: RecordedQuery[] = [
        { ...base, server: target, name: 'www.example.test' },
        { ...base, server: target, name: 'nope.example.test', recursionDesired: false },
        { ...base, server: target, name: 'example.test', type: 'DNSKEY', dnssecOk: true, checkingDisabled: true },
      ];
      const result = await replayWithDig(digPath!, queries, target, 2);
      assert.equal(result.queries, 3);
      assert.equal(result.answered, 3);
      assert.equal(result.failed, 0);
      assert.deepEqual(result.rcodes, { NOERROR: 1, NXDOMAIN: 2 });
      const seen = [...dns.seen].sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(
        seen.map((q) => [q.name, q.type, q.recursionDesired, q.dnssecOk, q.checkingDisabled]),
        [
          ['example.test', 'DNSKEY', true, true, true],
          ['nope.example.test', 'A', false, false, false],
          ['www.example.test', 'A', true, false, false],
        ],
      );
    } finally {
      await dns.close();
    }
  });
});
