#!/usr/bin/env node
// Runs every compiled test file under dist/ with Node's own test runner.
// Node 20's `--test` takes no globs, so the files are listed here.
// Usage: node scripts/run-tests.mjs [substring-filter...]
//
// Most test files wait far more than they compute (servers, timeouts, child processes), so they run two at
// a time (VITALS_TEST_CONCURRENCY changes it; 1 runs them one by one). Files marked `test-lane: serial`
// start a lab through the CLI on the lab's own ports (443, 8443, the services' real ports), which two
// such labs cannot share: they run one after another in a lane of their own, beside the others (every
// other lab in the tests takes random ports).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('dist', [])
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/ (run `npm run build` first)');
  process.exit(1);
}
const concurrency = Number(process.env.VITALS_TEST_CONCURRENCY ?? 2);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(
    `VITALS_TEST_CONCURRENCY must be a whole number of at least 1, got "${process.env.VITALS_TEST_CONCURRENCY}"`,
  );
  process.exit(2);
}
const serial = files.filter((f) => readFileSync(f, 'utf8').includes('test-lane: serial'));
const shared = files.filter((f) => !serial.includes(f));

/** Runs one lane; its lines go out as they come, prefixed with the lane's name when two lanes run. */
function lane(name, laneFiles, laneConcurrency, prefixed) {
  if (laneFiles.length === 0) return Promise.resolve({ name, code: 0 });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', `--test-concurrency=${laneConcurrency}`, ...laneFiles], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const [stream, sink] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) sink.write(prefixed ? `[${name}] ${line}\n` : `${line}\n`);
      });
      stream.on('end', () => {
        if (rest) sink.write(prefixed ? `[${name}] ${rest}\n` : `${rest}\n`);
      });
    }
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0) }));
  });
}

const both = serial.length > 0 && shared.length > 0;
const results = await Promise.all([lane('shared', shared, concurrency, both), lane('serial', serial, 1, both)]);
if (both)
  for (const r of results) console.log(`# lane ${r.name}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
