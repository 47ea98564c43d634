import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gobusterArgs, runGobuster } from './gobuster.js';
import { startTestDnsServer } from './test-dns-server.js';
import { findExecutable } from './tools.js';

describe('gobusterArgs', () => {
  test('always names the loopback resolver explicitly', () => {
    const args = gobusterArgs('example.test', '/tmp/words.txt', { address: '127.0.53.1', port: 10053 }, 50);
    assert.equal(args[0], 'dns');
    assert.equal(args[args.indexOf('--resolver') + 1], '127.0.53.1:10053');
    assert.equal(args[args.indexOf('--domain') + 1], 'example.test');
    assert.equal(args[args.indexOf('--threads') + 1], '50');
  });
  test('refuses a resolver outside 127.0.0.0/8', () => {
    assert.throws(() => gobusterArgs('example.test', '/tmp/w', { address: '10.255.255.53', port: 53 }, 50), /loopback/);
  });
});

describe('runGobuster against a real loopback server', () => {
  const gobusterPath = findExecutable('gobuster');
  test('finds the existing name and sends the queries the result claims', {
    skip: gobusterPath ? false : 'gobuster is not installed',
  }, async () => {
    const dns = await startTestDnsServer({ existing: ['www.example.test', 'example.test'] });
    try {
      const words = ['www', 'mail', 'vpn'];
      const result = await runGobuster(
        gobusterPath!,
        ['example.test'],
        words,
        { address: dns.address, port: dns.port },
        { processes: 1, threads: 5 },
      );
      assert.equal(result.failedRuns, 0, result.errors.join('\n'));
      assert.equal(result.found, 1);
      // The claim behind queriesPerSecond: A and AAAA per word plus the wildcard test's A and AAAA.
      assert.equal(result.queries, 2 * words.length + 2);
      assert.equal(dns.seen.length, result.queries);
      for (const word of words) {
        assert.deepEqual(
          dns.seen
            .filter((q) => q.name === `${word}.example.test`)
            .map((q) => q.type)
            .sort(),
          ['A', 'AAAA'],
        );
      }
    } finally {
      await dns.close();
    }
  });
});
