/**
 * Test support for the DNS infrastructure and DNSSEC probes: scripted DNS servers on loopback
 * (dns-packet over real UDP and TCP sockets, including multi-message AXFR) and a minimal DnsClient over
 * node:dgram / node:net that implements the contract in dns-client.types.ts independently of
 * src/net/dns/dns-client.ts. Loopback only: nothing here sends traffic outside 127.0.0.0/8.
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer, connect } from 'node:net';
import type { Server as TcpServer, Socket as TcpSocket } from 'node:net';
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, RecordType } from 'dns-packet';
import type {
  AxfrResult,
  DnsClient,
  DnsQueryOptions,
  DnsQueryResult,
  DnsServer,
} from '../../net/dns/dns-client.types.js';
import { canonicalName } from '../../core/names.js';

const RCODES: Record<string, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  NOTAUTH: 9,
};

/** What a scripted server replies: one message (UDP or TCP), several (TCP only: AXFR), or silence. */
export type DnsReply = Packet | Packet[] | null;
export type DnsHandler = (query: DecodedPacket, transport: 'udp' | 'tcp') => DnsReply | Promise<DnsReply>;

/** Builds a response to `query` with an rcode and flags. */
export function respond(
  query: DecodedPacket,
  options: { rcode?: string; aa?: boolean; ra?: boolean; answers?: Answer[]; authorities?: Answer[] } = {},
): Packet {
  let flags = RCODES[options.rcode ?? 'NOERROR'] ?? 0;
  if (options.aa) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  if (options.ra) flags |= dnsPacket.RECURSION_AVAILABLE;
  if (query.flag_rd) flags |= dnsPacket.RECURSION_DESIRED;
  return {
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: options.answers ?? [],
    authorities: options.authorities ?? [],
  };
}

export interface ScriptedServer {
  address: string;
  port: number;
  /** Questions received, as `CLASS TYPE name transport`. */
  queries: string[];
  close(): Promise<void>;
}

/** Starts UDP and TCP listeners on address:port (port 0 = ephemeral, shared by both) answering with `handler`. */
export async function startScriptedServer(address: string, port: number, handler: DnsHandler): Promise<ScriptedServer> {
  const queries: string[] = [];
  const udp = createSocket('udp4');
  const openSockets = new Set<TcpSocket>();
  const decode = (buf: Buffer): DecodedPacket | null => {
    try {
      return dnsPacket.decode(buf);
    } catch {
      return null;
    }
  };
  const log = (q: DecodedPacket, transport: 'udp' | 'tcp'): void => {
    const question = q.questions?.[0];
    queries.push(`${question?.class ?? 'IN'} ${question?.type ?? '?'} ${question?.name ?? '?'} ${transport}`);
  };
  udp.on('message', (msg, remote) => {
    const q = decode(msg);
    if (!q) return;
    log(q, 'udp');
    void Promise.resolve(handler(q, 'udp')).then((reply) => {
      const first = Array.isArray(reply) ? reply[0] : reply;
      if (first) udp.send(dnsPacket.encode(first), remote.port, remote.address);
    });
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, address, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const boundPort = udp.address().port;
  const tcp: TcpServer = createServer((socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const q = decode(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        if (!q) continue;
        log(q, 'tcp');
        void Promise.resolve(handler(q, 'tcp')).then((reply) => {
          if (socket.destroyed) return;
          for (const packet of reply === null ? [] : Array.isArray(reply) ? reply : [reply])
            socket.write(dnsPacket.streamEncode(packet));
        });
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(boundPort, address, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    udp.close();
    throw error;
  }
  return {
    address,
    port: boundPort,
    queries,
    close: async () => {
      for (const s of openSockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ]);
    },
  };
}

/**
 * Starts one scripted server per address, all on the same port (name servers are queried at one
 * nameServerPort); retries with another random high port when one is taken.
 */
export async function startServersOnCommonPort(
  specs: Array<{ address: string; handler: DnsHandler }>,
): Promise<{ port: number; servers: ScriptedServer[] }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = randomInt(20000, 60000);
    const started: ScriptedServer[] = [];
    try {
      for (const spec of specs) started.push(await startScriptedServer(spec.address, port, spec.handler));
      return { port, servers: started };
    } catch (error) {
      lastError = error;
      await Promise.all(started.map((s) => s.close()));
    }
  }
  throw new Error(`could not bind test name servers on a common port: ${String(lastError)}`);
}

/** A random 127.x.y.0/24 base (x in 200..249) so parallel test files rarely share addresses. */
export function randomLoopbackNet(): { x: number; y: number } {
  return { x: randomInt(200, 250), y: randomInt(0, 200) };
}

/**
 * A minimal DnsClient: one UDP socket per query (fine for tests), TCP after TC or when asked,
 * AXFR over TCP until the second SOA. Replies are matched on id and source; it never throws for
 * network trouble.
 */
export function createTestDnsClient(): DnsClient {
  return {
    async query(server, name, type, options = {}) {
      const retries = options.retries ?? 1;
      let result: DnsQueryResult = { ok: false, reason: 'timeout', detail: 'not sent', server };
      for (let attempt = 0; attempt <= retries; attempt++) {
        result = options.tcp
          ? await tcpQuery(server, name, type, options)
          : await udpQuery(server, name, type, options);
        if (result.ok && result.response.flags.tc) result = await tcpQuery(server, name, type, options);
        if (result.ok || result.reason !== 'timeout') return result;
      }
      return result;
    },
    async axfr(server, zone, options = {}) {
      return axfrQuery(server, zone, options.timeoutMs ?? 5000);
    },
    async close() {},
  };
}

function buildQuery(name: string, type: RecordType, options: DnsQueryOptions): Packet {
  return {
    type: 'query',
    id: randomInt(0, 65536),
    flags: options.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: options.qclass ?? 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: 1232,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: options.dnssecOk ? dnsPacket.DNSSEC_OK : 0,
        flag_do: options.dnssecOk ?? false,
        options: [],
      },
    ],
  };
}

function toResult(decoded: DecodedPacket, server: DnsServer, transport: 'udp' | 'tcp'): DnsQueryResult {
  return {
    ok: true,
    response: {
      rcode: (decoded as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR',
      flags: {
        aa: decoded.flag_aa,
        tc: decoded.flag_tc,
        rd: decoded.flag_rd,
        ra: decoded.flag_ra,
        ad: decoded.flag_ad,
        cd: decoded.flag_cd,
      },
      answers: decoded.answers ?? [],
      authorities: decoded.authorities ?? [],
      additionals: decoded.additionals ?? [],
      transport,
      server,
    },
  };
}

function udpQuery(
  server: DnsServer,
  name: string,
  type: RecordType,
  options: DnsQueryOptions,
): Promise<DnsQueryResult> {
  const query = buildQuery(name, type, options);
  const socket: UdpSocket = createSocket(server.address.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    const finish = (result: DnsQueryResult): void => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', detail: `no reply within ${options.timeoutMs ?? 2000} ms`, server }),
      options.timeoutMs ?? 2000,
    );
    socket.on('error', (e) => finish({ ok: false, reason: 'network_error', detail: e.message, server }));
    socket.on('message', (msg, remote) => {
      if (remote.address !== server.address || remote.port !== server.port) return;
      let decoded: DecodedPacket;
      try {
        decoded = dnsPacket.decode(msg);
      } catch {
        finish({ ok: false, reason: 'malformed_reply', detail: 'undecodable reply', server });
        return;
      }
      if (decoded.id !== query.id) return;
      finish(toResult(decoded, server, 'udp'));
    });
    socket.send(dnsPacket.encode(query), server.port, server.address);
  });
}

/** Sends one message over TCP and collects framed replies until `done` says so or the timer fires. */
function tcpExchange(
  server: DnsServer,
  query: Packet,
  timeoutMs: number,
  onMessage: (decoded: DecodedPacket) => 'more' | 'done',
): Promise<{ ok: true } | { ok: false; reason: 'timeout' | 'network_error' | 'malformed_reply'; detail: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: server.address, port: server.port });
    let buffered = Buffer.alloc(0);
    let settled = false;
    const finish = (
      r: { ok: true } | { ok: false; reason: 'timeout' | 'network_error' | 'malformed_reply'; detail: string },
    ): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', detail: `no complete TCP reply within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on('error', (e) => finish({ ok: false, reason: 'network_error', detail: e.message }));
    socket.on('close', () => finish({ ok: false, reason: 'network_error', detail: 'connection closed' }));
    socket.on('connect', () => socket.write(dnsPacket.streamEncode(query)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && !settled) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) return;
        let decoded: DecodedPacket;
        try {
          decoded = dnsPacket.decode(buffered.subarray(2, 2 + length));
        } catch {
          finish({ ok: false, reason: 'malformed_reply', detail: 'undecodable TCP message' });
          return;
        }
        buffered = buffered.subarray(2 + length);
        if (decoded.id !== query.id) continue;
        if (onMessage(decoded) === 'done') finish({ ok: true });
      }
    });
  });
}

async function tcpQuery(
  server: DnsServer,
  name: string,
  type: RecordType,
  options: DnsQueryOptions,
): Promise<DnsQueryResult> {
  let reply: DecodedPacket | undefined;
  const r = await tcpExchange(server, buildQuery(name, type, options), options.timeoutMs ?? 2000, (d) => {
    reply = d;
    return 'done';
  });
  if (!r.ok || !reply)
    return { ok: false, reason: r.ok ? 'malformed_reply' : r.reason, detail: r.ok ? 'no reply' : r.detail, server };
  return toResult(reply, server, 'tcp');
}

async function axfrQuery(server: DnsServer, zone: string, timeoutMs: number): Promise<AxfrResult> {
  const records: Answer[] = [];
  let soaCount = 0;
  let refusedWith: string | null = null;
  const r = await tcpExchange(server, buildQuery(zone, 'AXFR', { recursionDesired: false }), timeoutMs, (d) => {
    const rcode = (d as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
    if (rcode !== 'NOERROR') {
      refusedWith = rcode;
      return 'done';
    }
    for (const a of d.answers ?? []) {
      records.push(a);
      if (a.type === 'SOA') soaCount++;
    }
    return soaCount >= 2 || records.length > 200_000 ? 'done' : 'more';
  });
  if (!r.ok) return { ok: false, reason: r.reason, detail: r.detail, server };
  if (refusedWith !== null) return { ok: false, reason: 'refused', detail: `AXFR answered ${refusedWith}`, server };
  return { ok: true, records };
}

/** Records of a small test internet, keyed by lower-case owner name. */
export type RecordTable = Map<string, Answer[]>;

/** Builds a RecordTable from a flat list. */
export function recordTable(records: Answer[]): RecordTable {
  const table: RecordTable = new Map();
  for (const r of records) {
    const owner = r.name.toLowerCase();
    table.set(owner, [...(table.get(owner) ?? []), r]);
  }
  return table;
}

/**
 * Answers like a recursive resolver over `table`: follows CNAMEs (up to 8), synthesizes from a
 * `*.<parent>` wildcard for a missing name, NODATA for an existing name without the type, NXDOMAIN
 * otherwise. Returns null when the chain reaches a name for which `silent` is true.
 */
export function resolveInTable(
  table: RecordTable,
  qname: string,
  qtype: string,
  silent: (name: string) => boolean = () => false,
): { rcode: 'NOERROR' | 'NXDOMAIN'; answers: Answer[] } | null {
  const answers: Answer[] = [];
  let name = canonicalName(qname);
  for (let hop = 0; hop < 8; hop++) {
    if (silent(name)) return null;
    let records = table.get(name);
    if (!records) {
      const parent = name.split('.').slice(1).join('.');
      const wildcard = table.get(`*.${parent}`);
      if (wildcard) records = wildcard.map((r) => ({ ...r, name }) as Answer);
    }
    if (!records) {
      const emptyNonTerminal = [...table.keys()].some((k) => k.endsWith(`.${name}`));
      return { rcode: emptyNonTerminal ? 'NOERROR' : 'NXDOMAIN', answers };
    }
    const cname = records.find((r) => r.type === 'CNAME');
    if (cname && qtype !== 'CNAME') {
      answers.push({ ...cname, name } as Answer);
      name = String((cname as { data: unknown }).data).toLowerCase();
      continue;
    }
    answers.push(...records.filter((r) => r.type === qtype).map((r) => ({ ...r, name }) as Answer));
    return { rcode: 'NOERROR', answers };
  }
  return { rcode: 'NOERROR', answers };
}

/** The zone of {@link startClinicResolver}: an apex, its name server, a host, and a dangling alias. */
export const CLINIC_APEX = 'clinic.test';

/**
 * A recursive resolver on loopback (a random 127.x.y.53) for one small zone: `clinic.test` with ns1 (the
 * resolver's own address), www, `portal`, an alias to a cloud name that no longer exists, and `shop`, an
 * alias of `shop-lb`, which points at a store that no longer exists. AXFR is
 * refused. `override` may answer a question otherwise (a reply, or null for silence); undefined lets
 * the table answer.
 */
export async function startClinicResolver(
  override: (name: string, type: string, query: DecodedPacket) => DnsReply | undefined = () => undefined,
): Promise<ScriptedServer> {
  const { x, y } = randomLoopbackNet();
  const address = `127.${x}.${y}.53`;
  const apex = CLINIC_APEX;
  const table = recordTable([
    { type: 'SOA', name: apex, ttl: 60, data: { mname: `ns1.${apex}`, rname: `hostmaster.${apex}`, serial: 1 } },
    { type: 'NS', name: apex, ttl: 60, data: `ns1.${apex}` },
    { type: 'A', name: `ns1.${apex}`, ttl: 60, data: address },
    { type: 'A', name: apex, ttl: 60, data: `127.${x}.${y}.80` },
    { type: 'A', name: `www.${apex}`, ttl: 60, data: `127.${x}.${y}.80` },
    { type: 'CNAME', name: `portal.${apex}`, ttl: 60, data: 'gone.cloud-provider.test' },
    // An alias of an in-zone alias that dangles: the record to fix is on shop-lb.
    { type: 'CNAME', name: `shop.${apex}`, ttl: 60, data: `shop-lb.${apex}` },
    { type: 'CNAME', name: `shop-lb.${apex}`, ttl: 60, data: 'clinic.storefront.test' },
  ] as Answer[]);
  return startScriptedServer(address, 0, (q) => {
    const question = q.questions?.[0];
    if (!question) return null;
    const name = question.name.toLowerCase();
    const special = override(name, question.type, q);
    if (special !== undefined) return special;
    if (question.type === 'AXFR') return respond(q, { rcode: 'REFUSED' });
    const answer = resolveInTable(table, name, question.type);
    return answer === null ? null : respond(q, { ...answer, ra: true });
  });
}
