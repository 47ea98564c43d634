import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLoopback, findExecutable, finishedChildrenCpuSeconds, runChild, splitRoundRobin } from './tools.js';
import { formatFigure, renderResultsTable } from './bench-result.js';
import { medianOf } from './lab-start.bench.js';
import { repeatedQueries } from './dns.bench.js';

test('assertLoopback accepts 127.0.0.0/8 literals only', () => {
  assertLoopback('127.0.53.1');
  assertLoopback('127.255.0.1');
  for (const bad of ['128.0.0.1', '10.255.255.53', '::1', 'localhost', '127.0.0.1.example.com', '']) {
    assert.throws(() => assertLoopback(bad), /loopback/, bad);
  }
});

test('findExecutable finds sh on PATH and not a missing tool', () => {
  assert.equal(findExecutable('surely-not-a-tool-vitals'), null);
  assert.equal(findExecutable('sh', '/nonexistent:/bin'), '/bin/sh');
});

test('splitRoundRobin interleaves and drops empty slices', () => {
  assert.deepEqual(splitRoundRobin([1, 2, 3, 4, 5], 2), [
    [1, 3, 5],
    [2, 4],
  ]);
  assert.deepEqual(splitRoundRobin([1], 4), [[1]]);
});

test('medianOf', () => {
  assert.equal(medianOf([3, 1, 2]), 2);
  assert.equal(medianOf([4, 1, 3, 2]), 2.5);
  assert.throws(() => medianOf([]));
});

test('the results table shows both tools, the target and an honest verdict', () => {
  const table = renderResultsTable([
    {
      what: 'assessment',
      unit: 'orgs/s',
      vitals: 88.7,
      other: { tool: 'dig', value: 167.2 },
      target: '>= 300',
      met: false,
    },
    { what: 'start-up', unit: 's', vitals: 0.681, other: null, target: '< 5 s', met: true },
    { what: 'skipped', unit: 'q/s', vitals: null, other: { tool: 'gobuster', value: null }, target: null, met: null },
  ]);
  const lines = table.trimEnd().split('\n');
  assert.match(lines[2]!, /assessment\s+88\.7 orgs\/s\s+167 orgs\/s \(dig\)\s+>= 300\s+NO$/);
  assert.match(lines[3]!, /start-up\s+0\.68 s\s+-\s+< 5 s\s+yes$/);
  assert.match(lines[4]!, /skipped\s+n\/a q\/s\s+n\/a q\/s \(gobuster\)\s+-\s+-$/);
  assert.equal(formatFigure(12345.6), '12,346');
});

test('repeatedQueries counts exact repeats only', () => {
  const q = {
    server: { address: '127.0.53.1', port: 53 },
    name: 'a.test',
    type: 'A' as const,
    qclass: 'IN' as const,
    recursionDesired: true,
    dnssecOk: false,
    checkingDisabled: false,
    tcp: false,
  };
  const result = repeatedQueries([
    q,
    { ...q },
    { ...q, name: 'A.TEST' },
    { ...q, dnssecOk: true },
    { ...q, type: 'AAAA' as const },
  ]);
  assert.deepEqual(result, { distinctQueries: 3, repeatedByType: { A: 2 } });
});

test('finishedChildrenCpuSeconds sees the CPU a finished child burned', {
  skip: process.platform === 'linux' ? false : 'needs /proc',
}, async () => {
  const before = finishedChildrenCpuSeconds();
  // The child burns CPU for 300 ms of its own CPU time (not wall time, which a busy machine stretches) and reports it.
  const script =
    'let u; do { u = process.cpuUsage(); } while (u.user + u.system < 300000); console.log((u.user + u.system) / 1e6);';
  const outcome = await runChild(process.execPath, ['-e', script], { timeoutMs: 30_000 });
  const after = finishedChildrenCpuSeconds();
  assert.equal(outcome.code, 0);
  assert.ok(before !== null && after !== null);
  const reported = Number(outcome.stdout.trim());
  assert.ok(reported >= 0.3);
  // The kernel counts in 10 ms ticks: allow two.
  assert.ok(
    after - before >= reported - 0.02,
    `children CPU grew by ${after - before} s; the child reported ${reported} s`,
  );
});
