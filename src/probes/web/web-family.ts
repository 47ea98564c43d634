/**
 * The web probe family: what its probes share in one scan. One NetworkGuard per scan thread (the
 * scan's address policy and rate, shared across threads through the rate's shared buffer), the ports to
 * try, the request bounds, and a scan-wide cap on endpoints fetched at once.
 */
import type { ProbeFamily } from '../../core/contract.js';
import { Semaphore } from '../../net/concurrency.js';
import type { DnsClient, DnsServer } from '../../net/dns/dns-client.types.js';
import { NetworkGuard } from '../../net/guarded-socket.js';
import type { ScanNetworkSpec } from '../../net/scan-network.js';
import type { TlsSettings } from '../tls/tls-family.js';
import type { SecureContext } from 'node:tls';
import { type FetchLimits, webSecureContext } from './http-client.js';

/** The ports a web scan tries on every host with an address. */
export interface WebPorts {
  http: readonly number[];
  https: readonly number[];
}

/**
 * The web family's bounds (read by `vitals web` too). A page over 2 MiB, a header block over 64 KiB, or
 * an answer not complete in 10 s is not assessed: real home pages are far below, hostile ones are cut.
 */
export const WEB_DEFAULTS = Object.freeze({
  ports: Object.freeze({ http: Object.freeze([80, 8080]), https: Object.freeze([443, 8443]) }) as WebPorts,
  limits: Object.freeze({
    connectTimeoutMs: 5000,
    requestTimeoutMs: 10_000,
    maxBodyBytes: 2 * 1024 * 1024,
    maxHeaderBytes: 64 * 1024,
  }) as FetchLimits,
  /** Redirects followed from one endpoint's root (browsers allow 20; sites need 1 to 3). */
  maxRedirects: 5,
  /** Endpoints fetched at once in one scan thread. */
  concurrentEndpoints: 64,
});

/** The scan settings the web family reads (ScanSettings extends it). */
export interface WebScanOptions {
  /** The scanner's DNS client and resolver: in-scope redirect targets are resolved there, never by the OS. */
  client: DnsClient;
  resolver: DnsServer;
  timeoutMs: number;
  retries: number;
  allowPrivate: boolean;
  network?: ScanNetworkSpec;
  /** Ports to try (default WEB_DEFAULTS.ports; `--lab` reads the lab's from its state). */
  webPorts?: WebPorts;
  /** The TLS family's settings: `caPem` (`--ca`) is trusted too when recording whether a certificate verified. */
  tls?: Partial<TlsSettings>;
}

/** One target's web context. */
export interface WebFamilyContext {
  domain: string;
  guard: NetworkGuard;
  ports: WebPorts;
  limits: FetchLimits;
  maxRedirects: number;
  slots: Semaphore;
  client: DnsClient;
  resolver: DnsServer;
  queryOptions: { timeoutMs: number; retries: number };
  /** The TLS context of web fetches (system roots plus `--ca`), made once per scan thread. */
  secureContext: SecureContext;
}

export const WEB_FAMILY = 'web';

export const webFamily: ProbeFamily<WebScanOptions, WebFamilyContext> = {
  id: WEB_FAMILY,
  prepare(settings) {
    const guard = new NetworkGuard({
      policy: settings.network?.policy ?? {
        allowPrivate: settings.allowPrivate,
        allowedEndpoints: [settings.resolver],
        exclusions: { cidrs: [], suffixes: [] },
      },
      rate: settings.network?.rate ?? null,
    });
    const slots = new Semaphore(WEB_DEFAULTS.concurrentEndpoints);
    const secureContext = webSecureContext(settings.tls?.caPem ?? undefined);
    return {
      forTarget: (domain) => ({
        domain,
        guard,
        ports: settings.webPorts ?? WEB_DEFAULTS.ports,
        limits: WEB_DEFAULTS.limits,
        maxRedirects: WEB_DEFAULTS.maxRedirects,
        slots,
        client: settings.client,
        resolver: settings.resolver,
        queryOptions: { timeoutMs: settings.timeoutMs, retries: settings.retries },
        secureContext,
      }),
    };
  },
};
