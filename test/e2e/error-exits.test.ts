/**
 * How the CLI ends on an error, as a script sees it: the documented exit status of each error kind and
 * one clear message on standard error, never a stack trace.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

after(removeTempHomes);

const NO_STACK = /\n\s+at |unexpected error/;

test('a malformed search query exits 2 with the query, a caret and no stack', async () => {
  const r = await runVitals(['darkweb', 'search', '--', '(ransomware OR'], tempHome());
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^vitals: search: .* at position \d+\n/);
  assert.match(r.stderr, /\(ransomware OR\n\s*\^/);
  assert.doesNotMatch(r.stderr, NO_STACK);
  assert.equal(r.stdout, '');
});

test('a store error (a file that is not a database) exits 2 naming the file, with no stack', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'vitals.db'), 'not a database, just text long enough to be read as a header '.repeat(20));
  const r = await runVitals(['findings', '--format', 'json'], home);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^vitals: .*vitals\.db/);
  assert.doesNotMatch(r.stderr, NO_STACK);
});

test('a wordlist that is missing exits 2 naming the option, before any DNS query', async () => {
  const home = tempHome();
  const r = await runVitals(
    ['scan', 'clinic.test', '--resolver', '127.0.0.9:5399', '--wordlist', join(home, 'missing.txt')],
    home,
  );
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^vitals: --wordlist .*missing\.txt: no such file\n$/);
});

test('an unreachable resolver exits 3', async () => {
  const r = await runVitals(
    ['scan', 'clinic.test', '--resolver', '127.0.0.9:5399', '--timeout', '200', '--retries', '0', '-q'],
    tempHome(),
  );
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^vitals: the DNS resolver 127\.0\.0\.9:5399 did not answer/);
  assert.doesNotMatch(r.stderr, NO_STACK);
});
