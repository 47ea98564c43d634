/**
 * `vitals lab down` signals only the lab: a state file whose pid is 1 or below, dead, another program,
 * or a reused pid is reported and nothing is signalled.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { labFiles } from '../../src/lab/lab-runner.js';
import { processStartToken } from '../../src/lab/lab-process.js';
import { VITALS_BIN, removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
  removeTempHomes();
});

function writeState(home: string, pid: unknown, startToken?: string): void {
  const files = labFiles(home);
  mkdirSync(files.dir, { recursive: true });
  const state = { pid, startToken, seed: 1, orgs: 1, port: 10053, resolver: '127.0.0.1', startedAt: '', files };
  writeFileSync(files.state, JSON.stringify(state));
}

/** A process that sleeps; `args` shape its command line. */
function sleeper(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

test('pids 1, 0, -1 and non-numbers are refused, not signalled', async () => {
  for (const pid of [1, 0, -1, '1', 1.5]) {
    const home = tempHome();
    writeState(home, pid);
    const down = await runVitals(['lab', 'down'], home);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /not a valid lab pid/);
    assert.match(down.stdout, /nothing was signalled/);
    assert.equal(existsSync(labFiles(home).state), false, 'the stale state is removed');
  }
});

test('a dead pid is reported as stale', async () => {
  const child = sleeper([]);
  const pid = child.pid!;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const home = tempHome();
  writeState(home, pid);
  const down = await runVitals(['lab', 'down'], home);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, new RegExp(`no process has pid ${pid}`));
});

test('a foreign process is reported and keeps running', async () => {
  const child = sleeper(['some-other-program']);
  const home = tempHome();
  writeState(home, child.pid);
  const down = await runVitals(['lab', 'down'], home);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, new RegExp(`pid ${child.pid} is another program`));
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(alive(child), 'the foreign process was not signalled');
  const status = await runVitals(['lab', 'status', '--format', 'json'], home);
  assert.equal((JSON.parse(status.stdout) as { running: boolean }).running, false);
});

test('a process that looks like the lab but started at another time (a reused pid) is not signalled', async () => {
  const child = sleeper([VITALS_BIN, 'lab', 'serve']);
  await new Promise((r) => setTimeout(r, 100));
  const token = processStartToken(child.pid!);
  if (token === undefined) return; // no /proc: the start time cannot be read here
  const home = tempHome();
  writeState(home, child.pid, String(Number(token) - 1000));
  const down = await runVitals(['lab', 'down'], home);
  assert.match(down.stdout, /reused pid/);
  assert.ok(alive(child), 'the process with a reused pid was not signalled');
  // With its true start time recorded it is the lab, and `lab down` stops it.
  writeState(home, child.pid, token);
  const stopped = await runVitals(['lab', 'down'], home);
  assert.match(stopped.stdout, /lab stopped/);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(alive(child), false);
});

test('lab status names the lab folder under VITALS_HOME, not ~/.vitals', async () => {
  const home = tempHome();
  const status = await runVitals(['lab', 'status'], home);
  assert.equal(status.code, 1);
  assert.ok(status.stdout.includes(`${labFiles(home).dir})`), status.stdout);
  assert.ok(labFiles(home).dir.startsWith(home));
});
