/**
 * The CLI as a user meets it: bad input gets one clear line and a non-zero exit code, and nothing is
 * half-written. Runs the built CLI (dist/) in child processes with a private VITALS_HOME.
 */
// test-lane: serial (starts a lab through the CLI, on the lab's own TLS and service ports)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVitals } from '../helpers/cli.js';
import { getFindingType } from '../../src/catalogue/catalogue.js';

const BIN = fileURLToPath(new URL('../../../bin/vitals.js', import.meta.url));

function vitals(args: string[], home: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
  delete env.VITALS_DATABASE_URL;
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Async variant, for tests whose servers live in this process (spawnSync would block them). */
const vitalsAsync = runVitals;

const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'vitals-cli-'));
  homes.push(home);
  return home;
}

test('--help works on every command', () => {
  const home = freshHome();
  for (const args of [
    [],
    ['lab'],
    ['lab', 'up'],
    ['lab', 'truth'],
    ['orgs'],
    ['orgs', 'import'],
    ['scan'],
    ['findings'],
    ['catalogue'],
    ['demo'],
    ['darkweb'],
    ['darkweb', 'ingest'],
    ['darkweb', 'crawl'],
    ['darkweb', 'mentions'],
    ['darkweb', 'search'],
    ['darkweb', 'watch'],
    ['darkweb', 'watch', 'add'],
  ]) {
    const r = vitals([...args, '--help'], home);
    assert.equal(r.code, 0, `${args.join(' ')} --help: ${r.stderr}`);
    assert.match(r.stdout, /Usage: vitals/);
  }
});

test('an invalid domain name is refused before any work, with a clear message', () => {
  const r = vitals(['scan', 'not a domain', '--resolver', '127.0.0.9:5399'], freshHome());
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /not a domain name|invalid/);
});

test('an unreachable resolver is named in the error', () => {
  const r = vitals(
    ['scan', 'clinic.test', '--resolver', '127.0.0.9:5399', '--timeout', '200', '--retries', '0'],
    freshHome(),
  );
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /127\.0\.0\.9:5399 did not answer/);
});

test('scan --exclude: a bad line is an error (exit 2) naming it, before any traffic', () => {
  const home = freshHome();
  const file = join(home, 'exclude.txt');
  writeFileSync(file, '# never touch\n10.0.0.0/8\npartner.example\n10.0.0.0/33\n');
  const r = vitals(['scan', 'clinic.test', '--resolver', '127.0.0.9:5399', '--exclude', file], home);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--exclude .*exclude\.txt: line 4: "10\.0\.0\.0\/33" is neither a CIDR/);
  assert.doesNotMatch(r.stderr, /did not answer/, 'the resolver was asked before the file was checked');
});

test('a malformed import file is rejected with its line number and nothing is imported', () => {
  const home = freshHome();
  const file = join(home, 'orgs.csv');
  writeFileSync(
    file,
    'name,domains,sector,telehealth,aliases\nGood Clinic,good-clinic.test,clinic,no,\nBad ' +
      'Clinic,bad..domain,clinic,maybe,\n',
  );
  const r = vitals(['orgs', 'import', file], home);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /line 3/);
  const list = vitals(['orgs', 'list', '--format', 'json'], home);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout), []);
});

test('importing the same file twice changes nothing', () => {
  const home = freshHome();
  const file = join(home, 'orgs.json');
  writeFileSync(
    file,
    JSON.stringify([
      { name: 'Good Clinic', domains: 'good-clinic.test', sector: 'clinic', telehealth: 'no', aliases: 'GC' },
    ]),
  );
  const first = vitals(['orgs', 'import', file], home);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /1 created/);
  const second = vitals(['orgs', 'import', file], home);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /0 created, 0 updated, 1 unchanged/);
});

test('a corrupt database file gets a clear error naming it', () => {
  const home = freshHome();
  writeFileSync(
    join(home, 'vitals.db'),
    'this is not a database, just text long enough to be read as a header '.repeat(20),
  );
  const r = vitals(['orgs', 'list'], home);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /vitals\.db/);
  assert.match(r.stderr, /corrupt|not a database/i);
  assert.ok(existsSync(join(home, 'vitals.db')));
});

test('scanning a loopback target without --allow-private is refused', async () => {
  // Uses the lab: its organizations resolve to 127.x addresses.
  const { startTestLab } = await import('../helpers/lab.js');
  const lab = await startTestLab(3);
  try {
    const domain = lab.world.truth.organizations[0]!.domain;
    const r = await vitalsAsync(
      [
        'scan',
        domain,
        '--resolver',
        `${lab.resolverAddress}:${lab.port}`,
        '--ns-port',
        String(lab.port),
        '--no-wordlist',
      ],
      lab.home,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /refusing to scan .*loopback.*--allow-private/);
  } finally {
    await lab.stop();
  }
});

test('the user path: lab up, orgs import, scan --lab --format json matches the truth, findings, lab down', async () => {
  const home = freshHome();
  const port = String(20000 + Math.floor(Math.random() * 30000));
  const up = await vitalsAsync(
    ['lab', 'up', '--orgs', '10', '--dns-port', port, '--web-port', String(Number(port) + 1)],
    home,
  );
  assert.equal(up.code, 0, up.stderr);
  try {
    assert.match(up.stdout, /lab running/);
    const status = await vitalsAsync(['lab', 'status', '--format', 'json'], home);
    const state = JSON.parse(status.stdout) as {
      running: boolean;
      port: number;
      files: { organizations: string; truth: string };
    };
    assert.equal(state.running, true);
    assert.equal(state.port, Number(port));
    const imported = await vitalsAsync(['orgs', 'import', state.files.organizations], home);
    assert.equal(imported.code, 0, imported.stderr);
    const scan = await vitalsAsync(['scan', '--all', '--lab', '--format', 'json'], home);
    assert.equal(scan.code, 0, scan.stderr);
    const doc = JSON.parse(scan.stdout) as {
      scan: { counts: Record<string, number> };
      findings: Array<{
        type: string;
        organization: string;
        asset: { host: string };
        factor: string;
        severity: string;
        status: string;
        first_seen: string;
      }>;
    };
    assert.equal(doc.scan.counts.scanned, 10);
    const truth = JSON.parse((await vitalsAsync(['lab', 'truth', '--format', 'json'], home)).stdout) as {
      weaknesses: Array<{ type: string; organization: string; host: string }>;
    };
    const key = (o: string, t: string, h: string) => `${o}|${t}|${h}`;
    assert.deepEqual(
      doc.findings.map((f) => key(f.organization, f.type, f.asset.host)).sort(),
      truth.weaknesses.map((w) => key(w.organization, w.type, w.host)).sort(),
    );
    for (const f of doc.findings) {
      // Each finding carries its catalogue factor (DNS, TLS, ...), never a default.
      assert.equal(f.factor, getFindingType(f.type).factor);
      assert.equal(f.status, 'open');
      assert.match(f.first_seen, /^\d{4}-\d\d-\d\dT/);
    }
    const jsonl = await vitalsAsync(['findings', '--format', 'jsonl'], home);
    assert.equal(jsonl.stdout.trim().split('\n').length, doc.findings.length);
  } finally {
    const down = await vitalsAsync(['lab', 'down'], home);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /lab stopped/);
  }
  const after = await vitalsAsync(['lab', 'status'], home);
  assert.notEqual(after.code, 0, 'the lab is gone after `lab down`');
});

test('a domain that does not exist is reported as an error, not rated', async () => {
  const { startTestLab } = await import('../helpers/lab.js');
  const lab = await startTestLab(3);
  try {
    const typo = `${lab.world.truth.organizations[0]!.domain.replace('.test', '')}-typo.test`;
    const r = await vitalsAsync(
      [
        'scan',
        typo,
        '--resolver',
        `${lab.resolverAddress}:${lab.port}`,
        '--ns-port',
        String(lab.port),
        '--allow-private',
        '--no-wordlist',
        '--format',
        'json',
      ],
      lab.home,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /does not exist \(the resolver answered NXDOMAIN\)/);
    const doc = JSON.parse(r.stdout) as { scan: { counts: Record<string, number> }; findings: unknown[] };
    assert.equal(doc.scan.counts.failed, 1);
    assert.deepEqual(doc.findings, []);
    const orgs = await vitalsAsync(['orgs', 'list', '--format', 'json'], lab.home);
    assert.deepEqual(JSON.parse(orgs.stdout), [], 'no ad-hoc organization is left behind for a typo');
  } finally {
    await lab.stop();
  }
});
