/**
 * `vitals scorecard --format html` and `--pdf` as a user runs them, on an organization whose name (from
 * the imported file) carries markup and quotes, with a score history stored the way scans store it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScoreSnapshotInput } from '../../src/core/score-snapshots.js';
import { FACTORS } from '../../src/core/types.js';
import { assertEscaped, assertSelfContained, chartCount } from '../../src/report/page-checks.test-support.js';
import { findChromium } from '../../src/report/pdf.js';
import { openStore } from '../../src/store/database.js';
import { runVitals } from '../helpers/cli.js';

const NAME = `St. Jude's "Clinic" <script>alert(1)</script>`;
const home = mkdtempSync(join(tmpdir(), 'vitals-scorecard-html-'));
after(() => rmSync(home, { recursive: true, force: true }));

before(async () => {
  const store = await openStore({ home });
  try {
    const id = (
      await store.organizations.upsert({ name: NAME, sector: 'clinic', domains: ['stjude.test'], telehealth: false })
    ).organization.id;
    const snapshot = (takenAt: string, score: number, grade: 'B' | 'C'): ScoreSnapshotInput => ({
      organizationId: id,
      scanId: null,
      takenAt,
      reason: 'scan',
      methodVersion: '1.0.0',
      score,
      grade,
      factors: FACTORS.map((factor) =>
        factor === 'dns_health'
          ? { factor, score, grade, findings: 3, points_lost: 100 - score }
          : { factor, score: null, grade: null, findings: 0, points_lost: 0 },
      ),
      findingCounts: { 'dns.spf.missing': 1, 'dns.dmarc.missing': 2 },
      domainCount: 1,
      assetCount: 4,
    });
    for (const row of [
      snapshot('2026-01-10T03:00:00.000Z', 84.5, 'B'),
      snapshot('2026-02-10T03:00:00.000Z', 78.25, 'C'),
      snapshot('2026-03-10T03:00:00.000Z', 72.5, 'C'),
    ])
      await store.scoreSnapshots.insertScoreSnapshot(row);
  } finally {
    await store.close();
  }
});

test('--format html --as-of: a self-contained page, the name as text, the recorded score and history', async () => {
  const run = await runVitals(['scorecard', 'stjude.test', '--as-of', '2026-03-15', '--format', 'html'], home);
  assert.equal(run.code, 0, run.stderr);
  const page = run.stdout;
  assertSelfContained(page);
  assertEscaped(page, NAME);
  assert.match(page, /<div class="score">72\.5<small> \/ 100<\/small><\/div>/);
  assert.match(page, /from the score recorded 2026-03-10 03:00 UTC \(scan\)/);
  // Factor bars, the waterfall (per factor, from a snapshot) and the history line with its three points.
  assert.equal(chartCount(page), 3);
  for (const score of ['84.5', '78.3', '72.5']) assert.ok(page.includes(`>${score}</text>`), score);
  assert.match(page, /<td>TLS<\/td><td class="num"><span class="muted">not rated<\/span><\/td>/);
});

test('--pdf FILE: a PDF, or without Chromium a clear error and no file', async () => {
  const file = join(home, 'card.pdf');
  const run = await runVitals(['scorecard', 'stjude.test', '--as-of', '2026-03-15', '--pdf', file], home, 240_000);
  if (findChromium() === undefined) {
    assert.equal(run.code, 1);
    assert.match(run.stderr, /printing a PDF needs Chromium, and none is installed/);
    assert.equal(existsSync(file), false);
    return;
  }
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');
  const pdf = readFileSync(file);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
  assert.deepEqual(
    readdirSync(home).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file left',
  );
});

test('--pdf into a folder that does not exist: exit 2 before any work', async () => {
  const run = await runVitals(['scorecard', 'stjude.test', '--pdf', join(home, 'missing', 'card.pdf')], home);
  if (findChromium() === undefined) {
    assert.equal(run.code, 1, run.stderr);
    return;
  }
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--pdf .*missing\/card\.pdf: cannot write there \(no such folder\)/);
});
