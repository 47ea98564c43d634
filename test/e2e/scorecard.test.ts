/**
 * Scorecards as a user checks them: import the lab's organizations, scan two of them with the CLI, and
 * read `vitals scorecard`, `orgs list` and `orgs show`. The two differ by one planted high-severity DNS
 * weakness, so the one that has it must score lower on dns_health.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import type { Scorecard } from '../../src/ratings/scorecard.js';
import { startTestLab } from '../helpers/lab.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { assertSelfContained, chartCount } from '../../src/report/page-checks.test-support.js';
import { escapeHtml as escapeText } from '../../src/report/html.js';

/** Planted in one organization, not in the other; both keep the same low-severity weakness. */
const HIGH = 'dns.cname.dangling';
const BASE = ['dns.caa.missing'];

describe('vitals scorecard against the lab', () => {
  let lab: RunningLab & { home: string };
  let home: string;
  let weak: string;
  let clean: string;
  let unscanned: string;

  const scorecard = async (...args: string[]): Promise<Scorecard> => {
    const run = await runVitals(['scorecard', ...args, '--format', 'json'], home);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Scorecard;
  };

  before(async () => {
    lab = await startTestLab(6);
    home = tempHome('vitals-scorecard-');
    // Two organizations whose zones can take the planted sets without a lab restart.
    const planted: string[] = [];
    for (const org of lab.world.truth.organizations) {
      if (planted.length === 2) break;
      try {
        const zones = lab.world.setWeaknesses(org.domain, planted.length === 0 ? [...BASE, HIGH] : BASE);
        for (const zone of zones) lab.server.replaceZone(zone);
        planted.push(org.domain);
      } catch {
        // This organization's variant cannot take the set (name-server constraints): try the next.
      }
    }
    assert.equal(planted.length, 2, 'two lab organizations took the planted weaknesses');
    [weak, clean] = planted as [string, string];
    unscanned = lab.world.truth.organizations.find((o) => !planted.includes(o.domain))!.name;
    const csv = join(home, 'orgs.csv');
    writeFileSync(csv, lab.world.organizationsCsv());
    assert.equal((await runVitals(['orgs', 'import', csv], home)).code, 0);
    const scan = await runVitals(
      [
        'scan',
        weak,
        clean,
        '--resolver',
        `${lab.resolverAddress}:${lab.port}`,
        '--ns-port',
        String(lab.port),
        '--trust-anchor',
        lab.files.trustAnchor,
        '--allow-private',
        '--ct',
        lab.files.ct,
        // DNS alone: the scorecard's other factors stay without data (network_security would be rated).
        '--only',
        'dns_health',
        '-q',
      ],
      home,
      180_000,
    );
    assert.ok(scan.code === 0 || scan.code === 1, scan.stderr);
  });
  after(async () => {
    await lab?.stop();
    removeTempHomes();
  });

  test('the planted high-severity DNS weakness costs dns_health points; the other scores higher', async () => {
    const weakCard = await scorecard(weak);
    const cleanCard = await scorecard(clean);
    const dns = (card: Scorecard) => card.factors.find((f) => f.factor === 'dns_health')!;
    assert.ok(dns(weakCard).score !== null && dns(cleanCard).score !== null, 'DNS is rated for both');
    assert.ok(
      dns(weakCard).score! < dns(cleanCard).score!,
      `dns_health ${dns(weakCard).score} (with ${HIGH}) should be below ${dns(cleanCard).score}`,
    );
    assert.ok(weakCard.top_issues.some((i) => i.type === HIGH && i.severity === 'high'));
    assert.ok(!cleanCard.top_issues.some((i) => i.type === HIGH));
    // The biggest single fix is the planted weakness.
    assert.equal(weakCard.plan[0]?.type, HIGH);
    assert.equal(weakCard.plan.at(-1)?.score_after, 100);
  });

  test('points lost add up to 100 - score, and factors without data are not rated', async () => {
    const card = await scorecard(weak);
    assert.equal(card.method_version, '1.0.0');
    assert.ok(card.score !== null && card.grade !== null);
    const hundredths = (xs: { points_lost: number | null }[]) =>
      xs.reduce((sum, x) => sum + Math.round((x.points_lost ?? 0) * 100), 0);
    assert.equal(hundredths(card.factors), Math.round((100 - card.score) * 100));
    assert.equal(hundredths(card.findings), Math.round((100 - card.score) * 100));
    // Only DNS checks ran: TLS, web, network... and the dark-web factors have no data.
    for (const f of card.factors.filter((x) => x.factor !== 'dns_health')) {
      assert.deepEqual([f.score, f.grade], [null, null], f.factor);
    }
    // With one rated factor, the overall score is that factor's.
    assert.equal(card.score, card.factors.find((f) => f.factor === 'dns_health')!.score);
  });

  test('the table names the grade, the not-rated factors and the plan', async () => {
    const run = await runVitals(['scorecard', weak], home);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /score \d+\.\d, grade [A-F]/);
    assert.match(run.stdout, /tls\s+not rated/);
    assert.match(
      run.stdout,
      new RegExp(`plan \\(fixes that gain most first\\)[\\s\\S]*${HIGH.replaceAll('.', '\\.')}`),
    );
  });

  test('--format html: the live scorecard as one page, the planted weakness first in the waterfall', async () => {
    const card = await scorecard(weak);
    const run = await runVitals(['scorecard', weak, '--format', 'html'], home);
    assert.equal(run.code, 0, run.stderr);
    const page = run.stdout;
    assertSelfContained(page);
    // Factor bars, waterfall, history (the scan's snapshot and now) and the plan.
    assert.equal(chartCount(page), 4);
    assert.ok(page.includes(`<div class="score">${card.score!.toFixed(1)}<small> / 100</small></div>`));
    const title = card.top_issues.find((i) => i.type === HIGH)!.title;
    const waterfall = page.slice(page.indexOf('aria-label="waterfall of lost points"'));
    // The first step below "Full score" is the planted weakness: it costs the most (a long title wraps).
    const labels = [...waterfall.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join('');
    assert.ok(labels.replace(/\s/g, '').includes(`Fullscore${escapeText(title).replace(/\s/g, '')}`), labels);
    assert.match(page, new RegExp(`<code>${HIGH.replaceAll('.', '\\.')}</code>`));
    assert.match(page, /<td>TLS<\/td><td class="num"><span class="muted">not rated<\/span><\/td>/);
  });

  test('--as-of answers from the snapshot the scan wrote; dates before it and bad dates are clear errors', async () => {
    const now = await scorecard(weak);
    const today = new Date().toISOString().slice(0, 10);
    const past = await scorecard(weak, '--as-of', today);
    assert.equal(past.source, 'snapshot');
    assert.equal(past.snapshot?.reason, 'scan');
    assert.equal(past.method_version, now.method_version);
    assert.equal(past.score, now.score);
    assert.deepEqual(past.factors, now.factors);

    const before = await runVitals(['scorecard', weak, '--as-of', '2019-09-01'], home);
    assert.equal(before.code, 2);
    assert.match(before.stderr, /no score recorded .* at or before 2019-09-01T23:59:59\.999Z \(history starts /);
    const bad = await runVitals(['scorecard', weak, '--as-of', '2026-02-30'], home);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--as-of 2026-02-30: not a calendar date/);
    const unknown = await runVitals(['scorecard', 'no-such-org.example'], home);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no organization "no-such-org\.example"/);
  });

  test('an organization never scanned is not rated (null), never 100', async () => {
    const card = await scorecard(unscanned);
    assert.equal(card.score, null);
    assert.equal(card.grade, null);
    assert.ok(card.factors.every((f) => f.score === null));
  });

  test('orgs list shows score, grade and trend; orgs show the factor breakdown', async () => {
    const list = await runVitals(['orgs', 'list', '--format', 'json'], home);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as {
      name: string;
      domains: string[];
      score: number | null;
      trend: number | null;
    }[];
    const row = (domain: string) => rows.find((r) => r.domains.includes(domain))!;
    const weakCard = await scorecard(weak);
    assert.equal(row(weak).score, weakCard.score);
    // One snapshot, scored a moment ago: no history yet, so no trend (the table shows '-', not 0.0).
    assert.equal(row(weak).trend, null);
    assert.equal(rows.find((r) => r.name === unscanned)!.score, null);
    const table = await runVitals(['orgs', 'list'], home);
    assert.match(table.stdout, /score\s+grade\s+trend/);

    const show = await runVitals(['orgs', 'show', weakCard.organization], home);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /factors\n/);
    assert.match(show.stdout, new RegExp(`dns_health\\s+${weakCard.factors[0]!.score!.toFixed(1)}`));
    // A domain the organization owns names it too.
    const byDomain = await runVitals(['orgs', 'show', weak, '--format', 'json'], home);
    assert.equal(byDomain.code, 0, byDomain.stderr);
    assert.equal(JSON.parse(byDomain.stdout).name, weakCard.organization);
  });
});
