#!/usr/bin/env node
// Fails when a tracked source line is longer than 120 characters (issue #6): *.ts, *.mjs, *.js and
// *.json under src/, test/, bench/ and scripts/. Biome's formatter keeps code within 120 columns but
// leaves long strings and comments as they are; this catches those. Vendored fixtures (test/fixtures/)
// and generated data (bench/results.json, written by `npm run bench`) are not ours to rewrap.
// Usage: node scripts/check-line-length.mjs [--max N]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const maxIndex = process.argv.indexOf('--max');
const MAX = maxIndex > 0 ? Number(process.argv[maxIndex + 1]) : 120;
const ROOTS = ['src', 'test', 'bench', 'scripts'];
const CHECKED = /\.(ts|mjs|js|json)$/;
const EXCLUDED = [/^test\/fixtures\//, /^bench\/results\.json$/];

let tracked;
try {
  tracked = execFileSync('git', ['ls-files', '-z', '--', ...ROOTS], { encoding: 'utf8' }).split('\0');
} catch (error) {
  console.error(`check-line-length: cannot list tracked files with git: ${error.message}`);
  process.exit(2);
}
// A file with a merge conflict is listed once per stage.
const files = [...new Set(tracked)].filter((f) => CHECKED.test(f) && !EXCLUDED.some((r) => r.test(f)) && existsSync(f));

const long = [];
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    // Characters, not UTF-16 units: "é" or "→" is one column.
    const length = [...line.replace(/\r$/, '')].length;
    if (length > MAX) long.push(`${file}:${i + 1}: ${length} characters`);
  });
}
if (long.length > 0) {
  console.error(
    `${long.length} line(s) longer than ${MAX} characters (split strings with + or template pieces, rewrap comments):`,
  );
  for (const entry of long) console.error(`  ${entry}`);
  process.exit(1);
}
console.log(`check-line-length: ${files.length} files, every line within ${MAX} characters`);
