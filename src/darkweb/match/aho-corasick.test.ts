import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildAhoCorasick, isAsciiWordByte } from './aho-corasick.js';
import type { AhoCorasick } from './aho-corasick.js';
import { seededRandom } from '../../core/seeded-random.js';

const encoder = new TextEncoder();

function fold(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));
}

/** The obvious O(n·m·k) matcher the automaton must agree with, in the automaton's reporting order. */
function naiveMatches(patterns: string[], text: Uint8Array, wholeWords: boolean): Array<[number, number]> {
  const folded = fold(text);
  const encoded = patterns.map((p) => fold(encoder.encode(p)));
  const hits: Array<[number, number]> = [];
  for (let end = 1; end <= folded.length; end++) {
    const here: number[] = [];
    encoded.forEach((pattern, id) => {
      const start = end - pattern.length;
      if (start < 0) return;
      for (let i = 0; i < pattern.length; i++) if (folded[start + i] !== pattern[i]) return;
      if (wholeWords) {
        if (start > 0 && isAsciiWordByte(text[start - 1]!)) return;
        if (end < text.length && isAsciiWordByte(text[end]!)) return;
      }
      here.push(id);
    });
    here.sort((a, b) => encoded[b]!.length - encoded[a]!.length || a - b);
    for (const id of here) hits.push([id, end]);
  }
  return hits;
}

function scanAll(automaton: AhoCorasick, text: Uint8Array, wholeWords = false): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  automaton.scan(text, (id, end) => hits.push([id, end]), { wholeWords });
  return hits;
}

describe('buildAhoCorasick', () => {
  test('finds overlapping patterns case-insensitively with exclusive end offsets', () => {
    const ac = buildAhoCorasick(['he', 'she', 'his', 'hers']);
    const hits = scanAll(ac, encoder.encode('uSHErs'));
    // "she" ends at 4, "he" ends at 4 (longest first), "hers" ends at 6.
    assert.deepEqual(hits, [
      [1, 4],
      [0, 4],
      [3, 6],
    ]);
    assert.equal(ac.patternLength(3), 4);
  });

  test('non-ASCII bytes match exactly, only ASCII letters fold', () => {
    const ac = buildAhoCorasick(['clínica', 'ÉCOLE']);
    assert.deepEqual(scanAll(ac, encoder.encode('CLíNICA')), [[0, 8]]);
    assert.deepEqual(scanAll(ac, encoder.encode('CLÍNICA')), []);
    assert.deepEqual(scanAll(ac, encoder.encode('école')), []);
    assert.deepEqual(scanAll(ac, encoder.encode('Écolé ÉcOlE')), [[1, 14]]);
  });

  test('whole-word option rejects letters or digits on either side but accepts punctuation', () => {
    const ac = buildAhoCorasick(['clinic', 'acme.test']);
    const text = encoder.encode('clinics xclinic clinic1 (clinic) mail.acme.test-x acme.tests');
    const hits = scanAll(ac, text, true).map(([id, end]) => [
      id,
      new TextDecoder().decode(text.subarray(end - ac.patternLength(id), end)),
    ]);
    assert.deepEqual(hits, [
      [0, 'clinic'],
      [1, 'acme.test'],
    ]);
  });

  test('whitespaceAsSpace lets a pattern span a line break', () => {
    const plain = buildAhoCorasick(['family clinic']);
    const lenient = buildAhoCorasick(['family clinic'], { whitespaceAsSpace: true });
    const text = encoder.encode('Family\nClinic');
    assert.deepEqual(scanAll(plain, text), []);
    assert.deepEqual(scanAll(lenient, text), [[0, 13]]);
  });

  test('duplicate patterns are each reported; empty patterns are refused', () => {
    const ac = buildAhoCorasick(['abc', 'ABC']);
    assert.deepEqual(scanAll(ac, encoder.encode('xabc')), [
      [0, 4],
      [1, 4],
    ]);
    assert.throws(() => buildAhoCorasick(['ok', '']), RangeError);
  });

  test('property: agrees with a naive matcher on random patterns and texts (seeded)', () => {
    const random = seededRandom(0x5eed);
    // A small alphabet (with upper case, punctuation and a 2-byte letter) makes overlaps frequent.
    const alphabet = ['a', 'b', 'A', 'B', 'c', '.', '-', ' ', 'é', 'É', '1'];
    const pick = (): string => alphabet[Math.floor(random() * alphabet.length)]!;
    const word = (min: number, max: number): string => {
      const length = min + Math.floor(random() * (max - min + 1));
      let s = '';
      for (let i = 0; i < length; i++) s += pick();
      return s;
    };
    for (let round = 0; round < 300; round++) {
      const patterns = Array.from({ length: 1 + Math.floor(random() * 12) }, () => word(1, 5));
      const text = encoder.encode(word(0, 200));
      const full = buildAhoCorasick(patterns);
      // Dense rows for the root only: every other state takes the sparse path.
      const sparse = buildAhoCorasick(patterns, { maxDenseBytes: 0 });
      // A budget cutting through the middle of the states: both paths and the hand-over between them.
      const mixed = buildAhoCorasick(patterns, { maxDenseBytes: Math.ceil(full.stateCount / 2) * full.classCount * 4 });
      assert.equal(sparse.denseStateCount, 1);
      for (const wholeWords of [false, true]) {
        const expected = naiveMatches(patterns, text, wholeWords);
        for (const [label, ac] of [
          ['full', full],
          ['sparse', sparse],
          ['mixed', mixed],
        ] as const) {
          assert.deepEqual(
            scanAll(ac, text, wholeWords),
            expected,
            `round ${round} ${label}: ${JSON.stringify(patterns)}`,
          );
        }
      }
    }
  });

  test('memory is bounded: byte classes narrow the rows and the dense budget caps them', () => {
    const random = seededRandom(7);
    const patterns = Array.from({ length: 2000 }, (_, i) => `org${i} ${Math.floor(random() * 1e6).toString(36)}.test`);
    const ac = buildAhoCorasick(patterns);
    assert.ok(ac.classCount < 50, `classCount ${ac.classCount}`);
    assert.equal(ac.denseStateCount, ac.stateCount, 'a small set is a full DFA');
    assert.ok(ac.tableBytes < (ac.stateCount * 256 * 4) / 4, `tableBytes ${ac.tableBytes}`);
    const capped = buildAhoCorasick(patterns, { maxDenseBytes: 64 * 1024 });
    assert.ok(capped.denseStateCount < capped.stateCount);
    assert.ok(capped.tableBytes < ac.tableBytes / 2, `capped ${capped.tableBytes} vs ${ac.tableBytes}`);
    const text = encoder.encode(`... ORG1234 is listed, see org1999 ${patterns[1999]!.toUpperCase()}`);
    const ids = new Set<number>();
    ac.scan(text, (id) => ids.add(id), { wholeWords: true });
    assert.ok(ids.has(1999));
    const cappedIds = new Set<number>();
    capped.scan(text, (id) => cappedIds.add(id), { wholeWords: true });
    assert.deepEqual([...cappedIds].sort(), [...ids].sort());
  });
});
