/** What one UDP or TCP exchange produced, and the failure values every DNS transport shares. */
import type { DnsPacket } from './reply-parser.js';
import type { DnsFailureReason, DnsQueryResult, DnsServer } from './dns-client.types.js';

/** What one UDP or TCP exchange produced before it is turned into a DnsQueryResult. */
export type ExchangeOutcome =
  | { kind: 'reply'; packet: DnsPacket }
  | { kind: 'failure'; reason: DnsFailureReason; detail: string };

export const CLOSED_DETAIL = 'DNS client closed';
export const CLOSED_BEFORE_REPLY = 'connection closed before any reply';

export function failure(server: DnsServer, reason: DnsFailureReason, detail: string): DnsQueryResult {
  return { ok: false, reason, detail, server };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
