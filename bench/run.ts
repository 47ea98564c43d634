/**
 * `npm run bench`: runs every benchmark's exported `run()` in sequence, prints one results table and
 * writes bench/results.json. See bench/README.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { renderResultsTable, type BenchResult, type BenchRun } from './bench-result.js';
import { repoRoot } from './lab-process.js';
import { run as runLabStart } from './lab-start.bench.js';
import { run as runDns } from './dns.bench.js';
import { run as runDarkwebMatch } from './darkweb-match.bench.js';
import { run as runDarkwebIngest } from './darkweb-ingest.bench.js';
import { run as runDarkwebSearch } from './darkweb-search.bench.js';
import { run as runStudy } from './study.bench.js';
import { run as runApi } from './api.bench.js';
import { run as runDashboard } from './dashboard.bench.js';
import { run as runIprep } from './iprep.bench.js';
import { run as runTls } from './tls.bench.js';
import { run as runPorts } from './ports.bench.js';

/** Every benchmark, in the order they run. */
export const BENCHES: ReadonlyArray<{ name: string; run: BenchRun }> = [
  { name: 'lab-start', run: runLabStart },
  { name: 'dns', run: runDns },
  { name: 'darkweb-match', run: runDarkwebMatch },
  { name: 'darkweb-ingest', run: runDarkwebIngest },
  { name: 'darkweb-search', run: runDarkwebSearch },
  { name: 'study', run: runStudy },
  { name: 'api', run: runApi },
  { name: 'dashboard', run: runDashboard },
  { name: 'iprep', run: runIprep },
  { name: 'tls', run: runTls },
  { name: 'ports', run: runPorts },
];

/** One benchmark's result as stored: when it ran and how busy the machine was meanwhile. */
interface StoredResult extends BenchResult {
  measuredAt: string;
  loadAverage: { before: number[]; after: number[] };
}

/**
 * The results of an earlier run that this run leaves in place: `npm run bench -- dns` re-measures one
 * benchmark without discarding the others' figures. A full run replaces everything.
 */
function keptResults(file: string, ran: ReadonlySet<string>, partial: boolean): StoredResult[] {
  if (!partial || !existsSync(file)) return [];
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as { results?: unknown };
    if (!Array.isArray(previous.results)) return [];
    return (previous.results as StoredResult[]).filter(
      (r) => typeof r?.name === 'string' && !ran.has(r.name) && BENCHES.some((b) => b.name === r.name),
    );
  } catch {
    return []; // unreadable: this run's results alone
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const results: StoredResult[] = [];
  const failures: Array<{ name: string; error: string }> = [];
  // Other work on the machine distorts every figure: the load average is kept with each result.
  const loadBefore = loadavg();
  for (const bench of BENCHES) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    process.stderr.write(`bench: ${bench.name}...\n`);
    const before = loadavg();
    try {
      const result = await bench.run();
      results.push({ ...result, measuredAt: new Date().toISOString(), loadAverage: { before, after: loadavg() } });
    } catch (error) {
      // One broken benchmark must not hide the others' figures; it is reported and fails the run.
      failures.push({
        name: bench.name,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      process.stderr.write(`bench: ${bench.name} failed: ${String(error)}\n`);
    }
  }
  const rows = results.flatMap((r) => r.rows);
  process.stdout.write(`\n${renderResultsTable(rows)}`);
  for (const r of results) for (const note of r.notes) process.stdout.write(`note (${r.name}): ${note}\n`);
  const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' ');
  process.stdout.write(
    `load average (1, 5, 15 min): before ${load(loadBefore)}, after ${load(loadavg())}; on ` +
      `${availableParallelism()} cores\n`,
  );

  const file = join(repoRoot(), 'bench', 'results.json');
  const ran = new Set([...results.map((r) => r.name), ...failures.map((f) => f.name)]);
  const kept = keptResults(file, ran, only.length > 0);
  const order = (r: StoredResult): number => BENCHES.findIndex((b) => b.name === r.name);
  const cpu = cpus()[0];
  const document = {
    generatedAt: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      cpu: cpu?.model ?? null,
      memoryBytes: totalmem(),
      node: process.version,
      platform: process.platform,
    },
    results: [...kept, ...results].sort((a, b) => order(a) - order(b)),
    failures,
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  const keptNote = kept.length > 0 ? ` (kept from earlier runs: ${kept.map((r) => r.name).join(', ')})` : '';
  process.stdout.write(`\nwritten: ${file}${keptNote}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
