import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { createDnsClient } from '../../net/dns/dns-client.js';
import { memoizingClient } from './memoizing-client.js';
import { ctNamesByDomain } from './discovery.probe.js';

test('a repeated question goes on the wire once; a different one is asked', async () => {
  // Given a real DNS server on loopback that counts what it receives
  const socket = dgram.createSocket('udp4');
  let received = 0;
  socket.on('message', (msg, rinfo) => {
    received++;
    const query = dnsPacket.decode(msg);
    const q = query.questions![0]!;
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
  const client = memoizingClient(inner);
  try {
    // When the same question is asked three times, and once with other options
    const [a, b, c] = await Promise.all([
      client.query(server, 'x.test', 'A'),
      client.query(server, 'X.test.', 'A'),
      client.query(server, 'x.test', 'A'),
    ]);
    await client.query(server, 'x.test', 'A', { dnssecOk: true });
    // Then the server saw two queries and every caller got the answer
    assert.equal(received, 2);
    for (const r of [a, b, c]) assert.ok(r.ok && r.response.answers.length === 1);
  } finally {
    await inner.close();
    socket.close();
  }
});

test('CT names are grouped under the target domains they fall below', () => {
  const grouped = ctNamesByDomain(
    ['www.a.test', '*.a.test', 'x.y.a.test', 'b.test', 'evil-a.test', 'MAIL.B.TEST.', 'other.test'],
    ['a.test', 'b.test'],
  );
  assert.deepEqual(grouped.get('a.test'), ['www.a.test', 'x.y.a.test']);
  assert.deepEqual(grouped.get('b.test'), ['b.test', 'mail.b.test']);
  assert.equal(grouped.has('other.test'), false);
});
