/**
 * The ports family: the connect scan and service identification of every discovered address. One
 * NetworkGuard per scan thread (the scan's address policy; the rate limit's state is shared by all
 * threads), one scan-wide cap on connections in flight, and the tuning below. Settings are plain data so
 * they cross to scan threads.
 */
import type { ProbeFamily } from '../../core/contract.js';
import { Semaphore } from '../../net/concurrency.js';
import { NetworkGuard } from '../../net/guarded-socket.js';
import { type ScanNetworkSpec, scanNetworkSpec } from '../../net/scan-network.js';
import type { DnsServer } from '../../net/dns/dns-client.types.js';
import type { ConnectScanTuning } from './connect-scan.js';
import { DEFAULT_PORTS } from './port-list.js';
import type { ServiceTuning } from './services/service-probe.js';

export interface PortScanTuning extends ConnectScanTuning, ServiceTuning {
  /** Connection attempts in flight across the scan thread. */
  globalConcurrency: number;
  /** Ports identified at once across the scan thread (each holds a connection for a while). */
  identifyConcurrency: number;
  /** Most time spent naming the service on one port. */
  identifyBudgetMs: number;
  /** Most addresses scanned per target (a zone with thousands of hosts is cut here, and says so). */
  maxAddresses: number;
}

/**
 * Defaults: loopback and LAN ports answer in microseconds and closed ones with an immediate RST, so the
 * timeouts only matter for silent (filtered) ports and slow services; nmap -T4 waits at most 1.25 s per
 * probe. A service that speaks first gets up to 1.5 s (3 s on its usual ports) to do so.
 */
export const PORT_SCAN_DEFAULTS: Readonly<PortScanTuning> = Object.freeze({
  connectTimeoutMs: 1500,
  retries: 1,
  perHostConcurrency: 40,
  globalConcurrency: 400,
  identifyConcurrency: 64,
  readTimeoutMs: 2500,
  tryTimeoutMs: 1000,
  bannerWaitMs: 1500,
  identifyBudgetMs: 12_000,
  maxAddresses: 256,
});

/** The scan settings the ports family reads. */
export interface PortsScanOptions {
  allowPrivate: boolean;
  resolver: DnsServer;
  network?: ScanNetworkSpec;
  /** The TCP ports to try (`--ports`); the default list when absent. */
  ports?: readonly number[];
  portScan?: Partial<PortScanTuning>;
}

export interface PortsFamilyContext {
  guard: NetworkGuard;
  ports: readonly number[];
  tuning: PortScanTuning;
  connections: Semaphore;
  identifications: Semaphore;
}

export const PORTS_FAMILY = 'ports';

export const portsFamily: ProbeFamily<PortsScanOptions, PortsFamilyContext> = {
  id: PORTS_FAMILY,
  prepare(settings) {
    const spec =
      settings.network ?? scanNetworkSpec({ allowPrivate: settings.allowPrivate, resolver: settings.resolver });
    const tuning: PortScanTuning = { ...PORT_SCAN_DEFAULTS, ...settings.portScan };
    const shared: PortsFamilyContext = {
      guard: new NetworkGuard({ policy: spec.policy, rate: spec.rate }),
      ports: settings.ports ?? DEFAULT_PORTS,
      tuning,
      connections: new Semaphore(tuning.globalConcurrency),
      identifications: new Semaphore(tuning.identifyConcurrency),
    };
    return { forTarget: () => shared };
  },
};
