import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAhoCorasick } from '../src/darkweb/match/aho-corasick.js';
import {
  benchOrganizations,
  copyLinePrefix,
  countMatchingLines,
  forEachLineBlock,
  substringPatterns,
  writeForumText,
} from './darkweb-corpus.js';
import { findExecutable } from './tools.js';

describe('dark-web benchmark corpus', () => {
  const orgs = benchOrganizations(300);
  const patterns = substringPatterns(orgs);

  test('patterns: names, short names and domains, no acronyms, no case-insensitive duplicates', () => {
    assert.ok(patterns.includes(orgs[0]!.name));
    assert.ok(patterns.includes(orgs[0]!.domain));
    assert.ok(!patterns.some((p) => /^[A-Z]{2,6}$/.test(p)), 'no acronym');
    assert.equal(new Set(patterns.map((p) => p.toLowerCase())).size, patterns.length);
  });

  test('generated text: whole lines, ~1% planted, half of them re-cased; counted like grep -F -i -c', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-corpus-test-'));
    try {
      const file = join(dir, 'text.txt');
      const stats = writeForumText(file, { bytes: 2_000_000, orgs, seed: 3 });
      const text = readFileSync(file);
      assert.equal(text.length, stats.bytes);
      assert.equal(text[text.length - 1], 0x0a);
      assert.equal(text.toString('latin1').split('\n').length - 1, stats.lines);
      assert.ok(
        stats.plantedLines > stats.lines * 0.007 && stats.plantedLines < stats.lines * 0.013,
        `planted ${stats.plantedLines} of ${stats.lines}`,
      );
      assert.ok(Math.abs(stats.recasedLines / stats.plantedLines - 0.5) < 0.1);

      const automaton = buildAhoCorasick(patterns);
      const counted = countMatchingLines(automaton, file);
      assert.equal(counted.bytes, stats.bytes);
      // Reference: the same semantics written plainly (lower-case both, substring test per line).
      const lowered = patterns.map((p) => p.toLowerCase());
      const expected = text
        .toString('latin1')
        .split('\n')
        .filter((line) => line !== '' && lowered.some((p) => line.toLowerCase().includes(p))).length;
      assert.equal(counted.matchingLines, expected);
      assert.ok(expected >= stats.plantedLines);

      const grep = findExecutable('grep');
      if (grep !== null) {
        const patternFile = join(dir, 'patterns.txt');
        writeFileSync(patternFile, `${patterns.join('\n')}\n`);
        const run = spawnSync(grep, ['-F', '-i', '-c', '-f', patternFile, file], {
          env: { LC_ALL: 'C' },
          encoding: 'utf8',
        });
        assert.equal(Number(run.stdout.trim()), counted.matchingLines, 'grep -F -i -c agrees');
      }

      // Prefixes end on a newline; Vitals' count on a prefix agrees with the plain count on it.
      const prefixFile = join(dir, 'prefix.txt');
      const prefixBytes = copyLinePrefix(file, prefixFile, 500_000);
      assert.ok(prefixBytes <= 500_000 && prefixBytes > 499_000);
      assert.equal(readFileSync(prefixFile)[prefixBytes - 1], 0x0a);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('line blocks: every block ends at a newline, nothing is lost, a last line without newline is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-corpus-test-'));
    try {
      const file = join(dir, 'lines.txt');
      const content = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n');
      writeFileSync(file, content);
      const blocks: string[] = [];
      const total = forEachLineBlock(file, (block) => blocks.push(block.toString('latin1')), 1024);
      assert.equal(total, content.length);
      assert.equal(blocks.join(''), content);
      assert.ok(blocks.length > 5);
      for (const block of blocks.slice(0, -1)) assert.ok(block.endsWith('\n'));
      assert.throws(() => forEachLineBlock(file, () => {}, 16), /longer than 16 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
