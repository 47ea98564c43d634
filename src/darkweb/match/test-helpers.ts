/** The seeded PRNG moved to src/core/seeded-random.ts; re-exported for bench/darkweb-corpus.ts, which still imports it from here. */
export { seededRandom } from '../../core/seeded-random.js';
