/**
 * The addresses a name resolved to, read from its A and AAAA look-ups. Shared by the DNS infrastructure
 * probe (which queries each name-server address) and its check (which judges them), so both read the
 * same addresses; structural types keep core free of the probe's modules.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ProbeAttempt } from './types.js';

/** An answer record as far as addresses go (dns-packet's `Answer` fits). */
interface AnswerLike {
  type: string;
  data?: unknown;
}

/** A name with its A and AAAA look-ups (the probe's `NameServerName` fits). */
export interface AddressLookups {
  a: ProbeAttempt<{ answers: readonly AnswerLike[] }>;
  aaaa: ProbeAttempt<{ answers: readonly AnswerLike[] }>;
}

/** The IPv4 and IPv6 addresses a name resolved to (validated literals, IPv6 in lower case, no repeats). */
export function addressesOf(ns: AddressLookups): string[] {
  const out: string[] = [];
  for (const lookup of [ns.a, ns.aaaa]) {
    if (lookup.status !== 'completed') continue;
    for (const a of lookup.result.answers) {
      if (a.type === 'A' && typeof a.data === 'string' && isIPv4(a.data)) out.push(a.data);
      if (a.type === 'AAAA' && typeof a.data === 'string' && isIPv6(a.data)) out.push(a.data.toLowerCase());
    }
  }
  return [...new Set(out)];
}
