/**
 * The one choke point between the scanner and the network. Every UDP datagram and every TCP connection
 * a probe makes goes through a NetworkGuard, which checks the destination against the scan's address
 * policy at send or connect time (not only when the target was accepted: a name server's AAAA learnt
 * mid-scan is judged here too) and meters the scan-wide rate. A refused destination gets no packet;
 * the caller receives a Refusal naming the address and why, and reports its probe not_assessed.
 *
 * Usage: the DNS client calls `sendDatagram` and `connect`; TLS, HTTP and port probes will call
 * `connect` (undici's `connect` option can wrap it). Call `admit` once per query or connection attempt
 * first: it checks the policy and waits for the rate limit.
 */
import type dgram from 'node:dgram';
import net from 'node:net';
import { AddressPolicy, type AddressPolicySpec, OPEN_PRIVATE_POLICY, type Refusal } from './address-policy.js';
import { RateLimiter, type RateLimitSpec } from './rate-limit.js';
import { type Attempt, type AttemptListener, startAttempt } from './tcp-attempt.js';

export type { Refusal } from './address-policy.js';

/** Sees every decision; tests use it to prove that nothing was sent to a refused address. */
export interface ContactRecorder {
  sent(address: string, port: number, transport: 'udp' | 'tcp'): void;
  refused(refusal: Refusal): void;
}

export interface NetworkGuardOptions {
  /** The address policy (default: private ranges open, `never` ranges refused, nothing excluded). */
  policy?: AddressPolicySpec;
  /** Scan-wide rate of queries and connection attempts; null or absent for no limit. */
  rate?: RateLimitSpec | null;
  recorder?: ContactRecorder;
}

/**
 * Addresses whose policy is remembered (as a function of the port, see AddressPolicy.gate); the policy
 * is fixed for a guard's life, so they never go stale. A connect scan of 1,000 addresses x 36 ports
 * judges each address once, not 36,000 times.
 */
const MAX_CACHED_ADDRESSES = 10_000;

interface AddressDecision {
  gate: (port?: number) => Refusal | null;
  /** 4 or 6 for an IP literal, 0 otherwise (refused by the policy as `never`). */
  family: number;
}

export class NetworkGuard {
  readonly policy: AddressPolicy;
  private readonly limiter: RateLimiter | null;
  private readonly recorder: ContactRecorder | undefined;
  private readonly decisions = new Map<string, AddressDecision>();

  constructor(options: NetworkGuardOptions = {}) {
    this.policy = new AddressPolicy(options.policy ?? OPEN_PRIVATE_POLICY);
    this.limiter = options.rate ? new RateLimiter(options.rate) : null;
    this.recorder = options.recorder;
  }

  /** Why `address:port` must not be contacted, or null. */
  check(address: string, port: number): Refusal | null {
    return this.decision(address).gate(port);
  }

  private decision(address: string): AddressDecision {
    let decision = this.decisions.get(address);
    if (decision === undefined) {
      decision = { gate: this.policy.gate(address), family: net.isIP(address) };
      if (this.decisions.size >= MAX_CACHED_ADDRESSES) this.decisions.clear();
      this.decisions.set(address, decision);
    }
    return decision;
  }

  /**
   * Before one query or connection attempt: the policy's refusal (returned at once, nothing waits), or
   * null once the rate limit lets the attempt start. Returns a promise only when it has to wait.
   */
  admit(address: string, port: number): Refusal | null | Promise<null> {
    const refusal = this.check(address, port);
    if (refusal !== null) {
      this.recorder?.refused(refusal);
      return refusal;
    }
    if (this.limiter === null) return null;
    const waitMs = this.limiter.reserve();
    if (waitMs <= 0) return null;
    return new Promise((resolve) => setTimeout(() => resolve(null), Math.ceil(waitMs)));
  }

  /** Sends one datagram unless the policy refuses the destination (then nothing is sent). */
  sendDatagram(
    socket: dgram.Socket,
    message: Buffer,
    address: string,
    port: number,
    callback: (error: Error | null) => void,
  ): Refusal | null {
    const refusal = this.check(address, port);
    if (refusal !== null) {
      this.recorder?.refused(refusal);
      return refusal;
    }
    this.recorder?.sent(address, port, 'udp');
    socket.send(message, port, address, callback);
    return null;
  }

  /** Opens a TCP connection to an IP literal unless the policy refuses it (then no SYN is sent). */
  connect(address: string, port: number): net.Socket | Refusal {
    const refusal = this.check(address, port);
    if (refusal !== null) {
      this.recorder?.refused(refusal);
      return refusal;
    }
    const family = net.isIP(address);
    if (family === 0) return { address, port, reason: `${address} is not an IP address` };
    this.recorder?.sent(address, port, 'tcp');
    return net.connect({ host: address, port, family });
  }

  /**
   * One bare TCP connection attempt (the connect scan's: nothing is read or written) unless the policy
   * refuses the destination; call `admit` first for the rate limit. The listener's `answered` gets null
   * when the connection was accepted, else the error code; `abort` on the attempt abandons it unreported.
   */
  tryConnect(address: string, port: number, listener: AttemptListener): Attempt | Refusal {
    const decision = this.decision(address);
    const refusal = decision.gate(port);
    if (refusal !== null) {
      this.recorder?.refused(refusal);
      return refusal;
    }
    if (decision.family !== 4 && decision.family !== 6)
      return { address, port, reason: `${address} is not an IP address` };
    this.recorder?.sent(address, port, 'tcp');
    return startAttempt(address, decision.family, port, listener);
  }
}

/** Private ranges open, `never` ranges refused, no rate limit: for tools and tests outside a scan. */
export function defaultNetworkGuard(): NetworkGuard {
  return new NetworkGuard();
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'reason' in value && !(value instanceof net.Socket);
}
