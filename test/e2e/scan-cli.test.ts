/**
 * `vitals scan` with the conventions of scanner users (nmap, nuclei, testssl.sh): targets from a file
 * or standard input, -o FILE written atomically, --fail-on for CI, -q and -v, SARIF. Runs the built CLI
 * in child processes against a lab on loopback started by this test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { getFindingType } from '../../src/catalogue/catalogue.js';
import { SEVERITIES, type Severity } from '../../src/core/types.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { startTestLab } from '../helpers/lab.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { runVitals } from '../helpers/cli.js';

const vitals = runVitals;

const folders: string[] = [];
function freshFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-scan-cli-'));
  folders.push(dir);
  return dir;
}

describe('vitals scan: targets, output file, CI exit codes, log and SARIF', () => {
  let lab: RunningLab;
  let common: string[];
  /** Lab domains with weaknesses, and the most severe weakness the lab gave each. */
  let domains: string[];
  let worst: Map<string, Severity | undefined>;

  before(async () => {
    lab = await startTestLab(6);
    common = [
      '--resolver',
      `${lab.resolverAddress}:${lab.port}`,
      '--ns-port',
      String(lab.port),
      '--trust-anchor',
      lab.files.trustAnchor,
      '--allow-private',
      '--ct',
      lab.files.ct,
      // The conventions under test (targets, -o, exit codes, the log, SARIF) are the same for every family:
      // DNS alone keeps each of the many scans here to seconds (every family against these six organizations
      // took over a minute, past the CLI helper's time limit), and without the wordlist's thousands of
      // questions per organization (discovery has its own tests).
      '--only',
      'dns_health',
      '--no-wordlist',
    ];
    worst = new Map(
      lab.world.truth.organizations.map((o) => {
        const severities = lab.world.truth.weaknesses
          .filter((w) => w.organization === o.name && getFindingType(w.type).factor === 'dns_health')
          .map((w) => getFindingType(w.type).severity);
        return [o.domain, SEVERITIES.find((s) => severities.includes(s))];
      }),
    );
    // Organizations the lab gave weaknesses, so each one scanned has findings to show.
    domains = lab.world.truth.organizations.map((o) => o.domain).filter((d) => worst.get(d) !== undefined);
    assert.ok(domains.length >= 4);
  });
  after(async () => {
    await lab?.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  test('-l FILE: one per line, # comments, blank lines ignored; -o gets JSON, the terminal a summary', async () => {
    const dir = freshFolder();
    const files = freshFolder();
    const list = join(files, 'targets.txt');
    writeFileSync(list, `# lab targets\n\n${domains[0]}   # first\r\n${domains[1]!.toUpperCase()}.\n${domains[0]}\n`);
    const out = join(files, 'out.json');
    writeFileSync(out, 'an older report');
    const r = await vitals(['scan', '-l', list, '--format', 'json', '-o', out, ...common], dir);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      scan: { counts: Record<string, number> };
      findings: Array<{ organization: string }>;
    };
    assert.equal(doc.scan.counts.targets, 2);
    assert.equal(doc.scan.counts.scanned, 2);
    assert.deepEqual(new Set(doc.findings.map((f) => f.organization)), new Set([domains[0], domains[1]]));
    assert.match(r.stdout, /Portfolio summary: 2 organizations/);
    assert.deepEqual(readdirSync(files).sort(), ['out.json', 'targets.txt']);
  });

  test('-l FILE with bad names: every bad line named with its number, exit 2, nothing scanned or written', async () => {
    const dir = freshFolder();
    const list = join(dir, 'targets.txt');
    writeFileSync(list, `${domains[0]}\nbad..name.test\n\n# fine\nhas space.test\n10.0.0.1\n`);
    const out = join(dir, 'out.json');
    writeFileSync(out, 'an older report');
    const r = await vitals(['scan', '-l', list, '-o', out, ...common], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /3 bad lines/);
    assert.match(r.stderr, /line 2: .*bad\.\.name\.test/);
    assert.match(r.stderr, /line 5: .*has space\.test/);
    assert.match(r.stderr, /line 6: .*IP address/);
    assert.doesNotMatch(r.stderr, /line [134]:/);
    assert.equal(readFileSync(out, 'utf8'), 'an older report');
    const orgs = await vitals(['orgs', 'list', '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(orgs.stdout), []);
    const missing = await vitals(['scan', '-l', join(dir, 'nope.txt'), ...common], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.txt: no such file/);
  });

  test('"-" and "-l -" read the targets from standard input; -q leaves only the requested output', async () => {
    const dir = freshFolder();
    const stdin = `${domains[2]}\n# comment\n\n${domains[3]}\n`;
    const jsonl = await vitals(['scan', '-', '--format', 'jsonl', '-q', ...common], dir, { stdin });
    assert.equal(jsonl.code, 0, jsonl.stderr);
    assert.equal(jsonl.stderr, '');
    const lines = jsonl.stdout.trimEnd().split('\n');
    const organizations = new Set(lines.map((l) => (JSON.parse(l) as { organization: string }).organization));
    assert.deepEqual(organizations, new Set([domains[2], domains[3]]));

    const listed = await vitals(['scan', '-l', '-', '--format', 'json', '-q', ...common], dir, { stdin });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal((JSON.parse(listed.stdout) as { scan: { counts: { targets: number } } }).scan.counts.targets, 2);

    const table = await vitals(['scan', domains[2]!, '-q', ...common], dir);
    assert.equal(table.code, 0, table.stderr);
    assert.doesNotMatch(table.stdout, /Portfolio summary/);
    assert.match(table.stdout, /^severity +organization +type +asset +title\n/);
    const quietFile = await vitals(['scan', domains[2]!, '-q', '-o', join(dir, 'r.txt'), ...common], dir);
    assert.equal(quietFile.code, 0, quietFile.stderr);
    assert.equal(quietFile.stdout, '');
    assert.match(readFileSync(join(dir, 'r.txt'), 'utf8'), /Portfolio summary: 1 organizations/);

    const empty = await vitals(['scan', '-', ...common], dir, { stdin: '# nothing\n\n' });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /standard input: no targets/);
  });

  test('--fail-on: exit 4 when an open finding is at or above the severity, 0 when none is', async () => {
    const dir = freshFolder();
    // A lab organization whose worst weakness is below critical, so both outcomes can be checked.
    const domain = domains.find((d) => worst.get(d) !== undefined && worst.get(d) !== 'critical')!;
    const severity = worst.get(domain)!;
    const above = SEVERITIES[SEVERITIES.indexOf(severity) - 1]!;
    const tripped = await vitals(['scan', domain, '--fail-on', severity, '-q', ...common], dir);
    assert.equal(tripped.code, 4, tripped.stderr);
    assert.match(tripped.stderr, new RegExp(`--fail-on ${severity}: \\d+ open findings? at or above ${severity}`));
    const passed = await vitals(['scan', domain, '--fail-on', above, '-q', ...common], dir);
    assert.equal(passed.code, 0, passed.stderr);
    assert.equal(passed.stderr, '');
    const bad = await vitals(['scan', domain, '--fail-on', 'severe', ...common], dir);
    assert.equal(bad.code, 2);
  });

  test('-v: a JSON log on standard error with scan start, every target and scan end', async () => {
    const dir = freshFolder();
    const r = await vitals(['scan', domains[0]!, domains[1]!, '-v', '--format', 'json', ...common], dir);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(events[0]!.event, 'scan_start');
    assert.equal(events[0]!.targets, 2);
    const done = events.filter((e) => e.event === 'target_done');
    assert.deepEqual(new Set(done.map((e) => e.target)), new Set([domains[0], domains[1]]));
    for (const e of done) {
      assert.equal(e.status, 'scanned');
      assert.equal(typeof e.duration_ms, 'number');
    }
    assert.equal(events.at(-1)!.event, 'scan_end');
    assert.equal(typeof events.at(-1)!.elapsed_ms, 'number');
    // Standard output is still the JSON document alone.
    assert.equal((JSON.parse(r.stdout) as { scan: { counts: { scanned: number } } }).scan.counts.scanned, 2);
  });

  test('--format sarif (scan and findings) is valid SARIF 2.1.0 with one result per finding', async () => {
    const dir = freshFolder();
    const out = join(dir, 'scan.sarif');
    const r = await vitals(['scan', ...domains, '--format', 'sarif', '-o', out, ...common], dir);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    const validation = validateSarif(log);
    assert.ok(validation.valid, validation.errors);
    const stored = await vitals(['findings', '--format', 'json'], dir);
    const findings = JSON.parse(stored.stdout) as Array<{ type: string }>;
    assert.ok(findings.length > 0);
    assert.deepEqual(log.runs[0]!.results.map((x) => x.ruleId).sort(), findings.map((f) => f.type).sort());
    const listed = await vitals(['findings', '--format', 'sarif'], dir);
    assert.equal(listed.code, 0, listed.stderr);
    const fromStore = JSON.parse(listed.stdout) as typeof log;
    assert.ok(validateSarif(fromStore).valid);
    assert.equal(fromStore.runs[0]!.results.length, findings.length);
  });

  test('-o keeps an existing file when the scan fails, and leaves no temporary file', async () => {
    const dir = freshFolder();
    const files = freshFolder();
    const out = join(files, 'out.json');
    writeFileSync(out, 'an older report');
    const r = await vitals(
      ['scan', domains[0]!, '-o', out, '--resolver', '127.0.0.9:5399', '--timeout', '200', '--retries', '0'],
      dir,
    );
    assert.equal(r.code, 3, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), 'an older report');
    assert.deepEqual(readdirSync(files), ['out.json']);
    const noFolder = await vitals(['scan', domains[0]!, '-o', join(files, 'missing', 'out.json'), ...common], dir);
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.stderr, /cannot write there \(no such folder\)/);
  });

  test('Ctrl-C during a scan with -o: the existing file stays, no temporary file is left', async () => {
    // A resolver that answers the start-up check (the root NS query) and nothing after: the scan hangs.
    const server = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    server.on('message', (raw, remote) => {
      const query = dnsPacket.decode(raw);
      if (query.questions?.[0]?.name !== '.') return;
      const reply = dnsPacket.encode({ type: 'response', id: query.id, flags: 0, questions: query.questions });
      server.send(reply, remote.port, remote.address);
    });
    try {
      const dir = freshFolder();
      const files = freshFolder();
      const out = join(files, 'out.json');
      writeFileSync(out, 'an older report');
      const port = (server.address() as { port: number }).port;
      const args = ['scan', 'hang.test', '--format', 'json', '-o', out, '--resolver', `127.0.0.1:${port}`];
      const r = await vitals([...args, '--timeout', '10000', '--allow-private'], dir, {
        onSpawn: (kill) => {
          const poll = setInterval(() => {
            // The scan is under way once the temporary file exists and the resolver was asked.
            if (readdirSync(files).some((f) => f.endsWith('.tmp'))) {
              clearInterval(poll);
              setTimeout(() => kill('SIGINT'), 500);
            }
          }, 20);
        },
      });
      assert.ok(r.signal === 'SIGINT' || r.code === 130, `ended with ${r.code} ${r.signal}: ${r.stderr}`);
      assert.equal(readFileSync(out, 'utf8'), 'an older report');
      assert.deepEqual(readdirSync(files), ['out.json']);
    } finally {
      server.close();
    }
  });
});
