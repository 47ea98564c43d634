/**
 * The lab's authoritative DNS server and recursive resolver: serves the lab's zones over UDP and TCP
 * on every name-server and resolver address of a LabDnsConfig, from in-memory indexes.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { createRequire } from 'node:module';
import dnsPacket from 'dns-packet';
import type { Answer, OptAnswer, TxtAnswer } from 'dns-packet';
import { lookup } from './lab-dns-server-answer.js';
import type { LookupReply, ZoneScope } from './lab-dns-server-answer.js';
import { FLAG, RCODE, encodeResponse, parseQuery } from './lab-dns-server-wire.js';
import type { ParsedQuery } from './lab-dns-server-wire.js';
import { indexZone, parentName } from './lab-dns-server-zone.js';
import { canonicalName } from '../../core/names.js';
import type { IndexedZone } from './lab-dns-server-zone.js';
import type { LabDnsConfig, LabZone } from './lab-dns.types.js';

const require = createRequire(import.meta.url);
const dnsTypes = require('dns-packet/types.js') as { toString(code: number): string };

/** A running lab DNS server. */
export interface LabDnsServer {
  /** The port every address listens on (the one chosen by the OS when the config said 0). */
  port: number;
  addresses: string[];
  /** Replaces (or adds) a zone by origin; later queries see the new data. */
  replaceZone(zone: LabZone): void;
  stats(): { queries: number };
  close(): Promise<void>;
}

/** Tuning knobs for tests; production use takes the defaults. */
export interface LabDnsServerOptions {
  /** Idle TCP connections are closed after this many milliseconds (default 5000). */
  tcpIdleMs?: number;
}

/** The largest UDP reply the server sends, whatever the client advertises (RFC 6891 section 6.2.5). */
export const MAX_UDP_PAYLOAD = 4096;
/** Records per AXFR message; large zones span several messages (RFC 5936 section 2.2). */
export const AXFR_RECORDS_PER_MESSAGE = 500;

const CLASS_IN = 1;
const CLASS_CH = 3;
const CLASS_ANY = 255;
const TYPE_TXT = 16;
const TYPE_IXFR = 251;
const TYPE_AXFR = 252;
const TCP_MAX_MESSAGE = 65535; // the two-octet length prefix bounds a TCP message (RFC 1035 section 4.2.2)
const AXFR_MESSAGE_BUDGET = 60000;
const TCP_MAX_CONNECTIONS_PER_ADDRESS = 256;
const TCP_MAX_PENDING_OUTPUT = 4 * 1024 * 1024;
const RESPONSE_CACHE_LIMIT = 50000;
const CHAOS_NAMES = new Set(['version.bind', 'id.server']);

/** What one listening address is. */
interface AddressView {
  id: number;
  address: string;
  kind: 'nameserver' | 'resolver';
  /** Origins served authoritatively (name servers only). */
  served: Set<string>;
  recursion: 'open' | 'refused';
  version: string | undefined;
}

/** Starts the lab DNS server: binds UDP and TCP on every name-server and resolver address. */
export async function startLabDnsServer(
  config: LabDnsConfig,
  options: LabDnsServerOptions = {},
): Promise<LabDnsServer> {
  const tcpIdleMs = options.tcpIdleMs ?? 5000;
  const zones = new Map<string, IndexedZone>();
  for (const zone of config.zones) {
    const indexed = indexZone(zone);
    if (zones.has(indexed.origin)) throw new Error(`lab DNS: zone ${indexed.origin} is configured twice`);
    zones.set(indexed.origin, indexed);
  }
  const views = buildViews(config);
  const engine = new Engine(zones);

  const bound = await bindAll(views, config.port, engine, tcpIdleMs);
  return {
    port: bound.port,
    addresses: views.map((view) => view.address),
    replaceZone(zone: LabZone): void {
      const indexed = indexZone(zone);
      zones.set(indexed.origin, indexed);
      engine.invalidate();
    },
    stats: () => ({ queries: engine.queries }),
    close: () => bound.close(),
  };
}

function buildViews(config: LabDnsConfig): AddressView[] {
  const views: AddressView[] = [];
  const seen = new Set<string>();
  const claim = (address: string): void => {
    if (seen.has(address)) throw new Error(`lab DNS: address ${address} is configured twice`);
    seen.add(address);
  };
  for (const ns of config.nameServers) {
    claim(ns.address);
    views.push({
      id: views.length,
      address: ns.address,
      kind: 'nameserver',
      served: new Set(ns.zones.map(canonicalName)),
      recursion: ns.recursion,
      version: ns.version,
    });
  }
  for (const address of config.resolvers) {
    claim(address);
    views.push({
      id: views.length,
      address,
      kind: 'resolver',
      served: new Set(),
      recursion: 'open',
      version: undefined,
    });
  }
  if (views.length === 0) throw new Error('lab DNS: no name-server or resolver address configured');
  return views;
}

/** Answers queries; shared by every address and transport. */
class Engine {
  queries = 0;
  private readonly udpCache = new Map<string, Buffer>();
  private readonly wholeLab: ZoneScope;

  constructor(private readonly zones: Map<string, IndexedZone>) {
    this.wholeLab = { closestZone: (name) => this.closestZone(name, undefined) };
  }

  invalidate(): void {
    this.udpCache.clear();
  }

  /** The reply datagram for a UDP query, or undefined to stay silent. */
  answerUdp(view: AddressView, message: Buffer): Buffer | undefined {
    this.queries++;
    // Identical queries (same bytes after the ID) get identical answers until a zone changes:
    // retries and benchmarks repeat questions, and a memoized reply costs one copy, not an encode.
    const key = message.length > 2 && message.length <= 512 ? `${view.id}:${message.toString('latin1', 2)}` : undefined;
    if (key !== undefined) {
      const cached = this.udpCache.get(key);
      if (cached !== undefined) {
        const out = Buffer.from(cached);
        out.writeUInt16BE(message.readUInt16BE(0), 0);
        return out;
      }
    }
    const parsed = parseQuery(message);
    if (parsed.kind === 'drop' || parsed.kind === 'malformed') return undefined;
    if (parsed.kind === 'formerr') return errorReply(parsed.id, parsed.flags, RCODE.FORMERR);
    const query = parsed.query;
    let response: Buffer;
    if (query.opcode === 0 && (query.qtype === TYPE_AXFR || query.qtype === TYPE_IXFR)) {
      // Zone transfers run over TCP only (RFC 5936 section 4.2).
      response = simpleReply(query, RCODE.FORMERR, 0);
    } else {
      response = this.answerSafely(view, query);
      const limit = Math.min(MAX_UDP_PAYLOAD, Math.max(512, query.edns?.payloadSize ?? 512));
      if (response.length > limit) response = truncated(query, response);
    }
    if (key !== undefined) {
      if (this.udpCache.size >= RESPONSE_CACHE_LIMIT) this.udpCache.clear();
      this.udpCache.set(key, response);
      return Buffer.from(response);
    }
    return response;
  }

  /** The reply messages for a TCP query (several for AXFR); an empty list means no reply. */
  answerTcp(view: AddressView, message: Buffer): Buffer[] {
    this.queries++;
    const parsed = parseQuery(message);
    if (parsed.kind === 'drop') return [];
    if (parsed.kind === 'formerr' || parsed.kind === 'malformed')
      return [errorReply(parsed.id, parsed.flags, RCODE.FORMERR)];
    const query = parsed.query;
    if (query.opcode === 0 && query.qtype === TYPE_AXFR) {
      try {
        return this.transfer(view, query);
      } catch {
        return [simpleReply(query, RCODE.SERVFAIL, 0)];
      }
    }
    if (query.opcode === 0 && query.qtype === TYPE_IXFR) return [simpleReply(query, RCODE.NOTIMP, 0)];
    const response = this.answerSafely(view, query);
    return [response.length > TCP_MAX_MESSAGE ? truncated(query, response) : response];
  }

  /** Like `answer`, but zone data that cannot be encoded costs a SERVFAIL, never the server. */
  private answerSafely(view: AddressView, query: ParsedQuery): Buffer {
    try {
      return this.answer(view, query);
    } catch {
      return simpleReply(query, RCODE.SERVFAIL, 0);
    }
  }

  private answer(view: AddressView, query: ParsedQuery): Buffer {
    const rd = (query.flags & FLAG.RD) !== 0;
    const raBit = view.kind === 'resolver' || (view.recursion === 'open' && rd) ? FLAG.RA : 0;
    if (query.opcode !== 0) return simpleReply(query, RCODE.NOTIMP, 0);
    if (query.edns !== undefined && query.edns.version > 0) return simpleReply(query, RCODE.BADVERS, raBit);
    if (query.qclass === CLASS_CH) return this.chaos(view, query, raBit);
    if (query.qclass !== CLASS_IN && query.qclass !== CLASS_ANY) return simpleReply(query, RCODE.REFUSED, raBit);
    if (!query.qnamePlain) return simpleReply(query, RCODE.REFUSED, raBit);

    const qtype = dnsTypes.toString(query.qtype);
    const dnssecOk = query.edns?.dnssecOk === true;
    if (view.kind === 'nameserver') {
      const own: ZoneScope = { closestZone: (name) => this.closestZone(name, view.served) };
      const result = lookup(query.qname, qtype, dnssecOk, own, false);
      if (result !== undefined) return this.encode(query, result, result.authoritative ? FLAG.AA : 0, raBit);
      // Outside every zone it serves: an open resolver answers from the whole lab, others refuse.
      if (view.recursion !== 'open' || !rd) return simpleReply(query, RCODE.REFUSED, 0);
    }
    const result = lookup(query.qname, qtype, dnssecOk, this.wholeLab, true) ?? outsideTheLab();
    // A resolver never sets AA, and never AD: it does not validate (RFC 4035 section 3.2.3).
    return this.encode(query, result, 0, FLAG.RA);
  }

  /** CHAOS TXT version.bind / id.server (RFC 4892 section 2.2): the version when configured. */
  private chaos(view: AddressView, query: ParsedQuery, raBit: number): Buffer {
    if (view.version === undefined || query.qtype !== TYPE_TXT || !CHAOS_NAMES.has(query.qname)) {
      return simpleReply(query, RCODE.REFUSED, raBit);
    }
    const record: TxtAnswer = { name: query.qname, type: 'TXT', class: 'CH', ttl: 0, data: [view.version] };
    return this.encode(
      query,
      { rcode: RCODE.NOERROR, authoritative: true, answers: [record], authorities: [], additionals: [] },
      FLAG.AA,
      raBit,
    );
  }

  /** AXFR (RFC 5936): SOA first and last, split into messages of bounded count and size. */
  private transfer(view: AddressView, query: ParsedQuery): Buffer[] {
    const zone = view.kind === 'nameserver' && view.served.has(query.qname) ? this.zones.get(query.qname) : undefined;
    if (zone === undefined || zone.axfr !== 'open') return [simpleReply(query, RCODE.REFUSED, 0)];
    const body = zone.records.filter((record) => record !== zone.soa);
    const all: Answer[] = [zone.soa, ...body, zone.soa];
    const messages: Buffer[] = [];
    let batch: Answer[] = [];
    let batchBytes = 0;
    const flush = (): void => {
      const sections = { answers: batch, authorities: [], additionals: optFor(query) };
      messages.push(
        encodeResponse(query.id, responseFlags(query, RCODE.NOERROR, FLAG.AA), query.questionBytes, sections),
      );
      batch = [];
      batchBytes = 0;
    };
    for (const record of all) {
      const size = recordSize(record);
      if (batch.length > 0 && (batch.length >= AXFR_RECORDS_PER_MESSAGE || batchBytes + size > AXFR_MESSAGE_BUDGET))
        flush();
      batch.push(record);
      batchBytes += size;
    }
    flush();
    return messages;
  }

  private encode(query: ParsedQuery, result: LookupReply, aaBit: number, raBit: number): Buffer {
    const flags = responseFlags(query, result.rcode, aaBit | raBit);
    return encodeResponse(query.id, flags, query.questionBytes, {
      answers: result.answers,
      authorities: result.authorities,
      additionals: [...result.additionals, ...optFor(query)],
    });
  }

  /** The zone whose origin is the closest enclosing one for `name` (among `served` when given). */
  private closestZone(name: string, served: Set<string> | undefined): IndexedZone | undefined {
    let candidate: string | undefined = name;
    while (candidate !== undefined) {
      if (served === undefined || served.has(candidate)) {
        const zone = this.zones.get(candidate);
        if (zone !== undefined) return zone;
      }
      candidate = parentName(candidate);
    }
    return undefined;
  }
}

function outsideTheLab(): LookupReply {
  return { rcode: RCODE.NXDOMAIN, authoritative: false, answers: [], authorities: [], additionals: [] };
}

/** Header flags of a response: the query's opcode, RD and CD copied (RFC 1035 4.1.1, RFC 4035 3.2.2). */
function responseFlags(query: ParsedQuery, rcode: number, extra: number): number {
  return (query.flags & (0x7800 | FLAG.RD | FLAG.CD)) | extra | (rcode & 0xf);
}

/** The OPT record echoed when the query had one, with the DO bit copied (RFC 3225 section 3). */
function optFor(query: ParsedQuery, rcode = 0): Answer[] {
  if (query.edns === undefined) return [];
  const opt: OptAnswer = {
    name: '.',
    type: 'OPT',
    udpPayloadSize: MAX_UDP_PAYLOAD,
    extendedRcode: rcode >>> 4,
    ednsVersion: 0,
    flags: query.edns.dnssecOk ? 0x8000 : 0,
    flag_do: query.edns.dnssecOk,
    options: [],
  };
  return [opt];
}

function simpleReply(query: ParsedQuery, rcode: number, extra: number): Buffer {
  return encodeResponse(query.id, responseFlags(query, rcode, extra), query.questionBytes, {
    answers: [],
    authorities: [],
    additionals: optFor(query, rcode),
  });
}

/** FORMERR-style reply to a query that could not be parsed: header only. */
function errorReply(id: number, queryFlags: number, rcode: number): Buffer {
  const flags = (queryFlags & (0x7800 | FLAG.RD)) | rcode;
  return encodeResponse(id, flags, undefined, { answers: [], authorities: [], additionals: [] });
}

/** A reply too large for the client's UDP size: header and question only, TC set (RFC 2181 section 9). */
function truncated(query: ParsedQuery, full: Buffer): Buffer {
  const fullFlags = full.readUInt16BE(2) & 0x7fff;
  return encodeResponse(query.id, fullFlags | FLAG.TC, query.questionBytes, {
    answers: [],
    authorities: [],
    additionals: optFor(query),
  });
}

/** Wire size of one record (header excluded), to keep AXFR messages under the TCP limit. */
function recordSize(record: Answer): number {
  return dnsPacket.encodingLength({ answers: [record] }) - 12;
}

interface BoundListeners {
  port: number;
  close(): Promise<void>;
}

/**
 * Binds UDP and TCP on every address. With port 0 the first socket picks the port and the others
 * follow it; a collision on a later address retries with a fresh port a few times.
 */
async function bindAll(views: AddressView[], port: number, engine: Engine, tcpIdleMs: number): Promise<BoundListeners> {
  const attempts = port === 0 ? 5 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const listeners = new Listeners(engine, tcpIdleMs);
    try {
      let chosen = port;
      for (const view of views) {
        chosen = await listeners.bindUdp(view, chosen);
        await listeners.bindTcp(view, chosen);
      }
      return { port: chosen, close: () => listeners.close() };
    } catch (error) {
      lastError = error;
      await listeners.close();
    }
  }
  throw lastError;
}

/** The sockets of one server instance. */
class Listeners {
  private readonly udpSockets: dgram.Socket[] = [];
  private readonly tcpServers: net.Server[] = [];
  private readonly connections = new Set<net.Socket>();

  constructor(
    private readonly engine: Engine,
    private readonly tcpIdleMs: number,
  ) {}

  bindUdp(view: AddressView, port: number): Promise<number> {
    const socket = dgram.createSocket({
      type: net.isIPv6(view.address) ? 'udp6' : 'udp4',
      recvBufferSize: 4 << 20,
      sendBufferSize: 4 << 20,
    });
    this.udpSockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, view.address, () => {
        socket.off('error', reject);
        // After binding, errors (e.g. ICMP-induced send failures) must not crash the lab.
        socket.on('error', () => undefined);
        try {
          socket.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // The kernel's rmem_max may forbid it; the default buffer still works, only smaller.
        }
        socket.on('message', (message, remote) => {
          let reply: Buffer | undefined;
          try {
            reply = this.engine.answerUdp(view, message);
          } catch {
            reply = undefined; // a bug must cost one answer, never the server
          }
          if (reply !== undefined) socket.send(reply, remote.port, remote.address, () => undefined);
        });
        resolve(socket.address().port);
      });
    });
  }

  bindTcp(view: AddressView, port: number): Promise<void> {
    const server = net.createServer((socket) => this.serveConnection(view, socket));
    server.maxConnections = TCP_MAX_CONNECTIONS_PER_ADDRESS;
    this.tcpServers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: view.address, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve();
      });
    });
  }

  /** RFC 7766: length-prefixed messages, pipelined; idle connections are closed. */
  private serveConnection(view: AddressView, socket: net.Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.tcpIdleMs, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('close', () => this.connections.delete(socket));
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      // A complete message is at most 2 + 65535 bytes; anything beyond a few queued is abuse.
      if (pending.length > 4 * (TCP_MAX_MESSAGE + 2)) {
        socket.destroy();
        return;
      }
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        let replies: Buffer[];
        try {
          replies = this.engine.answerTcp(view, message);
        } catch {
          replies = [];
        }
        if (replies.length === 0 && message.length < 12) {
          socket.destroy(); // cannot even say FORMERR without an ID
          return;
        }
        for (const reply of replies) {
          const prefix = Buffer.allocUnsafe(2);
          prefix.writeUInt16BE(reply.length, 0);
          socket.write(Buffer.concat([prefix, reply]));
        }
        if (socket.writableLength > TCP_MAX_PENDING_OUTPUT) {
          socket.destroy(); // a client that sends without reading
          return;
        }
      }
    });
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    await Promise.all([
      ...this.udpSockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve(); // never bound, or already closed
            }
          }),
      ),
      ...this.tcpServers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    ]);
  }
}
