/**
 * Host resolution through the configured resolver: follows the CNAME chain inside one reply and
 * reports whether the name exists, so discovery and checks can tell "no such host" from "could not ask".
 */
import type { Answer } from 'dns-packet';
import { followAnswerChain } from './answer-chain.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { canonicalName } from '../../core/names.js';

export type HostResolution =
  | { status: 'exists'; addresses: string[]; cnameChain: string[]; finalName: string }
  /** The name (or the end of its CNAME chain) does not exist. `cnameChain` is non-empty for a dangling alias. */
  | { status: 'nxdomain'; cnameChain: string[] }
  /** The name exists but has no record of the asked type. */
  | { status: 'nodata'; cnameChain: string[] }
  | { status: 'failed'; reason: string };

/** Resolves `name` for one address type and follows the CNAME chain found in the answer section. */
export async function resolveHost(
  ctx: DnsProbeContext,
  name: string,
  type: 'A' | 'AAAA' = 'A',
): Promise<HostResolution> {
  const result = await ctx.client.query(ctx.resolver, name, type, { ...ctx.queryOptions, recursionDesired: true });
  if (!result.ok) return { status: 'failed', reason: `${result.reason}: ${result.detail}` };
  const { response } = result;
  // A CNAME loop or runaway chain says nothing about the name: a failure to resolve, not "no such host".
  const walk = followAnswerChain(name, response.answers);
  if (!walk.ok) return { status: 'failed', reason: `malformed_reply: ${walk.detail}` };
  const { chain, finalName } = walk;
  if (response.rcode === 'NXDOMAIN') return { status: 'nxdomain', cnameChain: chain };
  if (response.rcode !== 'NOERROR') return { status: 'failed', reason: `rcode ${response.rcode}` };
  const addresses = response.answers
    .filter((a) => a.type === type && sameName(a.name, finalName) && typeof dataOf(a) === 'string')
    .map((a) => dataOf(a) as string);
  if (addresses.length === 0) return { status: 'nodata', cnameChain: chain };
  return { status: 'exists', addresses: [...new Set(addresses)].sort(), cnameChain: chain, finalName };
}

function sameName(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

/** The RDATA of a decoded record (dns-packet's union type hides it on OPT records). */
export function dataOf(record: Answer): unknown {
  return (record as { data?: unknown }).data;
}
