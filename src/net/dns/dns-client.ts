/**
 * DNS wire client (contract: dns-client.types.ts). Speaks DNS itself with dns-packet over UDP and
 * TCP so probes can ask any server (the lab's, a test's, the user's) without the OS resolver.
 *
 * This file only composes: queries go over UDP (udp-transport.ts), then TCP when truncated
 * (tcp-transport.ts, RFC 7766 section 5); zone transfers over TCP (axfr.ts); in-flight work is capped
 * by a FIFO semaphore (../concurrency.ts). Every reply goes through the hardened decodeReply
 * (reply-parser.ts) and must match the query's id, question and source (RFC 5452 section 9.1).
 */
import type { RecordType } from 'dns-packet';
import { Semaphore } from '../concurrency.js';
import { RandomIdSource, toResponse, validateQuery, type ValidQuery } from './codec.js';
import { CLOSED_DETAIL, describeError, failure } from './exchange.js';
import { UdpTransport } from './udp-transport.js';
import { TcpTransport } from './tcp-transport.js';
import { transferZone } from './axfr.js';
import type { AxfrResult, DnsClient, DnsQueryOptions, DnsQueryResult, DnsServer } from './dns-client.types.js';

const DEFAULT_AXFR_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_IN_FLIGHT = 512;

/** Creates a DNS client; `maxInFlight` caps concurrent queries and transfers (default 512), the rest wait in FIFO order. */
export function createDnsClient(options: { maxInFlight?: number } = {}): DnsClient {
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
  return new WireDnsClient(maxInFlight);
}

class WireDnsClient implements DnsClient {
  private closed = false;
  private readonly ids = new RandomIdSource();
  private readonly udp = new UdpTransport(this.ids);
  private readonly tcp = new TcpTransport(this.ids);
  private readonly slots: Semaphore;

  constructor(maxInFlight: number) {
    this.slots = new Semaphore(maxInFlight);
  }

  async query(
    server: DnsServer,
    name: string,
    type: RecordType,
    options: DnsQueryOptions = {},
  ): Promise<DnsQueryResult> {
    const validated = validateQuery(server, name, type, options);
    if (typeof validated === 'string') {
      return { ok: false, reason: 'network_error', detail: `query not sent: ${validated}`, server: { ...server } };
    }
    await this.slots.acquire();
    try {
      if (this.closed) return failure(validated.server, 'network_error', CLOSED_DETAIL);
      return await this.resolveQuery(validated);
    } catch (error) {
      // Defensive: nothing below should throw, but a query must never reject for network trouble.
      return failure(validated.server, 'network_error', `unexpected error: ${describeError(error)}`);
    } finally {
      this.slots.release();
    }
  }

  async axfr(server: DnsServer, zone: string, options: { timeoutMs?: number } = {}): Promise<AxfrResult> {
    const validated = validateQuery(server, zone, 'AXFR', {
      timeoutMs: options.timeoutMs ?? DEFAULT_AXFR_TIMEOUT_MS,
      retries: 0,
    });
    if (typeof validated === 'string') {
      return {
        ok: false,
        reason: 'network_error',
        detail: `transfer not requested: ${validated}`,
        server: { ...server },
      };
    }
    await this.slots.acquire();
    try {
      if (this.closed) return { ok: false, reason: 'network_error', detail: CLOSED_DETAIL, server: validated.server };
      return await transferZone(this.tcp, this.ids, validated);
    } catch (error) {
      return {
        ok: false,
        reason: 'network_error',
        detail: `unexpected error: ${describeError(error)}`,
        server: validated.server,
      };
    } finally {
      this.slots.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.slots.releaseAllWaiters();
    this.tcp.close();
    await this.udp.close();
  }

  /** One query: UDP, then TCP when truncated (RFC 7766 section 5). */
  private async resolveQuery(query: ValidQuery): Promise<DnsQueryResult> {
    let transport: 'udp' | 'tcp' = query.tcp ? 'tcp' : 'udp';
    let outcome = query.tcp ? await this.tcp.exchange(query) : await this.udp.exchange(query);
    if (outcome.kind === 'reply' && transport === 'udp' && outcome.packet.flag_tc) {
      transport = 'tcp';
      const overTcp = await this.tcp.exchange(query);
      outcome =
        overTcp.kind === 'failure'
          ? { ...overTcp, detail: `UDP reply was truncated and the TCP retry failed: ${overTcp.detail}` }
          : overTcp;
    }
    if (outcome.kind === 'failure') return failure(query.server, outcome.reason, outcome.detail);
    return { ok: true, response: toResponse(outcome.packet, transport, query.server) };
  }
}
