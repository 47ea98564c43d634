import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { FileTooLargeError } from '../core/capped-file.js';
import { type AppError, ExitStatus, withContext } from '../core/errors.js';
import { InvalidInputError } from '../core/names.js';
import { SharedFolderError } from '../core/private-files.js';
import { CredentialKeyError } from '../darkweb/credential-key.js';
import { IngestInputError } from '../darkweb/ingest/readers.js';
import { QuerySyntaxError } from '../darkweb/search/errors.js';
import { WatchPatternError } from '../darkweb/watch/safe-regex.js';
import { WatchlistError } from '../darkweb/watch/watchlists.js';
import { WebhookUrlError } from '../darkweb/watch/webhook.js';
import { LabPortError } from '../lab/port-in-use.js';
import { ExclusionFileError } from '../net/exclusions.js';
import { WordlistError } from '../probes/dns/wordlist-file.js';
import { ScanSelectionError } from '../scanner/scan-plan.js';
import { ScanRequestError } from '../scanner/scan-service.js';
import { ResolverUnreachableError } from '../scanner/scan.js';
import { CsvSyntaxError } from '../store/csv.js';
import { StoreError } from '../store/errors.js';
import { ImportError } from '../store/import-organizations.js';
import { CliError } from './errors.js';
import { reportError, wantsVerbose } from './report-error.js';

/** Every kind of error Vitals raises for its users, with the code and exit status the README documents. */
const KINDS: Array<[AppError, string, ExitStatus]> = [
  [new InvalidInputError('"a b" is not a domain name'), 'invalid-input', 2],
  [new StoreError('database-locked', 'the database is locked', '/tmp/v.db'), 'database-locked', 2],
  [new StoreError('not-found', 'no scan with id 9'), 'not-found', 2],
  [new CsvSyntaxError(3, 'unterminated quote'), 'csv-syntax', 2],
  [new ImportError('orgs.csv', [{ line: 2, message: 'empty name' }]), 'import-rejected', 2],
  [new FileTooLargeError('big.txt', 20_000_000, 16 * 1024 * 1024, '-l'), 'file-too-large', 2],
  [new SharedFolderError('/tmp is a shared folder'), 'shared-folder', 2],
  [new LabPortError('127.0.0.1', 53, 'EADDRINUSE', undefined), 'lab-port-unavailable', 2],
  [new ExclusionFileError('line 1: "x/99" is neither a CIDR nor a domain'), 'exclusion-file-invalid', 2],
  [new WordlistError('w.txt: a binary file'), 'wordlist-invalid', 2],
  [new ScanSelectionError('unknown name "dns.nope"'), 'scan-selection-invalid', 2],
  [new ScanRequestError('no organization named "Nope"'), 'scan-request-invalid', 2],
  [new ResolverUnreachableError('the DNS resolver 127.0.0.1:53 did not answer'), 'resolver-unreachable', 3],
  [new QuerySyntaxError('unbalanced parenthesis', 0, '(a'), 'search-query-invalid', 2],
  [new IngestInputError('dump.bin: a binary file'), 'ingest-input-invalid', 2],
  [new CredentialKeyError('VITALS_CREDENTIAL_KEY must be 64 hex characters'), 'credential-key-invalid', 2],
  [new WatchlistError('give exactly one of --org, --term, --regex'), 'watchlist-invalid', 2],
  [new WatchPatternError('the pattern matches the empty string'), 'watch-pattern-invalid', 2],
  [new WebhookUrlError('only https URLs are accepted'), 'webhook-url-invalid', 2],
  [new CliError('no organization named "Nope"'), 'command-line', 2],
];

function capture(): { write(text: string): boolean; text: () => string } {
  let written = '';
  return {
    write: (text: string) => {
      written += text;
      return true;
    },
    text: () => written,
  };
}

test('each error kind carries its stable code and maps to its documented exit status', () => {
  for (const [error, code, status] of KINDS) {
    assert.equal(error.code, code, error.name);
    const err = capture();
    assert.equal(reportError(error, err, false), status, error.name);
    assert.equal(err.text(), `vitals: ${error.message}\n`, error.name);
    assert.doesNotMatch(err.text(), /\n\s+at /, `${error.name}: no stack trace for an expected error`);
  }
  for (const [error] of KINDS) assert.match(error.code, /^[a-z]+(?:-[a-z]+)*$/);
});

test('a CLI error can choose another documented status', () => {
  const err = capture();
  assert.equal(reportError(new CliError('interrupted', ExitStatus.interrupted), err, false), 130);
});

test('the exit statuses are the documented ones', () => {
  assert.deepEqual(ExitStatus, { ok: 0, failure: 1, badInput: 2, resolverUnreachable: 3, failOn: 4, interrupted: 130 });
});

test('an unexpected error is one clean line with exit status 1; the stack only with -v', () => {
  const bug = new TypeError('cannot read properties of undefined (reading "x")\n\x1b[2Jsecond line');
  const quiet = capture();
  assert.equal(reportError(bug, quiet, false), ExitStatus.failure);
  const lines = quiet.text().split('\n');
  assert.equal(lines.length, 2, quiet.text());
  assert.equal(lines[1], '');
  assert.match(lines[0]!, /^vitals: unexpected error: TypeError: cannot read properties .*\\x0a\\x1b\[2Jsecond line/);
  assert.match(lines[0]!, /-v shows the stack trace/);

  const verbose = capture();
  assert.equal(reportError(bug, verbose, true), ExitStatus.failure);
  assert.match(verbose.text(), /\n\s+at .*report-error\.test\.js/);
  assert.doesNotMatch(verbose.text(), /\x1b/);

  const thrownString = capture();
  assert.equal(reportError('boom', thrownString, false), ExitStatus.failure);
  assert.match(thrownString.text(), /^vitals: unexpected error: boom /);
});

test("commander's own exits print nothing more: help is 0, a usage error 2", () => {
  const err = capture();
  assert.equal(reportError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), err, false), 0);
  assert.equal(reportError(new CommanderError(1, 'commander.unknownOption', "unknown option '-x'"), err, false), 2);
  assert.equal(err.text(), '');
});

test('withContext names the input an AppError came from and keeps its code and status', () => {
  const error = withContext(new WordlistError('w.txt: no such file'), '--wordlist ');
  assert.ok(error instanceof WordlistError);
  assert.equal(error.message, '--wordlist w.txt: no such file');
  assert.equal(error.code, 'wordlist-invalid');
  const bug = new Error('x');
  assert.equal(withContext(bug, 'search: '), bug);
  assert.equal(bug.message, 'x');
});

test('-v counts only before --, where the rest is a search query', () => {
  assert.equal(wantsVerbose(['-v', 'orgs', 'list']), true);
  assert.equal(wantsVerbose(['scan', 'example.org', '--verbose']), true);
  assert.equal(wantsVerbose(['darkweb', 'search', '--', '-v']), false);
  assert.equal(wantsVerbose(['orgs', 'list']), false);
});
