/**
 * Header grades against the real MDN HTTP Observatory (issue #7 section 2, issue #11 section 2). The
 * package cannot be a dependency (a database driver with a native build, a web server, a download at
 * install), so scripts/observatory-oracle.mjs grades Vitals' fetches of every lab site and of the
 * dashboard with an install of it and records them in test/fixtures/observatory/. Here: Vitals' grade of
 * each recorded fetch equals the Observatory's, test by test, and the lab and the dashboard still answer
 * what was recorded (else the recording is stale: re-run the script, docs/web.md says how).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  OBSERVATORY_MODIFIERS,
  observatoryGrade,
  type ObservatoryGrade,
  type ObservatoryResult,
} from '../../src/checks/application_security/observatory.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import type { WebHost } from '../../src/probes/web/web.types.js';
import { startTestLab } from '../helpers/lab.js';
import { fetchDashboard, fetchLabSites } from '../helpers/observatory-lab.js';

interface RecordedTest {
  result: ObservatoryResult;
  scoreModifier: number;
  pass: boolean;
}
interface RecordedSite {
  site: string;
  host: string;
  web: WebHost;
  body: string | null;
  observatory: { score: number; grade: string; tests: Record<string, RecordedTest> } | { error: string };
}
interface Recording {
  observatory: { package: string; version: string; algorithmVersion: number };
  recorded: string;
  lab: { seed: number; orgs: number };
  sites: RecordedSite[];
  dashboard: RecordedSite;
}

const FIXTURE = new URL('../../../test/fixtures/observatory/observatory-oracle.json', import.meta.url);
const recording = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recording;
const RERECORD =
  `re-record with scripts/observatory-oracle.mjs (${recording.observatory.package} ` +
  `${recording.observatory.version}, recorded ${recording.recorded}; docs/web.md "Header grade")`;

/** Score, grade and each test's result and modifier, as the Observatory reports them. */
function comparable(grade: ObservatoryGrade | null) {
  if (grade === null) return null;
  const tests = Object.fromEntries(
    Object.entries(grade.tests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, result]) => [name, [result, OBSERVATORY_MODIFIERS[result]]]),
  );
  return { score: grade.score, grade: grade.grade, tests };
}

function observatoryComparable(site: RecordedSite) {
  if ('error' in site.observatory) return null;
  const tests = Object.fromEntries(
    Object.entries(site.observatory.tests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, t]) => [name, [t.result, t.scoreModifier]]),
  );
  return { score: site.observatory.score, grade: site.observatory.grade, tests };
}

test('the recording covers every template, and the dashboard', () => {
  const templates = new Set(recording.sites.map((s) => s.site.split('|')[1]));
  assert.equal(templates.size, 9);
  assert.ok(recording.sites.length >= 100, `${recording.sites.length} sites`);
});

test("Vitals' grade of each recorded lab site equals the Observatory's, test by test", () => {
  for (const site of recording.sites)
    assert.deepEqual(
      comparable(observatoryGrade(site.web)),
      observatoryComparable(site),
      `${site.site} (${site.host})`,
    );
});

test('the dashboard earns an A from the Observatory, and the same score from Vitals', () => {
  const { dashboard } = recording;
  assert.ok(!('error' in dashboard.observatory));
  assert.match(dashboard.observatory.grade, /^A/);
  assert.deepEqual(comparable(observatoryGrade(dashboard.web)), observatoryComparable(dashboard));
});

let lab: RunningLab & { home: string };
before(async () => {
  lab = await startTestLab(recording.lab.orgs, recording.lab.seed);
});
after(async () => {
  await lab?.stop();
});

test('the lab still serves the recorded responses', async () => {
  const live = await fetchLabSites(lab);
  assert.equal(live.length, recording.sites.length, `the lab has ${live.length} web sites: ${RERECORD}`);
  live.forEach((site, i) => {
    const recorded = recording.sites[i]!;
    assert.deepEqual(
      { site: site.site, host: site.host, web: site.web, body: site.body },
      { site: recorded.site, host: recorded.host, web: recorded.web, body: recorded.body },
      `${recorded.site} (${recorded.host}) answers differently: ${RERECORD}`,
    );
  });
});

test("the dashboard's live headers still grade as recorded", async () => {
  // Its page may change (text, scripts of its own); what the grade reads must not, without a re-recording.
  const live = await fetchDashboard();
  assert.deepEqual(
    comparable(observatoryGrade(live.web)),
    observatoryComparable(recording.dashboard),
    `the dashboard's grade changed: ${RERECORD}`,
  );
});
