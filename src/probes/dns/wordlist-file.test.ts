import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSkipped, parseWordlist, readWordlistFile, WORDLIST_MAX_BYTES } from './wordlist-file.js';
import { publishedWordlistPath } from './wordlist.js';

test(
  'a wordlist is one entry per line: comments, blank lines and CRLF ignored, case folded, duplicates ' + 'dropped',
  () => {
    const parsed = parseWordlist(
      '# top labels\r\nwww\r\n\r\nMail  # the mail host\r\nwww\r\nwww.blog\r\n  api-v2  \r\n',
    );
    assert.deepEqual(parsed.labels, ['www', 'mail', 'www.blog', 'api-v2']);
    assert.equal(parsed.duplicates, 1);
    assert.deepEqual(parsed.skipped, []);
  },
);

test('lines that are not relative DNS names are skipped with their line number and why', () => {
  const parsed = parseWordlist(
    ['ok', 'ns1.example.net.', 'bad label', '-dash', 'a..b', 'x'.repeat(64), 'gc._msdcs', 'café'].join('\n'),
  );
  assert.deepEqual(parsed.labels, ['ok', 'gc._msdcs']);
  assert.deepEqual(
    parsed.skipped.map((s) => [s.line, s.text]),
    [
      [2, 'ns1.example.net.'],
      [3, 'bad label'],
      [4, '-dash'],
      [5, 'a..b'],
      [6, 'x'.repeat(64)],
      [8, 'café'],
    ],
  );
  assert.match(parsed.skipped[0]!.reason, /absolute name/);
  assert.match(parsed.skipped[2]!.reason, /hyphen/);
  assert.match(
    describeSkipped(parsed) ?? '',
    /^skipped 6 line\(s\) that are not host labels: line 2 "ns1\.example\.net\."/,
  );
});

test('the vendored 20,000 list reads with its few absolute names skipped', () => {
  const path = publishedWordlistPath('top20000');
  const parsed = readWordlistFile(path);
  assert.ok(parsed.labels.length >= 19_900, `${parsed.labels.length} labels`);
  assert.ok(parsed.skipped.length > 0 && parsed.skipped.length < 50, `${parsed.skipped.length} skipped`);
  for (const s of parsed.skipped) assert.match(s.reason, /dot/, `${s.line} ${s.text}`);
  assert.ok(parsed.labels.includes('www') && parsed.labels.includes('gc._msdcs'));
});

test('unusable files are refused with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-wordlist-'));
  try {
    assert.throws(() => readWordlistFile(join(dir, 'missing.txt')), /missing\.txt: no such file/);
    assert.throws(() => readWordlistFile(dir), /a directory/);
    const binary = join(dir, 'binary.txt');
    writeFileSync(binary, Buffer.from([0x77, 0x77, 0x77, 0x0a, 0x00, 0x01]));
    assert.throws(() => readWordlistFile(binary), /a binary file/);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '# nothing but comments\n\nbad label\n');
    assert.throws(() => readWordlistFile(empty), /no host labels in the file \(line 3: "bad label"/);
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, 'www\n');
    truncateSync(huge, WORDLIST_MAX_BYTES + 1);
    assert.throws(() => readWordlistFile(huge), /16,777,217 bytes \(16 MiB\) is over the size cap of 16,777,216 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
