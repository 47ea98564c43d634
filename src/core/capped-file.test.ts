import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTooLargeError, readCappedTextFile } from './capped-file.js';

const dir = mkdtempSync(join(tmpdir(), 'vitals-capped-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a file of exactly the cap is read whole; one byte more is refused with its size and the cap', () => {
  const file = join(dir, 'anchor.txt');
  writeFileSync(file, 'é'.repeat(512)); // 1,024 bytes of two-byte characters
  assert.equal(readCappedTextFile(file, 1024, '--trust-anchor'), 'é'.repeat(512));
  writeFileSync(file, `${'é'.repeat(512)}x`);
  assert.throws(
    () => readCappedTextFile(file, 1024, '--trust-anchor'),
    (error: unknown) =>
      error instanceof FileTooLargeError &&
      error.size === 1025 &&
      error.message === `--trust-anchor ${file} is 1,025 bytes (1 KiB), more than its size cap of 1,024 bytes (1 KiB)`,
  );
});

test('an endless device is cut at the cap, not read until memory runs out', () => {
  assert.throws(
    () => readCappedTextFile('/dev/zero', 4096, '--ct'),
    (error: unknown) =>
      error instanceof FileTooLargeError &&
      error.size === undefined &&
      /--ct \/dev\/zero holds more than 4,096 bytes/.test(error.message),
  );
});
