/**
 * A seeded PRNG for reproducible tests, fuzzers and benchmarks: the same seed always gives the same
 * sequence, so a failing random case can be replayed from its seed. Not for cryptography.
 *
 * The lab world has its own keyed generator (src/lab/world/rng.ts, sfc32); this one stays mulberry32
 * because the existing fuzz tests and benchmarks were written against its sequences.
 */

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
