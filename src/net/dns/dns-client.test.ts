import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { seededRandom } from '../../core/seeded-random.js';
import { createDnsClient } from './dns-client.js';
import { parseServer } from './server-address.js';
import { txtStrings, txtToString } from './records.js';
import { ByteBudget, createByteBudget } from '../byte-budget.js';
import type { DnsQueryResult, DnsServer } from './dns-client.types.js';

// ------------------------------------------------------------------------------------------------
// A tiny real DNS server on loopback (UDP + TCP on the same port), driven by a handler per test.

interface Received {
  packet: DecodedPacket;
  transport: 'udp' | 'tcp';
}

/** What the handler wants sent back: raw DNS messages (each framed on TCP), or nothing. */
type Reply = Buffer | Buffer[] | null | undefined;
type Handler = (query: DecodedPacket, transport: 'udp' | 'tcp', raw: Buffer) => Reply | Promise<Reply>;

interface TestServer extends DnsServer {
  received: Received[];
  udp: dgram.Socket;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function startServer(handler: Handler, tcpOptions: { splitFramesIntoBytes?: boolean } = {}): Promise<TestServer> {
  for (let tries = 0; tries < 20; tries++) {
    // A large receive buffer, as a real server has: bursts of 512 queries overflow the default one.
    const udp = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const port = udp.address().port;
    const tcp = net.createServer();
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      udp.close();
      continue;
    }
    const received: Received[] = [];
    const connections = new Set<net.Socket>();
    udp.on('message', (raw, remote) => {
      let packet: DecodedPacket;
      try {
        packet = dnsPacket.decode(raw);
      } catch {
        return;
      }
      received.push({ packet, transport: 'udp' });
      void Promise.resolve(handler(packet, 'udp', raw)).then((reply) => {
        for (const message of toList(reply)) udp.send(message, remote.port, remote.address);
      });
    });
    tcp.on('connection', (socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      socket.on('error', () => socket.destroy());
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const raw = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
          buffered = buffered.subarray(2 + raw.length);
          const packet = dnsPacket.decode(raw);
          received.push({ packet, transport: 'tcp' });
          void Promise.resolve(handler(packet, 'tcp', raw)).then(async (reply) => {
            const framed = Buffer.concat(toList(reply).map(frame));
            if (tcpOptions.splitFramesIntoBytes) {
              // Deliver in awkward pieces (lengths split across writes) to exercise reassembly.
              for (let at = 0; at < framed.length && !socket.destroyed; at += 7) {
                socket.write(framed.subarray(at, at + 7));
                await new Promise((r) => setImmediate(r));
              }
            } else if (!socket.destroyed) {
              socket.write(framed);
            }
          });
        }
      });
    });
    let closed = false;
    const server: TestServer = {
      address: '127.0.0.1',
      port,
      received,
      udp,
      close: async () => {
        if (closed) return;
        closed = true;
        for (const socket of connections) socket.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ]);
      },
    };
    servers.push(server);
    return server;
  }
  throw new Error('could not bind a test DNS server');
}

/** RDATA of a record (OPT pseudo-records have none). */
function dataOf(answer: Answer | undefined): unknown {
  return answer !== undefined && 'data' in answer ? answer.data : undefined;
}

function toList(reply: Reply): Buffer[] {
  if (reply === null || reply === undefined) return [];
  return Array.isArray(reply) ? reply : [reply];
}

function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/** A response to `query` echoing its id and question. */
function respond(query: DecodedPacket, fields: Partial<Packet> = {}): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED),
    questions: query.questions,
    ...fields,
  });
}

function expectOk(result: DnsQueryResult): Extract<DnsQueryResult, { ok: true }>['response'] {
  if (!result.ok) assert.fail(`expected a response, got ${result.reason}: ${result.detail}`);
  return result.response;
}

const ZONE_DATA: Record<string, Answer[]> = {
  'www.example.test': [{ name: 'www.example.test', type: 'A', ttl: 60, data: '192.0.2.80' }],
  'example.test': [
    { name: 'example.test', type: 'TXT', ttl: 60, data: ['v=spf1 ip4:192.0.2.0/24 ', '-all'] },
    { name: 'example.test', type: 'TXT', ttl: 60, data: 'google-site-verification=abc' },
  ],
};

/** An authoritative server for ZONE_DATA: NXDOMAIN for unknown names. */
const zoneHandler: Handler = (query) => {
  const question = query.questions?.[0];
  const records = question ? (ZONE_DATA[question.name.toLowerCase()] ?? null) : null;
  if (records === null) return respond(query, { flags: dnsPacket.AUTHORITATIVE_ANSWER | 3 });
  return respond(query, {
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    answers: records.filter((r) => r.type === question?.type),
  });
};

// ------------------------------------------------------------------------------------------------

describe('parseServer and TXT helpers', () => {
  test('parses IPv4, IPv4:port, IPv6 and [IPv6]:port', () => {
    assert.deepEqual(parseServer('127.0.0.1:5300'), { address: '127.0.0.1', port: 5300 });
    assert.deepEqual(parseServer('127.0.0.1'), { address: '127.0.0.1', port: 53 });
    assert.deepEqual(parseServer('127.0.0.1', 5353), { address: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseServer('[::1]:53'), { address: '::1', port: 53 });
    assert.deepEqual(parseServer('::1'), { address: '::1', port: 53 });
    assert.deepEqual(parseServer('[0:0::1]'), { address: '::1', port: 53 });
  });

  test('rejects host names, bad ports and junk with a clear error', () => {
    assert.throws(() => parseServer('dns.google'), /expected an IP address/);
    assert.throws(() => parseServer('dns.google:53'), /expected an IP address/);
    assert.throws(() => parseServer('127.0.0.1:0'), /port must be/);
    assert.throws(() => parseServer('127.0.0.1:65536'), /port must be/);
    assert.throws(() => parseServer('127.0.0.1:53x'), /port must be/);
    assert.throws(() => parseServer('[::1]:'), /expected an IP address|port must be/);
    assert.throws(() => parseServer(''), /expected an IP address/);
    assert.throws(() => parseServer('300.1.1.1'), /expected an IP address/);
  });

  test('txtToString joins character-strings without a separator; txtStrings skips other types', () => {
    const txt: Answer = { name: 'a.test', type: 'TXT', data: [Buffer.from('v=spf1 '), Buffer.from('-all')] };
    assert.equal(txtToString(txt), 'v=spf1 -all');
    const cname: Answer = { name: 'a.test', type: 'CNAME', data: 'b.test' };
    assert.throws(() => txtToString(cname), TypeError);
    assert.deepEqual(txtStrings([cname, txt, { ...txt, name: 'other.test' }], 'A.test.'), ['v=spf1 -all']);
  });
});

describe('DNS client against a real loopback server', () => {
  test('A answer over UDP, with EDNS0 (1232, no DO) and RD by default', async () => {
    const server = await startServer(zoneHandler);
    const client = createDnsClient();
    try {
      const response = expectOk(await client.query(server, 'WWW.Example.TEST.', 'A'));
      assert.equal(response.rcode, 'NOERROR');
      assert.equal(response.transport, 'udp');
      assert.deepEqual(response.server, { address: '127.0.0.1', port: server.port });
      assert.deepEqual(
        response.answers.map((a) => [a.type, dataOf(a)]),
        [['A', '192.0.2.80']],
      );
      assert.equal(response.flags.aa, true);
      const sent = server.received[0]?.packet;
      assert.ok(sent);
      assert.equal(sent.flag_rd, true);
      const opt = sent.additionals?.find((a) => a.type === 'OPT');
      assert.ok(opt && opt.type === 'OPT');
      assert.equal(opt.udpPayloadSize, 1232);
      assert.equal(opt.flag_do, false);
    } finally {
      await client.close();
    }
  });

  test('dnssecOk sets the DO bit, recursionDesired:false clears RD, qclass CH is sent', async () => {
    const server = await startServer((query) =>
      respond(query, { answers: [{ name: 'version.bind', type: 'TXT', class: 'CH', data: 'lab-dns 1.0' }] }),
    );
    const client = createDnsClient();
    try {
      const response = expectOk(
        await client.query(server, 'version.bind', 'TXT', { qclass: 'CH', recursionDesired: false, dnssecOk: true }),
      );
      assert.deepEqual(txtStrings(response.answers), ['lab-dns 1.0']);
      const sent = server.received[0]?.packet;
      assert.ok(sent);
      assert.equal(sent.flag_rd, false);
      assert.equal(sent.questions?.[0]?.class, 'CH');
      const opt = sent.additionals?.find((a) => a.type === 'OPT');
      assert.ok(opt && opt.type === 'OPT' && opt.flag_do);
      assert.equal(sent.flag_cd, false, 'CD is clear unless asked for');
      expectOk(await client.query(server, 'version.bind', 'TXT', { qclass: 'CH', checkingDisabled: true }));
      assert.equal(server.received[1]?.packet.flag_cd, true, 'checkingDisabled sets CD');
    } finally {
      await client.close();
    }
  });

  test('TXT answers with several character-strings', async () => {
    const server = await startServer(zoneHandler);
    const client = createDnsClient();
    try {
      const response = expectOk(await client.query(server, 'example.test', 'TXT'));
      assert.deepEqual(txtStrings(response.answers).sort(), [
        'google-site-verification=abc',
        'v=spf1 ip4:192.0.2.0/24 -all',
      ]);
    } finally {
      await client.close();
    }
  });

  test('NXDOMAIN is a response, not a failure', async () => {
    const server = await startServer(zoneHandler);
    const client = createDnsClient();
    try {
      const response = expectOk(await client.query(server, 'missing.example.test', 'A'));
      assert.equal(response.rcode, 'NXDOMAIN');
      assert.deepEqual(response.answers, []);
    } finally {
      await client.close();
    }
  });

  test('a server that never answers: timeout after (1 + retries) attempts, within the bound', async () => {
    const server = await startServer(() => null);
    const client = createDnsClient();
    try {
      const started = Date.now();
      const result = await client.query(server, 'www.example.test', 'A', { timeoutMs: 150, retries: 1 });
      const elapsed = Date.now() - started;
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason === 'timeout', JSON.stringify(result));
      // At least both attempts' timeouts; the upper bound only catches a hang (timers run late under load).
      assert.ok(elapsed >= 290 && elapsed < 3000, `took ${elapsed} ms`);
      assert.equal(server.received.length, 2, 'one retry was sent');
      assert.notEqual(server.received[0]?.packet.id, server.received[1]?.packet.id, 'each attempt has a fresh id');
    } finally {
      await client.close();
    }
  });

  test('a server answering garbage with the right id: malformed_reply, without waiting for the timeout', async () => {
    const server = await startServer((query) => {
      const junk = Buffer.from('ffffffffffffffffdeadbeefcafe00c0', 'hex');
      junk.writeUInt16BE(query.id ?? 0, 0);
      return junk;
    });
    const client = createDnsClient();
    try {
      const started = Date.now();
      const result = await client.query(server, 'www.example.test', 'A', { timeoutMs: 10_000, retries: 0 });
      assert.ok(!result.ok && result.reason === 'malformed_reply', JSON.stringify(result));
      assert.ok(Date.now() - started < 5000, 'decided on the reply, not by the 10 s timeout');
    } finally {
      await client.close();
    }
  });

  test('a server answering only random bytes: malformed_reply once the attempts time out', async () => {
    const server = await startServer(() => Buffer.from([0x01]));
    const client = createDnsClient();
    try {
      const result = await client.query(server, 'www.example.test', 'A', { timeoutMs: 100, retries: 0 });
      assert.ok(!result.ok && result.reason === 'malformed_reply', JSON.stringify(result));
    } finally {
      await client.close();
    }
  });

  test(
    'spoofing defence: wrong id, wrong question, wrong source port are ignored; the real reply is ' + 'accepted',
    async () => {
      const spoofer = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => spoofer.bind(0, '127.0.0.1', resolve));
      const server = await startServer(async (query) => {
        const bogusAnswer: Answer[] = [{ name: 'www.example.test', type: 'A', data: '6.6.6.6' }];
        const wrongId = dnsPacket.encode({
          type: 'response',
          id: ((query.id ?? 0) ^ 0x5a5a) & 0xffff,
          questions: query.questions,
          answers: bogusAnswer,
        });
        const wrongName = respond(query, {
          questions: [{ name: 'evil.example.test', type: 'A' }],
          answers: bogusAnswer,
        });
        const wrongType = respond(query, {
          questions: [{ name: 'www.example.test', type: 'AAAA' }],
          answers: bogusAnswer,
        });
        const notAResponse = dnsPacket.encode({
          type: 'query',
          id: query.id,
          questions: query.questions,
          answers: bogusAnswer,
        });
        const fromElsewhere = respond(query, { answers: bogusAnswer });
        return new Promise<Reply>((resolve) => {
          // The spoofed copy comes from another port of the same address before the real answer.
          const clientPort = lastClientPort;
          spoofer.send(fromElsewhere, clientPort, '127.0.0.1', () => {
            setTimeout(() => resolve([wrongId, wrongName, wrongType, notAResponse]), 10);
          });
        });
      });
      // Capture the client's source port from the raw socket so the spoofer can target it.
      let lastClientPort = 0;
      server.udp.prependListener('message', (_msg, remote) => {
        lastClientPort = remote.port;
      });
      const client = createDnsClient();
      try {
        const pending = client.query(server, 'www.example.test', 'A', { timeoutMs: 1500, retries: 0 });
        // Deliver the real answer after every bogus one.
        setTimeout(() => {
          const query = server.received[0]?.packet;
          if (query)
            server.udp.send(respond(query, { answers: ZONE_DATA['www.example.test'] }), lastClientPort, '127.0.0.1');
        }, 150);
        const response = expectOk(await pending);
        assert.deepEqual(
          response.answers.map((a) => dataOf(a)),
          ['192.0.2.80'],
        );
      } finally {
        await client.close();
        spoofer.close();
      }
    },
  );

  test('only spoofed replies (wrong id) end in a timeout, never in the spoofed data', async () => {
    const server = await startServer((query) =>
      dnsPacket.encode({
        type: 'response',
        id: ((query.id ?? 0) + 1) & 0xffff,
        questions: query.questions,
        answers: [{ name: 'www.example.test', type: 'A', data: '6.6.6.6' }],
      }),
    );
    const client = createDnsClient();
    try {
      const result = await client.query(server, 'www.example.test', 'A', { timeoutMs: 120, retries: 0 });
      assert.ok(!result.ok && result.reason === 'timeout', JSON.stringify(result));
    } finally {
      await client.close();
    }
  });

  test('a truncated UDP answer is retried over TCP', async () => {
    const many: Answer[] = Array.from({ length: 100 }, (_, i) => ({
      name: 'big.example.test',
      type: 'TXT' as const,
      data: `record ${i} ${'x'.repeat(40)}`,
    }));
    const server = await startServer((query, transport) =>
      transport === 'udp'
        ? respond(query, { flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] })
        : respond(query, { answers: many }),
    );
    const client = createDnsClient();
    try {
      const response = expectOk(await client.query(server, 'big.example.test', 'TXT'));
      assert.equal(response.transport, 'tcp');
      assert.equal(response.flags.tc, false);
      assert.equal(response.answers.length, 100);
      assert.deepEqual(
        server.received.map((r) => r.transport),
        ['udp', 'tcp'],
      );
    } finally {
      await client.close();
    }
  });

  test('a reply over TCP that still has TC set is not an answer (malformed_reply), whatever it carries', async () => {
    // A hostile resolver: truncated over UDP, and "truncated" again over TCP with made-up answers.
    const server = await startServer((query) =>
      respond(query, {
        flags: dnsPacket.TRUNCATED_RESPONSE,
        answers: [{ name: 'phantom.example.test', type: 'A', ttl: 60, data: '192.0.2.66' }],
      }),
    );
    const client = createDnsClient();
    try {
      for (const options of [{}, { tcp: true }]) {
        const result = await client.query(server, 'phantom.example.test', 'A', { ...options, retries: 0 });
        assert.ok(!result.ok, `a TC=1 TCP reply was taken as an answer: ${JSON.stringify(result)}`);
        assert.equal(result.reason, 'malformed_reply');
        assert.match(result.detail, /still truncated/);
      }
      assert.deepEqual(
        server.received.map((r) => r.transport),
        ['udp', 'tcp', 'tcp'],
      );
    } finally {
      await client.close();
    }
  });

  test('tcp:true skips UDP; a refused TCP connection is a network_error', async () => {
    const server = await startServer(zoneHandler);
    const client = createDnsClient();
    try {
      const response = expectOk(await client.query(server, 'www.example.test', 'A', { tcp: true }));
      assert.equal(response.transport, 'tcp');
      assert.deepEqual(
        server.received.map((r) => r.transport),
        ['tcp'],
      );
      await server.close();
      const result = await client.query(server, 'www.example.test', 'A', { tcp: true, timeoutMs: 500 });
      assert.ok(!result.ok && result.reason === 'network_error', JSON.stringify(result));
    } finally {
      await client.close();
    }
  });

  test('IPv6 servers use the IPv6 socket pool ([::1])', async (t) => {
    const udp6 = dgram.createSocket('udp6');
    const bound = await new Promise<boolean>((resolve) => {
      udp6.once('error', () => resolve(false));
      udp6.bind(0, '::1', () => resolve(true));
    });
    if (!bound) {
      t.skip('::1 is not available on this machine');
      return;
    }
    udp6.on('message', (raw, remote) => {
      const query = dnsPacket.decode(raw);
      udp6.send(
        respond(query, { answers: [{ name: 'v6.test', type: 'AAAA', data: '2001:db8::1' }] }),
        remote.port,
        remote.address,
      );
    });
    const client = createDnsClient();
    try {
      const server = parseServer(`[0:0:0::1]:${udp6.address().port}`);
      const response = expectOk(await client.query(server, 'v6.test', 'AAAA', { timeoutMs: 1000 }));
      assert.deepEqual(
        response.answers.map((a) => dataOf(a)),
        ['2001:db8::1'],
      );
    } finally {
      await client.close();
      udp6.close();
    }
  });

  test('names that cannot be encoded are refused without throwing or sending', async () => {
    const server = await startServer(zoneHandler);
    const client = createDnsClient();
    try {
      const tooLongLabel = await client.query(server, `${'a'.repeat(64)}.example.test`, 'A');
      assert.ok(!tooLongLabel.ok && tooLongLabel.reason === 'network_error' && /label/.test(tooLongLabel.detail));
      const emptyLabel = await client.query(server, 'a..example.test', 'A');
      assert.ok(!emptyLabel.ok);
      const hostName = await client.query({ address: 'localhost', port: server.port }, 'www.example.test', 'A');
      assert.ok(!hostName.ok && /IP literal/.test(hostName.detail));
      assert.equal(server.received.length, 0);
    } finally {
      await client.close();
    }
  });
});

describe('AXFR', () => {
  const zone = 'example.test';
  const soa: Answer = {
    name: zone,
    type: 'SOA',
    ttl: 3600,
    data: {
      mname: 'ns1.example.test',
      rname: 'hostmaster.example.test',
      serial: 2024010101,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 300,
    },
  };
  const body: Answer[] = [
    { name: zone, type: 'NS', ttl: 3600, data: 'ns1.example.test' },
    { name: 'ns1.example.test', type: 'A', ttl: 3600, data: '192.0.2.53' },
    { name: 'www.example.test', type: 'A', ttl: 3600, data: '192.0.2.80' },
    { name: 'secret-admin.example.test', type: 'A', ttl: 3600, data: '192.0.2.99' },
  ];

  test('a transfer spanning two TCP messages (delivered in awkward pieces) returns every record once', async () => {
    const server = await startServer(
      (query, transport) => {
        if (transport !== 'tcp') return respond(query, { flags: 5 });
        const first = respond(query, { flags: dnsPacket.AUTHORITATIVE_ANSWER, answers: [soa, ...body.slice(0, 2)] });
        // RFC 5936 section 2.2.1: later messages may omit the question section.
        const second = dnsPacket.encode({
          type: 'response',
          id: query.id,
          flags: dnsPacket.AUTHORITATIVE_ANSWER,
          answers: [...body.slice(2), soa],
        });
        return [first, second];
      },
      { splitFramesIntoBytes: true },
    );
    const client = createDnsClient();
    try {
      const result = await client.axfr(server, 'Example.Test.', { timeoutMs: 3000 });
      if (!result.ok) assert.fail(`${result.reason}: ${result.detail}`);
      assert.deepEqual(
        result.records.map((r) => `${r.name} ${r.type}`),
        [
          'example.test SOA',
          'example.test NS',
          'ns1.example.test A',
          'www.example.test A',
          'secret-admin.example.test A',
        ],
      );
      const sent = server.received[0];
      assert.equal(sent?.transport, 'tcp');
      assert.equal(sent?.packet.questions?.[0]?.type, 'AXFR');
    } finally {
      await client.close();
    }
  });

  test('a scan-wide byte budget stops transfers once spent, across every transfer that shares it', async () => {
    const server = await startServer((query, transport) =>
      transport === 'tcp'
        ? respond(query, { flags: dnsPacket.AUTHORITATIVE_ANSWER, answers: [soa, ...body, soa] })
        : null,
    );
    const oneTransfer = frame(
      respond({ id: 0, type: 'query', questions: [{ name: zone, type: 'AXFR' }] } as DecodedPacket, {
        answers: [soa, ...body, soa],
      }),
    ).length;
    // Room for two transfers and a half: the third is cut off, and so is every later one.
    const budget = new ByteBudget(createByteBudget(Math.floor(oneTransfer * 2.5)));
    const client = createDnsClient({ transferBudget: budget });
    try {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await client.axfr(server, zone, { timeoutMs: 3000 }));
      assert.deepEqual(
        results.map((r) => (r.ok ? 'ok' : r.reason)),
        ['ok', 'ok', 'policy_refused', 'policy_refused'],
      );
      const last = results[3];
      assert.ok(last && !last.ok && /scan-wide budget/.test(last.detail), JSON.stringify(last));
      assert.equal(budget.remaining(), 0);
    } finally {
      await client.close();
    }
  });

  test('REFUSED is reported as refused', async () => {
    const server = await startServer((query) => respond(query, { flags: 5 }));
    const client = createDnsClient();
    try {
      const result = await client.axfr(server, zone, { timeoutMs: 2000 });
      assert.ok(!result.ok && result.reason === 'refused', JSON.stringify(result));
    } finally {
      await client.close();
    }
  });

  test(
    'a server that hangs up on the AXFR query has refused it; close() during a transfer is a ' + 'network_error',
    async () => {
      const silent = await startServer(() => null);
      const client = createDnsClient();
      try {
        // A TCP server that reads the query and hangs up without a word.
        const tcpHangUp = net.createServer((socket) => socket.once('data', () => socket.destroy()));
        await new Promise<void>((resolve) => tcpHangUp.listen(0, '127.0.0.1', resolve));
        const port = (tcpHangUp.address() as net.AddressInfo).port;
        const refused = await client.axfr({ address: '127.0.0.1', port }, zone, { timeoutMs: 2000 });
        assert.ok(!refused.ok && refused.reason === 'refused', JSON.stringify(refused));
        tcpHangUp.close();

        const pending = client.axfr(silent, zone, { timeoutMs: 5000 });
        await new Promise((r) => setTimeout(r, 50));
        await client.close();
        const closed = await pending;
        assert.ok(!closed.ok && closed.reason === 'network_error', JSON.stringify(closed));
      } finally {
        await client.close();
      }
    },
  );

  test('a transfer that never reaches the closing SOA times out instead of passing', async () => {
    const server = await startServer((query) => respond(query, { answers: [soa, ...body] }));
    const client = createDnsClient();
    try {
      const result = await client.axfr(server, zone, { timeoutMs: 300 });
      assert.ok(!result.ok && result.reason === 'timeout', JSON.stringify(result));
    } finally {
      await client.close();
    }
  });

  test('a transfer that does not start with the zone SOA is malformed', async () => {
    const server = await startServer((query) => respond(query, { answers: [...body, soa] }));
    const client = createDnsClient();
    try {
      const result = await client.axfr(server, zone, { timeoutMs: 1000 });
      assert.ok(!result.ok && result.reason === 'malformed_reply', JSON.stringify(result));
    } finally {
      await client.close();
    }
  });
});

describe('multiplexing and limits', () => {
  const addressFor = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const indexedHandler: Handler = (query) => {
    const question = query.questions?.[0];
    const match = question ? /^q(\d+)\.load\.test$/.exec(question.name) : null;
    if (!question || !match) return respond(query, { flags: 3 });
    return respond(query, {
      answers: [{ name: question.name, type: 'A', ttl: 1, data: addressFor(Number(match[1])) }],
    });
  };

  test('2,000 concurrent queries are all answered with their own data', async () => {
    const server = await startServer(indexedHandler);
    const client = createDnsClient();
    try {
      const results = await Promise.all(
        Array.from({ length: 2000 }, (_, i) => client.query(server, `q${i}.load.test`, 'A', { timeoutMs: 3000 })),
      );
      results.forEach((result, i) => {
        const response = expectOk(result);
        assert.deepEqual(
          response.answers.map((a) => [a.name, dataOf(a)]),
          [[`q${i}.load.test`, addressFor(i)]],
        );
      });
      // No query was lost and retried: the server saw each question exactly once (counted, not timed, so a
      // loaded machine cannot fail it).
      assert.equal(server.received.length, 2000, 'one datagram per query, no retries');
    } finally {
      await client.close();
    }
  });

  test('maxInFlight caps outstanding queries at the server', async () => {
    let outstanding = 0;
    let peak = 0;
    const server = await startServer(async (query) => {
      outstanding += 1;
      peak = Math.max(peak, outstanding);
      await new Promise((r) => setTimeout(r, 5));
      outstanding -= 1;
      return indexedHandler(query, 'udp', Buffer.alloc(0));
    });
    const client = createDnsClient({ maxInFlight: 8 });
    try {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => client.query(server, `q${i}.load.test`, 'A')),
      );
      assert.ok(results.every((r) => r.ok));
      assert.ok(peak <= 8, `peak ${peak}`);
      assert.ok(peak >= 2, `queries were not concurrent (peak ${peak})`);
    } finally {
      await client.close();
    }
  });

  test('close() fails waiting queries as network_error instead of hanging', async () => {
    const server = await startServer(() => null);
    const client = createDnsClient({ maxInFlight: 2 });
    const pending = Array.from({ length: 5 }, () =>
      client.query(server, 'www.example.test', 'A', { timeoutMs: 10_000 }),
    );
    await new Promise((r) => setTimeout(r, 50));
    await client.close();
    const results = await Promise.all(pending);
    assert.ok(results.every((r) => !r.ok && r.reason === 'network_error'));
    const afterClose = await client.query(server, 'www.example.test', 'A');
    assert.ok(!afterClose.ok && afterClose.reason === 'network_error');
  });

  for (const callClose of [false, true]) {
    test(`an idle client does not keep the process alive (${callClose ? 'after' : 'without'} close())`, () => {
      // Works from src/ (tsx) and from the compiled dist/ tree alike.
      const here = fileURLToPath(
        new URL(import.meta.url.endsWith('.ts') ? './dns-client.ts' : './dns-client.js', import.meta.url),
      );
      const script = `
      import dgram from 'node:dgram';
      import dnsPacket from 'dns-packet';
      const { createDnsClient } = await import(${JSON.stringify(here)});
      const server = dgram.createSocket('udp4');
      await new Promise((r) => server.bind(0, '127.0.0.1', r));
      server.on('message', (raw, remote) => {
        const q = dnsPacket.decode(raw);
        const reply = dnsPacket.encode({ type: 'response', id: q.id, questions: q.questions });
        server.send(reply, remote.port, remote.address);
      });
      const client = createDnsClient();
      const result = await client.query({ address: '127.0.0.1', port: server.address().port }, 'a.test', 'A');
      server.close();
      if (${callClose}) await client.close();
      if (!result.ok) process.exit(3);
      console.log('answered');
    `;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        timeout: 15_000,
        encoding: 'utf8',
      });
      assert.equal(run.signal, null, 'the process had to be killed: something kept it alive');
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /answered/);
    });
  }
});

describe('client fuzz: hostile bytes from a real server', () => {
  test(
    '3,000 queries answered with random, truncated, bit-flipped or pointer-looped replies: no throw, ' + 'bounded time',
    async () => {
      const random = seededRandom(42);
      const mutate = (query: DecodedPacket): Buffer => {
        const valid = respond(query, {
          answers: [
            { name: query.questions?.[0]?.name ?? 'x.test', type: 'A', data: '192.0.2.1' },
            { name: query.questions?.[0]?.name ?? 'x.test', type: 'TXT', data: 'v=spf1 -all' },
          ],
        });
        const kind = Math.floor(random() * 5);
        if (kind === 0) {
          const junk = Buffer.alloc(Math.floor(random() * 300));
          for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(random() * 256);
          if (junk.length >= 2 && random() < 0.5) junk.writeUInt16BE(query.id ?? 0, 0);
          return junk;
        }
        if (kind === 1) return valid.subarray(0, Math.floor(random() * valid.length));
        const buf = Buffer.from(valid);
        if (kind === 2) {
          for (let k = 0; k < 3; k++) {
            const at = Math.floor(random() * buf.length);
            buf[at] = (buf[at] ?? 0) ^ (1 << Math.floor(random() * 8));
          }
          return buf;
        }
        // kinds 3 and 4: a self-pointer or a forward pointer planted after the header.
        const at = 12 + Math.floor(random() * (buf.length - 14));
        const target = kind === 3 ? at : Math.min(at + 2 + Math.floor(random() * 10), 0x3fff);
        buf[at] = 0xc0 | (target >> 8);
        buf[at + 1] = target & 0xff;
        return buf;
      };
      const server = await startServer((query) => mutate(query));
      const client = createDnsClient();
      const timeoutMs = 200;
      try {
        const started = Date.now();
        const outcomes = await Promise.all(
          Array.from({ length: 3000 }, async (_, i) => {
            const t0 = Date.now();
            const result = await client.query(server, `f${i}.fuzz.test`, 'A', { timeoutMs, retries: 0 });
            return { result, ms: Date.now() - t0 };
          }),
        );
        const counts = { ok: 0, timeout: 0, malformed_reply: 0, network_error: 0, policy_refused: 0 };
        for (const { result } of outcomes) {
          if (result.ok) {
            counts.ok++;
            assert.ok(['udp', 'tcp'].includes(result.response.transport));
            assert.equal(typeof result.response.rcode, 'string');
          } else {
            counts[result.reason]++;
          }
        }
        const totalMs = Date.now() - started;
        assert.equal(counts.network_error, 0, JSON.stringify(counts));
        assert.equal(outcomes.length, 3000);
        // Both outcomes occur (some mutations stay valid); undecodable datagrams from the server turn its
        // timeouts into malformed_reply, so 'timeout' may legitimately be zero here.
        assert.ok(counts.malformed_reply > 0 && counts.ok > 0, JSON.stringify(counts));
        for (const { ms } of outcomes) assert.ok(ms < 10_000);
        // With 512 in flight and a 200 ms timeout, 3,000 queries must finish in a few rounds, never hang.
        assert.ok(totalMs < 10_000, `fuzz run took ${totalMs} ms ${JSON.stringify(counts)}`);
      } finally {
        await client.close();
      }
    },
  );
});

describe('encodeQuery', () => {
  test('writes exactly the bytes dns-packet encodes, for every flag and type combination', async () => {
    const { encodeQuery, buildQuery } = await import('./codec.js');
    const types = ['A', 'AAAA', 'NS', 'MX', 'TXT', 'SOA', 'CAA', 'DS', 'DNSKEY', 'CNAME', 'AXFR', 'NAPTR'] as const;
    const names = ['.', 'example.test', 'a.b.c.d.e.example.test', 'xn--bcher-kva.example', `${'x'.repeat(63)}.test`];
    let checked = 0;
    for (const type of types) {
      for (const name of names) {
        for (const bits of [0, 1, 2, 3, 4, 5, 6, 7]) {
          const query = {
            server: { address: '127.0.0.1', port: 53 },
            family: 4 as const,
            name,
            type,
            qclass: (bits & 4 ? 'CH' : 'IN') as 'IN' | 'CH',
            timeoutMs: 1000,
            attempts: 1,
            dnssecOk: (bits & 1) !== 0,
            recursionDesired: (bits & 2) !== 0,
            checkingDisabled: (bits & 4) !== 0,
            tcp: false,
          };
          const id = (checked * 7919) & 0xffff;
          assert.deepEqual(encodeQuery(query, id), dnsPacket.encode(buildQuery(query, id)), `${type} ${name} ${bits}`);
          checked++;
        }
      }
    }
    assert.equal(checked, types.length * names.length * 8);
  });
});
