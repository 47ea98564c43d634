/**
 * What every protocol module shares: the context of one open port, and the outcome of trying one
 * protocol there (the service named, or why this protocol is not what answers).
 */
import type { NetworkGuard } from '../../../net/guarded-socket.js';
import type { IdentifiedService } from '../ports.types.js';
import { Conversation, type ExchangeFailure } from './conversation.js';

export interface ServiceTuning {
  connectTimeoutMs: number;
  /** One reply's deadline once a protocol is being spoken. */
  readTimeoutMs: number;
  /** How long to wait for a service that speaks first (nmap's NULL probe). */
  bannerWaitMs: number;
  /**
   * Deadline of one reply when trying a protocol the port does not suggest (default 1000 ms): a service of
   * another protocol either refuses at once or waits for more bytes, and waiting costs the whole deadline.
   */
  tryTimeoutMs?: number;
}

export interface PortContext {
  guard: NetworkGuard;
  address: string;
  port: number;
  tuning: ServiceTuning;
}

/** Trying one protocol: it answered (the service), or it is not this protocol (why). */
export type ProbeOutcome = { matched: IdentifiedService } | { mismatch: string };

export const mismatch = (why: string): ProbeOutcome => ({ mismatch: why });
export const matched = (service: IdentifiedService): ProbeOutcome => ({ matched: service });

/** A protocol the client speaks first: sends its hello on a fresh connection and reads the answer. */
export interface ClientFirstProtocol {
  readonly name: string;
  /** Ports where this protocol is tried before the others (a hint for ordering only, never a verdict). */
  readonly usualPorts: readonly number[];
  probe(ctx: PortContext): Promise<ProbeOutcome>;
}

/** Opens a fresh conversation for one protocol attempt. */
export async function openConversation(
  ctx: PortContext,
): Promise<Conversation | { why: ExchangeFailure; detail: string }> {
  return Conversation.open(ctx.guard, ctx.address, ctx.port, {
    connectTimeoutMs: ctx.tuning.connectTimeoutMs,
    readTimeoutMs: ctx.tuning.readTimeoutMs,
  });
}

/** Runs `talk` on a fresh conversation and always closes it. */
export async function withConversation(
  ctx: PortContext,
  talk: (conversation: Conversation) => Promise<ProbeOutcome>,
): Promise<ProbeOutcome> {
  const conversation = await openConversation(ctx);
  if (!(conversation instanceof Conversation)) return mismatch(`${conversation.why}: ${conversation.detail}`);
  try {
    return await talk(conversation);
  } finally {
    conversation.close();
  }
}
