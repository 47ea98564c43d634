/** The study benchmark's generator and scorer on a small portfolio: what they write is what the study reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/database.js';
import { runStudy } from '../src/reports/study.js';
import { generateStudyHistory, STUDY_BENCH_MONTHS } from './study-history.js';
import { scoreHistory } from './study-scoring.js';

test(
  '60 generated organizations: findings with their lifecycle, 8 snapshots each, all paired in the ' + 'study',
  async () => {
    const home = mkdtempSync(join(tmpdir(), 'vitals-bench-study-test-'));
    const store = await openStore({ home });
    try {
      const generated = await generateStudyHistory(store, 7, 60);
      assert.equal(generated.organizations, 60);
      assert.equal((await store.findings.listFindings()).length, generated.findings);
      let events = 0;
      for await (const _ of store.findings.streamEvents()) events += 1;
      assert.equal(events, generated.events);

      assert.equal(await scoreHistory(store, STUDY_BENCH_MONTHS), 60 * 8);
      const report = await runStudy(store, (range) => store.scoreSnapshots.streamSnapshots(range), {
        from: '2019-09',
        to: '2020-04',
        resamples: 200,
      });
      assert.equal(report.cohorts.find((c) => c.cohort === 'all')?.paired, 60);
      // The last month's snapshot counts exactly the findings open at the end of the history.
      const open = await store.findings.listFindings({ status: 'open' });
      const april = report.series.find((s) => s.period === '2020-04' && s.cohort === 'all' && s.factor === 'all');
      assert.equal(april?.findings_per_organization, Math.round((open.length / 60) * 10_000) / 10_000);
    } finally {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
);
