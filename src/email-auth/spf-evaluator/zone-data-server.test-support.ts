/**
 * A DNS server on loopback that serves the zone data of the RFC 7208 test suite (rfc7208-tests.yml)
 * with the suite's conventions, so the evaluator is tested over real UDP and TCP:
 * - SPF-type records are copied to TXT unless the name lists TXT itself (or `TXT: NONE`);
 * - `TIMEOUT` makes a question go unanswered unless a record of the asked type came before it;
 * - an unknown name is NXDOMAIN (or, under `error.`, unanswered); a known name without the type is NODATA.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import dnsPacket from 'dns-packet';
import { parseAllDocuments } from 'yaml';
import type { SpfResult } from './check-host.js';
import type { Answer, Packet } from 'dns-packet';
import { canonicalName } from '../../core/names.js';

/** The vendored suite, read from the repository whether this runs from src/ or dist/src/. */
const SUITE_URL = new URL('../../../../test/fixtures/rfc7208/rfc7208-tests.yml', import.meta.url);

export interface SuiteTest {
  description?: string;
  spec?: string | string[];
  helo: string;
  host: string;
  mailfrom: string;
  result: SpfResult | SpfResult[];
  explanation?: string;
}

export interface Scenario {
  description: string;
  tests: Record<string, SuiteTest>;
  zonedata?: Record<string, unknown>;
}

export function loadSuite(): Scenario[] {
  const docs = parseAllDocuments(readFileSync(SUITE_URL, 'utf8'));
  return docs.map((doc) => doc.toJS() as Scenario).filter((s) => s && typeof s === 'object' && s.tests);
}

type Entry = 'TIMEOUT' | { type: string; value: unknown };
export type ZoneData = Map<string, Entry[]>;

/** Reads the `zonedata` mapping of one suite scenario. */
export function parseZoneData(raw: Record<string, unknown> | undefined): ZoneData {
  const zone: ZoneData = new Map();
  for (const [name, list] of Object.entries(raw ?? {})) {
    const entries: Entry[] = [];
    let hasTxt = false;
    for (const item of (list as unknown[]) ?? []) {
      if (item === 'TIMEOUT') {
        entries.push('TIMEOUT');
        continue;
      }
      for (const [type, value] of Object.entries(item as Record<string, unknown>)) {
        if (type === 'TXT') hasTxt = true;
        if (type === 'TXT' && value === 'NONE') continue;
        entries.push({ type, value });
      }
    }
    // The suite's drivers copy SPF records to TXT for names that list no TXT of their own.
    if (!hasTxt) {
      for (const e of [...entries])
        if (e !== 'TIMEOUT' && e.type === 'SPF') entries.push({ type: 'TXT', value: e.value });
    }
    zone.set(canonicalName(name), entries);
  }
  return zone;
}

type Lookup = { kind: 'answer'; rcode: 'NOERROR' | 'NXDOMAIN'; answers: Answer[] } | { kind: 'timeout' };

function lookup(zone: ZoneData, name: string, type: string, depth = 0): Lookup {
  const key = canonicalName(name);
  const entries = zone.get(key);
  if (!entries)
    return key.startsWith('error.') ? { kind: 'timeout' } : { kind: 'answer', rcode: 'NXDOMAIN', answers: [] };
  const answers: Answer[] = [];
  let seenType = false;
  for (const entry of entries) {
    if (entry === 'TIMEOUT') {
      if (!seenType) return { kind: 'timeout' };
      break;
    }
    if (entry.type !== type) continue;
    seenType = true;
    if (entry.value === 'TIMEOUT') return { kind: 'timeout' };
    answers.push(toAnswer(name, type, entry.value));
  }
  if (answers.length === 0 && depth < 8) {
    const cname = entries.find((e): e is { type: string; value: unknown } => e !== 'TIMEOUT' && e.type === 'CNAME');
    if (cname) {
      const target = String(cname.value);
      const rest = lookup(zone, target, type, depth + 1);
      if (rest.kind === 'timeout') return rest;
      return { kind: 'answer', rcode: rest.rcode, answers: [toAnswer(name, 'CNAME', target), ...rest.answers] };
    }
  }
  return { kind: 'answer', rcode: 'NOERROR', answers };
}

function toAnswer(name: string, type: string, value: unknown): Answer {
  const base = { name, ttl: 60, class: 'IN' as const };
  switch (type) {
    case 'TXT': {
      const strings = Array.isArray(value) ? value.map(String) : [String(value)];
      // A character-string holds at most 255 octets; longer suite strings are split, which TXT joining undoes.
      const chunks: Buffer[] = [];
      for (const s of strings) {
        const bytes = Buffer.from(s, 'utf8');
        if (bytes.length === 0) chunks.push(bytes);
        for (let i = 0; i < bytes.length; i += 255) chunks.push(bytes.subarray(i, i + 255));
      }
      return { ...base, type: 'TXT', data: chunks } as Answer;
    }
    case 'MX': {
      const [preference, exchange] = value as [number, string];
      return { ...base, type: 'MX', data: { preference, exchange } } as Answer;
    }
    default:
      return { ...base, type, data: String(value) } as Answer;
  }
}

export interface ZoneDataServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the server on `address` (a loopback address) at a free port, UDP and TCP. */
export async function startZoneDataServer(address: string, zone: ZoneData): Promise<ZoneDataServer> {
  const respond = (query: Packet, maxLength = 65535): Buffer | null => {
    const question = query.questions?.[0];
    if (!question) return null;
    const found = lookup(zone, question.name, question.type);
    if (found.kind === 'timeout') return null;
    const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (found.rcode === 'NXDOMAIN' ? 3 : 0);
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags,
      questions: [question],
      answers: found.answers,
    });
    if (reply.length <= maxLength) return reply;
    // Too large for UDP: an empty reply with TC set sends the client to TCP, as real servers do.
    const truncated = flags | dnsPacket.TRUNCATED_RESPONSE;
    return dnsPacket.encode({ type: 'response', id: query.id, flags: truncated, questions: [question], answers: [] });
  };
  const tcp = net.createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        const reply = respond(dnsPacket.decode(message));
        if (reply) socket.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, address, () => resolve());
  });
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket('udp4');
  udp.on('message', (message, remote) => {
    let reply: Buffer | null = null;
    try {
      reply = respond(dnsPacket.decode(message), 1232);
    } catch {
      return;
    }
    if (!reply) return;
    udp.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, address, () => resolve());
  });
  return {
    address,
    port,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
