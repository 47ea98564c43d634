/**
 * One dialect's run of the study benchmark, in a child process of its own so its peak memory is its own:
 * generate the history (not timed against the target), then score it and run the study (timed), sampling
 * the resident set size throughout. Prints one JSON line. Usage: study-child.js sqlite|postgres ORGS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore, type Store } from '../src/store/database.js';
import { testDialects, TEST_DATABASE_URL_VARIABLE } from '../src/store/test-dialects.js';
import { runStudy } from '../src/reports/study.js';
import { generateStudyHistory, STUDY_BENCH_MONTHS } from './study-history.js';
import { scoreHistory } from './study-scoring.js';

const [dialect = 'sqlite', orgsText = '30000'] = process.argv.slice(2);
const orgs = Number(orgsText);

let peakRss = 0;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 25);
const cpuSeconds = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1e6;

async function open(): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const home = mkdtempSync(join(tmpdir(), 'vitals-bench-study-'));
    return { store: await openStore({ home }), dispose: async () => rmSync(home, { recursive: true, force: true }) };
  }
  if (process.env[TEST_DATABASE_URL_VARIABLE] === undefined) throw new Error('no PostgreSQL URL');
  const pg = testDialects('bench_study').find((d) => d.name === 'PostgreSQL')!;
  return { store: await pg.open(), dispose: () => pg.dispose() };
}

const { store, dispose } = await open();
try {
  const t0 = performance.now();
  const generated = await generateStudyHistory(store, 2020, orgs);
  const generateSeconds = (performance.now() - t0) / 1000;
  sample();
  const rssBefore = peakRss;
  peakRss = 0;
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const snapshots = await scoreHistory(store, STUDY_BENCH_MONTHS);
  const scoringSeconds = (performance.now() - t1) / 1000;
  const scoringCpu = cpuSeconds(process.cpuUsage(c1));
  const c2 = process.cpuUsage();
  const t2 = performance.now();
  const report = await runStudy(store, (range) => store.scoreSnapshots.streamSnapshots(range), {
    from: STUDY_BENCH_MONTHS[0]!,
    to: STUDY_BENCH_MONTHS[STUDY_BENCH_MONTHS.length - 1]!,
    by: 'month',
  });
  const studySeconds = (performance.now() - t2) / 1000;
  const studyCpu = cpuSeconds(process.cpuUsage(c2));
  sample();
  const headline = report.factors
    .filter((f) => f.factor === 'dns_health' || f.factor === 'all')
    .map((f) => ({
      factor: f.factor,
      cohort: f.cohort,
      change_pct: f.change_pct,
      ci: [f.ci_low, f.ci_high],
      direction: f.direction,
    }));
  process.stdout.write(
    `${JSON.stringify({
      dialect,
      generated,
      snapshots,
      paired: report.cohorts.find((c) => c.cohort === 'all')?.paired,
      seconds: { generate: generateSeconds, scoring: scoringSeconds, study: studySeconds },
      cpuSeconds: { scoring: scoringCpu, study: studyCpu },
      peakRssBytes: {
        generation: rssBefore,
        scoringAndStudy: peakRss,
        processMax: process.resourceUsage().maxRSS * 1024,
      },
      headline,
    })}\n`,
  );
} finally {
  clearInterval(sampler);
  await store.close();
  await dispose();
}
