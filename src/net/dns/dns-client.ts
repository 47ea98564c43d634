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
import { defaultNetworkGuard, type NetworkGuard } from '../guarded-socket.js';
import type { ByteBudget } from '../byte-budget.js';

const DEFAULT_AXFR_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_IN_FLIGHT = 512;

export interface DnsClientOptions {
  /** Caps concurrent queries and transfers (default 512); the rest wait in FIFO order. */
  maxInFlight?: number;
  /** The scan's network policy and rate (default: defaultNetworkGuard(), private addresses allowed). */
  guard?: NetworkGuard;
  /** Bytes all zone transfers of this client (and any sharing the budget) may receive. */
  transferBudget?: ByteBudget;
}

/** Creates a DNS client whose every datagram and connection goes through `options.guard`. */
export function createDnsClient(options: DnsClientOptions = {}): DnsClient {
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
  return new WireDnsClient(maxInFlight, options.guard ?? defaultNetworkGuard(), options.transferBudget);
}

class WireDnsClient implements DnsClient {
  private closed = false;
  private readonly ids = new RandomIdSource();
  private readonly udp: UdpTransport;
  private readonly tcp: TcpTransport;
  private readonly slots: Semaphore;

  constructor(
    maxInFlight: number,
    private readonly guard: NetworkGuard,
    private readonly transferBudget: ByteBudget | undefined,
  ) {
    this.slots = new Semaphore(maxInFlight);
    this.udp = new UdpTransport(this.ids, guard);
    this.tcp = new TcpTransport(this.ids, guard);
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
      const refusal = await this.admit(validated.server);
      if (refusal !== null) return failure(validated.server, 'policy_refused', refusal);
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
      const refusal = await this.admit(validated.server);
      if (refusal !== null) return { ok: false, reason: 'policy_refused', detail: refusal, server: validated.server };
      return await transferZone(this.tcp, this.ids, validated, this.transferBudget);
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
      const refusal = await this.admit(query.server);
      if (refusal !== null) return failure(query.server, 'policy_refused', refusal);
      const overTcp = await this.tcp.exchange(query);
      outcome =
        overTcp.kind === 'failure'
          ? { ...overTcp, detail: `UDP reply was truncated and the TCP retry failed: ${overTcp.detail}` }
          : overTcp;
    }
    if (outcome.kind === 'failure') return failure(query.server, outcome.reason, outcome.detail);
    return { ok: true, response: toResponse(outcome.packet, transport, query.server) };
  }

  /** The policy's refusal of `server` ("not sent: ..."), or null once the rate limit lets a query start. */
  private async admit(server: DnsServer): Promise<string | null> {
    const admitted = this.guard.admit(server.address, server.port);
    const refusal = admitted instanceof Promise ? await admitted : admitted;
    return refusal === null ? null : `not sent: ${refusal.reason}`;
  }
}
