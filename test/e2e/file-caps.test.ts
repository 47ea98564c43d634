/**
 * Files the user hands in have size caps: a file over its cap is refused before any work, exit 2, with
 * one line naming the file, its size and the cap. Oversized files are sparse: no disk space is used.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_CAPS } from '../../src/core/capped-file.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

after(removeTempHomes);

function sparseFile(dir: string, name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  truncateSync(path, bytes);
  return path;
}

const cases: Array<{ flag: string; name: string; cap: number; args: (file: string) => string[] }> = [
  {
    flag: '--trust-anchor',
    name: 'anchor.txt',
    cap: FILE_CAPS.trustAnchor,
    args: (f) => ['scan', 'example.org', '--resolver', '127.0.0.1:9', '--trust-anchor', f],
  },
  {
    flag: '--ct',
    name: 'ct.json',
    cap: FILE_CAPS.ctLog,
    args: (f) => ['scan', 'example.org', '--resolver', '127.0.0.1:9', '--ct', f],
  },
  { flag: 'organizations file', name: 'orgs.csv', cap: FILE_CAPS.organizations, args: (f) => ['orgs', 'import', f] },
  {
    flag: 'Telegram export',
    name: 'result.json',
    cap: FILE_CAPS.telegramExport,
    args: (f) => ['darkweb', 'ingest', f],
  },
];

for (const c of cases) {
  test(`${c.flag}: a file one byte over the cap is refused with exit 2, its size and the cap`, async () => {
    const home = tempHome();
    const file = sparseFile(home, c.name, c.cap + 1);
    const run = await runVitals(c.args(file), home);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(file), run.stderr);
    assert.ok(run.stderr.includes(`${(c.cap + 1).toLocaleString('en-US')} bytes`), run.stderr);
    assert.ok(run.stderr.includes(`size cap of ${c.cap.toLocaleString('en-US')} bytes`), run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('--trust-anchor /dev/zero is cut at the cap', async () => {
  const run = await runVitals(
    ['scan', 'example.org', '--resolver', '127.0.0.1:9', '--trust-anchor', '/dev/zero'],
    tempHome(),
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--trust-anchor \/dev\/zero holds more than 1,048,576 bytes/);
});
