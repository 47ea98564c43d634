/**
 * Test support for the e-mail authentication probe: a real authoritative-style DNS server on loopback
 * (dns-packet over UDP) serving a small in-memory zone, and a minimal DnsClient over node:dgram that
 * stands in for src/net/dns/dns-client.ts until that lands. Loopback only: nothing here ever sends
 * traffic outside 127.0.0.0/8.
 */
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Answer, RecordType } from 'dns-packet';
import type { DnsClient, DnsQueryOptions, DnsQueryResult, DnsServer } from '../../net/dns/dns-client.types.js';
import type { DnsProbeContext } from './dns-probe-context.js';

/** Records of a test zone, keyed by owner name; a name absent from the map is NXDOMAIN. */
export type TestZone = Map<string, Answer[]>;

export interface TestDnsServer {
  server: DnsServer;
  /** Every question received, as `TYPE name`. */
  queries: string[];
  close(): Promise<void>;
}

export interface TestDnsServerOptions {
  /** Loopback address to bind (default 127.0.0.1). */
  address?: string;
  /** Names never answered (their queries time out). */
  silentNames?: Set<string>;
  /** Never answer anything. */
  silent?: boolean;
}

/** A TXT answer; strings longer than 255 bytes are split into several character-strings (RFC 1035 3.3.14). */
export function txt(name: string, value: string): Answer {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(value, 'latin1');
  for (let i = 0; i < bytes.length; i += 255) chunks.push(bytes.subarray(i, i + 255));
  if (chunks.length === 0) chunks.push(Buffer.alloc(0));
  return { type: 'TXT', name, ttl: 300, data: chunks };
}

/** Builds a zone from a flat list of answers. */
export function zoneOf(records: Answer[]): TestZone {
  const zone: TestZone = new Map();
  for (const record of records) {
    const owner = record.name.toLowerCase();
    const list = zone.get(owner) ?? [];
    list.push(record);
    zone.set(owner, list);
  }
  return zone;
}

/** Starts a UDP DNS server on loopback answering from `zone` (NXDOMAIN for unknown names, NODATA for unknown types). */
export async function startTestDnsServer(zone: TestZone, options: TestDnsServerOptions = {}): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let request: dnsPacket.DecodedPacket;
    try {
      request = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = request.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push(`${question.type} ${name}`);
    if (options.silent || options.silentNames?.has(name)) return;
    const records = zone.get(name);
    const answers = records?.filter((r) => r.type === question.type) ?? [];
    const rcodeNxdomain = records === undefined ? 3 : 0;
    const response = dnsPacket.encode({
      id: request.id ?? 0,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcodeNxdomain,
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, options.address ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = socket.address();
  return {
    server: { address, port },
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/**
 * Minimal DnsClient over UDP: one socket per query, matches the reply by id and question, retries
 * after a timeout. Enough for probe tests; the real client (src/net/dns/dns-client.ts) adds TCP, EDNS and AXFR.
 */
export function createTestDnsClient(): DnsClient {
  const open = new Set<Socket>();
  async function attempt(
    server: DnsServer,
    name: string,
    type: RecordType,
    options: DnsQueryOptions,
  ): Promise<DnsQueryResult> {
    const id = Math.floor(Math.random() * 0x10000);
    const request = dnsPacket.encode({
      id,
      type: 'query',
      flags: options.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
      questions: [{ name, type, class: options.qclass ?? 'IN' }],
    });
    const socket = createSocket('udp4');
    open.add(socket);
    try {
      return await new Promise<DnsQueryResult>((resolve) => {
        const timer = setTimeout(
          () =>
            resolve({ ok: false, reason: 'timeout', detail: `no reply in ${options.timeoutMs ?? 2000} ms`, server }),
          options.timeoutMs ?? 2000,
        );
        socket.on('error', (error) => {
          clearTimeout(timer);
          resolve({ ok: false, reason: 'network_error', detail: error.message, server });
        });
        socket.on('message', (message: Buffer) => {
          let reply: dnsPacket.DecodedPacket;
          try {
            reply = dnsPacket.decode(message);
          } catch {
            return; // garbage: keep waiting for the real reply
          }
          const q = reply.questions?.[0];
          if (reply.id !== id || !q || q.name.toLowerCase() !== name.toLowerCase() || q.type !== type) return;
          clearTimeout(timer);
          resolve({
            ok: true,
            response: {
              rcode: (reply as unknown as { rcode: string }).rcode,
              flags: {
                aa: reply.flag_aa,
                tc: reply.flag_tc,
                rd: reply.flag_rd,
                ra: reply.flag_ra,
                ad: reply.flag_ad,
                cd: reply.flag_cd,
              },
              answers: reply.answers ?? [],
              authorities: reply.authorities ?? [],
              additionals: reply.additionals ?? [],
              transport: 'udp',
              server,
            },
          });
        });
        socket.send(request, server.port, server.address);
      });
    } finally {
      open.delete(socket);
      socket.close();
    }
  }
  return {
    async query(server, name, type, options = {}) {
      const retries = options.retries ?? 1;
      let result = await attempt(server, name, type, options);
      for (let i = 0; i < retries && !result.ok && result.reason === 'timeout'; i++)
        result = await attempt(server, name, type, options);
      return result;
    },
    async axfr(server) {
      return { ok: false, reason: 'refused', detail: 'not implemented in the test client', server };
    },
    async close() {
      for (const socket of open) socket.close();
      open.clear();
    },
  };
}

/** A probe context pointing at `resolver` with short timeouts. */
export function testProbeContext(client: DnsClient, resolver: DnsServer, timeoutMs = 1000): DnsProbeContext {
  return {
    client,
    resolver,
    nameServerPort: resolver.port,
    queryOptions: { timeoutMs, retries: 0 },
    now: () => Math.floor(Date.now() / 1000),
  };
}
