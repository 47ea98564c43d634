/**
 * The TLS probe family: what its probe shares for one scan. The NetworkGuard (the scan's address policy and
 * rate, the same as DNS's), the trust store (Node's bundled Mozilla roots plus `--ca FILE`), a limit on
 * endpoints assessed at once across the scan, and the ports and time bounds.
 */
import type { ProbeFamily } from '../../core/contract.js';
import { Semaphore } from '../../net/concurrency.js';
import type { DnsServer } from '../../net/dns/dns-client.types.js';
import { NetworkGuard } from '../../net/guarded-socket.js';
import { type ScanNetworkSpec, scanNetworkSpec } from '../../net/scan-network.js';
import { createTrustStore, type TrustStore } from './certificate.js';
import type { EndpointSettings } from './tls-endpoint.js';

export const TLS_FAMILY = 'tls';

/** The TLS part of a scan's settings (plain data: it crosses to scan threads). */
export interface TlsSettings {
  /** Ports tried on every discovered host. */
  ports: readonly number[];
  /** PEM certificates added to the trust store (`--ca FILE`): roots become anchors, others known intermediates. */
  caPem: string | null;
  /** Also trust Node's bundled Mozilla roots (default true). */
  systemRoots?: boolean;
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  endpointTimeoutMs: number;
  /** Endpoints assessed at once in one scan thread. */
  concurrency: number;
  maxConnectionsPerEndpoint: number;
  /** Bytes one server reply may take (a whole first flight with its certificates). */
  maxReplyBytes: number;
  /** Test key-exchange groups one by one. */
  groups: boolean;
}

/** Defaults: 443 and 8443, 3 s per connection step, 60 s and 400 connections per endpoint, 16 at once. */
export const TLS_DEFAULTS: TlsSettings = Object.freeze({
  ports: [443, 8443],
  caPem: null,
  connectTimeoutMs: 3000,
  replyTimeoutMs: 3000,
  endpointTimeoutMs: 60_000,
  concurrency: 16,
  maxConnectionsPerEndpoint: 400,
  maxReplyBytes: 256 * 1024,
  groups: true,
});

/** The scan settings the TLS family reads. */
export interface TlsScanOptions {
  allowPrivate: boolean;
  resolver: DnsServer;
  network?: ScanNetworkSpec;
  tls?: Partial<TlsSettings>;
}

export interface TlsFamilyContext {
  ports: readonly number[];
  endpoint: EndpointSettings;
  /** Endpoints in flight across the scan thread. */
  slots: Semaphore;
}

export const tlsFamily: ProbeFamily<TlsScanOptions, TlsFamilyContext> = {
  id: TLS_FAMILY,
  prepare(settings) {
    const tls: TlsSettings = { ...TLS_DEFAULTS, ...settings.tls };
    const network =
      settings.network ?? scanNetworkSpec({ allowPrivate: settings.allowPrivate, resolver: settings.resolver });
    const guard = new NetworkGuard({ policy: network.policy, rate: network.rate });
    let trust: TrustStore | undefined;
    const endpoint: EndpointSettings = {
      guard,
      // Parsed on first use: a scan without TLS probes never pays for the root store.
      get trust() {
        trust ??= createTrustStore(tls.caPem, { system: tls.systemRoots !== false });
        return trust;
      },
      limits: {
        connectTimeoutMs: tls.connectTimeoutMs,
        replyTimeoutMs: tls.replyTimeoutMs,
        maxBytes: tls.maxReplyBytes,
      },
      endpointTimeoutMs: tls.endpointTimeoutMs,
      maxConnections: tls.maxConnectionsPerEndpoint,
      groups: tls.groups,
      now: () => new Date(),
    };
    const context: TlsFamilyContext = { ports: tls.ports, endpoint, slots: new Semaphore(tls.concurrency) };
    return { forTarget: () => context };
  },
};
