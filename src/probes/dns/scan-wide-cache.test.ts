import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { createDnsClient } from '../../net/dns/dns-client.js';
import { scanWideCache } from './scan-wide-cache.js';

test(
  'names outside the target are asked once per scan; the target own names every time; failures are not ' + 'kept',
  async () => {
    // Given a real DNS server on loopback that counts questions per name and stays silent for one name
    const socket = dgram.createSocket('udp4');
    const asked = new Map<string, number>();
    socket.on('message', (msg, rinfo) => {
      const query = dnsPacket.decode(msg);
      const q = query.questions![0]!;
      asked.set(q.name, (asked.get(q.name) ?? 0) + 1);
      if (q.name === 'silent.provider.test') return;
      const reply = dnsPacket.encode({
        type: 'response',
        id: query.id,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: [q],
        answers: [{ name: q.name, type: 'A', ttl: 60, data: '127.0.0.9' }],
      });
      socket.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const server = { address: '127.0.0.1', port: socket.address().port };
    const inner = createDnsClient();
    const cache = scanWideCache(inner);
    try {
      // When two organizations' assessments ask about a provider's name and their own names
      for (const domain of ['a.test', 'b.test']) {
        const client = cache.forTarget(domain);
        assert.ok((await client.query(server, 'ns1.provider.test', 'A')).ok);
        assert.ok((await client.query(server, `www.${domain}`, 'A')).ok);
        assert.ok((await client.query(server, `www.${domain}`, 'A')).ok);
        assert.equal(
          (await client.query(server, 'silent.provider.test', 'A', { timeoutMs: 100, retries: 0 })).ok,
          false,
        );
      }
      // Then the provider's name went on the wire once, each own name every time, and the failure was retried
      assert.equal(asked.get('ns1.provider.test'), 1);
      assert.equal(asked.get('www.a.test'), 2);
      assert.equal(asked.get('www.b.test'), 2);
      assert.equal(asked.get('silent.provider.test'), 2);
    } finally {
      await inner.close();
      socket.close();
    }
  },
);
