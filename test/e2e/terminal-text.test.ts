/**
 * Hostile text (an organization name carrying terminal escapes) reaches tables, headings and error
 * lines only as visible escapes; JSON keeps it exact.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVitals } from '../helpers/cli.js';

const home = mkdtempSync(join(tmpdir(), 'vitals-terminal-text-'));
after(() => rmSync(home, { recursive: true, force: true }));

// Clear the screen, set the window title, ring the bell, reverse the text direction.
const HOSTILE = 'Evil\u001b[2J\u001b]0;owned\u0007 Clinic\u202e';
// Anything a terminal would act on (newline aside).
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('organization names with escape sequences cannot drive the terminal; JSON keeps them exact', async () => {
  const file = join(home, 'orgs.json');
  const org = { name: HOSTILE, domains: 'evil-clinic.test', sector: 'clinic', telehealth: 'no', aliases: 'EC' };
  writeFileSync(file, JSON.stringify([org]));
  assert.equal((await runVitals(['orgs', 'import', file], home)).code, 0);

  const table = await runVitals(['orgs', 'list'], home);
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout, CONTROL);
  assert.match(table.stdout, /Evil\\x1b\[2J\\x1b\]0;owned\\x07 Clinic\\u202e/);

  const show = await runVitals(['orgs', 'show', 'EC'], home);
  assert.equal(show.code, 0, show.stderr);
  assert.doesNotMatch(show.stdout, CONTROL);

  const json = await runVitals(['orgs', 'list', '--format', 'json'], home);
  assert.equal((JSON.parse(json.stdout) as Array<{ name: string }>)[0]!.name, HOSTILE);

  const missing = await runVitals(['findings', '--org', `nobody\u001b[31m`], home);
  assert.equal(missing.code, 2);
  assert.doesNotMatch(missing.stderr, CONTROL);
  assert.match(missing.stderr, /nobody\\x1b\[31m/);
});
