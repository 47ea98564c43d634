/**
 * TCP connect scanning through the NetworkGuard, deciding open / closed / filtered as nmap's connect scan
 * (`-sT`) does: an accepted connection is open, a refusal (RST) is closed, silence until the timeout (after
 * the retries) or an ICMP unreachable is filtered. Local failures (no free sockets) are retried and, if
 * they persist, reported as undecided rather than guessed. Concurrency is capped scan-wide and per address;
 * every attempt passes the guard's policy and the scan's rate limit.
 */
import type { Semaphore } from '../../net/concurrency.js';
import { isRefusal, type NetworkGuard } from '../../net/guarded-socket.js';
import type { AddressPorts, PortReason, PortVerdict } from './ports.types.js';

export interface ConnectScanTuning {
  /** How long one connection attempt may wait for an answer. */
  connectTimeoutMs: number;
  /** Further attempts after a timeout (nmap retransmits unanswered probes too). */
  retries: number;
  /** Connection attempts in flight to one address at once. */
  perHostConcurrency: number;
}

type AttemptResult = { kind: 'verdict'; state: PortVerdict['state']; reason: PortReason } | { kind: 'timeout' };
type LocalFailure = { kind: 'local'; reason: string };

/** Errors that mean an ICMP (or local route) answer: filtered, as nmap says. */
const UNREACHABLE: Readonly<Record<string, PortReason>> = {
  EHOSTUNREACH: 'host-unreach',
  EHOSTDOWN: 'host-unreach',
  ENETUNREACH: 'net-unreach',
  ENETDOWN: 'net-unreach',
  EACCES: 'admin-prohibited',
  EPERM: 'admin-prohibited',
};

/** One connection attempt: what the network said, a timeout, or a local failure (e.g. EADDRNOTAVAIL). */
function attempt(guard: NetworkGuard, address: string, port: number, timeoutMs: number) {
  return new Promise<AttemptResult | LocalFailure>((resolve) => {
    const socket = guard.connect(address, port);
    if (isRefusal(socket)) {
      resolve({ kind: 'local', reason: socket.reason });
      return;
    }
    let settled = false;
    const finish = (result: AttemptResult | LocalFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('connect');
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.once('connect', () => finish({ kind: 'verdict', state: 'open', reason: 'syn-ack' }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (code === 'ECONNREFUSED') finish({ kind: 'verdict', state: 'closed', reason: 'conn-refused' });
      else if (code === 'ETIMEDOUT') finish({ kind: 'timeout' });
      else if (UNREACHABLE[code]) finish({ kind: 'verdict', state: 'filtered', reason: UNREACHABLE[code]! });
      else finish({ kind: 'local', reason: `${code || 'error'}: ${error.message}` });
    });
  });
}

export type PortOutcome = PortVerdict | { port: number; failed: string };

/** Decides one port: retries after timeouts (then filtered), and a few times after local failures. */
export async function scanPort(
  guard: NetworkGuard,
  address: string,
  port: number,
  tuning: Pick<ConnectScanTuning, 'connectTimeoutMs' | 'retries'>,
): Promise<PortOutcome> {
  let localFailures = 0;
  for (let tries = 0; ; ) {
    const admitted = guard.admit(address, port);
    const refusal = admitted instanceof Promise ? await admitted : admitted;
    if (refusal !== null) return { port, failed: refusal.reason };
    const result = await attempt(guard, address, port, tuning.connectTimeoutMs);
    if (result.kind === 'verdict') return { port, state: result.state, reason: result.reason };
    if (result.kind === 'timeout') {
      if (++tries > tuning.retries) return { port, state: 'filtered', reason: 'no-response' };
      continue;
    }
    // A local failure says nothing about the port; a short pause lets sockets free up.
    if (++localFailures > 3) return { port, failed: result.reason };
    await new Promise((r) => setTimeout(r, 50 * localFailures));
  }
}

/**
 * Scans `ports` on `address` with at most `tuning.perHostConcurrency` attempts at once here and the
 * `global` semaphore's capacity across the scan.
 */
export async function scanAddress(
  guard: NetworkGuard,
  address: string,
  hosts: string[],
  ports: readonly number[],
  tuning: ConnectScanTuning,
  global: Semaphore,
): Promise<AddressPorts> {
  const result: AddressPorts = { address, hosts, refused: null, open: [], filtered: [], closed: 0, failed: [] };
  const refusal = guard.check(address, ports[0] ?? 0);
  if (refusal !== null) {
    result.refused = refusal.reason;
    return result;
  }
  const outcomes: PortOutcome[] = new Array(ports.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ports.length) {
      const index = next++;
      await global.acquire();
      try {
        outcomes[index] = await scanPort(guard, address, ports[index]!, tuning);
      } finally {
        global.release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(tuning.perHostConcurrency, ports.length)) }, lane));
  for (const outcome of outcomes) {
    if ('failed' in outcome) result.failed.push({ port: outcome.port, reason: outcome.failed });
    else if (outcome.state === 'open') result.open.push(outcome.port);
    else if (outcome.state === 'closed') result.closed++;
    else result.filtered.push(outcome);
  }
  return result;
}
