/**
 * Follows the CNAME chain of a question inside one reply's answer section. A recursive resolver
 * returns the whole chain with the data of its last name (RFC 1034 section 3.6.2, RFC 6604 section 3);
 * a chain that comes back to a name already on it, runs longer than any resolver follows, or an answer
 * section whose records belong to none of the chain's names, is not an answer about the name: the
 * reply is unusable, so nothing may be concluded from it (in particular not that records are missing).
 */
import type { Answer } from 'dns-packet';
import { canonicalName } from '../../core/names.js';

/** Longest chain followed; resolvers stop well before (BIND and Unbound at 8 to 16 hops). */
export const MAX_CNAME_HOPS = 8;

export type AnswerChain =
  /** `finalName` owns the data the question asked for; `chain` lists the CNAME targets in order. */
  { ok: true; finalName: string; chain: string[] } | { ok: false; detail: string };

/** Walks the CNAMEs from `name` through `answers`; a loop, an over-long or a broken chain is `{ok: false}`. */
export function followAnswerChain(name: string, answers: readonly Answer[], maxHops = MAX_CNAME_HOPS): AnswerChain {
  const start = canonicalName(name);
  const chain: string[] = [];
  let current = start;
  for (;;) {
    const cname = answers.find(
      (a) => a.type === 'CNAME' && typeof a.name === 'string' && canonicalName(a.name) === current,
    );
    const target = cname ? (cname as { data?: unknown }).data : undefined;
    if (typeof target !== 'string') {
      if (answersTheQuestion(answers, [start, ...chain])) return { ok: true, finalName: current, chain };
      return { ok: false, detail: `the answer section holds no record for ${start} or its aliases` };
    }
    const next = canonicalName(target);
    if (next === start || chain.includes(next)) {
      return { ok: false, detail: `CNAME loop: ${[start, ...chain, next].join(' -> ')}` };
    }
    if (chain.length >= maxHops) return { ok: false, detail: `CNAME chain of ${start} longer than ${maxHops} names` };
    chain.push(next);
    current = next;
  }
}

/**
 * An empty answer section is a negative answer; a non-empty one must hold a record owned by the name
 * or an alias on its chain. Records only about other names mean the chain broke (or the reply is not
 * about the question): it cannot be read as "no record here".
 */
function answersTheQuestion(answers: readonly Answer[], owners: string[]): boolean {
  if (answers.length === 0) return true;
  return answers.some((a) => typeof a.name === 'string' && owners.includes(canonicalName(a.name)));
}
