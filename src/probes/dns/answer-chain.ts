/**
 * Follows the CNAME chain of a question inside one reply's answer section. A recursive resolver
 * returns the whole chain with the data of its last name (RFC 1034 section 3.6.2, RFC 6604 section 3);
 * a chain that comes back to a name already on it, or runs longer than any resolver follows, is not an
 * answer about the name: the reply is unusable, so nothing may be concluded from it (in particular
 * not that the asked records are missing).
 */
import type { Answer } from 'dns-packet';

/** Longest chain followed; resolvers stop well before (BIND and Unbound at 8 to 16 hops). */
export const MAX_CNAME_HOPS = 8;

export type AnswerChain =
  /** `finalName` owns the data the question asked for; `chain` lists the CNAME targets in order. */
  { ok: true; finalName: string; chain: string[] } | { ok: false; detail: string };

/** Walks the CNAMEs from `name` through `answers`; a loop or an over-long chain is `{ok: false}`. */
export function followAnswerChain(name: string, answers: readonly Answer[], maxHops = MAX_CNAME_HOPS): AnswerChain {
  const start = normalize(name);
  const chain: string[] = [];
  let current = start;
  for (;;) {
    const cname = answers.find(
      (a) => a.type === 'CNAME' && typeof a.name === 'string' && normalize(a.name) === current,
    );
    const target = cname ? (cname as { data?: unknown }).data : undefined;
    if (typeof target !== 'string') return { ok: true, finalName: current, chain };
    const next = normalize(target);
    if (next === start || chain.includes(next)) {
      return { ok: false, detail: `CNAME loop: ${[start, ...chain, next].join(' -> ')}` };
    }
    if (chain.length >= maxHops) return { ok: false, detail: `CNAME chain of ${start} longer than ${maxHops} names` };
    chain.push(next);
    current = next;
  }
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
