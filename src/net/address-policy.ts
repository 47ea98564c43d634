/**
 * The scan's network policy: which destination addresses a scan may send to. Judged at the socket
 * (guarded-socket.ts) for every datagram and connection, and up front for a target's apex and name
 * servers (src/scanner/target-refusal.ts). Order of the rules: `never` ranges are refused whatever the
 * options; then the user's exclusions; then the endpoints the user configured (the resolver) are
 * allowed; then private ranges unless `--allow-private`.
 */
import ipaddr from 'ipaddr.js';
import { type AddressClass, classifyAddress } from './address-classes.js';
import { type Exclusions, excludedAddressRule } from './exclusions.js';

export { classifyAddress, type AddressCategory, type AddressClass } from './address-classes.js';

/** A destination the policy refuses: the address and why, in words a user can act on. */
export interface Refusal {
  address: string;
  port?: number;
  /** E.g. "fd00::1 is a unique-local (private) address; pass --allow-private to contact it". */
  reason: string;
}

/** Everything that decides the policy, as plain data (it crosses to scan worker threads). */
export interface AddressPolicySpec {
  allowPrivate: boolean;
  /** Endpoints the user configured (the resolver): allowed even when private, never when `never`. */
  allowedEndpoints: ReadonlyArray<{ address: string; port: number }>;
  exclusions: Exclusions;
}

export const OPEN_PRIVATE_POLICY: AddressPolicySpec = {
  allowPrivate: true,
  allowedEndpoints: [],
  exclusions: { cidrs: [], suffixes: [] },
};

export class AddressPolicy {
  private readonly allowed: Set<string>;
  private readonly cidrs: Array<{ text: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number] }>;

  constructor(readonly spec: AddressPolicySpec) {
    this.allowed = new Set(spec.allowedEndpoints.map((e) => endpointKey(e.address, e.port)));
    this.cidrs = spec.exclusions.cidrs.map((text) => ({ text, range: ipaddr.parseCIDR(text) }));
  }

  /** Why `address` (optionally at `port`) must not be contacted, or null when it may. */
  refusal(address: string, port?: number): Refusal | null {
    return this.gate(address)(port);
  }

  /**
   * The policy for one address, judged once (its class and the exclusions), as a function of the port:
   * only the configured endpoints depend on the port. A scanner trying many ports on one address asks
   * this instead of judging the address again per port.
   */
  gate(address: string): (port?: number) => Refusal | null {
    const cls = classifyAddress(address);
    const refuse =
      (reason: string) =>
      (port?: number): Refusal => ({ address, port, reason });
    if (cls.category === 'never') return refuse(`${address} is ${cls.kind}; no option allows contacting it`);
    const excluded = excludedAddressRule(address, this.cidrs);
    if (excluded !== undefined) return refuse(`${address} is excluded by --exclude (${excluded})`);
    if (cls.category !== 'private' || this.spec.allowPrivate) return allowAll;
    const reason = privateReason(address, cls);
    return (port) =>
      port !== undefined && this.allowed.has(endpointKey(address, port)) ? null : { address, port, reason };
  }
}

function allowAll(): null {
  return null;
}

function privateReason(address: string, cls: AddressClass): string {
  return `${address} is ${cls.kind}; pass --allow-private to contact private, loopback or link-local addresses`;
}

function endpointKey(address: string, port: number): string {
  let canonical = address;
  try {
    canonical = ipaddr.parse(address).toNormalizedString();
  } catch {
    // not an address: kept as typed, it will be refused as `never` anyway
  }
  return `${canonical}|${port}`;
}
