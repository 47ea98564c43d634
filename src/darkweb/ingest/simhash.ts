/**
 * Near-duplicate detection: 64-bit SimHash (Charikar, STOC 2002) over count-weighted words, compared by
 * Hamming distance, indexed by 4 bands of 16 bits. Two fingerprints within distance 3 share at least
 * one whole band (pigeonhole: 3 differing bits touch at most 3 of the 4 bands), so only documents in
 * the same band buckets need comparing (Manku, Jain, Das Sarma, WWW 2007).
 *
 * A fingerprint is kept as two unsigned 32-bit halves: BigInt arithmetic would be ~10x slower.
 */

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface SimHash {
  hi: number;
  lo: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** MurmurHash3's 32-bit finalizer: spreads every input bit over the output. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * True for UTF-16 code units that continue a word: ASCII letters and digits, and every non-ASCII
 * unit outside the Latin-1 punctuation block and the general / CJK punctuation blocks. A tokenizer
 * by code ranges, not `\p{L}` regexes: this runs over every ingested byte.
 */
function isWordUnit(code: number): boolean {
  if (code < 0x80) return ASCII_WORD_UNITS[code] === 1;
  if (code <= 0xbf) return code === 0xaa || code === 0xb5 || code === 0xba;
  if (code >= 0x2000 && code <= 0x2bff) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  if (code >= 0xfe30 && code <= 0xfe4f) return false;
  return !(code >= 0xff00 && code <= 0xff0f);
}

/** ASCII letters and digits (1), the rest of ASCII (0): one load per character of the common case. */
const ASCII_WORD_UNITS = new Uint8Array(0x80);
for (let code = 0; code < 0x80; code++)
  ASCII_WORD_UNITS[code] =
    (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ? 1 : 0;

/** Word hashes of the last text fingerprinted: reused, so a fingerprint allocates no array per word. */
let scratch = new Uint32Array(4096);

/** Writes the FNV-1a hashes of the lower-cased words of `text` to `scratch`, in order; returns how many. */
function hashWords(text: string): number {
  const lower = text.toLowerCase();
  let count = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 0x20;
    if (isWordUnit(code)) {
      if (!inWord) {
        hash = FNV_OFFSET;
        inWord = true;
      }
      hash = Math.imul(hash ^ code, FNV_PRIME);
    } else if (inWord) {
      if (count === scratch.length) {
        const grown = new Uint32Array(scratch.length * 2);
        grown.set(scratch);
        scratch = grown;
      }
      scratch[count++] = hash;
      inWord = false;
    }
  }
  return count;
}

/** FNV-1a hashes of the lower-cased words of a text, in order. */
export function wordHashes(text: string): number[] {
  return Array.from(scratch.subarray(0, hashWords(text)));
}

/**
 * The SimHash of a text over its words, each weighted by its count (shingles of one word). Longer
 * shingles were measured and rejected: on a 120-word post, replacing one word kept the fingerprint
 * within distance 3 in 16% of cases with 3-word shingles, 30% with 2-word shingles and 80% with
 * weighted words, because one substitution changes 6 shingle features but only 2 word features.
 */
export function simhash(text: string): SimHash {
  const total = hashWords(text);
  const distinct = countWords(total);
  // A bit's vote is +weight where a word's hash has it set and -weight where not, so it is positive
  // exactly when the weight of the words setting it exceeds half the total: only set bits are visited.
  const setWeight = new Int32Array(64);
  for (let d = 0; d < distinct; d++) {
    const slot = countSlotsUsed[d]!;
    const word = countKeys[slot]!;
    const weight = countWeights[slot]!;
    const lo = fmix32(word);
    const hi = fmix32(lo ^ 0x9e3779b9);
    for (let bits = lo; bits !== 0; bits &= bits - 1) setWeight[31 - Math.clz32(bits & -bits)]! += weight;
    for (let bits = hi; bits !== 0; bits &= bits - 1) setWeight[63 - Math.clz32(bits & -bits)]! += weight;
  }
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (2 * setWeight[bit]! > total) lo |= 1 << bit;
    if (2 * setWeight[bit + 32]! > total) hi |= 1 << bit;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/*
 * Equal words are counted in an open-addressing table keyed by the 32-bit word hash, reused between
 * texts: a Map keyed by such hashes (heap numbers, not small integers) cost more than the rest of the
 * fingerprint, and sorting the hashes to count runs of equal ones a third of it. A slot is live when
 * its stamp is the current text's; the sums over distinct words do not depend on their order.
 */
let countKeys = new Uint32Array(1024);
let countWeights = new Int32Array(1024);
let countStamps = new Uint32Array(1024);
let countSlotsUsed = new Int32Array(1024);
let countStamp = 0;

/** Counts the `total` hashes in `scratch` into the table; returns how many distinct ones (`countSlotsUsed`). */
function countWords(total: number): number {
  // At most half full, so probes stay short.
  if (total * 2 > countKeys.length) {
    let size = countKeys.length;
    while (total * 2 > size) size *= 2;
    countKeys = new Uint32Array(size);
    countWeights = new Int32Array(size);
    countStamps = new Uint32Array(size);
    countSlotsUsed = new Int32Array(size);
    countStamp = 0;
  }
  countStamp += 1;
  if (countStamp === 0x100000000) {
    countStamps.fill(0);
    countStamp = 1;
  }
  const mask = countKeys.length - 1;
  let distinct = 0;
  for (let i = 0; i < total; i++) {
    const word = scratch[i]!;
    let slot = fmix32(word) & mask;
    for (;;) {
      if (countStamps[slot] !== countStamp) {
        countStamps[slot] = countStamp;
        countKeys[slot] = word;
        countWeights[slot] = 1;
        countSlotsUsed[distinct++] = slot;
        break;
      }
      if (countKeys[slot] === word) {
        countWeights[slot]! += 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return distinct;
}

/** Two lower-case hex digits of each byte value. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** 16 lower-case hex digits (by bytes: `toString(16)` and padding cost a microsecond per stored document). */
export function simhashToHex(hash: SimHash): string {
  const { hi, lo } = hash;
  return (
    HEX_BYTES[hi >>> 24]! +
    HEX_BYTES[(hi >>> 16) & 0xff]! +
    HEX_BYTES[(hi >>> 8) & 0xff]! +
    HEX_BYTES[hi & 0xff]! +
    HEX_BYTES[lo >>> 24]! +
    HEX_BYTES[(lo >>> 16) & 0xff]! +
    HEX_BYTES[(lo >>> 8) & 0xff]! +
    HEX_BYTES[lo & 0xff]!
  );
}

/** Parse 16 hex digits; undefined for anything else. */
export function simhashFromHex(hex: string): SimHash | undefined {
  if (!/^[0-9a-f]{16}$/i.test(hex)) return undefined;
  return { hi: Number.parseInt(hex.slice(0, 8), 16) >>> 0, lo: Number.parseInt(hex.slice(8), 16) >>> 0 };
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of differing bits. */
export function hammingDistance(a: SimHash, b: SimHash): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

/** Largest Hamming distance that still counts as a near duplicate. */
export const NEAR_DUPLICATE_DISTANCE = 3;

/**
 * Bucket entries compared per band: a degenerate fingerprint shared by thousands of documents must
 * not make each insertion quadratic. The newest entries are compared first.
 */
const MAX_CANDIDATES_PER_BAND = 512;

/** In-memory band index of fingerprints → near-duplicate group ids. */
export class NearDuplicateIndex {
  private readonly his: number[] = [];
  private readonly los: number[] = [];
  private readonly groups: string[] = [];
  private readonly bands: Map<number, number[]>[] = [new Map(), new Map(), new Map(), new Map()];

  /** Number of fingerprints held. */
  get size(): number {
    return this.groups.length;
  }

  /** The group of the closest stored fingerprint within NEAR_DUPLICATE_DISTANCE, or undefined. */
  findGroup(hash: SimHash): string | undefined {
    let best: number | undefined;
    let bestDistance = NEAR_DUPLICATE_DISTANCE + 1;
    const keys = bandKeys(hash);
    for (let band = 0; band < 4; band++) {
      const bucket = this.bands[band]!.get(keys[band]!);
      if (bucket === undefined) continue;
      const stop = Math.max(0, bucket.length - MAX_CANDIDATES_PER_BAND);
      for (let k = bucket.length - 1; k >= stop; k--) {
        const entry = bucket[k]!;
        const distance =
          popcount32((this.his[entry]! ^ hash.hi) >>> 0) + popcount32((this.los[entry]! ^ hash.lo) >>> 0);
        // Ties go to the oldest entry, so a group keeps pointing at its first document.
        if (distance < bestDistance || (distance === bestDistance && best !== undefined && entry < best)) {
          best = entry;
          bestDistance = distance;
        }
      }
    }
    return best === undefined ? undefined : this.groups[best];
  }

  /** Remember a fingerprint and the group it belongs to. */
  add(hash: SimHash, group: string): void {
    const entry = this.groups.length;
    this.his.push(hash.hi);
    this.los.push(hash.lo);
    this.groups.push(group);
    const keys = bandKeys(hash);
    for (let band = 0; band < 4; band++) {
      const map = this.bands[band]!;
      const bucket = map.get(keys[band]!);
      if (bucket === undefined) map.set(keys[band]!, [entry]);
      else bucket.push(entry);
    }
  }
}

function bandKeys(hash: SimHash): [number, number, number, number] {
  return [hash.hi >>> 16, hash.hi & 0xffff, hash.lo >>> 16, hash.lo & 0xffff];
}
