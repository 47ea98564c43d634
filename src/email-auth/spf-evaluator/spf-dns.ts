/**
 * The DNS look-ups check_host() makes (RFC 7208 sections 4 and 5), over Vitals' own wire client and
 * the configured resolver. Each look-up says whether it found records, found none (a "void" look-up,
 * RFC 7208 4.6.4: NXDOMAIN or an empty answer) or failed (timeout, SERVFAIL, garbage: temperror).
 */
import type { Answer, RecordType } from 'dns-packet';
import type { DnsClient, DnsQueryOptions, DnsServer } from '../../net/dns/dns-client.types.js';

export type SpfLookup<T> =
  | { kind: 'found'; records: T[] }
  | { kind: 'void'; rcode: 'NXDOMAIN' | 'NOERROR' }
  | { kind: 'temperror'; detail: string };

export interface MxRecord {
  preference: number;
  exchange: string;
}

/** What the evaluator asks of DNS; tests and the CLI pass the wire client, nothing else is needed. */
export interface SpfDns {
  /** TXT records, each with its strings joined without separators (RFC 7208 3.3), bytes kept as latin1. */
  txt(name: string): Promise<SpfLookup<string>>;
  a(name: string): Promise<SpfLookup<string>>;
  aaaa(name: string): Promise<SpfLookup<string>>;
  mx(name: string): Promise<SpfLookup<MxRecord>>;
  ptr(name: string): Promise<SpfLookup<string>>;
}

/** An SpfDns that asks `resolver` with the wire client; every question of the evaluation goes on the wire. */
export function spfDnsOverClient(client: DnsClient, resolver: DnsServer, options: DnsQueryOptions = {}): SpfDns {
  const ask = async <T>(name: string, type: RecordType, pick: (a: Answer) => T | undefined): Promise<SpfLookup<T>> => {
    const reply = await client.query(resolver, name, type, { ...options, recursionDesired: true });
    if (!reply.ok) return { kind: 'temperror', detail: `${type} ${name}: ${reply.reason} (${reply.detail})` };
    const { rcode, answers } = reply.response;
    if (rcode === 'NXDOMAIN') return { kind: 'void', rcode: 'NXDOMAIN' };
    if (rcode !== 'NOERROR') return { kind: 'temperror', detail: `${type} ${name}: the resolver answered ${rcode}` };
    const records: T[] = [];
    for (const answer of answers) {
      if (answer.type !== type) continue;
      const value = pick(answer);
      if (value !== undefined) records.push(value);
    }
    return records.length === 0 ? { kind: 'void', rcode: 'NOERROR' } : { kind: 'found', records };
  };
  const text = (a: Answer): string | undefined => {
    const data = (a as { data?: unknown }).data;
    return typeof data === 'string' ? trimDot(data) : undefined;
  };
  return {
    txt: (name) => ask(name, 'TXT', txtData),
    a: (name) => ask(name, 'A', text),
    aaaa: (name) => ask(name, 'AAAA', text),
    ptr: (name) => ask(name, 'PTR', text),
    mx: (name) =>
      ask(name, 'MX', (a) => {
        const data = (a as { data?: { preference?: unknown; exchange?: unknown } }).data;
        if (typeof data?.exchange !== 'string' || typeof data.preference !== 'number') return undefined;
        return { preference: data.preference, exchange: trimDot(data.exchange) };
      }),
  };
}

function txtData(answer: Answer): string | undefined {
  const data = (answer as { data?: unknown }).data;
  const parts = Array.isArray(data) ? data : [data];
  let joined = '';
  for (const part of parts) {
    if (Buffer.isBuffer(part) || part instanceof Uint8Array) joined += Buffer.from(part).toString('latin1');
    else if (typeof part === 'string') joined += part;
    else return undefined;
  }
  return joined;
}

/** A DNS name without its trailing dot. */
export function trimDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
