/**
 * Byte-level Aho–Corasick automaton (Aho & Corasick, CACM 18(6), 1975) compiled to a DFA.
 *
 * Why hand-written: with 30,000 watch-list terms the npm libraries measured 5x slower and grep/ripgrep
 * with `-i` were pathological (docs/benchmarks.md, dark-web matching). Why bytes: documents arrive as
 * UTF-8 and a byte DFA needs no Unicode tables; ASCII letters are folded, every other byte (including
 * each byte of a multi-byte UTF-8 sequence) must match exactly.
 *
 * Memory: a 256-wide table for ~600k states would be ~600 MB, so bytes are first mapped to equivalence
 * classes (every byte that occurs in no pattern shares class 0, ASCII letters share a class with their
 * other case). That is still too much for large sets: 30,000 organizations (name, alias, domain and
 * its defanged form: 120k terms, 1.56M states, 43 classes) measured 270 MB as a full DFA. So states are
 * numbered breadth-first and only the first ones, the shallow states where a scan spends nearly all
 * its time, get full DFA rows (up to `maxDenseBytes`); deeper states keep their trie edges (mostly a
 * single one) plus a failure link, which always leads to a shallower state and so ends at a dense row.
 * A small pattern set fits entirely and is a plain full DFA. `tableBytes` reports the real figure.
 */

/** Called for every pattern occurrence; `endOffset` is exclusive (index just past the last byte). */
export type MatchCallback = (patternId: number, endOffset: number) => void;

/** Scan options. */
export interface ScanOptions {
  /** Report only occurrences with no ASCII letter or digit immediately before and after. */
  wholeWords?: boolean;
}

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const CASE_BIT = 0x20;

/** Lower-cases ASCII letters in place semantics (returns the folded byte). */
function foldByte(byte: number): number {
  return byte >= UPPER_A && byte <= UPPER_Z ? byte | CASE_BIT : byte;
}

/** True for [A-Za-z0-9]: the bytes that make a word continue. */
export function isAsciiWordByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a);
}

/** Encodes patterns to folded UTF-8 bytes; empty patterns are rejected (they would match everywhere). */
function encodePatterns(patterns: readonly (string | Uint8Array)[]): Uint8Array[] {
  const encoder = new TextEncoder();
  return patterns.map((pattern, id) => {
    const raw = typeof pattern === 'string' ? encoder.encode(pattern) : pattern;
    if (raw.length === 0) throw new RangeError(`pattern ${id} is empty`);
    const folded = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) folded[i] = foldByte(raw[i]!);
    return folded;
  });
}

/** Assigns a class to each distinct folded byte used by the patterns; unused bytes share class 0. */
function byteClassesOf(
  encoded: readonly Uint8Array[],
  whitespaceAsSpace: boolean,
): { classOf: Uint8Array; count: number } {
  const used = new Uint8Array(256);
  for (const bytes of encoded) for (const b of bytes) used[b] = 1;
  const classOf = new Uint8Array(256);
  let count = 1;
  for (let b = 0; b < 256; b++) {
    if (used[b] === 1 && !(b >= UPPER_A && b <= UPPER_Z)) classOf[b] = count++;
  }
  for (let b = UPPER_A; b <= UPPER_Z; b++) classOf[b] = classOf[b | CASE_BIT]!;
  if (whitespaceAsSpace) {
    // Tab, LF, CR, FF read as a space so a name wrapped across lines still matches.
    for (const b of [0x09, 0x0a, 0x0c, 0x0d]) classOf[b] = classOf[0x20]!;
  }
  return { classOf, count };
}

/** Build options. */
export interface BuildOptions {
  /**
   * Treat tab, LF, CR and FF in the text as a space (patterns should then use plain spaces).
   * Default false: the automaton is exact apart from ASCII case.
   */
  whitespaceAsSpace?: boolean;
  /** Budget for full DFA rows; states beyond it use sparse rows. Default 48 MiB. */
  maxDenseBytes?: number;
}

const DEFAULT_MAX_DENSE_BYTES = 48 * 1024 * 1024;

/** The arrays of a built automaton. */
interface Tables {
  classOf: Uint8Array;
  classCount: number;
  stateCount: number;
  /** States 0..denseCount-1 have full rows in `dense`. */
  denseCount: number;
  /**
   * `dense[state × classCount + class]` is the next state, or its bitwise complement when that
   * state has output (so the scan loop tests for output with one sign check).
   */
  dense: Int32Array;
  /** Failure link of every state (only sparse states use it when scanning). */
  fail: Int32Array;
  /** Trie edges of sparse state s are sparseEdge*[sparseStart[s - denseCount] .. sparseStart[s - denseCount + 1]). */
  sparseStart: Int32Array;
  sparseEdgeClass: Uint8Array;
  /** Encoded like `dense` cells. */
  sparseEdgeTarget: Int32Array;
  /**
   * Outputs of state s (own and inherited via suffix links) are outputIds[outputStart[s]..outputStart[s+1]), longest
   * first.
   */
  outputStart: Int32Array;
  outputIds: Int32Array;
  lengths: Int32Array;
}

/** A compiled automaton; build with {@link buildAhoCorasick}. */
export class AhoCorasick {
  /** Number of patterns (ids run from 0 to patternCount - 1). */
  readonly patternCount: number;
  /** Number of states, root included. */
  readonly stateCount: number;
  /** States with full DFA rows (all of them when the set is small enough). */
  readonly denseStateCount: number;
  /** Byte classes (columns of the transition table). */
  readonly classCount: number;
  private readonly t: Tables;

  /** @internal use {@link buildAhoCorasick}. */
  constructor(tables: Tables) {
    this.t = tables;
    this.patternCount = tables.lengths.length;
    this.stateCount = tables.stateCount;
    this.denseStateCount = tables.denseCount;
    this.classCount = tables.classCount;
  }

  /** Bytes held by the transition tables and output sets. */
  get tableBytes(): number {
    const t = this.t;
    return [
      t.dense,
      t.fail,
      t.sparseStart,
      t.sparseEdgeClass,
      t.sparseEdgeTarget,
      t.outputStart,
      t.outputIds,
      t.lengths,
    ].reduce((sum, array) => sum + array.byteLength, 0);
  }

  /** Length in UTF-8 bytes of pattern `patternId`, so a caller can compute `start = end - length`. */
  patternLength(patternId: number): number {
    const length = this.t.lengths[patternId];
    if (length === undefined) throw new RangeError(`no pattern ${patternId}`);
    return length;
  }

  /**
   * Reports every occurrence (overlapping ones included) of every pattern in `buffer`, in order of
   * end offset; patterns ending at the same offset come longest first.
   */
  scan(buffer: Uint8Array, onMatch: MatchCallback, options: ScanOptions = {}): void {
    const { classOf, dense, denseCount, classCount, outputStart, outputIds, lengths } = this.t;
    const wholeWords = options.wholeWords === true;
    const length = buffer.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const cls = classOf[buffer[i]!]!;
      const next = state < denseCount ? dense[state * classCount + cls]! : this.sparseStep(state, cls);
      // Non-negative: a state without output, the common case, costs one comparison.
      if (next >= 0) {
        state = next;
        continue;
      }
      state = ~next;
      const end = i + 1;
      for (let k = outputStart[state]!, stop = outputStart[state + 1]!; k < stop; k++) {
        const id = outputIds[k]!;
        if (wholeWords) {
          const start = end - lengths[id]!;
          if (start > 0 && isAsciiWordByte(buffer[start - 1]!)) continue;
          if (end < length && isAsciiWordByte(buffer[end]!)) continue;
        }
        onMatch(id, end);
      }
    }
  }

  /** Transition from a sparse state: its own trie edge, else its failure state's transition. */
  private sparseStep(from: number, cls: number): number {
    const { dense, denseCount, classCount, fail, sparseStart, sparseEdgeClass, sparseEdgeTarget } = this.t;
    let state = from;
    // Each failure link leads to a strictly shallower state, so this ends within the pattern length.
    while (state >= denseCount) {
      const row = state - denseCount;
      for (let e = sparseStart[row]!, stop = sparseStart[row + 1]!; e < stop; e++) {
        if (sparseEdgeClass[e] === cls) return sparseEdgeTarget[e]!;
      }
      state = fail[state]!;
    }
    return dense[state * classCount + cls]!;
  }
}

/**
 * Builds the automaton from patterns given as strings (encoded as UTF-8) or raw bytes. Duplicate
 * patterns are allowed and each id is reported.
 */
export function buildAhoCorasick(patterns: readonly (string | Uint8Array)[], options: BuildOptions = {}): AhoCorasick {
  const encoded = encodePatterns(patterns);
  const { classOf, count: classCount } = byteClassesOf(encoded, options.whitespaceAsSpace === true);
  let totalBytes = 0;
  for (const bytes of encoded) totalBytes += bytes.length;
  if (totalBytes + 1 > 0x7fffffff) throw new RangeError('pattern set too large');

  // 1. Trie as first-child / next-sibling lists (a dense trie would cost as much as a full DFA).
  const maxStates = totalBytes + 1;
  const firstChild = new Int32Array(maxStates).fill(-1);
  const nextSibling = new Int32Array(maxStates).fill(-1);
  const edgeClass = new Uint8Array(maxStates);
  const rootChild = new Int32Array(classCount).fill(-1);
  const childOf = (state: number, cls: number): number => {
    if (state === 0) return rootChild[cls]!;
    for (let child = firstChild[state]!; child >= 0; child = nextSibling[child]!)
      if (edgeClass[child] === cls) return child;
    return -1;
  };
  const terminalOf = new Int32Array(encoded.length);
  let stateCount = 1;
  for (let id = 0; id < encoded.length; id++) {
    const bytes = encoded[id]!;
    let state = 0;
    for (let i = 0; i < bytes.length; i++) {
      const cls = classOf[bytes[i]!]!;
      let child = childOf(state, cls);
      if (child < 0) {
        child = stateCount++;
        edgeClass[child] = cls;
        nextSibling[child] = firstChild[state]!;
        firstChild[state] = child;
        if (state === 0) rootChild[cls] = child;
      }
      state = child;
    }
    terminalOf[id] = state;
  }

  // 2. One breadth-first pass. States are renumbered in visiting order (a number is given when a
  // state is queued), so the dense prefix holds the shallowest states and every failure link points to
  // a smaller number. When a state is queued its failure link and output count are computed (both
  // need only shallower states); when it is dequeued its row is written: a dense row is its failure
  // state's row (already written) with its own edges over it, a sparse row is its own edges.
  const ownCountOld = new Int32Array(stateCount);
  for (let id = 0; id < encoded.length; id++) ownCountOld[terminalOf[id]!]!++;
  const maxDenseBytes = options.maxDenseBytes ?? DEFAULT_MAX_DENSE_BYTES;
  const denseCount = Math.max(1, Math.min(stateCount, Math.floor(maxDenseBytes / (classCount * 4))));
  const sparseCount = stateCount - denseCount;
  const dense = new Int32Array(denseCount * classCount);
  const sparseStart = new Int32Array(sparseCount + 1);
  const sparseEdgeClass = new Uint8Array(Math.max(0, stateCount - 1));
  const sparseEdgeTarget = new Int32Array(Math.max(0, stateCount - 1));
  let sparseEdges = 0;
  const order = new Int32Array(stateCount); // new number -> old number
  const renumber = new Int32Array(stateCount); // old number -> new number
  const fail = new Int32Array(stateCount);
  const outputLink = new Int32Array(stateCount).fill(-1);
  const outputCount = new Int32Array(stateCount);
  const decode = (cell: number): number => (cell < 0 ? ~cell : cell);
  /** Transition (encoded) from a state already dequeued. */
  const step = (from: number, cls: number): number => {
    let state = from;
    while (state >= denseCount) {
      const child = childOf(order[state]!, cls);
      if (child >= 0) {
        const n = renumber[child]!;
        return outputCount[n] === 0 ? n : ~n;
      }
      state = fail[state]!;
    }
    return dense[state * classCount + cls]!;
  };
  let tail = 1;
  for (let n = 0; n < tail; n++) {
    const old = order[n]!;
    const isDense = n < denseCount;
    const row = n * classCount;
    if (isDense && n !== 0) dense.copyWithin(row, fail[n]! * classCount, fail[n]! * classCount + classCount);
    for (let child = firstChild[old]!; child >= 0; child = nextSibling[child]!) {
      const cls = edgeClass[child]!;
      const m = tail++;
      order[m] = child;
      renumber[child] = m;
      const f = n === 0 ? 0 : decode(step(fail[n]!, cls));
      fail[m] = f;
      const link = ownCountOld[order[f]!]! > 0 ? f : outputLink[f]!;
      outputLink[m] = link;
      outputCount[m] = ownCountOld[child]! + (link < 0 ? 0 : outputCount[link]!);
      const cell = outputCount[m] === 0 ? m : ~m;
      if (isDense) {
        dense[row + cls] = cell;
      } else {
        sparseEdgeClass[sparseEdges] = cls;
        sparseEdgeTarget[sparseEdges++] = cell;
      }
    }
    if (!isDense) sparseStart[n - denseCount + 1] = sparseEdges;
  }

  // Own pattern ids grouped by (new) state; a counting sort keeps ids ascending.
  const ownStart = new Int32Array(stateCount + 1);
  for (let id = 0; id < encoded.length; id++) ownStart[renumber[terminalOf[id]!]! + 1]!++;
  for (let s = 0; s < stateCount; s++) ownStart[s + 1]! += ownStart[s]!;
  const ownIds = new Int32Array(encoded.length);
  const fillAt = ownStart.slice(0, stateCount);
  for (let id = 0; id < encoded.length; id++) ownIds[fillAt[renumber[terminalOf[id]!]!]!++] = id;

  // 7. Flatten each state's outputs: own ids, then the output link's, and so on. Suffix states are
  // shallower, so this is longest first and a caller keeping the first hit per end keeps the longest.
  const outputStart = new Int32Array(stateCount + 1);
  for (let s = 0; s < stateCount; s++) outputStart[s + 1] = outputStart[s]! + outputCount[s]!;
  const outputIds = new Int32Array(outputStart[stateCount]!);
  for (let s = 0; s < stateCount; s++) {
    let k = outputStart[s]!;
    for (let t = outputCount[s]! > 0 ? s : -1; t >= 0; t = outputLink[t]!) {
      for (let j = ownStart[t]!; j < ownStart[t + 1]!; j++) outputIds[k++] = ownIds[j]!;
    }
  }

  return new AhoCorasick({
    classOf,
    classCount,
    stateCount,
    denseCount,
    dense,
    fail: sparseCount === 0 ? new Int32Array(0) : fail,
    sparseStart,
    sparseEdgeClass: sparseEdgeClass.slice(0, sparseEdges),
    sparseEdgeTarget: sparseEdgeTarget.slice(0, sparseEdges),
    outputStart,
    outputIds,
    lengths: Int32Array.from(encoded, (bytes) => bytes.length),
  });
}
