/**
 * A scan's network settings as plain data (they cross to scan worker threads, where the shared buffers
 * of the rate limit and the transfer budget stay shared), and the DNS client built from them.
 */
import type { AddressPolicySpec } from './address-policy.js';
import { ByteBudget, type ByteBudgetSpec, createByteBudget } from './byte-budget.js';
import type { Exclusions } from './exclusions.js';
import { type ContactRecorder, NetworkGuard } from './guarded-socket.js';
import type { RateLimitSpec } from './rate-limit.js';
import { createDnsClient } from './dns/dns-client.js';
import type { DnsClient, DnsServer } from './dns/dns-client.types.js';

export interface ScanNetworkSpec {
  policy: AddressPolicySpec;
  /** Queries and connection attempts per second across all scan threads; null: no limit. */
  rate: RateLimitSpec | null;
  /** Zone-transfer bytes the whole scan may receive. */
  transferBudget: ByteBudgetSpec;
}

export interface ScanNetworkOptions {
  allowPrivate: boolean;
  /** The configured resolver: always allowed by the policy (unless excluded or in a `never` range). */
  resolver: DnsServer;
  exclusions?: Exclusions;
  rate?: RateLimitSpec | null;
  transferBudgetBytes?: number;
}

export function scanNetworkSpec(options: ScanNetworkOptions): ScanNetworkSpec {
  return {
    policy: {
      allowPrivate: options.allowPrivate,
      allowedEndpoints: [{ ...options.resolver }],
      exclusions: options.exclusions ?? { cidrs: [], suffixes: [] },
    },
    rate: options.rate ?? null,
    transferBudget: createByteBudget(options.transferBudgetBytes),
  };
}

/** The DNS client of one scan thread: every datagram and connection judged by the scan's policy. */
export function createScanDnsClient(spec: ScanNetworkSpec, recorder?: ContactRecorder): DnsClient {
  return createDnsClient({
    guard: new NetworkGuard({ policy: spec.policy, rate: spec.rate, recorder }),
    transferBudget: new ByteBudget(spec.transferBudget),
  });
}
